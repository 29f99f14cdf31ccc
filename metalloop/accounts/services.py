"""Writes of accounts data. Every function checks the actor and records an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import smtplib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metalloop.accounts import tokens
from metalloop.accounts.errors import ErrorCode
from metalloop.accounts.models import (
    ApiToken,
    Notification,
    Organisation,
    PasswordResetRequest,
    Role,
    User,
)
from metalloop.accounts.permissions import can_create_user, can_manage_token, is_authenticated
from metalloop.common.audit import audit_record
from metalloop.common.models import AuditAction


@transaction.atomic
def user_create(
    *,
    actor: Any,
    email: str,
    password: str | None,
    role: str = Role.MEMBER,
    organisation: Organisation | None = None,
    full_name: str = "",
    origin: str = "",
) -> User:
    """Create a user; ``actor=None`` is the operator at the command line."""
    if actor is not None and not can_create_user(actor=actor, role=role):
        raise PermissionDenied(_("You may not create users with this role."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code=ErrorCode.ROLE_INVALID)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError(
            {"email": _("A user with this e-mail address exists already.")},
            code=ErrorCode.EMAIL_TAKEN,
        )
    user = User(email=email, role=role, organisation=organisation, full_name=full_name)
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as weak:
            raise ValidationError({"password": weak.messages}) from weak
    user.set_password(password or None)  # no password: an unusable one, never an empty one
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=user,
        changes={"email": [None, email], "role": [None, role]},
        origin=origin,
    )
    return user


@transaction.atomic
def token_create(*, actor: Any, name: str, origin: str = "") -> tuple[ApiToken, str]:
    """Create a personal API token for the actor; the secret is returned once, never stored."""
    if not is_authenticated(actor):
        raise PermissionDenied(_("Log in to create an API token."))
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, e.g. the program that will use it.")},
            code=ErrorCode.TOKEN_NAME_REQUIRED,
        )
    raw, prefix, digest = tokens.new_token()
    token = ApiToken(user=actor, name=name, prefix=prefix, digest=digest)
    token.full_clean()
    token.save()
    audit_record(actor=actor, action=AuditAction.TOKEN_CREATE, instance=token, origin=origin)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, origin: str = "") -> ApiToken:
    """Revoke one of the actor's own tokens (idempotent)."""
    if not can_manage_token(actor=actor, token=token):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.TOKEN_REVOKE, instance=token, origin=origin)
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used (at most once a minute, to spare the database)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def password_reset_admit(*, email: str, client_ip: str | None) -> bool:
    """Record a password-reset request and tell whether its mail may go out.

    Up to ``PASSWORD_RESET_EMAIL_LIMIT`` mails per address and ``PASSWORD_RESET_CLIENT_LIMIT``
    per client address within the window; further requests are not recorded (so that nobody
    can keep an address's own mails away from it) and get no mail. Known and unknown
    addresses count alike, so the answer tells nothing about which exist.
    """
    now = timezone.now()
    since = now - dt.timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        if recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESET_EMAIL_LIMIT:
            return False
        by_client = recent.filter(client_ip=client_ip).count() if client_ip else 0
        if by_client >= settings.PASSWORD_RESET_CLIENT_LIMIT:
            return False
        PasswordResetRequest.objects.create(email_digest=digest, client_ip=client_ip)
    return True


def password_set_record(*, user: User, origin: str = "") -> None:
    """Note in the audit trail that a user set a new password (never the password itself)."""
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        instance=user,
        changes={"password": ["***", "***"]},
        origin=origin,
    )


Compose = Callable[[User], tuple[str, str]]
"""Writes a notification's title and body for one recipient (called in their language)."""

_MAIL = ContextVar("notification_mail", default=True)
logger = logging.getLogger(__name__)


@contextmanager
def notifications_without_email() -> Iterator[None]:
    """Within this block notifications are kept in the platform only (the demo loader)."""
    token = _MAIL.set(False)
    try:
        yield
    finally:
        _MAIL.reset(token)


@transaction.atomic
def notification_send(
    *, users: Iterable[User], kind: str, compose: Compose, url: str = "", email: bool = True
) -> list[Notification]:
    """Notify users in the platform and, after commit, by e-mail in their own language."""
    created = []
    email = email and _MAIL.get()
    for user in {u.pk: u for u in users if u.is_active}.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = compose(user)
        created.append(
            Notification.objects.create(
                user=user, kind=kind, title=title[:200], body=body, url=url, emailed=email
            )
        )
    if email and created:
        transaction.on_commit(lambda: _mail_notifications(created))
    return created


def _mail_notifications(notifications: list[Notification]) -> None:
    """Mail each notification; a mail server that fails loses no notification (it stays in
    the platform, marked as not mailed, and the failure is logged)."""
    base = settings.PUBLIC_BASE_URL
    for note in notifications:
        link = f"\n\n{base}{note.url}" if note.url else ""
        try:
            send_mail(note.title, note.body + link, None, [note.user.email], fail_silently=False)
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("notification %s not mailed: %s", note.pk, error)
            Notification.objects.filter(pk=note.pk).update(emailed=False)


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications as read."""
    if notification.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
