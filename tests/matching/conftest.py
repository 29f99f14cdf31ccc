"""Fixtures of the matching tests: an anonymous offer, a demand that fits it, a run; a
shredder with two outputs and the two chains through it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metalloop.exchange.services import listing_create, processor_create
from metalloop.matching.services import proposal_release, run_start
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
    proposal_release(actor=facilitator, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


SHREDDED_STEEL = {
    "material": "MAT:steel-non-alloy",
    "grade": "EU27:E40",
    "form": "shredded",
    "legal_status": "end_of_waste",
    "yield_pct": Decimal(72),
}
ZORBA = {
    "material": "MAT:aluminium",
    "grade": "ISRI:Zorba",
    "form": "shredded",
    "legal_status": "end_of_waste",
    "yield_pct": Decimal(6),
}


@pytest.fixture
def shredder_member(network):
    org = OrganisationFactory(name="Shredder Essen GmbH")
    network.memberships.create(organisation=org)
    return UserFactory(organisation=org, role="member")


@pytest.fixture
def shredder(network, shredder_member):
    site = SiteFactory(
        organisation=shredder_member.organisation,
        name="Shredderanlage",
        place="Essen",
        latitude=51.4556,
        longitude=7.0116,
    )
    return processor_create(
        actor=None,
        network=network,
        site=site,
        name="Schredder Essen",
        process="shredding",
        capacity_t_per_year=Decimal(50_000),
        transport_modes=["road"],
        inputs=[{"material": "MAT:iron-steel"}],
        outputs=[SHREDDED_STEEL, ZORBA],
    )


@pytest.fixture
def chains(network, facilitator, shredder, supplier_site, receiver_site):
    common = {"grades": [], "elements": [], "analysis_method": "", "analysis_date": None}
    listing_create(
        actor=None,
        network=network,
        site=supplier_site,
        **offer_values(
            **common,
            title="Mischschrott aus der Demontage",
            material="MAT:steel-non-alloy",
            legal_status="by_product",
            waste_code="",
            form="mixed",
            quantity=Decimal(100),
            recurrence="one_off",
        ),
    )
    for title, material, grade in (
        ("Suchen Shredderschrott E40", "MAT:steel-non-alloy", "EU27:E40"),
        ("Suchen Zorba für die Umschmelze", "MAT:aluminium", "ISRI:Zorba"),
    ):
        listing_create(
            actor=None,
            network=network,
            site=receiver_site,
            **demand_values(
                **(common | {"grades": [grade]}),
                title=title,
                material=material,
                legal_status="end_of_waste",
                waste_code="",
                form="shredded",
                min_quantity=None,
                min_lot_t=None,
                permitted_waste_codes=[],
            ),
        )
    run = run_start(actor=facilitator, network=network)
    return {p.demand.material: p for p in run.proposals.all()}
