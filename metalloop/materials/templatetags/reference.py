"""Template helpers for the knowledge base pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join

from metalloop.core.materials.entries import Kind
from metalloop.core.materials.knowledge import UnknownCode
from metalloop.materials import presenters
from metalloop.materials.adapters import knowledge
from metalloop.materials.labels import (
    CONFIDENCE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    VERDICT_LABELS,
)

register = template.Library()


@register.filter
def code_link(value: Any) -> Any:
    """Link a knowledge-base code to its page; lists of codes become lists of links."""
    if isinstance(value, list | tuple):
        return format_html_join(", ", "{}", ((code_link(v),) for v in value))
    if isinstance(value, str) and ":" in value:
        try:
            entry = knowledge().get(value)
        except UnknownCode:
            return value
        url = reverse("materials:entry", args=[entry.code])
        return format_html(
            '<a href="{}" title="{}">{}</a>', url, entry.name(presenters.language()), entry.code
        )
    return value


@register.filter
def percent(value: Any) -> str:
    """A share in wt-% as German or English readers expect it ("—" for none)."""
    if value is None:
        return "—"
    return f"{value:g}".replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def accessed_on(value: str) -> str:
    """The date a source was read (YYYY-MM-DD) as the reader writes dates."""
    return presenters.accessed_on(value)


@register.filter
def kind_label(value: Kind) -> str:
    return str(KIND_LABELS.get(value, value))


@register.filter
def confidence_label(value: str) -> str:
    return str(CONFIDENCE_LABELS.get(value, value))


@register.filter
def verdict_label(value: str) -> str:
    return str(VERDICT_LABELS.get(value, value))


@register.filter
def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


@register.filter
def present(value: Any) -> bool:
    """Tell whether a field has something to show (False and 0 count, empty values do not)."""
    return value not in (None, "", [], (), {})
