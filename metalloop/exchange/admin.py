"""The Django admin of the exchange: facilitators see and change only their networks' records,
every change lands in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from metalloop.accounts.models import Organisation
from metalloop.accounts.permissions import is_admin
from metalloop.common.admin import AuditedAdmin
from metalloop.exchange import models as m
from metalloop.exchange.signals import announce_listings
from metalloop.network.models import Network, Site
from metalloop.network.permissions import managed_network_ids


class ExchangeScopedAdmin(AuditedAdmin):
    """Rows and foreign-key choices scoped to the facilitator's networks."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        return qs.filter(network__in=managed_network_ids(request.user))

    def audit_network_ids(self, obj: Any) -> list[int]:
        return [obj.network_id] if obj.network_id else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or is_admin(request.user):
            return True
        return obj.network_id in managed_network_ids(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_admin(request.user):
            managed = managed_network_ids(request.user)
            scoped = {
                Network: Network.objects.filter(pk__in=managed),
                Organisation: Organisation.objects.filter(
                    memberships__network__in=managed
                ).distinct(),
                Site: Site.objects.filter(
                    organisation__memberships__network__in=managed
                ).distinct(),
            }.get(db_field.related_model)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ListingGradeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ListingGrade
    extra = 0


class ListingElementInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ListingElement
    extra = 0


class ListingAttachmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ListingAttachment
    extra = 0
    fields = ("name", "kind", "size", "content_type", "uploaded_by", "created_at")
    readonly_fields = ("name", "size", "content_type", "uploaded_by", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # files come through the pages or the API, where they are checked


@admin.register(m.Listing)
class ListingAdmin(ExchangeScopedAdmin):
    list_display = ("title", "side", "kind", "material", "organisation", "network", "status")
    list_filter = ("side", "kind", "status", "visibility", "legal_status", "network")
    search_fields = ("title", "description", "material", "organisation__name")
    readonly_fields = ("created_by", "verified_at", "verified_by", "created_at", "updated_at")
    inlines = (ListingGradeInline, ListingElementInline, ListingAttachmentInline)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        announce_listings([obj], created=not change, actor=request.user)


class ProcessorInputInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ProcessorInput
    extra = 0


class ProcessorOutputInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ProcessorOutput
    extra = 0


@admin.register(m.Processor)
class ProcessorAdmin(ExchangeScopedAdmin):
    list_display = ("name", "process", "organisation", "network", "status")
    list_filter = ("process", "status", "visibility", "network")
    search_fields = ("name", "description", "organisation__name")
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = (ProcessorInputInline, ProcessorOutputInline)
