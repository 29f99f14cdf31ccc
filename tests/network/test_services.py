"""Registry services called directly: rules, permissions, transactions and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network import services
from metalloop.network.models import Barrier, Membership, Network, Site
from tests.factories import NetworkFactory, OrganisationFactory, SiteFactory, TopicTableFactory

pytestmark = pytest.mark.django_db


def test_organisation_create_sets_relations_and_records_one_event(network):
    org = services.organisation_create(
        actor=None,
        name="  Ruhrkupfer GmbH ",
        kind="company",
        roles=["recycling_remelting", "collection"],
        competences=["remelting"],
        networks=[network.slug],
        origin="test",
    )
    assert (org.name, org.slug) == ("Ruhrkupfer GmbH", "ruhrkupfer-gmbh")
    assert sorted(org.roles.values_list("code", flat=True)) == ["collection", "recycling_remelting"]
    assert list(org.competences.values_list("code", flat=True)) == ["remelting"]
    event = AuditEvent.objects.get()
    assert event.action == "create" and event.origin == "test" and event.actor is None
    assert event.changes["networks"] == [None, [network.slug]]
    assert list(event.scopes.values_list("network_id", flat=True)) == [network.pk]


def test_slugs_stay_unique(network):
    first = services.organisation_create(actor=None, name="Hütte", kind="company")
    second = services.organisation_create(actor=None, name="Hütte", kind="company")
    assert (first.slug, second.slug) == ("hutte", "hutte-2")


def test_a_failing_relation_leaves_no_organisation_behind():
    with pytest.raises(ValidationError):
        services.organisation_create(actor=None, name="X", kind="company", competences=["nope"])
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_facilitator_may_not_move_an_organisation_into_a_foreign_network(
    facilitator, organisation
):
    foreign = NetworkFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=facilitator,
            organisation=organisation,
            networks=[organisation.networks.first().slug, foreign.slug],
        )
    assert list(
        Membership.objects.filter(organisation=organisation).values_list("network", flat=True)
    ) == [organisation.networks.first().pk]


def test_a_member_may_not_change_the_memberships_of_their_organisation(member, network):
    other = NetworkFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=member, organisation=member.organisation, networks=[network.slug, other.slug]
        )


def test_update_records_only_what_changed(member):
    org = member.organisation
    services.organisation_update(
        actor=member, organisation=org, description="Neu", roles=["collection"]
    )
    services.organisation_update(actor=member, organisation=org, description="Neu")
    events = AuditEvent.objects.filter(action="update")
    assert events.count() == 1
    assert events.get().changes == {"description": ["", "Neu"], "roles": [[], ["collection"]]}


def test_update_refuses_unknown_fields(member):
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=member, organisation=member.organisation, is_superuser=True
        )


def test_site_update_keeps_given_coordinates_when_only_the_name_changes(member):
    site = services.site_create(
        actor=member,
        organisation=member.organisation,
        name="Halde",
        place="Nirgendwo",
        state="NI",
        latitude=51.8,
        longitude=10.4,
    )
    services.site_update(actor=member, site=site, name="Alte Halde")
    site.refresh_from_db()
    assert (site.name, site.latitude, site.coordinate_source) == ("Alte Halde", 51.8, "given")


def test_site_create_refuses_members_of_other_organisations(other_member, organisation):
    with pytest.raises(PermissionDenied):
        services.site_create(
            actor=other_member, organisation=organisation, name="W", place="Goslar"
        )
    assert not Site.objects.exists()


def test_site_delete_is_audited_with_the_network(member, network):
    site = SiteFactory(organisation=member.organisation)
    services.site_delete(actor=member, site=site)
    event = AuditEvent.objects.get(action="delete")
    assert event.object_label == str(site)
    assert list(event.scopes.values_list("network_id", flat=True)) == [network.pk]


def test_record_save_lets_facilitators_curate_their_networks_only(facilitator, network):
    own = TopicTableFactory(network=network)
    foreign = TopicTableFactory(network=NetworkFactory())
    barrier = Barrier(topic_table=own, title="Fehlende Analysen", description="-", category="data")
    services.record_save(actor=facilitator, instance=barrier, relations={"stages": ["collection"]})
    event = AuditEvent.objects.get(object_type="network.barrier")
    assert event.changes["stages"] == [None, ["collection"]]
    with pytest.raises(PermissionDenied):
        services.record_save(
            actor=facilitator,
            instance=Barrier(topic_table=foreign, title="X", description="-", category="data"),
        )
    assert Barrier.objects.count() == 1


def test_record_save_validates_before_writing(facilitator, network):
    table = TopicTableFactory(network=network)
    with pytest.raises(ValidationError) as invalid:
        services.record_save(
            actor=facilitator,
            instance=Barrier(topic_table=table, title="", description="-", category="x"),
        )
    assert set(invalid.value.message_dict) == {"title", "category"}
    assert not Barrier.objects.exists()


def test_members_cannot_curate_and_network_records_are_audited_on_delete(
    member, facilitator, network
):
    table = TopicTableFactory(network=network)
    with pytest.raises(PermissionDenied):
        services.record_delete(actor=member, instance=table)
    services.record_delete(actor=facilitator, instance=table)
    assert AuditEvent.objects.filter(action="delete", object_type="network.topictable").count() == 1


def test_facilitators_of_a_network_are_set_and_audited(admin_user, facilitator):
    network = Network(name="Neu", slug="neu", kind="cluster")
    services.record_save(
        actor=admin_user, instance=network, relations={"facilitators": [facilitator]}
    )
    assert list(network.facilitators.all()) == [facilitator]
    assert AuditEvent.objects.get(object_type="network.network").changes["facilitators"] == [
        None,
        [facilitator.pk],
    ]


def test_deleting_an_organisation_removes_sites_and_memberships(network):
    org = OrganisationFactory()
    network.memberships.create(organisation=org)
    SiteFactory(organisation=org)
    services.organisation_delete(actor=None, organisation=org)
    assert (
        not Site.objects.exists() and not Membership.objects.filter(organisation_id=org.pk).exists()
    )
