"""Declining needs a reason the person chose: nothing is preselected, "other" needs words, a
refusal changes nothing, and only chosen reasons reach the scores of later runs."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from metalloop.accounts.models import Notification
from metalloop.common.models import AuditEvent
from metalloop.matching import adapters, selectors
from metalloop.matching.models import ProposalStatus, Reason

pytestmark = pytest.mark.django_db


def _assert_unanswered(proposal) -> None:
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RELEASED
    assert list(proposal.parties.values_list("response", "reason", "comment")) == [
        ("pending", "", ""),
        ("pending", "", ""),
    ]
    assert not AuditEvent.objects.filter(object_type="matching.proposalparty").exists()
    assert not Notification.objects.filter(kind="proposal_declined").exists()
    parties, outcomes = selectors.feedback_records(proposal.network)
    assert adapters.feedback_of(parties, outcomes).counts == {}


def test_the_decline_form_preselects_no_reason(client_for, other_member, released):
    page = client_for(other_member).get(f"/matching/proposals/{released.pk}/").content.decode()
    radios = re.findall(r'<input type="radio" name="reason"[^>]*>', page)
    assert len(radios) == len(Reason.values)
    assert not any("checked" in radio for radio in radios)
    assert 'value="other"' in page and "Sonstiges" in page
    assert "Pflicht, wenn Sie „Sonstiges“ wählen." in page


def test_a_decline_without_a_reason_is_refused_at_the_field(client_for, other_member, released):
    answer = client_for(other_member).post(
        f"/matching/proposals/{released.pk}/answer/", {"answer": "declined", "comment": "zu weit"}
    )
    assert answer.status_code == 422
    assert answer.context["decline_form"].errors == {
        "reason": ["Wählen Sie aus, warum Sie ablehnen."]
    }
    assert 'id="id_decline_reason_error" role="alert"' in answer.content.decode()
    _assert_unanswered(released)


def test_other_needs_words_on_the_page(client_for, other_member, released):
    client = client_for(other_member)
    url = f"/matching/proposals/{released.pk}/answer/"
    answer = client.post(url, {"answer": "declined", "reason": "other", "comment": "  "})
    assert answer.status_code == 422
    assert answer.context["decline_form"].errors == {
        "comment": ["Sagen Sie in wenigen Worten, warum Sie ablehnen."]
    }
    _assert_unanswered(released)
    client.post(url, {"answer": "declined", "reason": "other", "comment": "Werk wird umgebaut"})
    released.refresh_from_db()
    assert released.status == ProposalStatus.DECLINED
    party = released.parties.get(organisation=other_member.organisation)
    assert (party.response, party.reason, party.comment) == (
        "declined",
        "other",
        "Werk wird umgebaut",
    )


@pytest.mark.parametrize(
    ("payload", "codes"),
    [
        ({}, None),
        ({"reason": ""}, {"reason": ["reason_required"]}),
        ({"reason": "nonsense"}, {"reason": ["reason_required"]}),
        ({"reason": "other"}, {"comment": ["reason_text_required"]}),
        ({"reason": "other", "comment": " "}, {"comment": ["reason_text_required"]}),
    ],
)
def test_the_api_refuses_a_decline_without_a_chosen_reason_with_422(
    token_for, other_member, released, payload, codes
):
    answer = Client(headers=token_for(other_member)).post(
        f"/api/v1/proposals/{released.pk}/decline", payload, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    if codes is None:  # the schema: reason is required and has no default
        assert list(body["errors"]) == ["reason"]
    else:
        assert body["codes"] == codes
    _assert_unanswered(released)


def test_the_schema_has_no_default_reason(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["DeclineIn"]
    assert "reason" in schema["required"]
    assert "default" not in schema["properties"]["reason"]


def test_only_a_chosen_reason_reaches_the_scores_of_later_runs(
    client_for, other_member, released, network
):
    client = client_for(other_member)
    url = f"/matching/proposals/{released.pk}/answer/"
    client.post(url, {"answer": "declined"})
    _assert_unanswered(released)
    client.post(url, {"answer": "declined", "reason": "distance"})
    parties, outcomes = selectors.feedback_records(network)
    feedback = adapters.feedback_of(parties, outcomes)
    offer = released.inputs.get().offer
    receiver, supplier = str(released.demand.organisation_id), str(offer.organisation_id)
    assert feedback.counts == {
        ("receiver", receiver, offer.material): (0, 1),
        ("pair", supplier, receiver): (0, 1),
    }
    assert feedback.acceptance(supplier, receiver, offer.material) == pytest.approx(1 / 4)
