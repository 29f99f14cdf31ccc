"""Chains through a processor with two outputs, from the run to the CO2 account of a deal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from metalloop.exchange.services import listing_create, processor_create
from metalloop.matching import labels
from metalloop.matching.models import PartyRole, ProposalKind
from metalloop.matching.services import (
    outcome_record,
    proposal_answer,
    proposals_release,
    run_start,
)
from tests.factories import OrganisationFactory, SiteFactory, UserFactory

from .conftest import demand_values, offer_values

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


def test_one_input_is_proposed_to_the_buyers_of_both_fractions(chains, shredder):
    assert set(chains) == {"MAT:steel-non-alloy", "MAT:aluminium"}
    steel, zorba = chains["MAT:steel-non-alloy"], chains["MAT:aluminium"]
    assert {steel.kind, zorba.kind} == {ProposalKind.CHAIN}
    assert steel.processor == zorba.processor == shredder
    assert float(steel.tonnes) == pytest.approx(72.0)
    assert float(zorba.tonnes) == pytest.approx(6.0)
    (rule,) = [r for r in zorba.explanation["rules"] if r["rule"] == "processor"]
    assert rule["facts"]["co_products"] == [{"material": "MAT:steel-non-alloy", "yield": 0.72}]
    feed = zorba.explanation["legs"][0]
    assert feed["tonnes"] == pytest.approx(100.0)
    assert feed["charged_share"] == pytest.approx(6 / 78)
    with translation.override("de"):
        sentence = labels.facts("processor", rule["facts"])
    assert sentence.startswith("Zerkleinerung, Ausbeute 6 %")
    assert "ergibt derselbe Einsatz auch" in sentence and "72 %" in sentence


def test_a_deal_on_the_co_product_carries_only_its_share_of_the_feed_transport(
    chains, facilitator, member, other_member, shredder_member
):
    zorba = chains["MAT:aluminium"]
    proposals_release(actor=facilitator, proposals=[zorba])
    zorba.refresh_from_db()
    assert {party.role for party in zorba.parties.all()} >= {PartyRole.PROCESSOR}
    for user in (member, other_member, shredder_member):
        proposal_answer(actor=user, proposal=zorba, interested=True)
    zorba.refresh_from_db()
    outcome = outcome_record(
        actor=other_member,
        proposal=zorba,
        result="deal",
        tonnes=Decimal(6),
        settled_on=dt.date.today(),
    )
    feed, delivery = outcome.impact["legs"]
    assert feed["tonnes"] == pytest.approx(100.0 * 6 / 78)
    assert delivery["tonnes"] == pytest.approx(6.0)
    charged = zorba.explanation["legs"][0]["freight_t"] + zorba.explanation["legs"][1]["freight_t"]
    assert outcome.impact["freight"] == pytest.approx(charged)
