"""The Django admin for curation: facilitators see and change only their networks' data."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from metalloop.accounts.models import Organisation, User
from metalloop.accounts.permissions import is_admin
from metalloop.common.admin import AuditedAdmin, AuditEventAdmin
from metalloop.common.models import AuditEvent
from metalloop.network import models as m
from metalloop.network.permissions import managed_network_ids, organisation_network_ids
from metalloop.network.selectors import audit_event_list
from metalloop.network.services import network_of

admin.site.site_header = "metalloop"
admin.site.site_title = "metalloop"


class NetworkScopedAdmin(AuditedAdmin):
    """Scope rows and choices to the facilitator's networks via ``network_path``."""

    network_path = "network"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        return qs.filter(
            **{f"{self.network_path}__in": managed_network_ids(request.user)}
        ).distinct()

    def audit_network_ids(self, obj: Any) -> list[int]:
        network = network_of(obj)
        return [network.pk] if network else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or is_admin(request.user):
            return True
        network = network_of(obj)
        return network is not None and network.pk in managed_network_ids(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_admin(request.user):
            scoped = _scoped_choices(db_field.related_model, request)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _scoped_choices(model: Any, request: HttpRequest) -> QuerySet[Any] | None:
    managed = managed_network_ids(request.user)
    if model is m.Network:
        return m.Network.objects.filter(pk__in=managed)
    if model is m.TopicTable:
        return m.TopicTable.objects.filter(network__in=managed)
    if model is m.ActionField:
        return m.ActionField.objects.filter(topic_table__network__in=managed)
    return None


@admin.register(m.Network)
class NetworkAdmin(NetworkScopedAdmin):
    network_path = "pk"
    list_display = ("name", "kind", "region", "is_demo")
    search_fields = ("name", "region")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("facilitators",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if is_admin(request.user) else qs.filter(pk__in=managed_network_ids(request.user))


@admin.register(m.Membership)
class MembershipAdmin(NetworkScopedAdmin):
    list_display = ("organisation", "network", "role", "joined")
    list_filter = ("network", "role")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation",)


class ActionFieldInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.ActionField
    extra = 0


@admin.register(m.TopicTable)
class TopicTableAdmin(NetworkScopedAdmin):
    list_display = ("name", "network", "host")
    list_filter = ("network",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ActionFieldInline,)


class TopicTableContentAdmin(NetworkScopedAdmin):
    network_path = "topic_table__network"
    list_filter: ClassVar[tuple[str, ...]] = ("topic_table__network",)


@admin.register(m.ActionField)
class ActionFieldAdmin(TopicTableContentAdmin):
    list_display = ("name", "topic_table", "position")


@admin.register(m.Meeting)
class MeetingAdmin(TopicTableContentAdmin):
    list_display = ("title", "date", "place", "topic_table")
    date_hierarchy = "date"
    filter_horizontal = ("participants", "action_fields")


@admin.register(m.Barrier)
class BarrierAdmin(TopicTableContentAdmin):
    list_display = ("title", "category", "status", "addressee", "topic_table")
    list_filter: ClassVar[tuple[str, ...]] = ("category", "status", "topic_table__network")
    search_fields = ("title", "description", "addressee")
    filter_horizontal = ("stages",)


@admin.register(m.Need)
class NeedAdmin(TopicTableContentAdmin):
    list_display = ("title", "kind", "status", "topic_table")
    list_filter: ClassVar[tuple[str, ...]] = ("kind", "status", "topic_table__network")


@admin.register(m.PilotProject)
class PilotProjectAdmin(TopicTableContentAdmin):
    list_display = ("title", "kind", "status", "topic_table")
    list_filter: ClassVar[tuple[str, ...]] = ("kind", "status", "topic_table__network")
    filter_horizontal = ("partners",)


@admin.register(m.Competence)
class CompetenceAdmin(AuditedAdmin):
    """The taxonomy is shared by all networks: admins curate it, facilitators read it."""

    list_display = ("code", "name_de", "name_en", "group")
    list_filter = ("group",)
    search_fields = ("code", "name_de", "name_en")
    filter_horizontal = ("organisations",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)


class SiteInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Site
    extra = 0
    fields = ("name", "kind", "street", "postcode", "place", "state", "latitude", "longitude")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "legal_form", "size_class", "is_demo")
    list_filter = ("kind", "size_class", "is_demo", "memberships__network")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("roles",)
    inlines = (SiteInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        return qs.filter(memberships__network__in=managed_network_ids(request.user)).distinct()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New organisations join a network; facilitators add them through the pages or API.
        return is_admin(request.user)

    def audit_network_ids(self, obj: Any) -> list[int]:
        return sorted(organisation_network_ids(obj))


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Users: admins manage them (with `metalloop user create`); facilitators read theirs."""

    list_display = ("email", "full_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name", "organisation__name")
    exclude = ("password",)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        return qs.filter(
            organisation__memberships__network__in=managed_network_ids(request.user)
        ).distinct()


@admin.register(AuditEvent)
class ScopedAuditEventAdmin(AuditEventAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return audit_event_list(actor=request.user)
