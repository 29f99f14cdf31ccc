"""Reads of accounts data, scoped to the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from metalloop.accounts import tokens
from metalloop.accounts.models import ApiToken, Notification, Organisation, User
from metalloop.accounts.permissions import is_authenticated


def token_list(*, actor: Any) -> QuerySet[ApiToken]:
    """List the actor's own API tokens, newest first."""
    if not is_authenticated(actor):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor)


def token_get(*, actor: Any, token_id: int) -> ApiToken:
    """Return one of the actor's tokens; anyone else's behaves as missing."""
    try:
        return token_list(actor=actor).get(pk=token_id)
    except ApiToken.DoesNotExist as missing:
        raise Http404("no such token") from missing


def user_for_token(raw_token: str) -> tuple[User, ApiToken] | None:
    """Return the active user and token for a presented API token, else ``None``."""
    prefix = tokens.split_prefix(raw_token)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if (
        token is None
        or not tokens.digests_match(raw_token, token.digest)
        or not token.user.is_active
    ):
        return None
    return token.user, token


def user_by_email(*, email: str) -> User | None:
    """The user with this e-mail address (for the operator, who sees all), or ``None``."""
    return User.objects.filter(email=email.strip().lower()).first()


def organisation_by_slug(*, slug: str) -> Organisation | None:
    """The organisation with this short name (for the operator, who sees all), or ``None``."""
    return Organisation.objects.filter(slug=slug.strip()).first()


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    """The actor's own notifications, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor)
