"""Forms of the exchange pages: they check the shape of input; services check the rules.

Split by subject (listings, their chemistry rows, processors); import them from here.
"""

from metalloop.exchange.forms._common import DATE, EMPTY
from metalloop.exchange.forms.chemistry import (
    ElementFormSet,
    ElementRowForm,
    describe_row_errors,
    element_initial,
    element_rows,
    filled_element_rows,
)
from metalloop.exchange.forms.listings import (
    DEFAULT_RADIUS_KM,
    AttachmentForm,
    ImportForm,
    ListingFilterForm,
    ListingForm,
    SummaryEntry,
    add_listing_errors,
    listing_error_summary,
    listing_initial,
)
from metalloop.exchange.forms.processors import (
    InputFormSet,
    OutputFormSet,
    ProcessorFilterForm,
    ProcessorForm,
    ProcessorInputForm,
    ProcessorOutputForm,
    add_processor_errors,
    filled_rows,
    input_initial,
    output_initial,
    processor_initial,
)

__all__ = [
    "DATE",
    "DEFAULT_RADIUS_KM",
    "EMPTY",
    "AttachmentForm",
    "ElementFormSet",
    "ElementRowForm",
    "ImportForm",
    "InputFormSet",
    "ListingFilterForm",
    "ListingForm",
    "OutputFormSet",
    "ProcessorFilterForm",
    "ProcessorForm",
    "ProcessorInputForm",
    "ProcessorOutputForm",
    "SummaryEntry",
    "add_listing_errors",
    "add_processor_errors",
    "describe_row_errors",
    "element_initial",
    "element_rows",
    "filled_element_rows",
    "filled_rows",
    "input_initial",
    "listing_error_summary",
    "listing_initial",
    "output_initial",
    "processor_initial",
]
