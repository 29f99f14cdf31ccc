"""Django admin plumbing: every change made in the admin lands in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from metalloop.common.audit import audit_record, diff, snapshot
from metalloop.common.models import AuditAction, AuditEvent


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Record creations, changes and deletions made in the admin.

    Subclasses say which networks an object belongs to (``audit_network_ids``) so that
    facilitators see the events in their trail.
    """

    def audit_network_ids(self, obj: Any) -> list[int]:
        return []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            changes=diff(before, snapshot(obj)),
            network_ids=self.audit_network_ids(obj),
            origin="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: Model) -> None:
        audit_record(
            actor=request.user,
            action=AuditAction.DELETE,
            instance=obj,
            changes=diff(snapshot(obj), {}),
            network_ids=self.audit_network_ids(obj),
            origin="admin",
        )


class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit trail, read-only; facilitators see their networks' events."""

    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_label", "origin")
    list_filter = ("action", "object_type", "origin")
    search_fields = ("actor_label", "object_label")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
