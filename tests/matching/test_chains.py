"""Chains through a processor with two outputs, from the run to the CO2 account of a deal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from metalloop.matching import labels
from metalloop.matching.models import PartyRole, ProposalKind
from metalloop.matching.services import outcome_record, proposal_answer, proposal_release


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
    proposal_release(actor=facilitator, proposal=zorba)
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
