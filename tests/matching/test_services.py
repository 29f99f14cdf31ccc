"""The matching services: runs, curation, release, answers, consent and outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metalloop.accounts.models import Notification
from metalloop.common.errors import ApplicationError
from metalloop.exchange.permissions import listing_reveals_owner
from metalloop.exchange.services import listing_create
from metalloop.matching.models import MatchingRun, Outcome, ProposalParty, ProposalStatus
from metalloop.matching.services import (
    outcome_record,
    proposal_answer,
    proposal_curate,
    proposal_release,
    proposals_release,
    run_start,
)

from .conftest import offer_values

pytestmark = pytest.mark.django_db


def test_a_run_proposes_the_fitting_pair_with_its_explanation(run, offer, demand):
    assert run.status == "done"
    proposal = run.proposals.get()
    assert proposal.demand == demand
    assert [i.offer for i in proposal.inputs.all()] == [offer]
    assert proposal.tonnes > 0
    explanation = proposal.explanation
    assert {r["rule"] for r in explanation["rules"]} >= {"material", "legal_status", "distance"}
    assert all(r["passed"] for r in explanation["rules"])
    assert explanation["co2"]["known"] is True
    assert proposal.co2_t == pytest.approx(explanation["co2"]["net"])
    assert run.summary["proposals"] == 1 and run.summary["candidates"] >= 1


def test_members_cannot_run_matching_and_nothing_is_written(network, member, offer, demand):
    with pytest.raises(PermissionDenied):
        run_start(actor=member, network=network)
    assert not MatchingRun.objects.exists()


def test_a_new_run_supersedes_unreleased_proposals(network, facilitator, run, proposal):
    second = run_start(actor=facilitator, network=network)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUPERSEDED
    assert second.proposals.get().status == ProposalStatus.PROPOSED


def test_an_impossible_horizon_or_objective_is_refused(network, facilitator):
    with pytest.raises(ValidationError) as horizon:
        run_start(actor=facilitator, network=network, horizon_months=99)
    assert "horizon_months" in horizon.value.message_dict
    with pytest.raises(ValidationError) as objective:
        run_start(actor=facilitator, network=network, objective="profit")
    assert "objective" in objective.value.message_dict
    assert not MatchingRun.objects.exists()


def test_curation_drops_and_restores_before_release(facilitator, member, proposal):
    with pytest.raises(PermissionDenied):
        proposal_curate(actor=member, proposal=proposal, keep=False)
    proposal_curate(actor=facilitator, proposal=proposal, keep=False, note="Menge prüfen")
    assert proposal.status == ProposalStatus.DROPPED
    with pytest.raises(ValidationError):
        proposals_release(actor=facilitator, proposals=[proposal])
    with pytest.raises(ApplicationError):
        proposal_release(actor=facilitator, proposal=proposal)
    assert not proposal.parties.exists()
    proposal_curate(actor=facilitator, proposal=proposal, keep=True)
    assert proposal.status == ProposalStatus.PROPOSED


def test_release_creates_parties_and_tells_them_without_names(
    released,
    member,
    other_member,
    organisation,
    other_organisation,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    roles = dict(
        ProposalParty.objects.filter(proposal=released).values_list("organisation_id", "role")
    )
    assert roles == {organisation.pk: "supplier", other_organisation.pk: "receiver"}
    notes = Notification.objects.filter(kind="proposal_released")
    assert {n.user for n in notes} == {member, other_member}
    for note in notes:
        assert organisation.name not in note.body and other_organisation.name not in note.body


def test_release_mails_the_parties_through_smtp(
    proposal, facilitator, member, other_member, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_release(actor=facilitator, proposal=proposal)
    recipients = {m["To"] for m in smtp_server.messages}
    assert recipients == {member.email, other_member.email}
    assert all(
        proposal.demand.organisation.name not in m.get_payload() for m in smtp_server.messages
    )


def test_a_decline_needs_a_reason_and_changes_nothing_without(released, other_member):
    with pytest.raises(ValidationError):
        proposal_answer(actor=other_member, proposal=released, interested=False, reason="")
    released.refresh_from_db()
    assert released.status == ProposalStatus.RELEASED
    assert not released.parties.exclude(response="pending").exists()


def test_a_decline_ends_the_proposal_and_tells_the_facilitator(released, other_member, facilitator):
    proposal_answer(actor=other_member, proposal=released, interested=False, reason="distance")
    released.refresh_from_db()
    assert released.status == ProposalStatus.DECLINED
    assert Notification.objects.filter(user=facilitator, kind="proposal_declined").exists()


def test_outsiders_cannot_answer(released, outsider):
    with pytest.raises(PermissionDenied):
        proposal_answer(actor=outsider, proposal=released, interested=True)


def test_identities_are_revealed_only_when_every_party_is_interested(
    released, member, other_member, offer, demand, organisation, other_organisation
):
    assert not listing_reveals_owner(actor=other_member, listing=offer)
    proposal_answer(actor=member, proposal=released, interested=True)
    released.refresh_from_db()
    assert released.status == ProposalStatus.RELEASED
    assert not listing_reveals_owner(actor=other_member, listing=offer)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    released.refresh_from_db()
    assert released.status == ProposalStatus.INTRODUCED
    assert listing_reveals_owner(actor=other_member, listing=offer)
    assert listing_reveals_owner(actor=member, listing=demand)
    intro = Notification.objects.get(user=member, kind="introduction")
    assert other_organisation.name in intro.body and other_member.email in intro.body


def _introduce(proposal, member, other_member):
    proposal_answer(actor=member, proposal=proposal, interested=True)
    proposal_answer(actor=other_member, proposal=proposal, interested=True)
    proposal.refresh_from_db()
    return proposal


def test_an_outcome_only_after_the_introduction(released, member):
    with pytest.raises(PermissionDenied):
        outcome_record(
            actor=member,
            proposal=released,
            result="deal",
            tonnes=Decimal(10),
            settled_on=dt.date.today(),
        )
    assert not Outcome.objects.exists()


def test_a_deal_is_accounted_with_the_method(released, member, other_member):
    proposal = _introduce(released, member, other_member)
    outcome = outcome_record(
        actor=member,
        proposal=proposal,
        result="deal",
        tonnes=Decimal(20),
        settled_on=dt.date.today(),
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SETTLED
    impact = outcome.impact
    assert impact["known"] and impact["tonnes"] == 20
    assert impact["production_saved"] == pytest.approx(20 * (6.8 - 1.95))  # stainless substitution
    assert impact["net"] == pytest.approx(impact["production_saved"] - impact["freight"])
    assert outcome.co2_net_t == pytest.approx(impact["net"])


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"result": "deal", "tonnes": Decimal(0), "settled_on": dt.date.today()}, "tonnes"),
        ({"result": "deal", "tonnes": Decimal(5), "settled_on": None}, "settled_on"),
        (
            {
                "result": "deal",
                "tonnes": Decimal(5),
                "settled_on": dt.date.today() + dt.timedelta(days=3),
            },
            "settled_on",
        ),
        ({"result": "failed", "reason": ""}, "reason"),
        ({"result": "maybe"}, "result"),
    ],
)
def test_impossible_outcomes_are_refused_and_nothing_is_written(
    released, member, other_member, values, field
):
    proposal = _introduce(released, member, other_member)
    with pytest.raises(ValidationError) as refused:
        outcome_record(actor=member, proposal=proposal, **values)
    assert field in refused.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTRODUCED
    assert not Outcome.objects.exists()


def test_declines_rank_similar_proposals_lower_in_the_next_run(
    network, facilitator, released, other_member, supplier_site
):
    before = released.score
    proposal_answer(actor=other_member, proposal=released, interested=False, reason="quality")
    similar = listing_create(
        actor=None, network=network, site=supplier_site, **offer_values(title="Weitere Späne")
    )
    again = run_start(actor=facilitator, network=network).proposals.get()
    assert [i.offer for i in again.inputs.all()] == [similar]
    assert again.score < before
    assert again.explanation["score_parts"]["feedback"] < 0.5


def test_a_later_run_promises_no_tonne_twice_and_skips_declined_pairs(
    network, facilitator, released, member, other_member
):
    assert run_start(actor=facilitator, network=network).proposals.count() == 0  # all promised
    proposal_answer(actor=other_member, proposal=released, interested=False, reason="price")
    assert run_start(actor=facilitator, network=network).proposals.count() == 0  # declined pair


def test_a_run_that_breaks_stays_on_record_as_failed(
    network, facilitator, offer, demand, monkeypatch
):
    from metalloop.matching.services import runs

    def broken(*args, **kwargs):
        raise RuntimeError("solver vanished")

    monkeypatch.setattr(runs, "match", broken)
    with pytest.raises(RuntimeError):
        run_start(actor=facilitator, network=network)
    run = MatchingRun.objects.get()
    assert run.status == "failed" and "solver vanished" in run.error
    assert not run.proposals.exists()
