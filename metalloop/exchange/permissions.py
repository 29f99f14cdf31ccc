"""Who sees, changes and verifies listings and processors, and who learns their owner.

Listings are not public. Members (users whose organisation belongs to the listing's network)
see the network's active listings, except those visible to facilitators only; the owner's
organisation sees and changes its own; the network's facilitators see, change and verify
everything of their networks; admins everything.

Whether the owner is shown is a separate question (:func:`listing_reveals_owner`): an
anonymous listing shows its owner only to the owner's organisation, the network's
facilitators and admins, and to another party once the matching app records that both sides
consented (through the checkers registered with :func:`register_consent_checker`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils import timezone

from metalloop.accounts.models import Organisation
from metalloop.accounts.permissions import is_admin, is_authenticated
from metalloop.exchange.models import (
    Listing,
    ListingStatus,
    Processor,
    ProcessorStatus,
    Visibility,
)
from metalloop.network.models import Membership, Network
from metalloop.network.permissions import managed_network_ids as registry_managed_network_ids

# --- extension point: consent ------------------------------------------------------------------

ConsentKind = Literal["listing", "processor"]
ConsentChecker = Callable[..., "QuerySet[Any] | Iterable[int]"]
"""``checker(actor=user)`` returns the ids of the listings (or processors) whose owner the
actor may learn because both sides consented; a queryset of ids (``values("pk")``) or any
iterable of ids."""

CONSENT_CHECKERS: dict[ConsentKind, list[ConsentChecker]] = {"listing": [], "processor": []}
"""The registered consent checkers; none by default. The matching app registers one in its
``AppConfig.ready()`` with :func:`register_consent_checker`."""


def register_consent_checker(checker: ConsentChecker, *, kind: ConsentKind = "listing") -> None:
    """Let ``checker`` reveal owners after mutual consent (called once per process)."""
    if checker not in CONSENT_CHECKERS[kind]:
        CONSENT_CHECKERS[kind].append(checker)


def unregister_consent_checker(checker: ConsentChecker, *, kind: ConsentKind = "listing") -> None:
    """Remove a checker again (for tests)."""
    if checker in CONSENT_CHECKERS[kind]:
        CONSENT_CHECKERS[kind].remove(checker)


def consented_q(*, actor: Any, kind: ConsentKind = "listing") -> Q:
    """A filter matching the records whose owner the checkers reveal to the actor."""
    found = Q(pk__in=[])
    if not is_authenticated(actor):
        return found
    for checker in CONSENT_CHECKERS[kind]:
        ids = checker(actor=actor)
        found |= Q(pk__in=ids if isinstance(ids, QuerySet) else list(ids))
    return found


# --- who belongs where ---------------------------------------------------------------------------


def _cached(actor: Any, key: str, compute: Callable[[], set[int]]) -> set[int]:
    """Remember a set of ids on the user object, as Django caches permissions on it
    (``_perm_cache``): a request's user asks many times, and a new request has a new user."""
    cache: dict[str, set[int]] = actor.__dict__.setdefault("_exchange_ids", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def member_network_ids(actor: Any) -> set[int]:
    """Ids of the networks the actor's organisation is a member of."""
    if not is_authenticated(actor) or actor.organisation_id is None:
        return set()
    return _cached(
        actor,
        "member",
        lambda: set(
            Membership.objects.filter(organisation_id=actor.organisation_id).values_list(
                "network_id", flat=True
            )
        ),
    )


def managed_network_ids(actor: Any) -> set[int]:
    """Ids of the networks the actor facilitates (see ``network.permissions``), cached."""
    if not is_authenticated(actor):
        return set()
    return _cached(actor, "managed", lambda: registry_managed_network_ids(actor))


def _own(actor: Any, record: Listing | Processor) -> bool:
    return (
        is_authenticated(actor)
        and actor.organisation_id is not None
        and record.organisation_id == actor.organisation_id
    )


def _facilitates(actor: Any, network_id: int) -> bool:
    return is_admin(actor) or network_id in managed_network_ids(actor)


# --- listings ----------------------------------------------------------------------------------


def listings_visible_q(*, actor: Any) -> Q:
    """A filter of the listings the actor may see (nothing for anonymous visitors)."""
    if not is_authenticated(actor):
        return Q(pk__in=[])
    if is_admin(actor):
        return Q()
    today = timezone.localdate()
    current = Q(status=ListingStatus.ACTIVE) & (
        Q(available_until__isnull=True) | Q(available_until__gte=today)
    )
    as_member = (
        Q(network_id__in=member_network_ids(actor))
        & ~Q(visibility=Visibility.FACILITATOR)
        & current
    )
    as_facilitator = Q(network_id__in=managed_network_ids(actor))
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
    return as_member | as_facilitator | own


def can_view_listing(*, actor: Any, listing: Listing) -> bool:
    """Members see their networks' current listings (not the facilitators-only ones)."""
    if _own(actor, listing) or _facilitates(actor, listing.network_id):
        return True
    return (
        listing.visibility != Visibility.FACILITATOR
        and listing.is_current()
        and listing.network_id in member_network_ids(actor)
    )


def owner_revealed_q(*, actor: Any) -> Q:
    """A filter of the listings whose owner the actor may learn (among those it sees)."""
    if is_admin(actor):
        return Q()
    if not is_authenticated(actor):
        return Q(pk__in=[])
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
    return (
        Q(visibility=Visibility.NAMED)
        | own
        | Q(network_id__in=managed_network_ids(actor))
        | consented_q(actor=actor, kind="listing")
    )


def listing_reveals_owner(*, actor: Any, listing: Listing) -> bool:
    """Tell whether the actor may learn who placed the listing (organisation, site, person).

    Named listings show their owner to everyone who sees them; anonymous and
    facilitators-only listings only to the owner's organisation, the network's facilitators
    and admins, and after mutual consent (the registered consent checkers).
    """
    if not can_view_listing(actor=actor, listing=listing):
        return False
    if listing.visibility == Visibility.NAMED:
        return True
    if _own(actor, listing) or _facilitates(actor, listing.network_id):
        return True
    return Listing.objects.filter(consented_q(actor=actor, kind="listing"), pk=listing.pk).exists()


def can_create_listing(*, actor: Any, network: Network, organisation: Organisation) -> bool:
    """The organisation's own users, the network's facilitators, admins."""
    if not is_authenticated(actor):
        return False
    return actor.organisation_id == organisation.pk or _facilitates(actor, network.pk)


def can_edit_listing(*, actor: Any, listing: Listing) -> bool:
    """The owner's organisation, the network's facilitators, admins."""
    return _own(actor, listing) or _facilitates(actor, listing.network_id)


def can_verify_listing(*, actor: Any, listing: Listing) -> bool:
    """The network's facilitators and admins (not the owner)."""
    return is_authenticated(actor) and _facilitates(actor, listing.network_id)


def can_read_attachments(*, actor: Any, listing: Listing) -> bool:
    """Attachments can name the owner (letterheads): the owner, facilitators, admins only."""
    return _own(actor, listing) or _facilitates(actor, listing.network_id)


# --- processors ----------------------------------------------------------------------------------


def processors_visible_q(*, actor: Any) -> Q:
    """A filter of the processors the actor may see (the same rules as listings)."""
    if not is_authenticated(actor):
        return Q(pk__in=[])
    if is_admin(actor):
        return Q()
    as_member = (
        Q(network_id__in=member_network_ids(actor))
        & ~Q(visibility=Visibility.FACILITATOR)
        & Q(status=ProcessorStatus.ACTIVE)
    )
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
    return as_member | Q(network_id__in=managed_network_ids(actor)) | own


def can_view_processor(*, actor: Any, processor: Processor) -> bool:
    if _own(actor, processor) or _facilitates(actor, processor.network_id):
        return True
    return (
        processor.visibility != Visibility.FACILITATOR
        and processor.status == ProcessorStatus.ACTIVE
        and processor.network_id in member_network_ids(actor)
    )


def processor_owner_revealed_q(*, actor: Any) -> Q:
    if is_admin(actor):
        return Q()
    if not is_authenticated(actor):
        return Q(pk__in=[])
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
    return (
        Q(visibility=Visibility.NAMED)
        | own
        | Q(network_id__in=managed_network_ids(actor))
        | consented_q(actor=actor, kind="processor")
    )


def processor_reveals_owner(*, actor: Any, processor: Processor) -> bool:
    """Like :func:`listing_reveals_owner`, for processors."""
    if not can_view_processor(actor=actor, processor=processor):
        return False
    if processor.visibility == Visibility.NAMED:
        return True
    if _own(actor, processor) or _facilitates(actor, processor.network_id):
        return True
    return Processor.objects.filter(
        consented_q(actor=actor, kind="processor"), pk=processor.pk
    ).exists()


def can_create_processor(*, actor: Any, network: Network, organisation: Organisation) -> bool:
    return can_create_listing(actor=actor, network=network, organisation=organisation)


def can_edit_processor(*, actor: Any, processor: Processor) -> bool:
    return _own(actor, processor) or _facilitates(actor, processor.network_id)
