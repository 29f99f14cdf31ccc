"""Saving checked listings: one listing (the services) or thousands (an import) the same way.

A :class:`ListingDraft` is a listing that passed every check of
:func:`~metalloop.exchange.services.listings.listing_draft_create` or ``listing_draft_update``
and has not been written. :func:`listing_drafts_save` writes any number of them with bulk
operations (:mod:`metalloop.common.bulk`): new listings, changed fields, grades and
chemistry, one audit event each, and ``listing_changed`` (per listing) and
``listings_changed`` (once) after the commit. The services call it with one draft, an import
with all of its rows, so both write and audit alike; an import prepares the writes before
its transaction (:func:`listing_drafts_prepare`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from metalloop.common.audit import AuditEntry, audit_add
from metalloop.common.bulk import BulkWrite
from metalloop.common.imports import chunks
from metalloop.common.models import AuditAction
from metalloop.exchange.adapters import ElementShare
from metalloop.exchange.models import Listing, ListingElement, ListingGrade
from metalloop.exchange.signals import announce_listings


@dataclass
class ListingDraft:
    """A checked listing write: the listing with its new values, the grades and chemistry to
    store (``None`` keeps the stored ones), the audited changes and, for a change, the
    fields to save and when the listing was last saved before it was read."""

    listing: Listing
    created: bool
    grades: list[str] | None
    elements: list[ElementShare] | None
    changes: dict[str, list[Any]]
    fields: tuple[str, ...] = ()
    read_version: dt.datetime | None = None

    @property
    def writes(self) -> bool:
        return self.created or bool(self.changes)


def listing_drafts_save(drafts: Sequence[ListingDraft], *, actor: Any, origin: str) -> None:
    """Write checked listings with bulk operations and audit each (inside a transaction)."""
    write = listing_drafts_prepare(drafts, actor=actor, origin=origin)
    try:
        write()
    finally:
        write.discard()


def listing_drafts_prepare(drafts: Sequence[ListingDraft], *, actor: Any, origin: str) -> BulkWrite:
    """Prepare the writes of checked listings (outside a transaction); call the result
    inside one to make them.

    Everything that takes time per value (converting fields, the audit's JSON) happens here;
    the write itself takes the new keys and runs a few statements per table.
    """
    pending = [draft for draft in drafts if draft.writes]
    changed = [draft for draft in pending if not draft.created]
    write = BulkWrite()
    write.insert(Listing, [draft.listing for draft in pending if draft.created])
    groups: dict[tuple[str, ...], list[Listing]] = defaultdict(list)
    for draft in changed:
        if draft.fields:
            groups[tuple(sorted(draft.fields))].append(draft.listing)
    for fields, listings in groups.items():
        write.update(Listing, listings, fields)
    write.then(lambda: _delete_replaced_children(changed))
    write.insert(
        ListingGrade,
        [ListingGrade(listing=d.listing, code=code) for d in pending for code in d.grades or ()],
    )
    write.insert(
        ListingElement,
        [
            ListingElement(
                listing=d.listing, element=s.element, min_pct=s.min_pct, max_pct=s.max_pct
            )
            for d in pending
            for s in d.elements or ()
        ],
    )
    audit_add(write, actor=actor, entries=[_audit_entry(d) for d in pending], origin=origin)
    write.then(lambda: _after_write(pending, actor))
    return write


def _audit_entry(draft: ListingDraft) -> AuditEntry:
    return AuditEntry(
        action=AuditAction.CREATE if draft.created else AuditAction.UPDATE,
        instance=draft.listing,
        changes=draft.changes,
        network_ids=[draft.listing.network_id],
    )


def _delete_replaced_children(changed: list[ListingDraft]) -> None:
    _delete_of(ListingGrade, [d.listing.pk for d in changed if d.grades is not None])
    _delete_of(ListingElement, [d.listing.pk for d in changed if d.elements is not None])


def _after_write(pending: list[ListingDraft], actor: Any) -> None:
    """Forget the replaced prefetched children; announce the listings after the commit."""
    _forget_prefetched(pending)
    announce_listings([d.listing for d in pending if d.created], created=True, actor=actor)
    announce_listings([d.listing for d in pending if not d.created], created=False, actor=actor)


def stale_listing_ids(drafts: Iterable[ListingDraft]) -> set[int]:
    """Ids of changed listings saved again since they were read (or deleted since)."""
    read = {d.listing.pk: d.read_version for d in drafts if not d.created}
    current: dict[int, dt.datetime] = {}
    for chunk in chunks(list(read)):
        current.update(Listing.objects.filter(pk__in=chunk).values_list("pk", "updated_at"))
    return {pk for pk, version in read.items() if current.get(pk) != version}


def _forget_prefetched(drafts: list[ListingDraft]) -> None:
    """Drop the prefetched grades and chemistry that were just replaced."""
    for draft in drafts:
        cache = getattr(draft.listing, "_prefetched_objects_cache", {})
        if draft.grades is not None:
            cache.pop("grades", None)
        if draft.elements is not None:
            cache.pop("elements", None)


def _delete_of(model: type[ListingGrade] | type[ListingElement], listing_ids: list[int]) -> None:
    for chunk in chunks(listing_ids):
        model.objects.filter(listing_id__in=chunk).delete()
