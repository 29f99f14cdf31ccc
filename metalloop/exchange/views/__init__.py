"""Pages of the exchange: thin views over selectors, services and presenters.

Every page needs a login: listings are for the members of a network, not the public.
Split by subject (listings, attachments, import and export, processors); ``urls.py`` takes
them from here.
"""

from metalloop.exchange.views.attachments import (
    attachment_delete,
    attachment_download,
    attachment_upload,
)
from metalloop.exchange.views.listings import (
    listing_create,
    listing_detail,
    listing_edit,
    listing_list,
    listing_verify,
    listing_withdraw,
)
from metalloop.exchange.views.processors import (
    processor_create,
    processor_detail,
    processor_edit,
    processor_list,
    processor_withdraw,
)
from metalloop.exchange.views.transfer import listing_export, listing_import

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "listing_create",
    "listing_detail",
    "listing_edit",
    "listing_export",
    "listing_import",
    "listing_list",
    "listing_verify",
    "listing_withdraw",
    "processor_create",
    "processor_detail",
    "processor_edit",
    "processor_list",
    "processor_withdraw",
]
