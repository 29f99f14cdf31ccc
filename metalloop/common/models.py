"""Shared model plumbing: the base model, timestamps and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from metalloop.common.text import refused_text_errors


class BaseModel(models.Model):
    """The base of every model of metalloop: its text refuses harmful characters.

    ``clean_fields`` (run by ``full_clean``, so by every service, import, form and the
    admin) checks every char, text and JSON field for control characters and the others
    :mod:`metalloop.core.text` refuses, and char fields for line breaks, before Django's own
    field checks, with one message on each field at fault. A new field is covered without
    anything to remember; a test walks every model and proves it.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        errors = refused_text_errors(self, exclude=exclude)
        try:
            super().clean_fields(exclude={*(exclude or ()), *errors})
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class TimestampedModel(BaseModel):
    """Abstract base with creation and change times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TOKEN_CREATE = "token_create", _("API token created")
    TOKEN_REVOKE = "token_revoke", _("API token revoked")


class AuditEvent(BaseModel):
    """One recorded write: who, when, what, and the changed fields (old and new values)."""

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    origin = models.CharField(_("via"), max_length=20, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.object_label}"


class AuditScope(BaseModel):
    """A network an audited object belonged to, so facilitators see their networks' events.

    A plain id, not a foreign key: the trail outlives deleted networks, and ``common`` may
    not depend on the ``network`` app.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="scopes")
    network_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "network_id"], name="audit_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} in network {self.network_id}"
