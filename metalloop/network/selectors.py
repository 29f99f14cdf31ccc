"""Reads of the registry. The registry is public; what only curators see is scoped here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from metalloop.accounts.models import Organisation
from metalloop.accounts.permissions import is_admin
from metalloop.common.models import AuditEvent
from metalloop.network.models import (
    Barrier,
    BarrierStatus,
    Network,
    PilotProject,
    Site,
    TopicTable,
)
from metalloop.network.permissions import can_view_audit_trail, managed_network_ids


@dataclass(frozen=True)
class OrganisationFilters:
    """Filters of the organisation list; empty strings filter nothing."""

    q: str = ""
    role: str = ""
    competence: str = ""
    network: str = ""
    place: str = ""
    state: str = ""
    kind: str = ""


def organisation_list(
    *, actor: Any, filters: OrganisationFilters | None = None
) -> QuerySet[Organisation]:
    """List organisations matching the filters, by name."""
    f = filters or OrganisationFilters()
    qs = Organisation.objects.all()
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(description__icontains=f.q))
    if f.role:
        qs = qs.filter(roles__code=f.role)
    if f.competence:
        qs = qs.filter(competences__code=f.competence)
    if f.network:
        qs = qs.filter(memberships__network__slug=f.network)
    if f.place:
        qs = qs.filter(Q(sites__place__icontains=f.place) | Q(sites__postcode__startswith=f.place))
    if f.state:
        qs = qs.filter(sites__state=f.state)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return (
        qs.distinct()
        .order_by("name", "pk")
        .prefetch_related("roles", "competences", "sites", "memberships__network")
    )


def organisation_get(*, actor: Any, slug: str) -> Organisation:
    """Return one organisation by its slug."""
    found = organisation_list(actor=actor).filter(slug=slug).first()
    if found is None:
        raise Http404("no such organisation")
    return found


def organisation_get_by_id(*, actor: Any, organisation_id: int) -> Organisation:
    found = organisation_list(actor=actor).filter(pk=organisation_id).first()
    if found is None:
        raise Http404("no such organisation")
    return found


@dataclass(frozen=True)
class SiteFilters:
    organisation: str = ""
    network: str = ""
    state: str = ""
    place: str = ""


def site_list(*, actor: Any, filters: SiteFilters | None = None) -> QuerySet[Site]:
    """List sites matching the filters, by organisation and name."""
    f = filters or SiteFilters()
    qs = Site.objects.select_related("organisation")
    if f.organisation:
        qs = qs.filter(organisation__slug=f.organisation)
    if f.network:
        qs = qs.filter(organisation__memberships__network__slug=f.network)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.place:
        qs = qs.filter(Q(place__icontains=f.place) | Q(postcode__startswith=f.place))
    return qs.distinct().order_by("organisation__name", "name", "pk")


def site_get(*, actor: Any, site_id: int) -> Site:
    found = site_list(actor=actor).filter(pk=site_id).first()
    if found is None:
        raise Http404("no such site")
    return found


def network_list(*, actor: Any) -> QuerySet[Network]:
    """List networks with their member counts."""
    return Network.objects.annotate(member_count=Count("memberships", distinct=True)).order_by(
        "name"
    )


def network_get(*, actor: Any, slug: str) -> Network:
    found = network_list(actor=actor).filter(slug=slug).first()
    if found is None:
        raise Http404("no such network")
    return found


def topic_table_list(*, actor: Any, network: str = "") -> QuerySet[TopicTable]:
    """List topic tables, optionally of one network (by slug)."""
    qs = TopicTable.objects.select_related("network", "host")
    if network:
        qs = qs.filter(network__slug=network)
    return qs.order_by("network__name", "name", "pk")


def topic_table_get(*, actor: Any, topic_table_id: int) -> TopicTable:
    found = (
        topic_table_list(actor=actor)
        .prefetch_related(
            "action_fields",
            "meetings__participants",
            "barriers__stages",
            "barriers__action_field",
            "needs__action_field",
            "pilots__partners",
            "pilots__action_field",
        )
        .filter(pk=topic_table_id)
        .first()
    )
    if found is None:
        raise Http404("no such topic table")
    return found


def audit_event_list(*, actor: Any) -> QuerySet[AuditEvent]:
    """Audit events the actor may read: all for admins, their networks' for facilitators."""
    if not can_view_audit_trail(actor=actor):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor")
    if is_admin(actor):
        return qs
    return qs.filter(scopes__network_id__in=managed_network_ids(actor)).distinct()


@dataclass(frozen=True)
class RegistryFigures:
    organisations: int
    sites: int
    networks: int
    topic_tables: int
    open_barriers: int
    pilots: int


def registry_figures(*, actor: Any) -> RegistryFigures:
    """The network at a glance: counts for the start page."""
    return RegistryFigures(
        organisations=Organisation.objects.count(),
        sites=Site.objects.count(),
        networks=Network.objects.count(),
        topic_tables=TopicTable.objects.count(),
        open_barriers=Barrier.objects.exclude(
            status__in=[BarrierStatus.RESOLVED, BarrierStatus.DROPPED]
        ).count(),
        pilots=PilotProject.objects.count(),
    )


def site_map_points(
    *, actor: Any, network: str = "", organisation: str = ""
) -> list[dict[str, Any]]:
    """Sites as plain points for the map: name, organisation, place and coordinates [deg]."""
    sites = site_list(actor=actor, filters=SiteFilters(network=network, organisation=organisation))
    return [
        {
            "name": site.name,
            "organisation": site.organisation.name,
            "slug": site.organisation.slug,
            "place": site.place,
            "lat": round(site.latitude, 5),
            "lon": round(site.longitude, 5),
        }
        for site in sites
    ]


def network_members(*, actor: Any, network: Network) -> QuerySet[Organisation]:
    """The member organisations of a network, by name."""
    return (
        Organisation.objects.filter(memberships__network=network)
        .prefetch_related("roles", "sites")
        .order_by("name")
    )


def topic_table_get_by_slug(*, actor: Any, network: str, slug: str) -> TopicTable:
    found = topic_table_list(actor=actor, network=network).filter(slug=slug).first()
    if found is None:
        raise Http404("no such topic table")
    return topic_table_get(actor=actor, topic_table_id=found.pk)
