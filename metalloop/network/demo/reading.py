"""Read and validate the demo data files before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from metalloop.accounts.models import Organisation, User, ValueChainRole
from metalloop.network.demo.users import DEMO_USERS, DemoDataError
from metalloop.network.models import (
    Network,
)


@dataclass(frozen=True)
class Spec:
    """The keys a record of the data files must have and may have."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()


def spec(required: str, optional: str = "") -> Spec:
    """Build a :class:`Spec` from space-separated key names."""
    return Spec(frozenset(required.split()), frozenset(optional.split()))


ORGANISATIONS_FILE = spec("organisations")
ORGANISATION = spec("slug name kind sites", "legal_form size_class roles competences description")
SITE = spec("name place", "kind street postcode state")
NETWORK_FILE = spec("network members topic_tables")
NETWORK = spec("slug name kind coordinator", "region founded description")
MEMBER = spec("organisation", "role joined")
TOPIC_TABLE = spec(
    "slug name action_fields meetings",
    "host description goals contact_name contact_email barriers needs pilots",
)
ACTION_FIELD = spec("name", "description")
MEETING = spec("title date", "place participant_count participants action_fields agenda outcomes")
BARRIER = spec("title description category", "stages status addressee raised_on action_field")
NEED = spec("kind title", "description status action_field")
PILOT = spec("kind title", "description status partners start end action_field")

DATE_KEYS = ("founded", "joined", "date", "raised_on", "start", "end")
LIST_KEYS = (
    "organisations", "sites", "roles", "competences", "members", "topic_tables",
    "action_fields", "meetings", "participants", "barriers", "needs", "pilots", "stages",
    "partners",
)  # fmt: skip
VALUE_TYPES: dict[str, type] = {
    **dict.fromkeys(DATE_KEYS, dt.date),
    **dict.fromkeys(LIST_KEYS, list),
    "network": dict,
    "participant_count": int,
}
"""The type of the value under each key; every key not named here holds a string."""


@dataclass(frozen=True)
class DemoData:
    """The validated content of the data files, in file order."""

    organisations: list[dict[str, Any]]
    networks: list[dict[str, Any]]


def read_demo_data(data_dir: Path) -> DemoData:
    """Read and validate ``organisations-*.yaml`` and ``network-*.yaml`` from ``data_dir``."""
    organisations = [
        checked(record, ORGANISATION, f"{path.name}: organisation {index + 1}")
        for path in sorted(data_dir.glob("organisations-*.yaml"))
        for index, record in enumerate(
            checked(parse_yaml(path), ORGANISATIONS_FILE, path.name)["organisations"]
        )
    ]
    networks = [
        checked(parse_yaml(path), NETWORK_FILE, path.name)
        for path in sorted(data_dir.glob("network-*.yaml"))
    ]
    data = DemoData(organisations=organisations, networks=networks)
    validate_demo_data(data)
    return data


def parse_yaml(path: Path) -> dict[str, Any]:
    """Parse one data file; it holds a mapping at the top."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DemoDataError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(content, dict):
        raise DemoDataError(f"{path.name}: expected a mapping at the top of the file")
    return content


def checked(record: Any, spec: Spec, where: str) -> dict[str, Any]:
    """Return ``record`` if it has the keys of ``spec`` with values of the right type."""
    if not isinstance(record, dict):
        raise DemoDataError(f"{where}: expected a mapping, found {type(record).__name__}")
    missing = sorted(spec.required - set(record))
    unknown = sorted(set(record) - spec.required - spec.optional)
    if missing or unknown:
        raise DemoDataError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    for key, value in record.items():
        expected = VALUE_TYPES.get(key, str)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise DemoDataError(f"{where}: {key} must be of type {expected.__name__}")
    return record


def validate_demo_data(data: DemoData) -> None:
    """Check the parts of every record and that every reference names something defined."""
    slugs = unique([org["slug"] for org in data.organisations], "organisation slug")
    for org in data.organisations:
        for site in org["sites"]:
            checked(site, SITE, f"organisation {org['slug']!r}: site")
    unique([doc["network"]["slug"] for doc in data.networks], "network slug")
    for doc in data.networks:
        validate_network(doc, slugs)
    for user in DEMO_USERS:
        if user.organisation_slug is not None:
            must_exist(user.organisation_slug, slugs, f"user {user.email!r}")


def validate_network(doc: dict[str, Any], slugs: set[str]) -> None:
    """Check one network file: network, members and topic tables with their records."""
    network = checked(doc["network"], NETWORK, "network")
    where = f"network {network['slug']!r}"
    members = [checked(m, MEMBER, f"{where}: member") for m in doc["members"]]
    member_slugs = unique([m["organisation"] for m in members], f"{where}: member")
    for slug in member_slugs:
        must_exist(slug, slugs, f"{where}: member")
    must_exist(network["coordinator"], slugs, f"{where}: coordinator")
    unique([checked(t, TOPIC_TABLE, where)["slug"] for t in doc["topic_tables"]], where)
    for table in doc["topic_tables"]:
        validate_topic_table(table, slugs, member_slugs, f"{where}, topic table {table['slug']!r}")


def validate_topic_table(
    table: dict[str, Any], slugs: set[str], members: set[str], where: str
) -> None:
    """Check one topic table and the records that hang off it."""
    if "host" in table:
        must_exist(table["host"], slugs, f"{where}: host")
    fields = unique(
        [checked(f, ACTION_FIELD, where)["name"] for f in table["action_fields"]], where
    )
    for meeting in table["meetings"]:
        checked(meeting, MEETING, f"{where}: meeting")
        at = f"{where}, meeting {meeting['title']!r}"
        for slug in meeting.get("participants", []):
            must_exist(slug, members, f"{at}: participant (members of the network)")
        for name in meeting.get("action_fields", []):
            must_exist(name, fields, f"{at}: action field")
    records = [
        *(checked(b, BARRIER, f"{where}: barrier") for b in table.get("barriers", [])),
        *(checked(n, NEED, f"{where}: need") for n in table.get("needs", [])),
        *(checked(p, PILOT, f"{where}: pilot") for p in table.get("pilots", [])),
    ]
    for record in records:
        at = f"{where}, {record['title']!r}"
        if "action_field" in record:
            must_exist(record["action_field"], fields, f"{at}: action field")
        for code in record.get("stages", []):
            must_exist(code, set(ValueChainRole.values), f"{at}: value-chain stage")
        for slug in record.get("partners", []):
            must_exist(slug, slugs, f"{at}: partner")


def unique(values: list[str], what: str) -> set[str]:
    """Return the values as a set; raise if one occurs twice."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise DemoDataError(f"{what}: {value!r} occurs twice")
        seen.add(value)
    return seen


def must_exist(value: str, known: set[str], where: str) -> None:
    """Raise unless ``value`` is one of ``known``."""
    if not isinstance(value, str) or value not in known:
        raise DemoDataError(f"{where}: {value!r} is not defined")


def refuse_collisions(data: DemoData) -> None:
    """Refuse to load when an organisation, network or user of the demo exists already."""
    checks = (
        ("organisation", Organisation, "slug", [o["slug"] for o in data.organisations]),
        ("network", Network, "slug", [d["network"]["slug"] for d in data.networks]),
        ("user", User, "email", [u.email for u in DEMO_USERS]),
    )
    for what, model, key, values in checks:
        taken = model.objects.filter(**{f"{key}__in": values}).values_list(key, flat=True)
        first = taken.order_by(key).first()
        if first is not None:
            raise DemoDataError(f"the demo data is loaded already ({what} {first!r} exists)")
