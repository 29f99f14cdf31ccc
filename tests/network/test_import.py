"""Imports of organisations and sites check every row before they write, then write all
rows at once, with the relations, memberships and audit events the services write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv
from metalloop.network import services
from metalloop.network.models import Membership, Site
from metalloop.network.services import transfer
from tests.factories import NetworkFactory, OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def organisations_table(*rows: str, header: str = "slug,name,kind,roles,competences,networks"):
    return parse_csv(header + "\n" + "".join(row + "\n" for row in rows))


def events_of(slug: str) -> list[AuditEvent]:
    organisation = Organisation.objects.get(slug=slug)
    return list(
        AuditEvent.objects.filter(object_type="accounts.organisation", object_id=organisation.pk)
    )


def test_new_organisations_get_their_relations_and_one_event_each_as_by_the_service(
    network, write_path
):
    table = organisations_table(
        f"acme,Acme Metall,company,collection;manufacturing,remelting,{network.slug}",
        f",Hütte,company,,,{network.slug}",
        f",Hütte,university,,,{network.slug}",
    )

    result = services.organisations_import(actor=None, table=table, origin="web")
    by_service = services.organisation_create(
        actor=None, name="Zweite Acme", kind="company", slug="acme-2",
        roles=["collection", "manufacturing"], competences=["remelting"],
        networks=[network.slug], origin="web",
    )  # fmt: skip

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "acme", "acme-2", "hutte", "hutte-2"
    ]  # fmt: skip
    acme = Organisation.objects.get(slug="acme")
    assert sorted(acme.roles.values_list("code", flat=True)) == ["collection", "manufacturing"]
    assert list(acme.competences.values_list("code", flat=True)) == ["remelting"]
    assert Membership.objects.filter(network=network).count() == 4
    (imported,), (created,) = events_of("acme"), events_of(by_service.slug)
    assert (imported.action, imported.origin) == ("create", "web")
    assert list(imported.scopes.values_list("network_id", flat=True)) == [network.pk]
    assert imported.changes["name"] == [None, "Acme Metall"]
    assert {k: v for k, v in imported.changes.items() if k != "name"} == {
        k: v for k, v in created.changes.items() if k != "name"
    }


def test_changes_replace_the_relations_given_and_move_memberships(facilitator, network, write_path):
    other_network = NetworkFactory()
    other_network.facilitators.add(facilitator)
    network.facilitators.add(facilitator)
    organisation = services.organisation_create(
        actor=None, name="Acme", kind="company", roles=["collection"], networks=[network.slug]
    )
    table = organisations_table(
        f"{organisation.slug},Acme Metall,company,manufacturing,,{other_network.slug}"
    )

    result = services.organisations_import(actor=facilitator, table=table)

    assert result.updated == 1
    organisation.refresh_from_db()
    assert organisation.name == "Acme Metall"
    assert list(organisation.roles.values_list("code", flat=True)) == ["manufacturing"]
    assert list(organisation.memberships.values_list("network", flat=True)) == [other_network.pk]
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {
        "name": ["Acme", "Acme Metall"],
        "roles": [["collection"], ["manufacturing"]],
        "networks": [[network.slug], [other_network.slug]],
    }
    assert sorted(event.scopes.values_list("network_id", flat=True)) == sorted(
        [network.pk, other_network.pk]
    )


def test_the_statements_of_an_import_do_not_grow_with_its_rows(network):
    def statements(first: int, count: int) -> int:
        rows = [f"org-{n},Organisation {n},company,collection,,{network.slug}"
                for n in range(first, first + count)]  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            services.organisations_import(actor=None, table=organisations_table(*rows))
        return len(queries.captured_queries)

    assert statements(0, 3) == statements(100, 30)
    assert Organisation.objects.count() == 33


def test_a_rejected_file_writes_nothing(network):
    table = organisations_table("acme,Acme,company,,,", "beta,Beta,nonsense,,,")

    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(services.ImportRejected) as rejected,
    ):
        services.organisations_import(actor=None, table=table)

    assert [(e.line, e.field) for e in rejected.value.errors] == [(3, "kind")]
    statements = [q["sql"].split(" times: ", 1)[-1] for q in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))] == []
    assert not Organisation.objects.exists()


def test_an_organisation_someone_else_saved_meanwhile_is_not_overwritten(member, monkeypatch):
    own = member.organisation
    prepare = transfer.organisation_drafts_prepare

    def meanwhile(drafts, **kwargs):
        services.organisation_update(
            actor=None, organisation=Organisation.objects.get(pk=own.pk), website="https://a.de"
        )
        return prepare(drafts, **kwargs)

    monkeypatch.setattr(transfer, "organisation_drafts_prepare", meanwhile)
    table = organisations_table(f"{own.slug},Umbenannt,company", header="slug,name,kind")
    with pytest.raises(services.ImportRejected) as rejected:
        services.organisations_import(actor=member, table=table)

    assert [(e.line, e.field) for e in rejected.value.errors] == [(2, "")]
    own.refresh_from_db()
    assert (own.name, own.website) != ("Umbenannt", "https://a.de")
    assert own.website == "https://a.de"


def test_sites_are_located_created_and_changed_in_one_write(organisation, write_path):
    kept = SiteFactory(organisation=organisation, name="Lager", place="Essen")
    table = parse_csv(
        "organisation,name,place,postcode,state,latitude,longitude\n"
        f"{organisation.slug},Werk,Duisburg,,,,\n"
        f"{organisation.slug},Labor,Dortmund,,NW,51.5,7.45\n"
        f"{organisation.slug},Lager,Bochum,44787,,,\n"
    )

    result = services.sites_import(actor=None, table=table, origin="web")

    assert (result.created, result.updated) == (2, 1)
    werk, labor = Site.objects.get(name="Werk"), Site.objects.get(name="Labor")
    assert (werk.state, werk.coordinate_source) == ("NW", "gazetteer")
    assert (labor.latitude, labor.longitude, labor.coordinate_source) == (51.5, 7.45, "given")
    kept.refresh_from_db()
    assert (kept.place, kept.postcode) == ("Bochum", "44787")
    events = AuditEvent.objects.filter(object_type="network.site").order_by("pk")
    assert [(e.action, e.object_id) for e in events] == [
        ("create", str(werk.pk)), ("create", str(labor.pk)), ("update", str(kept.pk))
    ]  # fmt: skip
    assert set(events[2].changes) == {"place", "postcode", "latitude", "longitude"}


def test_a_member_imports_sites_of_their_own_organisation_only(member, other_organisation):
    table = parse_csv(
        "organisation,name,place\n"
        f"{member.organisation.slug},Werk,Duisburg\n"
        f"{other_organisation.slug},Fremd,Essen\n"
    )

    with pytest.raises(services.ImportRejected) as rejected:
        services.sites_import(actor=member, table=table)

    assert [(e.line, e.message) for e in rejected.value.errors] == [
        (3, "You may not add sites to this organisation.")
    ]
    assert not Site.objects.exists()


def test_an_organisation_of_the_file_is_looked_up_once(organisation):
    other = OrganisationFactory()
    rows = "".join(f"{o.slug},Werk {n},Duisburg\n" for n in range(5) for o in (organisation, other))
    with CaptureQueriesContext(connection) as few:
        services.sites_import(actor=None, table=parse_csv("organisation,name,place\n" + rows))
    more = "".join(f"{o.slug},Halle {n},Bochum\n" for n in range(25) for o in (organisation, other))
    with CaptureQueriesContext(connection) as many:
        services.sites_import(actor=None, table=parse_csv("organisation,name,place\n" + more))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert Site.objects.count() == 60
