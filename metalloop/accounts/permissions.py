"""Named predicates for what a user may do. Roles are the enum ``Role`` in models.py."""

from __future__ import annotations

from typing import Any

from metalloop.accounts.models import ApiToken, Role


def is_authenticated(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def is_admin(actor: Any) -> bool:
    return is_authenticated(actor) and actor.role == Role.ADMIN


def is_facilitator(actor: Any) -> bool:
    """Facilitator or admin (an admin may do everything a facilitator may)."""
    return is_authenticated(actor) and actor.role in (Role.FACILITATOR, Role.ADMIN)


def can_manage_token(*, actor: Any, token: ApiToken) -> bool:
    """Only the owner lists and revokes their tokens."""
    return is_authenticated(actor) and token.user_id == actor.pk


def can_create_user(*, actor: Any, role: str) -> bool:
    """Admins create any user; facilitators create members."""
    return is_admin(actor) or (is_facilitator(actor) and role == Role.MEMBER)
