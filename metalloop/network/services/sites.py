"""Writes of the registry: sites, located by the offline gazetteer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.audit import audit_record, diff, snapshot
from metalloop.common.models import AuditAction
from metalloop.network.adapters import resolve_location
from metalloop.network.models import Site
from metalloop.network.permissions import (
    can_edit_organisation,
    can_edit_site,
    organisation_network_ids,
)
from metalloop.network.services._common import RegistryBatch, is_operator
from metalloop.network.services._writes import SiteDraft, drafts_save, site_drafts_prepare

SITE_FIELDS = ("name", "kind", "street", "postcode", "place", "state")
TRACKED = (*SITE_FIELDS, "latitude", "longitude")
"""What the audit trail records of a site."""
STORED = (*TRACKED, "coordinate_source", "gazetteer_id")
"""What a change of a site may save."""


@transaction.atomic
def site_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    place: str,
    kind: str = "plant",
    street: str = "",
    postcode: str = "",
    state: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    origin: str = "",
) -> Site:
    """Add a site; without coordinates they come from the gazetteer (place centre)."""
    values = {"name": name, "place": place, "kind": kind, "street": street,
              "postcode": postcode, "state": state}  # fmt: skip
    draft = site_draft_create(
        actor=actor,
        organisation=organisation,
        values=values,
        latitude=latitude,
        longitude=longitude,
    )
    drafts_save(site_drafts_prepare([draft], actor=actor, origin=origin))
    return draft.site


def site_draft_create(
    *,
    actor: Any,
    organisation: Organisation,
    values: dict[str, Any],
    latitude: float | None = None,
    longitude: float | None = None,
    batch: RegistryBatch | None = None,
) -> SiteDraft:
    """Check a new site as ``site_create`` does (and locate it), without writing it.

    ``values`` are its fields by name (``name`` and ``place`` at least); those left out
    take the model's defaults.
    """
    if not is_operator(actor) and not can_edit_organisation(actor=actor, organisation=organisation):
        raise PermissionDenied(_("You may not add sites to this organisation."))
    _refuse_unknown(values)
    site = Site(
        organisation=organisation,
        latitude=0.0,
        longitude=0.0,
        **{name: _stripped(name, value) for name, value in values.items()},
    )
    _checked(site, batch=batch, exclude=["latitude", "longitude", "state"])
    _locate(site, latitude=latitude, longitude=longitude)
    _checked(site, batch=batch)
    return SiteDraft(
        site=site,
        created=True,
        changes=diff({}, snapshot(site, TRACKED)),
        network_ids=organisation_network_ids(organisation),
    )


def _locate(site: Site, *, latitude: float | None, longitude: float | None) -> None:
    location = resolve_location(
        place=site.place,
        state=site.state,
        postcode=site.postcode,
        latitude=latitude,
        longitude=longitude,
    )
    site.latitude, site.longitude = location.latitude, location.longitude
    site.state = location.state
    site.coordinate_source = location.source
    site.gazetteer_id = location.gazetteer_id


@transaction.atomic
def site_update(
    *,
    actor: Any,
    site: Site,
    latitude: float | None = None,
    longitude: float | None = None,
    origin: str = "",
    **fields: Any,
) -> Site:
    """Change a site; a new place or new coordinates locate it again."""
    draft = site_draft_update(
        actor=actor, site=site, fields=fields, latitude=latitude, longitude=longitude
    )
    drafts_save(site_drafts_prepare([draft], actor=actor, origin=origin))
    return site


def site_draft_update(
    *,
    actor: Any,
    site: Site,
    fields: dict[str, Any],
    latitude: float | None = None,
    longitude: float | None = None,
    batch: RegistryBatch | None = None,
) -> SiteDraft:
    """Check a change of a site as ``site_update`` does (locating it again), without writing."""
    if not is_operator(actor) and not can_edit_site(actor=actor, site=site):
        raise PermissionDenied(_("You may not change this site."))
    _refuse_unknown(fields)
    before = snapshot(site, TRACKED)
    stored = snapshot(site, STORED)
    read_version = site.updated_at
    for name, value in fields.items():
        setattr(site, name, _stripped(name, value))
    moved = any(before[f] != getattr(site, f) for f in ("place", "postcode", "state"))
    if latitude is not None or longitude is not None or moved:
        _checked(site, batch=batch, exclude=["latitude", "longitude", "state"])
        _locate(site, latitude=latitude, longitude=longitude)
    _checked(site, batch=batch)
    after = snapshot(site, STORED)
    return SiteDraft(
        site=site,
        created=False,
        changes=diff(before, snapshot(site, TRACKED)),
        network_ids=organisation_network_ids(site.organisation),
        fields=tuple(
            dict.fromkeys([*fields, *(n for n in STORED if stored[n] != after[n])])
        ),  # the given ones even where a refused change left their values on the instance
        read_version=read_version,
    )


def _checked(site: Site, *, batch: RegistryBatch | None, exclude: list[str] | None = None) -> None:
    """``full_clean`` of a site. In a batch the organisation was just read (no query for
    its key) and the check constraints (coordinates in range, a place) are left to their
    field rules and the database instead of a query each."""
    related = ["organisation"] if batch is not None else []
    site.full_clean(exclude=[*(exclude or []), *related], validate_constraints=batch is None)


def _refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )


def _stripped(name: str, value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def site_delete(*, actor: Any, site: Site, origin: str = "") -> None:
    """Delete a site."""
    if not is_operator(actor) and not can_edit_site(actor=actor, site=site):
        raise PermissionDenied(_("You may not delete this site."))
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=site,
        changes=diff(snapshot(site, TRACKED), {}),
        network_ids=organisation_network_ids(site.organisation),
        origin=origin,
    )
    site.delete()
