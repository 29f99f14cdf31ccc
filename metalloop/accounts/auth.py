"""API authentication: personal tokens (``Authorization: Bearer mlp_...``), or the
browser session for reads (the interactive docs) with CSRF protection for writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from metalloop.accounts.selectors import user_for_token
from metalloop.accounts.services import token_touch


class TokenAuth(HttpBearer):
    """Authenticate a request by a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, api_token = found
        token_touch(token=api_token)
        request.user = user
        return user


def actor_of(request: HttpRequest) -> Any:
    """The authenticated user of an API request, or the anonymous user."""
    return getattr(request, "auth", None) or request.user
