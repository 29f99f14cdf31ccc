"""Reads of the knowledge base (public: reference knowledge is for everyone)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from metalloop.core.materials.entries import Entry, Kind
from metalloop.core.materials.knowledge import UnknownCode
from metalloop.materials.adapters import knowledge


def reference_list(*, actor: Any, kind: Kind | None = None, q: str = "") -> list[Entry]:
    """Entries of one kind (or all), filtered by search words in codes, names and aliases."""
    base = knowledge()
    kinds = [kind] if kind else None
    if q.strip():
        return base.search(q, kinds)
    return list(base.of_kind(kind)) if kind else list(base.entries)


def reference_get(*, actor: Any, code: str, kind: Kind | None = None) -> Entry:
    """One entry by its code (or an alias of an alloy or grade)."""
    try:
        entry = knowledge().get(code)
    except UnknownCode as unknown:
        message = _("No entry of the knowledge base has the code %(code)s.") % {"code": code}
        raise Http404(message) from unknown
    if kind is not None and entry.kind is not kind:
        raise Http404(_("%(code)s is not in this part of the knowledge base.") % {"code": code})
    return entry


def reference_counts(*, actor: Any) -> dict[Kind, int]:
    base = knowledge()
    return {kind: len(base.of_kind(kind)) for kind in Kind}
