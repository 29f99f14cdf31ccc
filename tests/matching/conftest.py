"""Fixtures of the matching tests: an anonymous offer, a demand that fits it, a run."""

from __future__ import annotations

import pytest

from metalloop.exchange.services import listing_create
from metalloop.matching.services import proposals_release, run_start
from tests.exchange.conftest import demand_values, offer_values
from tests.factories import OrganisationFactory, SiteFactory, UserFactory

__all__ = ["demand_values", "offer_values"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def supplier_site(organisation):
    return SiteFactory(
        organisation=organisation,
        name="Werk Hochfeld",
        place="Duisburg",
        latitude=51.4118,
        longitude=6.7545,
    )


@pytest.fixture
def receiver_site(other_organisation):
    return SiteFactory(
        organisation=other_organisation,
        name="Elektrostahlwerk Nord",
        place="Bottrop",
        postcode="46236",
        latitude=51.52392,
        longitude=6.9285,
    )


@pytest.fixture
def offer(network, supplier_site):
    return listing_create(
        actor=None, network=network, site=supplier_site, **offer_values(visibility="anonymous")
    )


@pytest.fixture
def demand(network, receiver_site):
    return listing_create(
        actor=None, network=network, site=receiver_site, **demand_values(visibility="anonymous")
    )


@pytest.fixture
def outsider(network):
    """A member of a third organisation of the same network: no party to the proposals."""
    org = OrganisationFactory(name="Dritte Metall GmbH")
    network.memberships.create(organisation=org)
    return UserFactory(organisation=org, role="member")


@pytest.fixture
def run(network, facilitator, offer, demand):
    return run_start(actor=facilitator, network=network)


@pytest.fixture
def proposal(run):
    return run.proposals.get()


@pytest.fixture
def released(proposal, facilitator, member, other_member):
    proposals_release(actor=facilitator, proposals=[proposal])
    proposal.refresh_from_db()
    return proposal
