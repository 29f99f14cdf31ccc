"""Notes, comments and saved searches refuse control characters through the API (422 naming
the field) and the pages (the message at the field); nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from metalloop.common.models import AuditEvent
from metalloop.matching.models import Outcome, ProposalParty, ProposalStatus, SavedSearch
from metalloop.matching.services import proposal_answer

pytestmark = pytest.mark.django_db

ENGLISH = "The text holds a control character (U+0007) at position 4; remove it."
GERMAN = "Der Text enthält ein Steuerzeichen (U+0007) an Stelle 4; bitte entfernen Sie es."


def api(token_for, user):
    return Client(headers=token_for(user) | {"Accept-Language": "en"})


def refused(response, field, message=ENGLISH):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["errors"], body["codes"]) == ({field: [message]}, {field: ["refused_character"]})


def test_a_facilitators_note_is_refused_and_the_proposal_stays_as_it_was(
    token_for, facilitator, proposal
):
    client = api(token_for, facilitator)
    events = AuditEvent.objects.count()

    response = client.patch(
        f"/api/v1/proposals/{proposal.pk}",
        {"keep": False, "note": "gut\x07 so"},
        content_type="application/json",
    )

    refused(response, "note")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.note) == (ProposalStatus.PROPOSED, "")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("answer", "body"),
    [("interest", {}), ("decline", {"reason": "price"})],
)
def test_an_answers_comment_is_refused_and_no_answer_recorded(
    token_for, member, released, answer, body
):
    client = api(token_for, member)

    response = client.post(
        f"/api/v1/proposals/{released.pk}/{answer}",
        body | {"comment": "gut\x07 teuer"},
        content_type="application/json",
    )

    refused(response, "comment")
    party = ProposalParty.objects.get(proposal=released, organisation=member.organisation)
    assert (party.response, party.comment) == ("pending", "")


def test_an_outcomes_comment_is_refused(token_for, member, other_member, released):
    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)

    response = api(token_for, member).post(
        f"/api/v1/proposals/{released.pk}/outcome",
        {"result": "deal", "tonnes": "5", "settled_on": dt.date.today().isoformat()}
        | {"comment": "gut\x07 gelaufen"},
        content_type="application/json",
    )

    refused(response, "comment")
    assert not Outcome.objects.exists()


def test_a_saved_search_refuses_a_control_character_in_its_name_and_its_filters(
    token_for, member, network
):
    client = api(token_for, member)
    body = {"network": network.slug, "name": "Edelstahl", "filters": {"material": "MAT:steel"}}

    name = client.post(
        "/api/v1/saved-searches", body | {"name": "Ede\x07lstahl"}, content_type="application/json"
    )
    filters = client.post(
        "/api/v1/saved-searches",
        body | {"filters": {"q": "Spän\x07e"}},
        content_type="application/json",
    )

    refused(name, "name")
    refused(filters, "filters", ENGLISH.replace("position 4", "position 5"))
    assert not SavedSearch.objects.exists()


def test_the_decline_form_shows_the_refusal_at_the_comment(client_for, member, released):
    response = client_for(member).post(
        f"/matching/proposals/{released.pk}/answer/",
        {"answer": "declined", "reason": "price", "comment": "gut\x07 teuer"},
    )

    assert response.status_code == 422
    assert response.context["decline_form"].errors["comment"] == [GERMAN]
    party = ProposalParty.objects.get(proposal=released, organisation=member.organisation)
    assert party.response == "pending"


def test_the_curate_form_shows_the_refusal_at_the_note(client_for, facilitator, proposal):
    response = client_for(facilitator).post(
        f"/matching/proposals/{proposal.pk}/curate/", {"keep": "on", "note": "gut\x07 so"}
    )

    assert response.status_code == 422
    assert response.context["curate_form"].errors["note"] == [GERMAN]
    proposal.refresh_from_db()
    assert proposal.note == ""


def test_the_saved_search_form_shows_the_refusal_at_the_name(client_for, member, network):
    response = client_for(member).post(
        "/matching/searches/",
        {"network": network.slug, "name": "Ede\x07lstahl", "material": "MAT:steel"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [GERMAN]
    assert not SavedSearch.objects.exists()
