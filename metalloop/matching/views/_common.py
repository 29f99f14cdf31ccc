"""Helpers shared by the matching pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from metalloop.exchange.selectors import network_by_slug


def network_or_404(request: HttpRequest, slug: str) -> Any:
    """The actor's network with this slug; 404 for any other (a page, not a form field)."""
    try:
        return network_by_slug(actor=request.user, slug=slug)
    except ValidationError as unknown:
        raise Http404(_("No such network.")) from unknown
