"""The deterministic demo network: `demo_load` and the `metalloop demo load` command."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import QuerySet
from django.test import RequestFactory, override_settings

from metalloop.accounts.models import (
    Organisation,
    OrganisationKind,
    Role,
    User,
    ValueChainRole,
)
from metalloop.common.models import AuditEvent
from metalloop.network.demo import DEMO_USERS, DemoDataError, demo_load
from metalloop.network.demo.loader import DATA_DIR
from metalloop.network.models import (
    Barrier,
    CoordinateSource,
    Meeting,
    Membership,
    Need,
    Network,
    PilotProject,
    Site,
    TopicTable,
)
from tests.factories import OrganisationFactory

GERMANY_LATITUDE = (47.27, 55.06)  # southernmost and northernmost point [deg]
GERMANY_LONGITUDE = (5.87, 15.04)  # westernmost and easternmost point [deg]

METALL_ACTION_FIELDS = [
    "Circular Design",
    "Modularität und Sortenreinheit",
    "Digitaler Produktpass",
    "Neue Geschäftsmodelle",
    "Schrottverfügbarkeit und -qualität",
    "Höhere R-Strategien",
]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the tests of a class and roll it back after the last one.

    Passwords are hashed, and checked by the class's tests, with a fast hasher.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


def rows(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """Return the values of ``fields``, ordered by all of them."""
    return list(queryset.order_by(*fields).values_list(*fields))


def canonical_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Return the registry as plain, ordered data, without ids and timestamps."""
    organisation_fields = ("slug", "name", "legal_form", "kind", "size_class", "description")
    site_fields = ("organisation__slug", "name", "kind", "street", "postcode", "place", "state")
    return {
        "organisations": rows(Organisation.objects, *organisation_fields, "is_demo"),
        "roles": rows(Organisation.roles.through.objects, "organisation__slug", "valuechainstage"),
        "competences": rows(
            Organisation.competences.through.objects, "organisation__slug", "competence__code"
        ),
        "sites": rows(Site.objects, *site_fields, "latitude", "longitude", "gazetteer_id"),
        "networks": rows(
            Network.objects, "slug", "name", "kind", "region", "founded", "coordinator__slug"
        ),
        "facilitators": rows(Network.facilitators.through.objects, "network__slug", "user__email"),
        "memberships": rows(
            Membership.objects, "network__slug", "organisation__slug", "role", "joined"
        ),
        "topic_tables": rows(
            TopicTable.objects, "network__slug", "slug", "name", "host__slug", "contact_email"
        ),
        "action_fields": rows(
            TopicTable.objects, "slug", "action_fields__position", "action_fields__name"
        ),
        "meetings": rows(
            Meeting.objects, "topic_table__slug", "date", "title", "place", "participant_count"
        ),
        "participants": rows(
            Meeting.participants.through.objects, "meeting__title", "organisation__slug"
        ),
        "barriers": rows(
            Barrier.objects, "topic_table__slug", "title", "category", "status", "addressee"
        ),
        "stages": rows(Barrier.stages.through.objects, "barrier__title", "valuechainstage"),
        "needs": rows(Need.objects, "topic_table__slug", "title", "kind", "status"),
        "pilots": rows(PilotProject.objects, "topic_table__slug", "title", "kind", "start", "end"),
        "partners": rows(
            PilotProject.partners.through.objects, "pilotproject__title", "organisation__slug"
        ),
        "users": rows(User.objects, "email", "role", "organisation__slug", "full_name"),
    }


def delete_the_registry() -> None:
    """Delete users, networks and organisations with everything that hangs off them."""
    User.objects.all().delete()
    Network.objects.all().delete()
    Organisation.objects.all().delete()


def registry_counts() -> dict[str, int]:
    """Count the records of the registry and the audit events of the demo."""
    return {
        "organisations": Organisation.objects.count(),
        "sites": Site.objects.count(),
        "networks": Network.objects.count(),
        "memberships": Membership.objects.count(),
        "topic_tables": TopicTable.objects.count(),
        "meetings": Meeting.objects.count(),
        "barriers": Barrier.objects.count(),
        "needs": Need.objects.count(),
        "pilots": PilotProject.objects.count(),
        "users": User.objects.count(),
        "demo_audit_events": AuditEvent.objects.filter(origin="demo").count(),
    }


@pytest.mark.django_db
class TestLoadedDemo:
    """The demo as loaded into an empty database (loaded once for the whole class)."""

    def test_it_creates_at_least_60_organisations_80_sites_and_three_networks(self, demo):
        assert demo.loaded is True
        assert demo.counts["organisations"] == Organisation.objects.count() >= 60
        assert demo.counts["sites"] == Site.objects.count() >= 80
        assert demo.counts["networks"] == Network.objects.count() == 3
        assert demo.counts["memberships"] == Membership.objects.count()

    def test_it_gathers_at_least_12_barriers_8_needs_and_8_pilots(self, demo):
        assert demo.counts["barriers"] == Barrier.objects.count() >= 12
        assert demo.counts["needs"] == Need.objects.count() >= 8
        assert demo.counts["pilots"] == PilotProject.objects.count() >= 8
        assert set(PilotProject.objects.values_list("kind", flat=True)) == {"pilot", "practice"}
        assert set(Need.objects.values_list("kind", flat=True)) == {"research", "implementation"}
        assert set(Barrier.objects.values_list("category", flat=True)) == {
            "legal",
            "technical",
            "economic",
            "data",
            "skills",
        }

    def test_every_value_chain_role_is_covered_at_least_three_times(self, demo):
        per_role = Counter(
            Organisation.roles.through.objects.values_list("valuechainstage", flat=True)
        )
        assert [role for role in ValueChainRole.values if per_role[role] < 3] == []

    def test_every_organisation_kind_is_covered_at_least_three_times(self, demo):
        per_kind = Counter(Organisation.objects.values_list("kind", flat=True))
        assert [kind for kind in OrganisationKind.values if per_kind[kind] < 3] == []

    def test_every_company_has_a_size_class_and_every_organisation_a_description(self, demo):
        assert not Organisation.objects.filter(kind="company", size_class="").exists()
        assert not Organisation.objects.filter(description="").exists()

    def test_every_organisation_and_network_is_marked_as_demo(self, demo):
        assert not Organisation.objects.filter(is_demo=False).exists()
        assert not Network.objects.filter(is_demo=False).exists()

    def test_every_site_is_located_by_the_gazetteer_inside_germany(self, demo):
        sites = list(Site.objects.all())
        assert {site.coordinate_source for site in sites} == {CoordinateSource.GAZETTEER}
        assert all(site.gazetteer_id.startswith("geonames:") for site in sites)
        outside = [
            site
            for site in sites
            if not GERMANY_LATITUDE[0] <= site.latitude <= GERMANY_LATITUDE[1]
            or not GERMANY_LONGITUDE[0] <= site.longitude <= GERMANY_LONGITUDE[1]
        ]
        assert outside == []

    def test_ambiguous_places_resolve_to_the_towns_in_north_rhine_westphalia(self, demo):
        ambiguous = ("Essen", "Hagen", "Hamm", "Marl", "Oberhausen", "Stolberg", "Münster")
        found = set(Site.objects.filter(place__in=ambiguous).values_list("place", "state"))
        assert found == {(place, "NW") for place in ambiguous}

    def test_sites_lie_in_the_ruhr_area_the_rest_of_nrw_and_the_harz(self, demo):
        places = set(Site.objects.values_list("place", flat=True))
        assert {"Duisburg", "Dortmund", "Mülheim an der Ruhr", "Gelsenkirchen"} <= places
        assert {"Düsseldorf", "Köln", "Siegen", "Lüdenscheid", "Wuppertal"} <= places
        assert {"Goslar", "Clausthal-Zellerfeld", "Wernigerode", "Halle (Saale)"} <= places
        assert set(Site.objects.values_list("state", flat=True)) == {"NW", "NI", "ST", "TH"}

    def test_the_three_networks_follow_the_seeds(self, demo):
        kinds = dict(Network.objects.values_list("kind", "coordinator__slug"))
        assert kinds == {
            "round_table": "effizienzwerkstatt-wupper",
            "alliance": "ruhrkreis-regionalentwicklung",
            "cluster": "kreislaufcluster-harz",
        }
        cluster = Network.objects.get(kind="cluster")
        assert cluster.coordinator is not None
        assert cluster.coordinator.legal_form == "e. V."

    def test_the_topic_table_metall_has_the_six_action_fields_of_the_seed(self, demo):
        metall = TopicTable.objects.get(slug="metall")
        assert metall.network.kind == "round_table"
        assert metall.host is not None
        assert metall.host.slug == "effizienzwerkstatt-wupper"
        names = list(metall.action_fields.order_by("position").values_list("name", flat=True))
        assert names == METALL_ACTION_FIELDS

    def test_the_topic_table_metall_met_in_may_and_november_2025_and_plans_2026(self, demo):
        meetings = TopicTable.objects.get(slug="metall").meetings.order_by("date")
        kick_off, second, planned = meetings
        assert (kick_off.date.year, kick_off.date.month) == (2025, 5)
        assert second.date == dt.date(2025, 11, 7)
        assert second.place.startswith("Düsseldorf")
        assert second.participant_count == 30
        assert "Höhere R-Strategien" not in second.action_fields.values_list("name", flat=True)
        assert "R-Strategien" in second.outcomes
        assert planned.date.year == 2026
        assert planned.participant_count is None

    def test_the_cluster_carries_the_challenges_of_the_seed(self, demo):
        titles = set(
            Barrier.objects.filter(topic_table__network__kind="cluster").values_list(
                "title", flat=True
            )
        )
        assert {
            "Langsame Genehmigungsverfahren für erneuerbare Energien",
            "Fachkräftemangel in der Recyclingwirtschaft und angrenzenden Branchen",
            "Mitgliedsbeiträge müssen das Clustermanagement tragen",
        } <= titles

    def test_every_topic_table_has_action_fields_meetings_barriers_needs_and_pilots(self, demo):
        tables = TopicTable.objects.all()
        assert len(tables) == demo.counts["topic_tables"] >= 3
        empty = [
            (table.slug, part)
            for table in tables
            for part in ("action_fields", "meetings", "barriers", "needs", "pilots")
            if not getattr(table, part).exists()
        ]
        assert empty == []

    def test_every_barrier_names_its_stages_and_addressee(self, demo):
        assert not Barrier.objects.filter(addressee="").exists()
        assert not Barrier.objects.filter(stages__isnull=True).exists()

    def test_meeting_participants_are_members_of_the_network(self, demo):
        strangers = [
            (meeting.title, organisation.slug)
            for meeting in Meeting.objects.select_related("topic_table")
            for organisation in meeting.participants.all()
            if not Membership.objects.filter(
                network_id=meeting.topic_table.network_id, organisation=organisation
            ).exists()
        ]
        assert strangers == []

    def test_every_organisation_belongs_to_a_network_and_some_to_two_or_three(self, demo):
        per_organisation = Counter(Membership.objects.values_list("organisation__slug", flat=True))
        assert len(per_organisation) == Organisation.objects.count()
        assert max(per_organisation.values()) == 3
        assert sum(1 for n in per_organisation.values() if n >= 2) >= 5

    def test_the_demo_users_exist_with_their_roles_and_can_log_in(self, demo):
        for demo_user in DEMO_USERS:
            request = RequestFactory().post("/account/login/")
            user = authenticate(request, email=demo_user.email, password=demo_user.password)
            assert user is not None, demo_user.email
            assert user.role == demo_user.role
            assert user.full_name == demo_user.full_name
            organisation = user.organisation.slug if user.organisation else None
            assert organisation == demo_user.organisation_slug
        assert sorted(u.role for u in DEMO_USERS) == sorted(Role.values)

    def test_the_member_works_for_a_scrap_processor_in_the_ruhr_area(self, demo):
        member = User.objects.get(email="member@demo.metalloop.example")
        assert member.organisation is not None
        assert "sorting_processing" in member.organisation.roles.values_list("code", flat=True)
        assert member.organisation.sites.filter(place="Duisburg").exists()

    def test_the_facilitator_manages_the_three_networks(self, demo):
        facilitator = User.objects.get(email="facilitator@demo.metalloop.example")
        assert set(facilitator.managed_networks.all()) == set(Network.objects.all())
        assert facilitator.organisation is not None
        assert facilitator.organisation.slug == "effizienzwerkstatt-wupper"

    def test_every_write_is_audited_with_origin_demo(self, demo):
        events = AuditEvent.objects.filter(origin="demo", action="create")
        created = Counter(events.values_list("object_type", flat=True))
        assert created["accounts.organisation"] == Organisation.objects.count()
        assert created["network.site"] == Site.objects.count()
        assert created["network.meeting"] == Meeting.objects.count()
        assert created["network.barrier"] == Barrier.objects.count()
        assert created["accounts.user"] == User.objects.count()  # demo logins and contacts
        assert not AuditEvent.objects.exclude(origin="demo").exists()

    def test_loading_into_the_loaded_database_changes_nothing(self, demo):
        before, counts_before = canonical_dump(), registry_counts()

        result = demo_load(if_empty=True)

        assert result.loaded is False
        assert result.counts == {}
        assert "nothing was loaded" in result.reason
        assert canonical_dump() == before
        assert registry_counts() == counts_before

    def test_loading_again_after_deleting_gives_the_same_data(self, demo):
        before = canonical_dump()
        delete_the_registry()
        assert Organisation.objects.count() == 0

        result = demo_load()

        assert result.counts == demo.counts
        assert canonical_dump() == before

    def test_the_command_refuses_to_load_the_demo_a_second_time(self, demo):
        before = registry_counts()

        with pytest.raises(CommandError, match="loaded already"):
            call_command("demo", "load", "--force", stdout=StringIO())

        assert registry_counts() == before


# The unknown place is the last site of the last organisations file, so nearly everything has
# been written when the gazetteer refuses it; the other breaks are caught before any write.
BROKEN_FILES = [
    pytest.param(
        "organisations-ruhr.yaml",
        'postcode: "44793"\n        place: Bochum',
        'postcode: "44793"\n        place: Nirgendheim',
        "netzwerk-urbane-rohstoffe-ruhr.*Nirgendheim",
        id="unknown-place",
    ),
    pytest.param(
        "organisations-harz.yaml",
        'postcode: "06333"',
        "postcode: 6333",
        "postcode must be of type str",
        id="postcode-not-a-string",
    ),
    pytest.param(
        "organisations-nrw.yaml",
        "        street: Hofaue 55\n",
        "        strasse: Hofaue 55\n",
        r"unknown keys \['strasse'\]",
        id="unknown-key",
    ),
    pytest.param(
        "network-cluster-harz.yaml",
        "          - ilsetal-feinguss\n",
        "          - klingenhof-schneidwaren\n",
        "participant.*klingenhof-schneidwaren",
        id="participant-not-a-member",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("file_name", "good", "broken", "message"), BROKEN_FILES)
def test_a_broken_data_file_leaves_nothing_behind(
    tmp_path: Path, file_name: str, good: str, broken: str, message: str
):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / file_name
    text = path.read_text(encoding="utf-8")
    assert text.count(good) == 1
    path.write_text(text.replace(good, broken), encoding="utf-8")

    with pytest.raises(DemoDataError, match=message):
        demo_load(data_dir=data_dir)

    assert registry_counts() == dict.fromkeys(registry_counts(), 0)


@pytest.mark.django_db
def test_the_command_loads_the_demo_and_prints_the_figures_and_logins():
    out = StringIO()

    call_command("demo", "load", stdout=out)

    text = out.getvalue()
    assert text.startswith("Demo network loaded: ")
    assert f" {Organisation.objects.count()} organisations, " in text
    assert f" {Site.objects.count()} sites, " in text
    assert f" {Network.objects.count()} networks, " in text
    assert f" {Barrier.objects.count()} barriers, " in text
    for demo_user in DEMO_USERS:
        assert re.search(
            rf"^  {demo_user.role} +{demo_user.email} +password: {demo_user.password}$",
            text,
            re.MULTILINE,
        )


@pytest.mark.django_db
def test_the_command_leaves_a_database_with_organisations_alone():
    OrganisationFactory()
    out = StringIO()

    call_command("demo", "load", stdout=out)

    assert out.getvalue() == (
        "Demo not loaded: the database is not empty (1 organisations); nothing was loaded.\n"
        "Use --force to load the demo into a database that is not empty.\n"
    )
    assert Organisation.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_command_with_force_loads_next_to_other_organisations():
    OrganisationFactory(slug="schon-da")

    call_command("demo", "load", "--force", stdout=StringIO())

    assert Organisation.objects.filter(is_demo=True).count() >= 60
    assert Organisation.objects.filter(is_demo=False).get().slug == "schon-da"
