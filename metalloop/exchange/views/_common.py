"""Helpers shared by the exchange's pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from metalloop.exchange import selectors

PAGE_SIZE = 25


def network_choices(actor: Any) -> list[tuple[str, str]]:
    """The networks the actor may use in the exchange, as choices (slug, name)."""
    return [(n.slug, n.name) for n in selectors.exchange_networks(actor=actor)]


def site_choices(actor: Any) -> list[tuple[int, str]]:
    """The sites the actor may place listings and processors at, as choices."""
    return [
        (s.pk, f"{s.organisation.name}: {s.name}, {s.place}")
        for s in selectors.usable_sites(actor=actor)
    ]


def query_without_page(request: HttpRequest) -> str:
    """The query string of the request without its page, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
