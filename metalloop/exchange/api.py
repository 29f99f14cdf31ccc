"""REST endpoints of the exchange: parse, select, call a service, present for the actor.

Listings and processors are not public: every endpoint needs a personal API token.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from metalloop.accounts.auth import TokenAuth, actor_of
from metalloop.common.imports import read_import_upload
from metalloop.common.pagination import Page, PageIn
from metalloop.common.params import RecordId
from metalloop.common.problems import problems
from metalloop.common.schemas import ImportResultOut
from metalloop.exchange import adapters, presenters, selectors, services
from metalloop.exchange.schemas import (
    AttachmentOut,
    ListingCreateIn,
    ListingFilterIn,
    ListingOut,
    ListingPage,
    ListingUpdateIn,
    ProcessorCreateIn,
    ProcessorFilterIn,
    ProcessorOut,
    ProcessorPage,
    ProcessorUpdateIn,
)

router = Router(tags=["exchange"], auth=[TokenAuth()])


def _placement(actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the network slug and site id of a payload into records the actor may use."""
    if "network" in data:
        data["network"] = selectors.network_by_slug(actor=actor, slug=data["network"])
    if data.get("site") is not None:
        data["site"] = selectors.site_by_id(actor=actor, site_id=data["site"])
    elif "site" in data:
        del data["site"]
    return data


@router.get("/listings", response=ListingPage, operation_id="listings_list")
def listings_list(
    request: HttpRequest, filters: Query[ListingFilterIn], page: Query[PageIn]
) -> Page:
    """List the offers and demands you may see, filtered; newest first."""
    actor = actor_of(request)
    found = selectors.listing_list(actor=actor, filters=selectors.ListingFilters(**filters.dict()))
    origin = adapters.resolve_place(filters.place) if filters.place else None
    return presenters.listing_page(actor=actor, listings=found, page=page, origin=origin)


@router.post(
    "/listings", response={201: ListingOut} | problems(403), operation_id="listings_create"
)
def listings_create(request: HttpRequest, payload: ListingCreateIn) -> Any:
    """Place an offer or a demand at a site of your organisation."""
    actor = actor_of(request)
    data = _placement(actor, payload.dict())
    listing = services.listing_create(actor=actor, origin="api", **data)
    found = selectors.listing_get(actor=actor, listing_id=listing.pk)
    return Status(201, presenters.listing_out(actor=actor, listing=found))


@router.post(
    "/listings/import",
    response={200: ImportResultOut} | problems(403, 409),
    operation_id="listings_import",
)
def listings_import(request: HttpRequest, file: File[UploadedFile], network: Form[str]) -> Any:
    """Create or change listings of a network from a CSV or XLSX table; all rows or none."""
    actor = actor_of(request)
    target = selectors.network_by_slug(actor=actor, slug=network)
    return services.listings_import(
        actor=actor, network=target, table=read_import_upload(file), origin="api"
    )


@router.get(
    "/listings/{listing_id}",
    response={200: ListingOut} | problems(404),
    operation_id="listings_get",
)
def listings_get(request: HttpRequest, listing_id: RecordId) -> Any:
    """Read one listing (the owner only where you may learn it)."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    return presenters.listing_out(actor=actor, listing=listing)


@router.patch(
    "/listings/{listing_id}",
    response={200: ListingOut} | problems(403, 404),
    operation_id="listings_update",
)
def listings_update(request: HttpRequest, listing_id: RecordId, payload: ListingUpdateIn) -> Any:
    """Change the given fields of a listing; grades and elements given replace the old ones."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    data = _placement(actor, payload.dict(exclude_unset=True))
    services.listing_update(actor=actor, listing=listing, origin="api", **data)
    found = selectors.listing_get(actor=actor, listing_id=listing_id)
    return presenters.listing_out(actor=actor, listing=found)


@router.delete(
    "/listings/{listing_id}",
    response={204: None} | problems(403, 404),
    operation_id="listings_withdraw",
)
def listings_withdraw(request: HttpRequest, listing_id: RecordId) -> Any:
    """Withdraw a listing (it stays on record, hidden from members)."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    services.listing_withdraw(actor=actor, listing=listing, origin="api")
    return Status(204, None)


@router.post(
    "/listings/{listing_id}/verification",
    response={200: ListingOut} | problems(403, 404, 409),
    operation_id="listings_verify",
)
def listings_verify(request: HttpRequest, listing_id: RecordId) -> Any:
    """Verify an offer's data against its analysis certificate (facilitators)."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    services.listing_verify(actor=actor, listing=listing, origin="api")
    found = selectors.listing_get(actor=actor, listing_id=listing_id)
    return presenters.listing_out(actor=actor, listing=found)


@router.get(
    "/listings/{listing_id}/attachments",
    response={200: list[AttachmentOut]} | problems(403, 404),
    operation_id="listing_attachments_list",
)
def listing_attachments_list(request: HttpRequest, listing_id: RecordId) -> Any:
    """List a listing's attachments (the owner, facilitators and admins only)."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    return [
        presenters.attachment_out(a)
        for a in selectors.attachment_list(actor=actor, listing=listing)
    ]


@router.post(
    "/listings/{listing_id}/attachments",
    response={201: AttachmentOut} | problems(403, 404),
    operation_id="listing_attachments_create",
)
def listing_attachments_create(
    request: HttpRequest, listing_id: RecordId, file: File[UploadedFile], kind: Form[str] = "other"
) -> Any:
    """Attach a document: PDF, PNG, JPEG, CSV or XLSX (multipart, fields file and kind)."""
    actor = actor_of(request)
    listing = selectors.listing_get(actor=actor, listing_id=listing_id)
    attachment = services.attachment_add(
        actor=actor, listing=listing, file=file, kind=kind, origin="api"
    )
    return Status(201, presenters.attachment_out(attachment))


@router.get(
    "/listings/{listing_id}/attachments/{attachment_id}",
    response={200: None} | problems(403, 404),
    operation_id="listing_attachments_get",
)
def listing_attachments_get(
    request: HttpRequest, listing_id: RecordId, attachment_id: RecordId
) -> Any:
    """Download an attachment (the owner, facilitators and admins only)."""
    attachment = selectors.attachment_get(
        actor=actor_of(request), listing_id=listing_id, attachment_id=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@router.delete(
    "/listings/{listing_id}/attachments/{attachment_id}",
    response={204: None} | problems(403, 404),
    operation_id="listing_attachments_delete",
)
def listing_attachments_delete(
    request: HttpRequest, listing_id: RecordId, attachment_id: RecordId
) -> Any:
    """Remove an attachment."""
    actor = actor_of(request)
    attachment = selectors.attachment_get(
        actor=actor, listing_id=listing_id, attachment_id=attachment_id
    )
    services.attachment_delete(actor=actor, attachment=attachment, origin="api")
    return Status(204, None)


@router.get("/processors", response=ProcessorPage, operation_id="processors_list")
def processors_list(
    request: HttpRequest, filters: Query[ProcessorFilterIn], page: Query[PageIn]
) -> Page:
    """List the processors you may see, filtered by process, material, network."""
    actor = actor_of(request)
    found = selectors.processor_list(
        actor=actor, filters=selectors.ProcessorFilters(**filters.dict())
    )
    return presenters.processor_page(actor=actor, processors=found, page=page)


@router.post(
    "/processors", response={201: ProcessorOut} | problems(403), operation_id="processors_create"
)
def processors_create(request: HttpRequest, payload: ProcessorCreateIn) -> Any:
    """Declare a processing capability with its inputs and outputs."""
    actor = actor_of(request)
    data = _placement(actor, payload.dict())
    processor = services.processor_create(actor=actor, origin="api", **data)
    found = selectors.processor_get(actor=actor, processor_id=processor.pk)
    return Status(201, presenters.processor_out(actor=actor, processor=found))


@router.get(
    "/processors/{processor_id}",
    response={200: ProcessorOut} | problems(404),
    operation_id="processors_get",
)
def processors_get(request: HttpRequest, processor_id: RecordId) -> Any:
    """Read one processor."""
    actor = actor_of(request)
    processor = selectors.processor_get(actor=actor, processor_id=processor_id)
    return presenters.processor_out(actor=actor, processor=processor)


@router.patch(
    "/processors/{processor_id}",
    response={200: ProcessorOut} | problems(403, 404),
    operation_id="processors_update",
)
def processors_update(
    request: HttpRequest, processor_id: RecordId, payload: ProcessorUpdateIn
) -> Any:
    """Change the given fields of a processor; inputs or outputs given replace the old ones."""
    actor = actor_of(request)
    processor = selectors.processor_get(actor=actor, processor_id=processor_id)
    data = _placement(actor, payload.dict(exclude_unset=True))
    services.processor_update(actor=actor, processor=processor, origin="api", **data)
    found = selectors.processor_get(actor=actor, processor_id=processor_id)
    return presenters.processor_out(actor=actor, processor=found)


@router.delete(
    "/processors/{processor_id}",
    response={204: None} | problems(403, 404),
    operation_id="processors_withdraw",
)
def processors_withdraw(request: HttpRequest, processor_id: RecordId) -> Any:
    """Withdraw a processor."""
    actor = actor_of(request)
    processor = selectors.processor_get(actor=actor, processor_id=processor_id)
    services.processor_withdraw(actor=actor, processor=processor, origin="api")
    return Status(204, None)
