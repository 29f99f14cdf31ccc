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
from metalloop.network.services._common import is_operator

SITE_FIELDS = ("name", "kind", "street", "postcode", "place", "state")


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
    if not is_operator(actor) and not can_edit_organisation(actor=actor, organisation=organisation):
        raise PermissionDenied(_("You may not add sites to this organisation."))
    site = Site(
        organisation=organisation,
        name=name.strip(),
        kind=kind,
        street=street.strip(),
        postcode=postcode.strip(),
        place=place.strip(),
        state=state,
        latitude=0.0,
        longitude=0.0,
    )
    site.full_clean(exclude=["latitude", "longitude", "state"])
    _locate(site, latitude=latitude, longitude=longitude)
    site.full_clean()
    site.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=site,
        changes=diff({}, snapshot(site, (*SITE_FIELDS, "latitude", "longitude"))),
        network_ids=organisation_network_ids(organisation),
        origin=origin,
    )
    return site


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
    if not is_operator(actor) and not can_edit_site(actor=actor, site=site):
        raise PermissionDenied(_("You may not change this site."))
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )
    tracked = (*SITE_FIELDS, "latitude", "longitude")
    before = snapshot(site, tracked)
    for name, value in fields.items():
        setattr(site, name, value.strip() if isinstance(value, str) else value)
    moved = any(before[f] != getattr(site, f) for f in ("place", "postcode", "state"))
    if latitude is not None or longitude is not None or moved:
        keep_given = latitude is None and longitude is None and not moved
        if not keep_given:
            site.full_clean(exclude=["latitude", "longitude", "state"])
            _locate(site, latitude=latitude, longitude=longitude)
    site.full_clean()
    site.save()
    changes = diff(before, snapshot(site, tracked))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=site,
            changes=changes,
            network_ids=organisation_network_ids(site.organisation),
            origin=origin,
        )
    return site


@transaction.atomic
def site_delete(*, actor: Any, site: Site, origin: str = "") -> None:
    """Delete a site."""
    if not is_operator(actor) and not can_edit_site(actor=actor, site=site):
        raise PermissionDenied(_("You may not delete this site."))
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=site,
        changes=diff(snapshot(site, (*SITE_FIELDS, "latitude", "longitude")), {}),
        network_ids=organisation_network_ids(site.organisation),
        origin=origin,
    )
    site.delete()
