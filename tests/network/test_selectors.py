"""Registry selectors: filters, scoping of the audit trail, figures."""

from __future__ import annotations

import pytest

from metalloop.network import selectors, services
from metalloop.network.models import Barrier
from tests.factories import NetworkFactory, OrganisationFactory, SiteFactory, TopicTableFactory

pytestmark = pytest.mark.django_db


def test_filters_combine_and_never_repeat_an_organisation(organisation, network):
    organisation.roles.set(["collection", "recycling_remelting"])
    SiteFactory(organisation=organisation, place="Duisburg")
    SiteFactory(organisation=organisation, name="Zweitwerk", place="Duisburg")
    OrganisationFactory().roles.set(["collection"])
    f = selectors.OrganisationFilters(role="collection", network=network.slug, place="duis")
    assert list(selectors.organisation_list(actor=None, filters=f)) == [organisation]
    assert (
        selectors.organisation_list(
            actor=None, filters=selectors.OrganisationFilters(role="collection")
        ).count()
        == 2
    )


def test_audit_events_are_scoped_to_the_facilitators_networks(
    facilitator, admin_user, member, organisation
):
    services.organisation_update(actor=None, organisation=organisation, description="a")
    stranger = OrganisationFactory()
    NetworkFactory().memberships.create(organisation=stranger)
    services.organisation_update(actor=None, organisation=stranger, description="b")
    assert [e.object_label for e in selectors.audit_event_list(actor=facilitator)] == [
        organisation.name
    ]
    assert selectors.audit_event_list(actor=admin_user).count() == 2
    assert selectors.audit_event_list(actor=member).count() == 0
    assert selectors.audit_event_list(actor=None).count() == 0


def test_registry_figures_count_open_barriers_only(network, organisation):
    table = TopicTableFactory(network=network)
    Barrier.objects.create(topic_table=table, title="a", description="-", category="legal")
    Barrier.objects.create(
        topic_table=table, title="b", description="-", category="legal", status="resolved"
    )
    figures = selectors.registry_figures(actor=None)
    assert (
        figures.organisations,
        figures.networks,
        figures.topic_tables,
        figures.open_barriers,
    ) == (1, 1, 1, 1)


def test_map_points_carry_rounded_coordinates(organisation):
    SiteFactory(organisation=organisation, latitude=51.432471234, longitude=6.765161234)
    assert selectors.site_map_points(actor=None) == [
        {
            "name": "Werk",
            "organisation": organisation.name,
            "slug": organisation.slug,
            "place": "Duisburg",
            "lat": 51.43247,
            "lon": 6.76516,
        }
    ]
