"""Writes of the exchange. Every function is keyword-only, checks the actor, validates,
writes in one transaction and records the change in the audit trail. ``actor=None`` is the
operator at the command line (or the demo loader), who may do everything."""

from metalloop.exchange.services.attachments import (
    attachment_add,
    attachment_delete,
    attachments_sweep,
)
from metalloop.exchange.services.listing_import import listings_import
from metalloop.exchange.services.listings import (
    listing_check,
    listing_create,
    listing_update,
    listing_verify,
    listing_withdraw,
    listings_expire,
)
from metalloop.exchange.services.processors import (
    processor_create,
    processor_update,
    processor_withdraw,
)
from metalloop.exchange.services.transfer import (
    LISTING_COLUMNS,
    ExportFile,
    ImportRejected,
    ImportResult,
    listing_export_rows,
    listings_export,
)

__all__ = [
    "LISTING_COLUMNS",
    "ExportFile",
    "ImportRejected",
    "ImportResult",
    "attachment_add",
    "attachment_delete",
    "attachments_sweep",
    "listing_check",
    "listing_create",
    "listing_export_rows",
    "listing_update",
    "listing_verify",
    "listing_withdraw",
    "listings_expire",
    "listings_export",
    "listings_import",
    "processor_create",
    "processor_update",
    "processor_withdraw",
]
