"""Extension point of the listing page: panels that higher apps add (the matching app shows
a listing's proposals there).

A provider is called as ``provider(request=request, listing=listing, actor=user)`` and returns
``None`` (nothing to show) or a mapping with ``template`` (the template to include) and any
context that template needs. The listing page includes the panels inside its
``{% block proposals %}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest

PanelProvider = Callable[..., Mapping[str, Any] | None]

LISTING_PANELS: list[PanelProvider] = []
"""The registered providers, in the order they registered; none by default."""


def register_listing_panel(provider: PanelProvider) -> None:
    """Add a panel to the listing page (call once, e.g. in ``AppConfig.ready()``)."""
    if provider not in LISTING_PANELS:
        LISTING_PANELS.append(provider)


def listing_panels(*, request: HttpRequest, listing: Any) -> list[Mapping[str, Any]]:
    """The panels to show on a listing's page for this request."""
    panels = (
        provider(request=request, listing=listing, actor=request.user)
        for provider in LISTING_PANELS
    )
    return [panel for panel in panels if panel]
