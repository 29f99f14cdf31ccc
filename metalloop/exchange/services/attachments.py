"""Writes of attachments: documents of a listing, checked for size and type."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.common.audit import audit_record, diff
from metalloop.common.models import AuditAction
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import (
    ATTACHMENT_TYPES,
    AttachmentKind,
    Listing,
    ListingAttachment,
)
from metalloop.exchange.permissions import can_edit_listing
from metalloop.exchange.services._common import is_operator

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def _attachment_changes(attachment: ListingAttachment) -> dict[str, Any]:
    return {"name": attachment.name, "kind": attachment.kind, "size": attachment.size}


def _file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _check_file(file: File[Any], suffix: str) -> None:
    """Refuse files that are too large or whose content is not of an allowed type."""
    limit = settings.EXCHANGE_ATTACHMENT_MAX_BYTES
    if file.size is None or file.size == 0:
        raise _file_error(_("The file is empty."), ErrorCode.ATTACHMENT_TYPE)
    if file.size > limit:
        raise _file_error(
            _("The file is %(size)s; attachments may have at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            ErrorCode.ATTACHMENT_TOO_LARGE,
        )
    if suffix not in ATTACHMENT_TYPES:
        raise _file_error(
            _("Attach PDF, PNG, JPEG, CSV or XLSX files only."), ErrorCode.ATTACHMENT_TYPE
        )
    if not _content_matches(file, suffix):
        raise _file_error(
            _("The content of the file is not %(type)s, as its name says.")
            % {"type": suffix.upper()},
            ErrorCode.ATTACHMENT_TYPE,
        )


def _content_matches(file: File[Any], suffix: str) -> bool:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if suffix in SIGNATURES:
        return bool(head.startswith(SIGNATURES[suffix]))
    if suffix == "csv":
        return b"\x00" not in head
    try:
        with zipfile.ZipFile(file) as workbook:
            return "xl/workbook.xml" in workbook.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    listing: Listing,
    file: File[Any],
    kind: str = AttachmentKind.OTHER,
    origin: str = "",
) -> ListingAttachment:
    """Attach a document (PDF, PNG, JPEG, CSV, XLSX; at most the configured size)."""
    if not is_operator(actor) and not can_edit_listing(actor=actor, listing=listing):
        raise PermissionDenied(
            _("Only the owner and the facilitators of the network add attachments.")
        )
    name = PurePath(file.name or "").name[:200] or "attachment"
    suffix = _suffix_of(name)
    _check_file(file, suffix)
    attachment = ListingAttachment(
        listing=listing,
        file=file,
        name=name,
        kind=kind,
        size=file.size,
        content_type=ATTACHMENT_TYPES[suffix],
        uploaded_by=actor if not is_operator(actor) else None,
    )
    attachment.full_clean(exclude=["file"])
    attachment.save()  # writes the file: storage is outside the transaction
    try:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=attachment,
            changes=diff({}, _attachment_changes(attachment)),
            network_ids=[listing.network_id],
            origin=origin,
        )
    except BaseException:
        # The row rolls back with this block; the file would stay behind without its row.
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    getattr(listing, "_prefetched_objects_cache", {}).pop("attachments", None)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: ListingAttachment, origin: str = "") -> None:
    """Remove a document from a listing (the file is deleted once the removal commits)."""
    listing = attachment.listing
    if not is_operator(actor) and not can_edit_listing(actor=actor, listing=listing):
        raise PermissionDenied(
            _("Only the owner and the facilitators of the network remove attachments.")
        )
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=attachment,
        changes=diff(_attachment_changes(attachment), {}),
        network_ids=[listing.network_id],
        origin=origin,
    )
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    getattr(listing, "_prefetched_objects_cache", {}).pop("attachments", None)
    transaction.on_commit(lambda: storage.delete(path) if path else None)


ATTACHMENT_DIRECTORY = "exchange/attachments"
"""Where attachment files are stored (see ``models.listings.attachment_path``)."""


def attachments_sweep(
    *, actor: Any = None, older_than: dt.timedelta = dt.timedelta(hours=1)
) -> list[str]:
    """Delete stored attachment files that no attachment refers to; return their names.

    A file is written when its attachment is saved, before the transaction commits. If an
    enclosing transaction rolls back later, the file stays without its row; this sweep
    removes such files once they are older than ``older_than`` (so that an upload still in
    its transaction is left alone).
    """
    if not is_operator(actor):
        raise PermissionDenied(_("Only the operator sweeps attachment files."))
    storage = ListingAttachment._meta.get_field("file").storage
    try:
        _folders, files = storage.listdir(ATTACHMENT_DIRECTORY)
    except FileNotFoundError:
        return []
    known = set(ListingAttachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    swept = []
    for name in sorted(files):
        path = f"{ATTACHMENT_DIRECTORY}/{name}"
        if path in known or storage.get_modified_time(path) > cutoff:
            continue
        storage.delete(path)
        swept.append(path)
    return swept
