"""Writes of listings: create, change, withdraw, verify, expire.

How their fields are normalised, checked together, written and audited is in
:mod:`._listing_fields`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.audit import audit_record, diff
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.exchange.adapters import ElementShare
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import (
    AttachmentKind,
    Listing,
    ListingStatus,
    Logistics,
    Recurrence,
    Side,
    Visibility,
)
from metalloop.exchange.permissions import (
    can_create_listing,
    can_edit_listing,
    can_verify_listing,
)
from metalloop.exchange.services._common import (
    Batch,
    code_list,
    is_operator,
    refuse_unknown_fields,
)
from metalloop.exchange.services._listing_fields import (
    LISTING_FIELDS,
    element_rows,
    listing_state,
    normalised_value,
    validated_listing,
)
from metalloop.exchange.services._listing_writes import ListingDraft, listing_drafts_save
from metalloop.exchange.signals import announce_listings
from metalloop.network.models import Network, Site

UPDATABLE_FIELDS = (*(f for f in LISTING_FIELDS if f != "side"), "status", "site")
SUBSTANTIVE = frozenset(
    {"material", "waste_code", "legal_status", "analysis_method", "analysis_date", "grades",
     "elements"}
)  # fmt: skip
"""Changes that undo a facilitator's verification: the checked data are no longer the same."""
STATUSES_BY_UPDATE = (ListingStatus.ACTIVE, ListingStatus.FULFILLED, ListingStatus.WITHDRAWN)


@transaction.atomic
def listing_create(
    *,
    actor: Any,
    network: Network,
    site: Site,
    side: str,
    kind: str,
    title: str,
    material: str,
    legal_status: str,
    form: str,
    quantity: Decimal,
    unit: str,
    available_from: dt.date,
    transport_modes: Sequence[str],
    organisation: Organisation | None = None,
    description: str = "",
    grades: Iterable[str] = (),
    waste_code: str = "",
    size: str = "",
    unit_mass_kg: Decimal | None = None,
    recurrence: str = Recurrence.ONE_OFF,
    available_until: dt.date | None = None,
    logistics: str = Logistics.EITHER,
    price_eur_per_t: Decimal | None = None,
    visibility: str = Visibility.ANONYMOUS,
    analysis_method: str = "",
    analysis_date: dt.date | None = None,
    elements: Iterable[ElementShare | Mapping[str, Any]] = (),
    min_quantity: Decimal | None = None,
    min_lot_t: Decimal | None = None,
    max_distance_km: int | None = None,
    r_strategy: str = "",
    max_dilution_pct: Decimal | None = None,
    accepted_forms: Sequence[str] = (),
    permitted_waste_codes: Sequence[str] = (),
    origin: str = "",
) -> Listing:
    """Place an offer or a demand for an organisation at one of its sites in a network."""
    values = {
        "side": side, "kind": kind, "title": title, "description": description,
        "material": material, "waste_code": waste_code, "legal_status": legal_status,
        "form": form, "size": size, "quantity": quantity, "unit": unit,
        "unit_mass_kg": unit_mass_kg, "recurrence": recurrence,
        "available_from": available_from, "available_until": available_until,
        "logistics": logistics, "transport_modes": transport_modes,
        "price_eur_per_t": price_eur_per_t, "visibility": visibility,
        "analysis_method": analysis_method, "analysis_date": analysis_date,
        "min_quantity": min_quantity, "min_lot_t": min_lot_t, "max_distance_km": max_distance_km,
        "r_strategy": r_strategy, "max_dilution_pct": max_dilution_pct,
        "accepted_forms": accepted_forms, "permitted_waste_codes": permitted_waste_codes,
    }  # fmt: skip
    draft = listing_draft_create(
        actor=actor,
        network=network,
        site=site,
        organisation=organisation,
        grades=grades,
        elements=elements,
        values=values,
    )
    listing_drafts_save([draft], actor=actor, origin=origin)
    return draft.listing


def listing_draft_create(
    *,
    actor: Any,
    network: Network,
    site: Site,
    values: Mapping[str, Any],
    organisation: Organisation | None = None,
    grades: Iterable[str] = (),
    elements: Iterable[ElementShare | Mapping[str, Any]] = (),
    batch: Batch | None = None,
) -> ListingDraft:
    """Check a new listing as ``listing_create`` does, without writing it.

    ``values`` are the listing's fields by name; fields it leaves out take the model's
    defaults (the same as ``listing_create``'s).
    """
    refuse_unknown_fields(values, LISTING_FIELDS)
    listing = _new_listing(actor, network, site, organisation, values)
    found_grades, found_elements = validated_listing(
        listing, grades=code_list(grades), elements=element_rows(elements), batch=batch
    )
    state = listing_state(listing, grades=found_grades, elements=found_elements)
    return ListingDraft(
        listing=listing,
        created=True,
        grades=found_grades,
        elements=found_elements,
        changes=diff({}, state),
    )


def _new_listing(
    actor: Any,
    network: Network | None,
    site: Site | None,
    organisation: Organisation | None,
    values: Mapping[str, Any],
) -> Listing:
    """A listing not yet saved, for an owner the actor may place listings for."""
    owner = organisation or (site.organisation if site is not None else None)
    if (
        network is not None
        and owner is not None
        and not is_operator(actor)
        and not can_create_listing(actor=actor, network=network, organisation=owner)
    ):
        raise PermissionDenied(_("You may not place listings for this organisation."))
    listing = Listing(
        network=network,
        organisation=owner,
        site=site,
        created_by=actor if not is_operator(actor) else None,
        **{name: normalised_value(name, value) for name, value in values.items()},
    )
    if listing.side == Side.DEMAND and listing.max_dilution_pct is None:
        listing.max_dilution_pct = Decimal(0)
    return listing


def _apply_changes(actor: Any, listing: Listing, fields: Mapping[str, Any]) -> None:
    """Set the changed fields on a listing the actor may change."""
    if not is_operator(actor) and not can_edit_listing(actor=actor, listing=listing):
        raise PermissionDenied(_("You may not change this listing."))
    refuse_unknown_fields(fields, UPDATABLE_FIELDS)
    if "status" in fields and fields["status"] not in STATUSES_BY_UPDATE:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A listing can be set active, fulfilled or withdrawn; it expires by itself."),
                    code=ErrorCode.STATUS_INVALID,
                )
            }
        )
    for name, value in fields.items():
        setattr(listing, name, value if name == "site" else normalised_value(name, value))


def listing_check(
    *,
    actor: Any,
    side: str,
    listing: Listing | None = None,
    network: Network | None = None,
    site: Site | None = None,
    grades: Iterable[str] | None = None,
    elements: Iterable[ElementShare | Mapping[str, Any]] | None = None,
    unreadable: Iterable[str] = (),
    **fields: Any,
) -> None:
    """Check a listing as it would be placed (or ``listing`` as it would be changed) without
    writing anything; raise every error at once.

    A form calls it when some of its fields could not be read (``unreadable``), so that the
    person sees the rules' errors of all the other fields with the first submit. A new
    listing leaves unreadable fields out of the checks; a change keeps their stored values.
    """
    if listing is None:
        draft = _new_listing(actor, network, site, None, {"side": side, **fields})
        skipped = {*unreadable, *(n for n, v in (("network", network), ("site", site)) if not v)}
        if site is None:
            skipped.add("organisation")
    else:
        draft = Listing.objects.select_related("network", "organisation", "site").get(pk=listing.pk)
        _apply_changes(actor, draft, fields | ({"site": site} if site is not None else {}))
        skipped = set()
    validated_listing(
        draft,
        grades=None if grades is None else code_list(grades),
        elements=None if elements is None else element_rows(elements),
        exclude=sorted(skipped),
    )


@transaction.atomic
def listing_update(
    *,
    actor: Any,
    listing: Listing,
    grades: Iterable[str] | None = None,
    elements: Iterable[ElementShare | Mapping[str, Any]] | None = None,
    origin: str = "",
    **fields: Any,
) -> Listing:
    """Change the given fields of a listing; grades and chemistry given replace the old ones."""
    draft = listing_draft_update(
        actor=actor, listing=listing, grades=grades, elements=elements, fields=fields
    )
    listing_drafts_save([draft], actor=actor, origin=origin)
    return listing


def listing_draft_update(
    *,
    actor: Any,
    listing: Listing,
    fields: Mapping[str, Any],
    grades: Iterable[str] | None = None,
    elements: Iterable[ElementShare | Mapping[str, Any]] | None = None,
    batch: Batch | None = None,
) -> ListingDraft:
    """Check a change of a listing as ``listing_update`` does, without writing it.

    The listing's attributes take the new values; nothing is saved until the draft is.
    """
    before = listing_state(listing)
    read_version = listing.updated_at
    _apply_changes(actor, listing, fields)
    found_grades, found_elements = validated_listing(
        listing,
        grades=None if grades is None else code_list(grades),
        elements=None if elements is None else element_rows(elements),
        batch=batch,
    )
    after = listing_state(listing, grades=found_grades, elements=found_elements)
    if listing.verified_at is not None and SUBSTANTIVE & set(diff(before, after)):
        listing.verified_at, listing.verified_by = None, None
        after = listing_state(listing, grades=found_grades, elements=found_elements)
    changes = diff(before, after)
    return ListingDraft(
        listing=listing,
        created=False,
        grades=found_grades if "grades" in changes else None,
        elements=found_elements if "elements" in changes else None,
        changes=changes,
        # The given fields are saved even where the instance held their values already
        # (as a refused change leaves them), the others where they changed.
        fields=tuple(
            dict.fromkeys(
                [*fields, *(_saved_field(name) for name in changes if name not in CHILDREN)]
            )
        ),
        read_version=read_version,
    )


CHILDREN = ("grades", "elements")


def _saved_field(name: str) -> str:
    """The model field an audited name stands for (``site_id`` is saved as ``site``)."""
    return name.removesuffix("_id")


@transaction.atomic
def listing_withdraw(*, actor: Any, listing: Listing, origin: str = "") -> Listing:
    """Withdraw a listing: it stays on record but no member sees it any more."""
    if not is_operator(actor) and not can_edit_listing(actor=actor, listing=listing):
        raise PermissionDenied(_("You may not withdraw this listing."))
    if listing.status == ListingStatus.WITHDRAWN:
        return listing
    before = listing_state(listing)
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=listing,
        changes=diff(before, listing_state(listing)),
        network_ids=[listing.network_id],
        origin=origin,
    )
    announce_listings([listing], created=False, actor=actor)
    return listing


@transaction.atomic
def listing_verify(*, actor: Any, listing: Listing, origin: str = "") -> Listing:
    """Record that a facilitator checked an offer's data against its analysis certificate."""
    if not is_operator(actor) and not can_verify_listing(actor=actor, listing=listing):
        raise PermissionDenied(_("Only the facilitators of the network verify listings."))
    if listing.side != Side.OFFER:
        raise ApplicationError(
            _("Only offers are verified: a demand has no analysis to check."),
            code=ErrorCode.ONLY_OFFERS_VERIFIED,
        )
    if not listing.attachments.filter(kind=AttachmentKind.ANALYSIS_CERTIFICATE).exists():
        raise ApplicationError(
            _("Attach an analysis certificate before the listing is verified."),
            code=ErrorCode.CERTIFICATE_REQUIRED,
        )
    before = listing_state(listing)
    listing.verified_at = timezone.now()
    listing.verified_by = actor if not is_operator(actor) else None
    listing.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=listing,
        changes=diff(before, listing_state(listing)),
        network_ids=[listing.network_id],
        origin=origin,
    )
    announce_listings([listing], created=False, actor=actor)
    return listing


@transaction.atomic
def listings_expire(*, actor: Any = None, today: dt.date | None = None, origin: str = "") -> int:
    """Mark active listings whose end date has passed as expired; return how many."""
    if not is_operator(actor):
        raise PermissionDenied(_("Only the operator expires listings."))
    day = today or timezone.localdate()
    due = Listing.objects.filter(status=ListingStatus.ACTIVE, available_until__lt=day)
    count = 0
    for listing in due.prefetch_related("grades", "elements"):
        before = listing_state(listing)
        listing.status = ListingStatus.EXPIRED
        listing.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=listing,
            changes=diff(before, listing_state(listing)),
            network_ids=[listing.network_id],
            origin=origin,
        )
        count += 1
    return count
