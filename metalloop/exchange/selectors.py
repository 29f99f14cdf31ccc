"""Reads of the exchange, always scoped to the actor (see permissions.py).

Filters never reveal an owner the actor may not learn: the organisation filter and the text
search over organisation names apply only to listings whose owner the actor may see, and a
radius search measures to the nearest point of the cell the actor is shown of the others
(and leaves out those shown nowhere, see ``network_crowds``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.accounts.permissions import is_admin
from metalloop.exchange import adapters
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import (
    Listing,
    ListingAttachment,
    ListingStatus,
    Processor,
    ProcessorStatus,
)
from metalloop.exchange.permissions import (
    can_read_attachments,
    listings_visible_q,
    managed_network_ids,
    member_network_ids,
    owner_revealed_q,
    processor_owner_revealed_q,
    processors_visible_q,
)
from metalloop.network.models import Network, Site


@dataclass(frozen=True)
class ListingFilters:
    """Filters of the listing search; empty values filter nothing.

    ``status`` "active" keeps the current listings (active and not past their end); ""
    every status the actor may see.
    """

    side: str = ""
    kind: str = ""
    material: str = ""
    grade: str = ""
    place: str = ""
    radius_km: float | None = None
    network: str = ""
    status: str = ListingStatus.ACTIVE
    organisation: str = ""
    q: str = ""


def listing_list(*, actor: Any, filters: ListingFilters | None = None) -> QuerySet[Listing]:
    """List the listings the actor may see that match the filters, newest first."""
    f = filters or ListingFilters()
    qs = Listing.objects.filter(listings_visible_q(actor=actor))
    if f.side:
        qs = qs.filter(side=f.side)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.material:
        qs = qs.filter(material__in=adapters.material_descendants(f.material))
    if f.grade:
        qs = qs.filter(grades__code=adapters.normalised_grades([f.grade])[0])
    if f.network:
        qs = qs.filter(network__slug=f.network)
    qs = _by_status(qs, f.status)
    if f.organisation:
        qs = qs.filter(owner_revealed_q(actor=actor), organisation__slug=f.organisation)
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(description__icontains=f.q)
            | (owner_revealed_q(actor=actor) & Q(organisation__name__icontains=f.q))
        )
    qs = qs.distinct()
    if f.place or f.radius_km is not None:
        qs = _within_radius(actor, qs, f)
    return qs.select_related("network", "organisation", "site", "created_by").prefetch_related(
        "grades", "elements", "attachments"
    )


def _by_status(qs: QuerySet[Listing], status: str) -> QuerySet[Listing]:
    if status == ListingStatus.ACTIVE:
        today = timezone.localdate()
        return qs.filter(
            Q(status=ListingStatus.ACTIVE)
            & (Q(available_until__isnull=True) | Q(available_until__gte=today))
        )
    return qs.filter(status=status) if status else qs


def _within_radius(actor: Any, qs: QuerySet[Listing], f: ListingFilters) -> QuerySet[Listing]:
    """Keep the listings within the radius: measured to the site where the owner may be
    known, else to the nearest point of the cell the actor is shown (so that narrowing the
    radius tells nothing finer than the cell; hidden ones are never within it)."""
    if not f.place or f.radius_km is None:
        raise ValidationError(
            {
                "radius_km": ValidationError(
                    _("Give a place and a radius together."), code=ErrorCode.RADIUS_WITHOUT_PLACE
                )
            }
        )
    origin = adapters.resolve_place(f.place)
    box = {
        f"site__{key}": value for key, value in adapters.bounding_box(origin, f.radius_km).items()
    }
    candidates = list(
        qs.filter(**box).values_list(
            "pk", "network_id", "organisation_id", "site__latitude", "site__longitude"
        )
    )
    revealed = set(qs.filter(owner_revealed_q(actor=actor), **box).values_list("pk", flat=True))
    crowds = network_crowds({network for _pk, network, *_rest in candidates})
    viewer = getattr(actor, "organisation_id", None)
    inside = []
    for pk, network, owner, latitude, longitude in candidates:
        position = adapters.published_position(
            latitude,
            longitude,
            owner=owner,
            viewer=viewer,
            revealed=pk in revealed,
            crowds=crowds[network],
        )
        reach = position.nearest_km(origin.coordinates)
        if reach is not None and reach <= f.radius_km:
            inside.append(pk)
    return Listing.objects.filter(pk__in=inside)


def network_crowds(network_ids: Iterable[int]) -> dict[int, adapters.Crowds]:
    """Per network, which organisations have sites in each cell: what a hidden site's cell
    is chosen by (every member's sites, as the member registry lists them; the owner's and
    the viewer's are set aside when a cell is chosen)."""
    wanted = set(network_ids)
    rows = Site.objects.filter(organisation__memberships__network_id__in=wanted).values_list(
        "organisation__memberships__network_id", "organisation_id", "latitude", "longitude"
    )
    by_network: dict[int, list[tuple[int, float, float]]] = {n: [] for n in wanted}
    for network, organisation, latitude, longitude in rows:
        if network in by_network:
            by_network[network].append((organisation, latitude, longitude))
    return {network: adapters.crowds_of(sites) for network, sites in by_network.items()}


def listing_get(*, actor: Any, listing_id: int) -> Listing:
    """Return one listing the actor may see; any other behaves as missing."""
    found = (
        listing_list(actor=actor, filters=ListingFilters(status="")).filter(pk=listing_id).first()
    )
    if found is None:
        raise Http404("no such listing")
    return found


def listing_counts(listings: QuerySet[Listing]) -> dict[str, int]:
    """How many offers and demands a (filtered) list holds."""
    counts = dict(
        Listing.objects.filter(pk__in=listings.values("pk"))
        .values_list("side")
        .annotate(n=Count("pk"))
        .values_list("side", "n")
    )
    return {"offer": counts.get("offer", 0), "demand": counts.get("demand", 0)}


def revealed_listing_ids(*, actor: Any, listings: QuerySet[Listing] | Iterable[int]) -> set[int]:
    """The ids among ``listings`` (a queryset or ids) whose owner the actor may learn."""
    ids: Any = listings.values("pk") if isinstance(listings, QuerySet) else list(listings)
    return set(
        Listing.objects.filter(pk__in=ids)
        .filter(owner_revealed_q(actor=actor))
        .values_list("pk", flat=True)
    )


def attachment_list(*, actor: Any, listing: Listing) -> QuerySet[ListingAttachment]:
    """The attachments of a listing, for those who may read them (they can name the owner)."""
    if not can_read_attachments(actor=actor, listing=listing):
        raise PermissionDenied(
            _("Only the owner and the facilitators of the network read the attachments.")
        )
    return listing.attachments.all()


def attachment_get(*, actor: Any, listing_id: int, attachment_id: int) -> ListingAttachment:
    """One attachment of a listing the actor sees and may read the attachments of."""
    listing = listing_get(actor=actor, listing_id=listing_id)
    found = attachment_list(actor=actor, listing=listing).filter(pk=attachment_id).first()
    if found is None:
        raise Http404("no such attachment")
    return found


# --- processors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessorFilters:
    process: str = ""
    material: str = ""
    network: str = ""
    status: str = ProcessorStatus.ACTIVE
    organisation: str = ""
    q: str = ""


def processor_list(*, actor: Any, filters: ProcessorFilters | None = None) -> QuerySet[Processor]:
    """List the processors the actor may see that match the filters, by name."""
    f = filters or ProcessorFilters()
    qs = Processor.objects.filter(processors_visible_q(actor=actor))
    if f.process:
        qs = qs.filter(process=f.process)
    if f.material:
        materials = adapters.material_descendants(f.material)
        qs = qs.filter(Q(inputs__material__in=materials) | Q(outputs__material__in=materials))
    if f.network:
        qs = qs.filter(network__slug=f.network)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.organisation:
        qs = qs.filter(processor_owner_revealed_q(actor=actor), organisation__slug=f.organisation)
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q)
            | Q(description__icontains=f.q)
            | (processor_owner_revealed_q(actor=actor) & Q(organisation__name__icontains=f.q))
        )
    return (
        qs.distinct()
        .order_by("name", "pk")
        .select_related("network", "organisation", "site")
        .prefetch_related("inputs", "outputs")
    )


def processor_get(*, actor: Any, processor_id: int) -> Processor:
    found = (
        processor_list(actor=actor, filters=ProcessorFilters(status=""))
        .filter(pk=processor_id)
        .first()
    )
    if found is None:
        raise Http404("no such processor")
    return found


def revealed_processor_ids(
    *, actor: Any, processors: QuerySet[Processor] | Iterable[int]
) -> set[int]:
    ids: Any = processors.values("pk") if isinstance(processors, QuerySet) else list(processors)
    return set(
        Processor.objects.filter(pk__in=ids)
        .filter(processor_owner_revealed_q(actor=actor))
        .values_list("pk", flat=True)
    )


# --- networks and sites the actor may use ----------------------------------------------------


def exchange_networks(*, actor: Any) -> QuerySet[Network]:
    """The networks whose exchange the actor takes part in (member, facilitator; all for admins)."""
    if is_admin(actor):
        return Network.objects.order_by("name")
    ids = member_network_ids(actor) | managed_network_ids(actor)
    return Network.objects.filter(pk__in=ids).order_by("name")


def network_by_slug(*, actor: Any, slug: str) -> Network:
    """The network with this slug among the actor's, or a ``ValidationError`` on ``network``."""
    found = exchange_networks(actor=actor).filter(slug=slug).first()
    if found is None:
        raise ValidationError(
            {
                "network": ValidationError(
                    _("You take part in no network with the short name %(slug)s.") % {"slug": slug},
                    code=ErrorCode.NETWORK_UNKNOWN,
                )
            }
        )
    return found


def usable_sites(*, actor: Any) -> QuerySet[Site]:
    """Sites the actor may place listings at: their organisation's, and for facilitators
    those of their networks' members (all for admins)."""
    qs = Site.objects.select_related("organisation")
    if is_admin(actor):
        return qs.order_by("organisation__name", "name")
    managed = managed_network_ids(actor)
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
    return (
        qs.filter(own | Q(organisation__memberships__network_id__in=managed))
        .distinct()
        .order_by("organisation__name", "name")
    )


def site_by_id(*, actor: Any, site_id: int) -> Site:
    """A site the actor may use, or a ``ValidationError`` on ``site``."""
    found = usable_sites(actor=actor).filter(pk=site_id).first()
    if found is None:
        raise ValidationError(
            {
                "site": ValidationError(
                    _("You may not place listings at the site %(id)d.") % {"id": site_id},
                    code=ErrorCode.SITE_NOT_OF_ORGANISATION,
                )
            }
        )
    return found
