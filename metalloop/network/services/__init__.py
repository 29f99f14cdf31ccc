"""Writes of the registry. Every function is keyword-only, checks the actor, validates,
writes in one transaction and records the change in the audit trail. ``actor=None`` is the
operator at the command line (or the demo loader), who may do everything."""

from metalloop.network.services.curation import network_of, record_delete, record_save
from metalloop.network.services.organisations import (
    organisation_create,
    organisation_delete,
    organisation_update,
)
from metalloop.network.services.sites import site_create, site_delete, site_update
from metalloop.network.services.transfer import (
    ORGANISATION_COLUMNS,
    SITE_COLUMNS,
    ImportRejected,
    ImportResult,
    organisations_import,
    sites_import,
)

__all__ = [
    "ORGANISATION_COLUMNS",
    "SITE_COLUMNS",
    "ImportRejected",
    "ImportResult",
    "network_of",
    "organisation_create",
    "organisation_delete",
    "organisation_update",
    "organisations_import",
    "record_delete",
    "record_save",
    "site_create",
    "site_delete",
    "site_update",
    "sites_import",
]
