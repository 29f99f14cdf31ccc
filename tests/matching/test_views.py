"""Pages of matching: the board, the inbox, a proposal, impact, saved searches."""

from __future__ import annotations

import datetime as dt

import pytest

from metalloop.accounts.models import Notification
from metalloop.exchange.services import listing_create
from metalloop.matching.models import ProposalStatus
from metalloop.matching.services import proposal_answer
from tests.factories import crowd

from .conftest import offer_values

pytestmark = pytest.mark.django_db


def test_the_board_is_for_facilitators(client_for, facilitator, member, network, run):
    page = client_for(facilitator).get(f"/matching/networks/{network.slug}/")
    assert page.status_code == 200
    assert f"#{run.proposals.get().pk}" in page.content.decode()
    assert client_for(member).get(f"/matching/networks/{network.slug}/").status_code == 404


def test_running_and_releasing_from_the_board(client_for, facilitator, network, offer, demand):
    client = client_for(facilitator)
    client.post(
        f"/matching/networks/{network.slug}/run/", {"objective": "co2", "horizon_months": 12}
    )
    proposal = network.proposals.get()
    assert proposal.status == ProposalStatus.PROPOSED
    client.post(f"/matching/proposals/{proposal.pk}/curate/", {"keep": "on", "note": "passt"})
    client.post(
        f"/matching/networks/{network.slug}/release/", {"proposal": proposal.pk, "confirm": "yes"}
    )
    assert network.proposals.get().status == ProposalStatus.RELEASED


def test_the_inbox_and_proposal_page_hide_the_other_party(
    client_for, member, released, other_organisation
):
    inbox = client_for(member).get("/matching/").content.decode()
    assert f"#{released.pk}" in inbox and other_organisation.name not in inbox
    page = client_for(member).get(f"/matching/proposals/{released.pk}/").content.decode()
    assert other_organisation.name not in page
    assert "Elektrostahlwerk Nord" not in page and "Bottrop" not in page


def test_a_decline_without_reason_shows_the_error(client_for, member, released):
    answer = client_for(member).post(
        f"/matching/proposals/{released.pk}/answer/", {"answer": "declined", "reason": ""}
    )
    assert answer.status_code == 422
    released.refresh_from_db()
    assert released.status == ProposalStatus.RELEASED


def test_answering_through_the_page_introduces(
    client_for, member, other_member, released, organisation
):
    proposal_answer(actor=other_member, proposal=released, interested=True)
    client_for(member).post(f"/matching/proposals/{released.pk}/answer/", {"answer": "interested"})
    released.refresh_from_db()
    assert released.status == ProposalStatus.INTRODUCED
    page = client_for(other_member).get(f"/matching/proposals/{released.pk}/").content.decode()
    assert organisation.name in page


def test_impact_page_and_export(client_for, facilitator, member, other_member, released):
    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    client_for(member).post(
        f"/matching/proposals/{released.pk}/outcome/",
        {"result": "deal", "tonnes": "12.5", "settled_on": dt.date.today().isoformat()},
    )
    page = client_for(facilitator).get(f"/matching/networks/{released.network.slug}/impact/")
    assert page.status_code == 200 and "12.5" in page.content.decode()
    method = page.content.decode().split('id="method-heading"')[1]
    assert "Faktoren und ihre Quellen" in method
    assert 'href="/reference/entry/EF:copper-cathode-world-2023/"' in method
    assert "Sekundärquelle" in method and "Schätzung" in method and "unbestätigt" in method
    assert "Umwegfaktor 1,3" in method and "Wang, Bette, Schreckenberg, Guhr" in method
    assert "Wasserwege sind vermutlich länger" in method
    csv = client_for(facilitator).get(f"/matching/networks/{released.network.slug}/impact.csv")
    text = csv.content.decode("utf-8-sig")
    assert "EF:stainless-steel-scrap30-world-2023" in text and "12.500" in text


def test_a_saved_search_tells_of_a_fitting_new_listing(
    client_for,
    other_member,
    network,
    supplier_site,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    client = client_for(other_member)
    client.post(
        "/matching/searches/",
        {
            "network": network.slug,
            "name": "Edelstahlspäne",
            "side": "offer",
            "material": "MAT:steel-stainless",
            "email": "on",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing_create(actor=None, network=network, site=supplier_site, **offer_values())
    note = Notification.objects.get(user=other_member, kind="saved_search")
    assert "Edelstahlspäne" in note.title
    assert supplier_site.organisation.name not in note.body
    assert any(other_member.email in m["To"] for m in smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        listing_create(
            actor=None,
            network=network,
            site=supplier_site,
            **offer_values(
                material="MAT:aluminium-wrought-6xxx",
                grades=[],
                elements=[],
                waste_code="AVV:170402",
            ),
        )
    assert Notification.objects.filter(user=other_member, kind="saved_search").count() == 1
    assert client.get("/matching/notifications/").status_code == 200


def test_the_owner_sees_the_best_candidates_without_their_owners(
    client_for, member, outsider, offer, demand, other_organisation, network
):
    crowd(network)
    page = client_for(member).get(f"/exchange/listings/{offer.pk}/").content.decode()
    assert demand.title in page
    assert other_organisation.name not in page
    assert (
        demand.title
        not in client_for(outsider).get(f"/exchange/listings/{offer.pk}/").content.decode()
    )


def test_a_members_impact_export_holds_only_its_own_deals(
    client_for, member, other_member, outsider, released
):
    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    client_for(member).post(
        f"/matching/proposals/{released.pk}/outcome/",
        {"result": "deal", "tonnes": "10", "settled_on": dt.date.today().isoformat()},
    )
    slug = released.network.slug
    mine = (
        client_for(member).get(f"/matching/networks/{slug}/impact.csv").content.decode("utf-8-sig")
    )
    theirs = (
        client_for(outsider)
        .get(f"/matching/networks/{slug}/impact.csv")
        .content.decode("utf-8-sig")
    )
    assert str(released.pk) in mine
    assert len(theirs.strip().splitlines()) == 1  # the header only


def test_the_explanation_speaks_the_page_language(client_for, facilitator, proposal):
    page = client_for(facilitator).get(f"/matching/proposals/{proposal.pk}/").content.decode()
    assert "Rechtsstatus und Genehmigungen" in page and "legal_status" not in page
    assert "Faktoren und ihre Quellen" in page and "EF:freight-truck-de-2018" in page
    assert "Umweltbundesamt, Emissionsdaten" in page and "Bezugsjahr 2018" in page
    english = client_for(facilitator)
    english.cookies["metalloop_language"] = "en"
    english.post("/i18n/setlang/", {"language": "en"})
    page = english.get(f"/matching/proposals/{proposal.pk}/").content.decode()
    assert "Legal status and permits" in page
    assert "Factors and their sources" in page and "reference year 2018" in page
    assert "Bezugsjahr" not in page
