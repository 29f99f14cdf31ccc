"""Bulk writes prepared before their transaction: keys, references, updates, staging."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from metalloop.accounts.models import Organisation
from metalloop.common import bulk
from metalloop.common.bulk import BulkWrite
from metalloop.common.models import AuditEvent
from metalloop.network.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["direct", "staged"])
def path(request, monkeypatch):
    """Every test runs with the rows written directly and (on SQLite) staged first."""
    monkeypatch.setattr(bulk, "STAGE_FROM_ROWS", 1 if request.param == "staged" else 10**9)
    return request.param


def organisations(*names: str) -> list[Organisation]:
    return [Organisation(name=name, slug=name.lower(), kind="company") for name in names]


def sites_of(*owners: Organisation) -> list[Site]:
    return [
        Site(organisation=o, name=f"Werk {o.name}", place="Essen", state="NW",
             latitude=51.45, longitude=7.01)
        for o in owners
    ]  # fmt: skip


def staging_tables() -> list[str]:
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        return [row[0] for row in cursor.fetchall()]


def test_inserts_give_keys_and_fill_references_to_rows_inserted_before(path):
    saved = Organisation.objects.create(name="Alt", slug="alt", kind="company")
    new = organisations("Acme", "Beta")
    sites = sites_of(new[0], saved, new[1])
    events = [AuditEvent(action="create", object_type="network.site") for _ in sites]
    write = BulkWrite()
    write.insert(Organisation, new)
    write.insert(Site, sites)
    write.insert(AuditEvent, events, key_texts={"object_id": sites})

    with transaction.atomic():
        write()
    write.discard()

    assert [o.pk for o in new] == list(
        Organisation.objects.filter(slug__in=["acme", "beta"])
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    assert all(not o._state.adding for o in [*new, *sites, *events])
    stored = Site.objects.order_by("pk")
    assert [(s.pk, s.organisation.slug) for s in stored] == [
        (sites[0].pk, "acme"), (sites[1].pk, "alt"), (sites[2].pk, "beta")
    ]  # fmt: skip
    assert list(AuditEvent.objects.order_by("pk").values_list("object_id", flat=True)) == [
        str(s.pk) for s in sites
    ]
    assert staging_tables() == []


def test_new_keys_follow_the_largest_ever_used(path):
    gone = Organisation.objects.create(name="Weg", slug="weg", kind="company")
    gone_pk = gone.pk
    gone.delete()
    new = organisations("Acme", "Beta")
    write = BulkWrite()
    write.insert(Organisation, new)

    with transaction.atomic():
        write()

    assert min(o.pk for o in new) > gone_pk
    later = Organisation.objects.create(name="Gamma", slug="gamma", kind="company")
    assert later.pk > max(o.pk for o in new)


def test_updates_save_the_given_fields_and_the_time_of_change(path):
    stored = [
        Organisation.objects.create(name=n, slug=n.lower(), kind="company") for n in ("A", "B")
    ]
    before = {o.pk: o.updated_at for o in stored}
    for organisation in stored:
        organisation.description = f"Neu {organisation.name}"
        organisation.website = "https://example.org"  # changed, but not among the fields
    write = BulkWrite()
    write.update(Organisation, stored, ["description"])

    with transaction.atomic():
        write()
    write.discard()

    for organisation in Organisation.objects.order_by("name"):
        assert organisation.description == f"Neu {organisation.name}"
        assert organisation.website == ""
        assert organisation.updated_at > before[organisation.pk]


def test_steps_run_in_order_and_a_first_step_may_refuse_the_write(path):
    calls = []
    write = BulkWrite()
    write.then(lambda: calls.append("then"))
    write.insert(Organisation, organisations("Acme"))
    write.first(lambda: calls.append("first"))
    with transaction.atomic():
        write()
    write.discard()
    assert calls == ["first", "then"]

    refusing = BulkWrite()
    refusing.insert(Organisation, organisations("Zeta"))

    def refuse() -> None:
        raise RuntimeError("refused")

    refusing.first(refuse)
    with pytest.raises(RuntimeError), transaction.atomic():
        refusing()
    refusing.discard()
    assert not Organisation.objects.filter(slug="zeta").exists()
    assert staging_tables() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="staging is for SQLite")
def test_small_writes_are_not_staged_and_large_ones_are_until_discarded(monkeypatch):
    monkeypatch.setattr(bulk, "STAGE_FROM_ROWS", 3)
    small, large = BulkWrite(), BulkWrite()
    small.insert(Organisation, organisations("A", "B"))
    large.insert(Organisation, organisations("C", "D", "E"))

    assert len(staging_tables()) == 1
    with transaction.atomic():
        small()
        large()
    large.discard()

    assert staging_tables() == []
    assert Organisation.objects.count() == 5
