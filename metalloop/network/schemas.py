"""API schemas of the registry: one In schema per write, Out schemas per read."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from metalloop.accounts.models import Organisation
from metalloop.common.params import Omittable, record_id
from metalloop.network.models import Network, TopicTable


class SiteOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    name: str
    kind: str
    street: str
    postcode: str
    place: str
    state: str
    latitude: float = Field(..., description="Latitude [deg], WGS 84.")
    longitude: float = Field(..., description="Longitude [deg], WGS 84.")
    coordinate_source: str = Field(..., description="'gazetteer' (place centre) or 'given'.")


class SiteCreateIn(Schema):
    organisation: int = record_id(description="Id of the organisation the site belongs to.")
    name: str
    place: str = Field(..., description="Town or municipality, resolved by the gazetteer.")
    kind: str = "plant"
    street: str = ""
    postcode: str = ""
    state: str = Field("", description="ISO 3166-2:DE code without 'DE-', e.g. 'NW'.")
    latitude: float | None = Field(None, description="Latitude [deg]; give with longitude.")
    longitude: float | None = Field(None, description="Longitude [deg]; give with latitude.")


class SiteUpdateIn(Schema):
    """The fields to change; those typed without null may be left out but not sent as null."""

    name: Omittable[str] = None
    place: Omittable[str] = None
    kind: Omittable[str] = None
    street: Omittable[str] = None
    postcode: Omittable[str] = None
    state: Omittable[str] = None
    latitude: float | None = Field(None)
    longitude: float | None = Field(None)


class SitePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[SiteOut]


class SiteFilterIn(Schema):
    organisation: str = Field("", description="Organisation slug.")
    network: str = Field("", description="Network slug.")
    state: str = ""
    place: str = Field("", description="Place name (part) or postcode prefix.")


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    legal_form: str
    kind: str
    size_class: str
    website: str
    description: str
    is_demo: bool
    roles: list[str]
    competences: list[str]
    networks: list[str]
    sites: list[SiteOut]

    @staticmethod
    def resolve_roles(obj: Organisation) -> list[str]:
        return [stage.code for stage in obj.roles.all()]

    @staticmethod
    def resolve_competences(obj: Organisation) -> list[str]:
        return sorted(c.code for c in obj.competences.all())

    @staticmethod
    def resolve_networks(obj: Organisation) -> list[str]:
        return sorted(m.network.slug for m in obj.memberships.all())

    @staticmethod
    def resolve_sites(obj: Organisation) -> list[object]:
        return list(obj.sites.all())


class OrganisationCreateIn(Schema):
    name: str
    kind: str = Field(..., description="company, research_institute, university, association, ...")
    legal_form: str = ""
    size_class: str = ""
    website: str = ""
    description: str = ""
    roles: list[str] = Field(default_factory=list, description="Value-chain role codes.")
    competences: list[str] = Field(default_factory=list, description="Competence codes.")
    networks: list[str] = Field(default_factory=list, description="Slugs of networks to join.")


class OrganisationUpdateIn(Schema):
    """The fields to change; those typed without null may be left out but not sent as null."""

    name: Omittable[str] = None
    kind: Omittable[str] = None
    legal_form: Omittable[str] = None
    size_class: Omittable[str] = None
    website: Omittable[str] = None
    description: Omittable[str] = None
    roles: list[str] | None = None
    competences: list[str] | None = None
    networks: list[str] | None = None


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[OrganisationOut]


class OrganisationFilterIn(Schema):
    q: str = Field("", description="Text in name or description.")
    role: str = Field("", description="Value-chain role code.")
    competence: str = Field("", description="Competence code.")
    network: str = Field("", description="Network slug.")
    place: str = Field("", description="Place of a site (part of the name) or postcode prefix.")
    state: str = Field("", description="State code of a site, e.g. 'NW'.")
    kind: str = Field("", description="Organisation type.")


class NetworkOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    region: str
    description: str
    website: str
    founded: dt.date | None
    is_demo: bool
    member_count: int
    coordinator: str | None
    members: list[str]
    topic_tables: list[int]

    @staticmethod
    def resolve_coordinator(obj: Network) -> str | None:
        return obj.coordinator.slug if obj.coordinator else None

    @staticmethod
    def resolve_members(obj: Network) -> list[str]:
        return sorted(m.organisation.slug for m in obj.memberships.all())

    @staticmethod
    def resolve_topic_tables(obj: Network) -> list[int]:
        return [t.pk for t in obj.topic_tables.all()]


class NetworkPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[NetworkOut]


class ActionFieldOut(Schema):
    id: int
    name: str
    description: str


class MeetingOut(Schema):
    id: int
    title: str
    date: dt.date
    place: str
    agenda: str
    outcomes: str
    participant_count: int | None
    participants: list[str]

    @staticmethod
    def resolve_participants(obj: object) -> list[str]:
        return sorted(o.slug for o in obj.participants.all())  # type: ignore[attr-defined]


class BarrierOut(Schema):
    id: int
    title: str
    description: str
    category: str
    status: str
    addressee: str
    raised_on: dt.date | None
    action_field: int | None = Field(None, alias="action_field_id")
    stages: list[str]

    @staticmethod
    def resolve_stages(obj: object) -> list[str]:
        return [s.code for s in obj.stages.all()]  # type: ignore[attr-defined]


class NeedOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    action_field: int | None = Field(None, alias="action_field_id")


class PilotOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    start: dt.date | None
    end: dt.date | None
    action_field: int | None = Field(None, alias="action_field_id")
    partners: list[str]

    @staticmethod
    def resolve_partners(obj: object) -> list[str]:
        return sorted(o.slug for o in obj.partners.all())  # type: ignore[attr-defined]


class TopicTableOut(Schema):
    id: int
    network: str
    name: str
    slug: str
    description: str
    goals: str
    host: str | None

    @staticmethod
    def resolve_network(obj: TopicTable) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_host(obj: TopicTable) -> str | None:
        return obj.host.slug if obj.host else None


class TopicTableDetailOut(TopicTableOut):
    action_fields: list[ActionFieldOut]
    meetings: list[MeetingOut]
    barriers: list[BarrierOut]
    needs: list[NeedOut]
    pilots: list[PilotOut]

    @staticmethod
    def resolve_action_fields(obj: TopicTable) -> list[object]:
        return list(obj.action_fields.all())

    @staticmethod
    def resolve_meetings(obj: TopicTable) -> list[object]:
        return list(obj.meetings.all())

    @staticmethod
    def resolve_barriers(obj: TopicTable) -> list[object]:
        return list(obj.barriers.all())

    @staticmethod
    def resolve_needs(obj: TopicTable) -> list[object]:
        return list(obj.needs.all())

    @staticmethod
    def resolve_pilots(obj: TopicTable) -> list[object]:
        return list(obj.pilots.all())


class TopicTablePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[TopicTableOut]


class TopicTableFilterIn(Schema):
    network: str = Field("", description="Network slug.")
