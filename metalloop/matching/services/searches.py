"""Saved searches and their notifications; a network's matching settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from metalloop.accounts.models import User
from metalloop.accounts.services import notification_send
from metalloop.common.audit import audit_record
from metalloop.common.imports import chunks
from metalloop.common.models import AuditAction
from metalloop.exchange.models import Listing
from metalloop.exchange.permissions import member_network_ids
from metalloop.exchange.selectors import ListingFilters, listing_list
from metalloop.matching.errors import ErrorCode
from metalloop.matching.models import NetworkMatching, Objective, SavedSearch
from metalloop.matching.permissions import can_run_matching
from metalloop.network.models import Network

FILTER_NAMES = {f.name for f in fields(ListingFilters)} - {"network", "status", "organisation"}
"""What a saved search may filter on (the network is the search's own; only current
listings are notified; filtering by owner is not offered, it would reveal anonymous ones)."""


def filters_of(search: SavedSearch) -> ListingFilters:
    values = {k: v for k, v in search.filters.items() if k in FILTER_NAMES}
    if values.get("radius_km") not in (None, ""):
        values["radius_km"] = float(values["radius_km"])
    return ListingFilters(**values, network=search.network.slug)


def _clean_filters(actor: Any, network: Network, filters: dict[str, Any]) -> dict[str, Any]:
    unknown = set(filters) - FILTER_NAMES
    if unknown:
        raise ValidationError(
            {"filters": _("Unknown filters: %(names)s.") % {"names": ", ".join(sorted(unknown))}},
            code=ErrorCode.FILTER_INVALID,
        )
    cleaned = {k: v for k, v in filters.items() if v not in (None, "")}
    if not cleaned:
        raise ValidationError(
            {"filters": _("Choose at least one filter.")}, code=ErrorCode.FILTER_INVALID
        )
    probe = SavedSearch(user=actor, network=network, name="probe", filters=cleaned)
    try:
        listing_list(actor=actor, filters=filters_of(probe)).exists()
    except (TypeError, ValueError) as error:
        raise ValidationError({"filters": str(error)}, code=ErrorCode.FILTER_INVALID) from error
    return cleaned


@transaction.atomic
def saved_search_create(
    *, actor: Any, network: Network, name: str, filters: dict[str, Any], email: bool = True
) -> SavedSearch:
    """Save a search over a network's listings the actor's organisation belongs to."""
    if network.pk not in member_network_ids(actor) and not can_run_matching(
        actor=actor, network=network
    ):
        raise PermissionDenied(_("You can save searches only in your own networks."))
    search = SavedSearch(
        user=actor,
        network=network,
        name=name.strip(),
        filters=_clean_filters(actor, network, dict(filters)),
        email=email,
    )
    search.full_clean()
    search.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=search)
    return search


@transaction.atomic
def saved_search_delete(*, actor: Any, search: SavedSearch) -> None:
    """Delete one of the actor's saved searches."""
    if search.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your saved search."))
    audit_record(actor=actor, action=AuditAction.DELETE, instance=search)
    search.delete()


def saved_searches_notify(*, listings: Sequence[Listing]) -> int:
    """Tell the users whose saved searches new listings fit; returns how many were told.

    Each search is run as its own user, so visibility and anonymity apply exactly as on
    the search page; a listing's own organisation is not told. One query per search finds
    which of the listings fit it (an import brings thousands at once).
    """
    by_network: dict[int, list[Listing]] = defaultdict(list)
    for listing in listings:
        by_network[listing.network_id].append(listing)
    told = 0
    for network_id, new in by_network.items():
        searches = SavedSearch.objects.filter(network_id=network_id).select_related(
            "user", "network"
        )
        for search in searches:
            told += _notify_fitting(search, new)
    return told


def _notify_fitting(search: SavedSearch, listings: list[Listing]) -> int:
    others = [x for x in listings if x.organisation_id != search.user.organisation_id]
    fitting: set[int] = set()
    for chunk in chunks([listing.pk for listing in others]):
        found = listing_list(actor=search.user, filters=filters_of(search)).filter(pk__in=chunk)
        fitting.update(found.values_list("pk", flat=True))
    told = [listing for listing in others if listing.pk in fitting]
    for listing in told:
        _notify(search, listing)
    return len(told)


def _notify(search: SavedSearch, listing: Listing) -> None:
    def compose(user: User) -> tuple[str, str]:
        return (
            _("New listing for your search “%(name)s”") % {"name": search.name},
            _("A new listing fits your saved search “%(name)s”: %(title)s.")
            % {"name": search.name, "title": listing.title},
        )

    notification_send(
        users=[search.user],
        kind="saved_search",
        compose=compose,
        url=reverse("exchange:listing_detail", args=[listing.pk]),
        email=search.email,
    )


@transaction.atomic
def matching_settings_update(
    *,
    actor: Any,
    network: Network,
    objective: str,
    horizon_months: int,
    deadweight_pct: Decimal,
    attribution_pct: Decimal,
) -> NetworkMatching:
    """Change a network's default objective, horizon and reporting shares."""
    if not can_run_matching(actor=actor, network=network):
        raise PermissionDenied(_("Only the network's facilitators change its matching settings."))
    settings, _created = NetworkMatching.objects.get_or_create(network=network)
    before = {
        "objective": settings.objective,
        "horizon_months": settings.horizon_months,
        "deadweight_pct": str(settings.deadweight_pct),
        "attribution_pct": str(settings.attribution_pct),
    }
    if objective not in Objective.values:
        raise ValidationError({"objective": _("Unknown objective.")})
    settings.objective = objective
    settings.horizon_months = horizon_months
    settings.deadweight_pct = deadweight_pct
    settings.attribution_pct = attribution_pct
    settings.full_clean()
    settings.save()
    after = {
        "objective": objective,
        "horizon_months": horizon_months,
        "deadweight_pct": str(deadweight_pct),
        "attribution_pct": str(attribution_pct),
    }
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=settings,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        network_ids=[network.pk],
    )
    return settings
