"""The Django admin for curation: open to facilitators and admins, scoped, audited."""

from __future__ import annotations

import pytest

from metalloop.common.models import AuditEvent
from metalloop.network.models import Barrier, Network
from tests.factories import NetworkFactory, OrganisationFactory, TopicTableFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_barrier(network):
    table = TopicTableFactory(network=network)
    return Barrier.objects.create(
        topic_table=table, title="Abfallende unklar", description="-", category="legal"
    )


@pytest.fixture
def foreign_barrier():
    table = TopicTableFactory(network=NetworkFactory())
    return Barrier.objects.create(
        topic_table=table, title="Fremdes Hemmnis", description="-", category="data"
    )


def test_members_and_anonymous_users_cannot_open_the_admin(client, client_for, member):
    assert client.get("/admin/").status_code == 302
    assert client_for(member).get("/admin/").status_code == 302


def test_facilitators_see_only_their_networks_records(
    client_for, facilitator, own_barrier, foreign_barrier
):
    listing = client_for(facilitator).get("/admin/network/barrier/")
    assert listing.status_code == 200
    shown = list(listing.context["cl"].result_list)
    assert shown == [own_barrier]
    other = client_for(facilitator).get(f"/admin/network/barrier/{foreign_barrier.pk}/change/")
    assert other.status_code == 302  # the admin treats an out-of-scope object as missing


def test_a_facilitator_change_in_the_admin_is_audited(
    client_for, facilitator, own_barrier, network
):
    response = client_for(facilitator).post(
        f"/admin/network/barrier/{own_barrier.pk}/change/",
        {
            "topic_table": own_barrier.topic_table_id,
            "title": "Abfallende-Kriterien für Schrott unklar",
            "description": "-",
            "category": "legal",
            "status": "addressed",
            "addressee": "MWIKE NRW",
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    own_barrier.refresh_from_db()
    assert own_barrier.status == "addressed"
    event = AuditEvent.objects.get(action="update", origin="admin")
    assert event.actor == facilitator
    assert event.changes["status"] == ["identified", "addressed"]
    assert list(event.scopes.values_list("network_id", flat=True)) == [network.pk]


def test_facilitators_cannot_create_networks_or_edit_the_taxonomy(
    client_for, facilitator, admin_user
):
    assert client_for(facilitator).get("/admin/network/network/add/").status_code == 403
    assert client_for(facilitator).get("/admin/network/competence/1/change/").status_code == 200
    assert client_for(admin_user).get("/admin/network/network/add/").status_code == 200
    assert Network.objects.count() == 1


def test_facilitators_see_the_organisations_of_their_networks_only(
    client_for, facilitator, organisation
):
    outsider = OrganisationFactory(name="Außenstehend GmbH")
    listing = client_for(facilitator).get("/admin/accounts/organisation/")
    names = [o.name for o in listing.context["cl"].result_list]
    assert organisation.name in names and outsider.name not in names


def test_the_audit_trail_in_the_admin_is_read_only(client_for, admin_user, own_barrier):
    client = client_for(admin_user)
    assert client.get("/admin/common/auditevent/").status_code == 200
    assert client.get("/admin/common/auditevent/add/").status_code == 403
