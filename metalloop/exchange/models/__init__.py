"""Models of the exchange (split by subject; import them from here)."""

from metalloop.exchange.models.analysis import ListingElement, ListingGrade
from metalloop.exchange.models.attachments import ATTACHMENT_TYPES, ListingAttachment
from metalloop.exchange.models.choices import (
    AnalysisMethod,
    AttachmentKind,
    LegalStatus,
    ListingKind,
    ListingStatus,
    Logistics,
    MaterialForm,
    ProcessKind,
    ProcessorStatus,
    QuantityUnit,
    Recurrence,
    Side,
    TransportMode,
    Visibility,
)
from metalloop.exchange.models.listing_rules import DEMAND_ONLY_FIELDS
from metalloop.exchange.models.listings import MAX_DILUTION_PCT, MAX_DISTANCE_KM, Listing, mass_in_t
from metalloop.exchange.models.processors import Processor, ProcessorInput, ProcessorOutput
from metalloop.exchange.models.quality import (
    QUALITY_MEANINGS,
    QualityFacts,
    QualityLevel,
    quality_level,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "DEMAND_ONLY_FIELDS",
    "MAX_DILUTION_PCT",
    "MAX_DISTANCE_KM",
    "QUALITY_MEANINGS",
    "AnalysisMethod",
    "AttachmentKind",
    "LegalStatus",
    "Listing",
    "ListingAttachment",
    "ListingElement",
    "ListingGrade",
    "ListingKind",
    "ListingStatus",
    "Logistics",
    "MaterialForm",
    "ProcessKind",
    "Processor",
    "ProcessorInput",
    "ProcessorOutput",
    "ProcessorStatus",
    "QualityFacts",
    "QualityLevel",
    "QuantityUnit",
    "Recurrence",
    "Side",
    "TransportMode",
    "Visibility",
    "mass_in_t",
    "quality_level",
]
