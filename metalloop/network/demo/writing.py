"""Create the validated demo data through the services, in dependency order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError

from metalloop.accounts.models import Organisation, Role, ValueChainStage
from metalloop.accounts.services import user_create
from metalloop.common.errors import ApplicationError, one_line
from metalloop.network.demo.reading import DemoData
from metalloop.network.demo.users import COUNTED, DEMO_USERS, DemoDataError
from metalloop.network.models import (
    ActionField,
    Barrier,
    Meeting,
    Membership,
    MembershipRole,
    Need,
    Network,
    PilotProject,
    TopicTable,
)
from metalloop.network.services import organisation_create, record_save, site_create

ORIGIN = "demo"


@contextmanager
def record_context(where: str) -> Iterator[None]:
    """Name the record at fault when a service refuses it."""
    try:
        yield
    except (ValidationError, ApplicationError) as error:
        raise DemoDataError(f"{where}: {one_line(error)}") from error


class DemoWriter:
    """Create the records of validated demo data in dependency order, counting them."""

    def __init__(self, data: DemoData) -> None:
        self.data = data
        self.counts: Counter[str] = Counter(dict.fromkeys(COUNTED, 0))
        self.organisations: dict[str, Organisation] = {}
        self.networks: dict[str, Network] = {}
        self.stages = {stage.code: stage for stage in ValueChainStage.objects.all()}

    def write(self) -> dict[str, int]:
        """Create networks, organisations with memberships and sites, topic tables, users."""
        for doc in self.data.networks:
            self.create_network(doc["network"])
        memberships = memberships_by_organisation(self.data)
        for org in self.data.organisations:
            self.create_organisation(org, memberships.get(org["slug"], []))
        for doc in self.data.networks:
            network = self.assign_coordinator(doc["network"])
            for table in doc["topic_tables"]:
                self.create_topic_table(network, table)
        self.create_users()
        return dict(self.counts)

    def save(self, counter: str | None, where: str, instance: Any, **relations: Any) -> Any:
        """Save a curated record through ``record_save``; count it unless it is an update."""
        with record_context(where):
            saved = record_save(actor=None, instance=instance, relations=relations, origin=ORIGIN)
        if counter:
            self.counts[counter] += 1
        return saved

    def create_network(self, record: dict[str, Any]) -> None:
        """Create a network; its coordinator follows once the organisations exist."""
        values = {k: v for k, v in record.items() if k != "coordinator"}
        network = self.save(
            "networks", f"network {record['slug']!r}", Network(**values, is_demo=True)
        )
        self.networks[network.slug] = network

    def assign_coordinator(self, record: dict[str, Any]) -> Network:
        network = self.networks[record["slug"]]
        network.coordinator = self.organisations[record["coordinator"]]
        saved: Network = self.save(None, f"network {network.slug!r}", network)
        return saved

    def create_organisation(self, record: dict[str, Any], memberships: list[Member]) -> None:
        """Create an organisation with its plain memberships, then the others, then its sites."""
        plain = [slug for slug, member in memberships if set(member) == {"organisation"}]
        values = {k: v for k, v in record.items() if k != "sites"}
        with record_context(f"organisation {record['slug']!r}"):
            organisation = organisation_create(
                actor=None, networks=plain, is_demo=True, origin=ORIGIN, **values
            )
        self.organisations[organisation.slug] = organisation
        self.counts["organisations"] += 1
        self.counts["memberships"] += len(plain)
        for slug, member in memberships:
            if slug not in plain:
                self.create_membership(self.networks[slug], organisation, member)
        for site in record["sites"]:
            self.create_site(organisation, site)

    def create_membership(
        self, network: Network, organisation: Organisation, member: dict[str, Any]
    ) -> None:
        """Create a membership with a role or a joining date."""
        membership = Membership(
            network=network,
            organisation=organisation,
            role=member.get("role", MembershipRole.MEMBER),
            joined=member.get("joined"),
        )
        where = f"membership of {organisation.slug!r} in {network.slug!r}"
        self.save("memberships", where, membership)

    def create_site(self, organisation: Organisation, record: dict[str, Any]) -> None:
        """Create a site without coordinates, so the gazetteer locates its place."""
        with record_context(f"organisation {organisation.slug!r}, site {record['name']!r}"):
            site_create(actor=None, organisation=organisation, origin=ORIGIN, **record)
        self.counts["sites"] += 1

    def create_topic_table(self, network: Network, record: dict[str, Any]) -> None:
        """Create a topic table with its action fields, meetings, barriers, needs and pilots."""
        where = f"network {network.slug!r}, topic table {record['slug']!r}"
        values = model_values(record, exclude=TOPIC_TABLE_RELATIONS)
        host = self.organisations.get(record.get("host", ""))
        table = self.save("topic_tables", where, TopicTable(network=network, host=host, **values))
        fields = self.create_action_fields(table, record["action_fields"], where)
        for item in record["meetings"]:
            self.create_meeting(table, fields, item, f"{where}, meeting {item['title']!r}")
        for item in record.get("barriers", []):
            self.create_barrier(table, fields, item, f"{where}, barrier {item['title']!r}")
        for item in record.get("needs", []):
            need = Need(topic_table=table, **model_values(item, fields))
            self.save("needs", f"{where}, need {item['title']!r}", need)
        for item in record.get("pilots", []):
            self.create_pilot(table, fields, item, f"{where}, pilot {item['title']!r}")

    def create_action_fields(
        self, table: TopicTable, records: list[dict[str, Any]], where: str
    ) -> dict[str, ActionField]:
        """Create the action fields in the order given; return them by name."""
        created: dict[str, ActionField] = {}
        for position, record in enumerate(records, start=1):
            action_field = ActionField(topic_table=table, position=position, **record)
            at = f"{where}, action field {action_field.name!r}"
            created[action_field.name] = self.save("action_fields", at, action_field)
        return created

    def create_meeting(
        self, table: TopicTable, fields: dict[str, ActionField], record: dict[str, Any], where: str
    ) -> None:
        meeting = Meeting(topic_table=table, **model_values(record, exclude=MEETING_RELATIONS))
        participants = [self.organisations[slug] for slug in record.get("participants", [])]
        topics = [fields[name] for name in record.get("action_fields", [])]
        self.save("meetings", where, meeting, participants=participants, action_fields=topics)

    def create_barrier(
        self, table: TopicTable, fields: dict[str, ActionField], record: dict[str, Any], where: str
    ) -> None:
        barrier = Barrier(topic_table=table, **model_values(record, fields, exclude={"stages"}))
        stages = [self.stages[code] for code in record.get("stages", [])]
        self.save("barriers", where, barrier, stages=stages)

    def create_pilot(
        self, table: TopicTable, fields: dict[str, ActionField], record: dict[str, Any], where: str
    ) -> None:
        pilot = PilotProject(
            topic_table=table, **model_values(record, fields, exclude={"partners"})
        )
        partners = [self.organisations[slug] for slug in record.get("partners", [])]
        self.save("pilots", where, pilot, partners=partners)

    def create_users(self) -> None:
        """Create the demo logins; the facilitator facilitates every demo network."""
        for demo_user in DEMO_USERS:
            organisation = self.organisations.get(demo_user.organisation_slug or "")
            with record_context(f"user {demo_user.email!r}"):
                user = user_create(
                    actor=None,
                    email=demo_user.email,
                    password=demo_user.password,
                    role=demo_user.role,
                    organisation=organisation,
                    full_name=demo_user.full_name,
                    origin=ORIGIN,
                )
            self.counts["users"] += 1
            if user.role == Role.FACILITATOR:
                for slug, network in self.networks.items():
                    facilitators = [*network.facilitators.all(), user]
                    self.save(None, f"network {slug!r}", network, facilitators=facilitators)


Member = tuple[str, dict[str, Any]]
"""A network slug and one entry of that network's member list."""

TOPIC_TABLE_RELATIONS = {"host", "action_fields", "meetings", "barriers", "needs", "pilots"}
MEETING_RELATIONS = {"participants", "action_fields"}


def memberships_by_organisation(data: DemoData) -> dict[str, list[Member]]:
    """Return the member entries of every network, grouped by organisation slug."""
    found: dict[str, list[Member]] = {}
    for doc in data.networks:
        for member in doc["members"]:
            found.setdefault(member["organisation"], []).append((doc["network"]["slug"], member))
    return found


def model_values(
    record: dict[str, Any],
    fields: Mapping[str, ActionField] | None = None,
    *,
    exclude: Collection[str] = (),
) -> dict[str, Any]:
    """Return the model field values of ``record``, with the action field resolved by name."""
    values = {key: value for key, value in record.items() if key not in exclude}
    if "action_field" in values and fields is not None:
        values["action_field"] = fields[values["action_field"]]
    return values
