"""Imports of listings check every row before they write, then write all rows at once:
nothing is written for a bad file, the writes do not grow query by query with the rows,
every listing is audited and announced as the services do it, and a listing someone else
changed in the meantime is never overwritten."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv
from metalloop.exchange import services
from metalloop.exchange.models import Listing, ListingElement, ListingGrade
from metalloop.exchange.services import listing_import
from metalloop.exchange.signals import listing_changed, listings_changed
from metalloop.matching.services import saved_search_create
from metalloop.network.models import Site
from tests.exchange.conftest import TODAY, offer_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = (
    "id,side,kind,title,description,material,grades,legal_status,waste_code,form,quantity,"
    "unit,available_from,transport_modes,chemistry,visibility\n"
)
WRITES = ("INSERT", "UPDATE", "DELETE")


def offer_row(number: int, **cells: str) -> str:
    values = {
        "id": "", "side": "offer", "kind": "scrap", "title": f"Späne 1.4301, Los {number}",
        "description": "Aus der Serienfertigung", "material": "MAT:steel-stainless-austenitic",
        "grades": "1.4301|DESS:CrNi", "legal_status": "waste", "waste_code": "AVV:120101",
        "form": "turnings", "quantity": "12,5", "unit": "t",
        "available_from": TODAY.isoformat(), "transport_modes": "road|rail",
        "chemistry": "Cr=18.1;Ni=8.0-8.5", "visibility": "anonymous",
    } | cells  # fmt: skip
    return ",".join(f'"{value}"' for value in values.values())


def table_of(*rows: str):
    return parse_csv(HEADER + "".join(row + "\n" for row in rows))


def exported_table(actor, network, **changes: str):
    """The network's export as the actor gets it, with ``changes`` in the first row."""
    exported = services.listings_export(actor=actor, network=network).content.decode("utf-8-sig")
    table = parse_csv(exported)
    table.rows[0].cells.update(changes)
    return table


def written_statements(queries) -> list[str]:
    """The statements that write (``executemany`` is logged as "N times: INSERT …")."""
    statements = [q["sql"].split(" times: ", 1)[-1] for q in queries]
    return [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


def test_a_rejected_file_sends_no_write_to_the_database(member, network, site):
    table = table_of(offer_row(1), offer_row(2, quantity="viel"), offer_row(3))

    with CaptureQueriesContext(connection) as queries, pytest.raises(services.ImportRejected):
        services.listings_import(actor=member, network=network, table=table)

    assert written_statements(queries.captured_queries) == []
    assert not Listing.objects.exists()


def test_the_statements_of_an_import_do_not_grow_with_its_rows(member, network, site):
    def statements(rows: int) -> tuple[int, int]:
        table = table_of(*(offer_row(n) for n in range(rows)))
        with CaptureQueriesContext(connection) as queries:
            services.listings_import(actor=member, network=network, table=table)
        return len(queries.captured_queries), len(written_statements(queries.captured_queries))

    assert statements(3) == statements(30)
    assert Listing.objects.count() == 33


def test_every_row_is_written_as_the_service_writes_it(member, network, site, write_path):
    services.listings_import(
        actor=member,
        network=network,
        table=table_of(offer_row(1), offer_row(2, chemistry="Cr=17.5-18.5;Mo=0.2-0.3")),
        origin="web",
    )
    services.listing_create(
        actor=member,
        network=network,
        site=site,
        **offer_values(
            title="Späne 1.4301, Los 1",
            description="Aus der Serienfertigung",
            grades=["1.4301", "DESS:CrNi"],
            recurrence="one_off",
            transport_modes=["road", "rail"],
            analysis_method="",
            analysis_date=None,
        ),
        origin="web",
    )

    first, second, by_service = Listing.objects.order_by("pk")
    assert [g.code for g in first.grades.order_by("code")] == ["DESS:CrNi", "EN10088:1.4301"]
    assert [(e.element, str(e.min_pct), str(e.max_pct)) for e in second.elements.all()] == [
        ("Cr", "17.50000", "18.50000"),
        ("Mo", "0.20000", "0.30000"),
    ]
    imported, created = (
        AuditEvent.objects.get(object_id=str(listing.pk)) for listing in (first, by_service)
    )
    assert (imported.action, imported.origin, imported.actor) == ("create", "web", member)
    assert list(imported.scopes.values_list("network_id", flat=True)) == [network.pk]
    differs = {k for k in imported.changes if imported.changes[k] != created.changes.get(k)}
    assert differs == set()
    assert ListingGrade.objects.count() == 6 and ListingElement.objects.count() == 6


def test_changes_write_only_what_differs_and_keep_the_rest(
    member, network, site, make_listing, write_path
):
    listing = make_listing(site)
    changed = exported_table(member, network, quantity="14", chemistry="Cr=18.2")

    result = services.listings_import(actor=member, network=network, table=changed)

    assert (result.created, result.updated) == (0, 1)
    listing.refresh_from_db()
    assert str(listing.quantity) == "14.000"
    assert [(e.element, str(e.min_pct)) for e in listing.elements.all()] == [("Cr", "18.20000")]
    assert sorted(g.code for g in listing.grades.all()) == ["DESS:CrNi", "EN10088:1.4301"]
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {
        "quantity": ["12.5", "14"],
        "elements": [{"Cr": ["18.1", "18.1"], "Ni": ["8", "8.5"]}, {"Cr": ["18.2", "18.2"]}],
    }


def test_listings_are_announced_after_the_commit_one_by_one_and_together(
    member, network, site, django_capture_on_commit_callbacks
):
    single, together = [], []

    def on_one(sender, listing, created, **kwargs):
        single.append((listing.title, created))

    def on_all(sender, listings, created, **kwargs):
        together.append(([x.title for x in listings], created))

    listing_changed.connect(on_one)
    listings_changed.connect(on_all)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.listings_import(
                actor=member, network=network, table=table_of(offer_row(1), offer_row(2))
            )
        assert single == [] and together == []
        for callback in callbacks:
            callback()
    finally:
        listing_changed.disconnect(on_one)
        listings_changed.disconnect(on_all)

    titles = ["Späne 1.4301, Los 1", "Späne 1.4301, Los 2"]
    assert single == [(title, True) for title in titles]
    assert together == [(titles, True)]


def test_a_saved_search_hears_of_each_imported_listing_that_fits_it(
    member, other_member, network, site, django_capture_on_commit_callbacks
):
    saved_search_create(
        actor=other_member,
        network=network,
        name="Edelstahl",
        filters={"material": "MAT:steel-stainless"},
        email=False,
    )
    table = table_of(
        offer_row(1),
        offer_row(2, material="MAT:steel-non-alloy", grades="", chemistry=""),
        offer_row(3),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.listings_import(actor=member, network=network, table=table)

    told = other_member.notifications.order_by("pk")
    assert [n.kind for n in told] == ["saved_search", "saved_search"]
    assert [n.body.rsplit(": ", 1)[1] for n in told] == [
        "Späne 1.4301, Los 1.",
        "Späne 1.4301, Los 3.",
    ]
    assert not member.notifications.exists()


def test_an_anonymous_row_naming_its_owner_is_refused_as_the_form_refuses_it(member, network, site):
    name = member.organisation.name
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(
            actor=member, network=network, table=table_of(offer_row(1, title=f"Späne von {name}"))
        )

    assert [(e.line, e.field) for e in rejected.value.errors] == [(2, "title")]
    assert "names your organisation" in rejected.value.errors[0].message


def test_a_listing_someone_else_saved_while_the_file_was_checked_is_not_overwritten(
    member, facilitator, network, site, make_listing, monkeypatch
):
    listing = make_listing(site)
    changed = exported_table(member, network, quantity="14")
    prepare = listing_import.listing_drafts_prepare

    def meanwhile(drafts, **kwargs):
        # Between the check and the write, the facilitator changes the same listing.
        other = Listing.objects.get(pk=listing.pk)
        services.listing_update(actor=facilitator, listing=other, description="Geprüft")
        return prepare(drafts, **kwargs)

    monkeypatch.setattr(listing_import, "listing_drafts_prepare", meanwhile)
    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(actor=member, network=network, table=changed)

    assert [(e.line, e.field, e.message) for e in rejected.value.errors] == [
        (
            2,
            "",
            "Someone else changed this record while the file was being checked; import the "
            "file again.",
        )
    ]
    listing.refresh_from_db()
    assert (str(listing.quantity), listing.description) == ("12.500", "Geprüft")


@pytest.mark.django_db(transaction=True)
def test_a_site_deleted_while_the_file_was_checked_rejects_the_whole_file(
    member, network, site, monkeypatch
):
    prepare = listing_import.listing_drafts_prepare
    spare = Site.objects.create(
        organisation=site.organisation, name="Lager", place="Essen", state="NW",
        latitude=51.45, longitude=7.01,
    )  # fmt: skip

    def meanwhile(drafts, **kwargs):
        Site.objects.filter(pk=spare.pk).delete()
        return prepare(drafts, **kwargs)

    monkeypatch.setattr(listing_import, "listing_drafts_prepare", meanwhile)
    table = parse_csv(
        "site," + HEADER + "Werk Hochfeld," + offer_row(1) + "\nLager," + offer_row(2) + "\n"
    )
    with pytest.raises(ApplicationError) as conflict:
        services.listings_import(actor=member, network=network, table=table)

    assert conflict.value.code == "import_conflict"
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.filter(object_type="exchange.listing").exists()
    assert transaction.get_autocommit()
