"""Export of organisations and sites as rows of a table (see :mod:`.transfer`).

Exported files import again without changing anything. A site's coordinates are exported
only when they were given by the organisation; an empty latitude and longitude means "the
place centre from the gazetteer".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from metalloop.accounts.models import Organisation
from metalloop.network.models import CoordinateSource, Site
from metalloop.network.selectors import organisation_list, site_list

LIST_SEPARATOR = ";"


def organisation_export_rows(*, actor: Any) -> list[dict[str, str]]:
    """Return the organisations the actor sees as rows of ORGANISATION_COLUMNS."""
    return [organisation_cells(o) for o in organisation_list(actor=actor)]


def site_export_rows(*, actor: Any) -> list[dict[str, str]]:
    """Return the sites the actor sees as rows of SITE_COLUMNS."""
    return [site_cells(site) for site in site_list(actor=actor)]


def organisation_cells(organisation: Organisation) -> dict[str, str]:
    """An organisation as the cells of a row of ORGANISATION_COLUMNS."""
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "kind": organisation.kind,
        "size_class": organisation.size_class,
        "roles": _join(stage.code for stage in organisation.roles.all()),
        "competences": _join(competence.code for competence in organisation.competences.all()),
        "networks": _join(m.network.slug for m in organisation.memberships.all()),
        "website": organisation.website,
        "description": organisation.description,
    }


def site_cells(site: Site) -> dict[str, str]:
    """A site as the cells of a row of SITE_COLUMNS."""
    given = site.coordinate_source == CoordinateSource.GIVEN
    return {
        "organisation": site.organisation.slug,
        "name": site.name,
        "kind": site.kind,
        "street": site.street,
        "postcode": site.postcode,
        "place": site.place,
        "state": site.state,
        "latitude": repr(site.latitude) if given else "",
        "longitude": repr(site.longitude) if given else "",
    }


def _join(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)
