"""Pages of a listing's attachments: upload, download, removal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metalloop.common.forms import add_service_errors
from metalloop.exchange import selectors, services
from metalloop.exchange.forms import AttachmentForm


@login_required
@require_POST
def attachment_upload(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Attach a document to a listing."""
    listing = selectors.listing_get(actor=request.user, listing_id=listing_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, listing=listing, origin="web", **form.cleaned_data
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
    if form.errors:
        for message in (m for errors in form.errors.values() for m in errors):
            messages.error(request, str(message))
    else:
        messages.success(request, _("The file is attached."))
    return redirect("exchange:listing_detail", listing_id=listing.pk)


@login_required
def attachment_download(
    request: HttpRequest, listing_id: int, attachment_id: int
) -> HttpResponseBase:
    """Hand out an attachment to the owner, the facilitators and admins."""
    attachment = selectors.attachment_get(
        actor=request.user, listing_id=listing_id, attachment_id=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, listing_id: int, attachment_id: int) -> HttpResponse:
    """Remove an attachment."""
    attachment = selectors.attachment_get(
        actor=request.user, listing_id=listing_id, attachment_id=attachment_id
    )
    services.attachment_delete(actor=request.user, attachment=attachment, origin="web")
    messages.success(request, _("The attachment is removed."))
    return redirect("exchange:listing_detail", listing_id=listing_id)
