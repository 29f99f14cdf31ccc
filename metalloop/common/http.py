from __future__ import annotations

from django.http import HttpRequest


def client_ip_of(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it (a proxy in front must set REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
