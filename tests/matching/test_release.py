"""Releasing proposals: every party's users are told (platform and SMTP) through the board,
the API and the CLI, with proposals loaded the way those entry points load them; the review
that a release of several needs; its confirmation; who may release."""

from __future__ import annotations

import io
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from metalloop.accounts.models import Notification
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditEvent
from metalloop.matching import selectors
from metalloop.matching.models import ProposalParty, ProposalStatus
from metalloop.matching.services import (
    proposal_curate,
    proposal_release,
    proposals_release,
    release_preview,
)
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    """Messages asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def colleagues(organisation, other_organisation, shredder_member):
    """A second active user in each party organisation, and an inactive one who hears nothing."""
    found = [
        UserFactory(organisation=org, role="member")
        for org in (organisation, other_organisation, shredder_member.organisation)
    ]
    UserFactory(organisation=organisation, role="member", is_active=False)
    return found


@pytest.fixture
def party_users(member, other_member, shredder_member, colleagues):
    """Every active user of the three organisations the two chains concern."""
    return {member, other_member, shredder_member, *colleagues}


@pytest.fixture
def other_facilitator(db):
    """A facilitator of another network."""
    user = UserFactory(organisation=OrganisationFactory(), role="facilitator")
    NetworkFactory().facilitators.add(user)
    return user


@pytest.fixture
def reviewed(chains, facilitator):
    """Both chains, kept (reviewed) by the facilitator."""
    for proposal in chains.values():
        proposal_curate(actor=facilitator, proposal=proposal, keep=True)
    return sorted(chains.values(), key=lambda p: p.pk)


def _told(smtp_server) -> dict[str, int]:
    """How many released-proposal notices each user got: in the platform and by e-mail."""
    notes = Notification.objects.filter(kind="proposal_released")
    subject = "Neuer Vorschlag in der Materialbörse"
    mails = [m for m in smtp_server.messages if _subject(m) == subject]
    return {
        "notifications": notes.count(),
        "users": len({n.user_id for n in notes}),
        "mails": len(mails),
    }


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _mailed(smtp_server) -> set[str]:
    return {m["To"] for m in smtp_server.messages}


def _assert_every_party_told(smtp_server, party_users, proposals: int) -> None:
    assert _mailed(smtp_server) == {u.email for u in party_users}
    assert _told(smtp_server) == {
        "notifications": proposals * len(party_users),
        "users": len(party_users),
        "mails": proposals * len(party_users),
    }
    for user in party_users:
        notes = Notification.objects.filter(user=user, kind="proposal_released")
        assert notes.count() == proposals
        assert all(note.emailed for note in notes)


def _assert_nothing_released(proposals, smtp_server) -> None:
    for proposal in proposals:
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PROPOSED
        assert proposal.released_at is None
    assert not ProposalParty.objects.exists()
    assert not Notification.objects.filter(kind="proposal_released").exists()
    assert smtp_server.messages == []


# --- the root cause: a proposal read with its parties prefetched --------------------------------


def test_a_release_of_proposals_read_like_the_board_tells_every_party(
    reviewed, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    network = reviewed[0].network
    loaded = list(selectors.proposal_list(actor=facilitator, network=network, status="proposed"))
    assert [list(p.parties.all()) for p in loaded] == [[], []]  # prefetched while there were none
    with django_capture_on_commit_callbacks(execute=True):
        released = proposals_release(actor=facilitator, proposals=loaded)
    assert released.organisations == 3
    _assert_every_party_told(smtp_server, party_users, proposals=2)
    assert [len(p.parties.all()) for p in loaded] == [3, 3]  # no stale list left behind


def test_a_single_release_of_a_proposal_read_like_its_page_tells_every_party(
    chains, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    zorba = chains["MAT:aluminium"]
    loaded = selectors.proposal_get(actor=facilitator, proposal_id=zorba.pk)
    with django_capture_on_commit_callbacks(execute=True):
        released = proposal_release(actor=facilitator, proposal=loaded)
    assert released.organisations == 3
    _assert_every_party_told(smtp_server, party_users, proposals=1)
    loaded.refresh_from_db()
    assert loaded.status == ProposalStatus.RELEASED
    assert (loaded.reviewed_by, loaded.reviewed_at) == (facilitator, loaded.released_at)


def test_the_notice_names_nobody_and_gives_the_tonnes_in_german(
    chains, facilitator, member, organisation, other_organisation, shredder_member, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    zorba = chains["MAT:aluminium"]
    with django_capture_on_commit_callbacks(execute=True):
        proposal_release(actor=facilitator, proposal=zorba)
    note = Notification.objects.get(user=member, kind="proposal_released")
    assert "Vorschlag über 6,0 t" in note.body
    names = (organisation.name, other_organisation.name, shredder_member.organisation.name)
    for message in smtp_server.messages:
        assert not any(name in message.get_payload() for name in names)


# --- review and the release of several ----------------------------------------------------------


def test_curation_records_the_review_in_the_audit_trail(proposal, facilitator):
    assert proposal.reviewed_at is None
    proposal_curate(actor=facilitator, proposal=proposal, keep=True, note="passt")
    proposal.refresh_from_db()
    assert proposal.reviewed_by == facilitator and proposal.reviewed_at is not None
    event = AuditEvent.objects.get(object_id=str(proposal.pk), action="update")
    assert event.changes["reviewed_by_id"] == [None, facilitator.pk]
    assert event.changes["note"] == ["", "passt"]
    assert set(event.changes) == {"note", "reviewed_at", "reviewed_by_id"}


def test_a_release_of_several_refuses_an_unreviewed_one_and_changes_nothing(
    chains, facilitator, smtp_server, django_capture_on_commit_callbacks, english
):
    steel, zorba = chains["MAT:steel-non-alloy"], chains["MAT:aluminium"]
    proposal_curate(actor=facilitator, proposal=steel, keep=True)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        proposals_release(actor=facilitator, proposals=[steel, zorba])
    assert refused.value.message_dict == {
        "proposals": [
            f"Proposal #{zorba.pk} has not been reviewed; keep it on its page first, or "
            "release it on its own."
        ]
    }
    assert refused.value.error_dict["proposals"][0].code == "not_reviewed"
    _assert_nothing_released([steel, zorba], smtp_server)


def test_a_release_of_several_refuses_dropped_ones_and_an_empty_choice(
    reviewed, facilitator, smtp_server, english
):
    steel, zorba = reviewed
    proposal_curate(actor=facilitator, proposal=zorba, keep=False)
    with pytest.raises(ValidationError) as dropped:
        proposals_release(actor=facilitator, proposals=[steel, zorba])
    assert dropped.value.message_dict["proposals"] == [
        f"Proposal #{zorba.pk} is not kept for release (dropped, released or closed)."
    ]
    with pytest.raises(ValidationError) as empty:
        proposals_release(actor=facilitator, proposals=[])
    assert empty.value.message_dict == {"proposals": ["Choose the proposals to release."]}
    steel.refresh_from_db()
    assert steel.status == ProposalStatus.PROPOSED
    assert not ProposalParty.objects.exists()


def test_the_preview_counts_distinct_organisations_and_writes_nothing(reviewed, facilitator):
    preview = release_preview(actor=facilitator, proposals=reviewed)
    assert (preview.releasable, preview.unreviewed, preview.not_kept) == (reviewed, [], [])
    assert preview.organisations == 3  # supplier, shredder, receiver: each counted once
    assert not ProposalParty.objects.exists()
    assert all(p.status == ProposalStatus.PROPOSED for p in reviewed)


def test_a_released_proposal_is_not_released_twice(released, facilitator):
    with pytest.raises(ApplicationError) as again:
        proposal_release(actor=facilitator, proposal=released)
    assert again.value.code == "wrong_state"
    assert ProposalParty.objects.filter(proposal=released).count() == 2


def test_members_release_nothing(proposal, member):
    with pytest.raises(PermissionDenied):
        proposal_release(actor=member, proposal=proposal)
    with pytest.raises(PermissionDenied):
        proposals_release(actor=member, proposals=[proposal])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


# --- the board ----------------------------------------------------------------------------------


def test_the_board_confirms_how_many_proposals_and_organisations_then_tells_every_party(
    client_for, reviewed, facilitator, party_users, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(facilitator)
    slug = reviewed[0].network.slug
    board = client.get(f"/matching/networks/{slug}/").content.decode()
    for proposal in reviewed:
        assert f'name="proposal" value="{proposal.pk}" id="choose-{proposal.pk}" checked' in board
    ids = [p.pk for p in reviewed]
    confirm = client.post(f"/matching/networks/{slug}/release/", {"proposal": ids})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Sie geben 2 geprüfte Vorschläge frei." in text
    assert "3 Organisationen werden benachrichtigt" in text
    assert not ProposalParty.objects.exists()  # the confirmation changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/matching/networks/{slug}/release/", {"proposal": ids, "confirm": "yes"}, follow=True
        )
    assert "2 Vorschläge freigegeben. 3 Organisationen benachrichtigt." in done.content.decode()
    _assert_every_party_told(smtp_server, party_users, proposals=2)


def test_the_board_leaves_out_unreviewed_proposals_and_says_so(
    client_for, chains, facilitator, smtp_server
):
    steel, zorba = chains["MAT:steel-non-alloy"], chains["MAT:aluminium"]
    proposal_curate(actor=facilitator, proposal=steel, keep=True)
    client = client_for(facilitator)
    slug = steel.network.slug
    board = client.get(f"/matching/networks/{slug}/").content.decode()
    assert f'value="{zorba.pk}" id="choose-{zorba.pk}">' in board  # not ticked
    assert "nicht geprüft" in board
    page = client.post(f"/matching/networks/{slug}/release/", {"proposal": [steel.pk, zorba.pk]})
    text = page.content.decode()
    assert "1 gewählter Vorschlag ist nicht geprüft" in text
    assert f'<input type="hidden" name="proposal" value="{steel.pk}">' in text
    assert f'<input type="hidden" name="proposal" value="{zorba.pk}">' not in text
    refused = client.post(
        f"/matching/networks/{slug}/release/",
        {"proposal": [steel.pk, zorba.pk], "confirm": "yes"},
        follow=True,
    )
    assert f"Vorschlag #{zorba.pk} ist nicht geprüft" in refused.content.decode()
    _assert_nothing_released([steel, zorba], smtp_server)


def test_one_proposal_is_released_from_its_board_row(
    client_for, chains, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    zorba = chains["MAT:aluminium"]
    client = client_for(facilitator)
    board = client.get(f"/matching/networks/{zorba.network.slug}/").content.decode()
    assert f'formaction="/matching/proposals/{zorba.pk}/release/"' in board
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/matching/proposals/{zorba.pk}/release/",
            {"next": f"/matching/networks/{zorba.network.slug}/"},
            follow=True,
        )
    assert done.redirect_chain[-1][0] == f"/matching/networks/{zorba.network.slug}/"
    assert "1 Vorschlag freigegeben. 3 Organisationen benachrichtigt." in done.content.decode()
    _assert_every_party_told(smtp_server, party_users, proposals=1)


def test_one_proposal_is_released_from_its_page(
    client_for, proposal, facilitator, member, other_member, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(facilitator)
    page = client.get(f"/matching/proposals/{proposal.pk}/").content.decode()
    assert "Noch nicht geprüft" in page
    assert f'action="/matching/proposals/{proposal.pk}/release/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/matching/proposals/{proposal.pk}/release/",
            {"next": f"/matching/proposals/{proposal.pk}/"},
        )
    assert _mailed(smtp_server) == {member.email, other_member.email}
    after = client.get(f"/matching/proposals/{proposal.pk}/").content.decode()
    assert f'action="/matching/proposals/{proposal.pk}/release/"' not in after


# --- the API ------------------------------------------------------------------------------------


def _api(token_for, user) -> Client:
    return Client(headers=token_for(user) if user else {})


def test_the_api_previews_then_releases_and_tells_every_party(
    token_for, reviewed, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    client = _api(token_for, facilitator)
    run = reviewed[0].run
    url = f"/api/v1/matching/runs/{run.pk}/release"
    ids = [p.pk for p in reviewed]
    preview = client.post(url, {"proposals": ids}, content_type="application/json")
    assert preview.status_code == 200
    assert preview.json() == {
        "confirmed": False,
        "proposals": ids,
        "organisations": 3,
        "unreviewed": [],
        "not_kept": [],
        "released": [],
    }
    assert not ProposalParty.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"proposals": ids, "confirm": True}, content_type="application/json"
        )
    assert done.status_code == 200
    body = done.json()
    assert (body["confirmed"], body["proposals"], body["organisations"]) == (True, ids, 3)
    assert [p["status"] for p in body["released"]] == ["released", "released"]
    _assert_every_party_told(smtp_server, party_users, proposals=2)


def test_the_api_refuses_unreviewed_and_foreign_proposals_with_422(
    token_for, chains, facilitator, smtp_server
):
    client = _api(token_for, facilitator)
    steel, zorba = sorted(chains.values(), key=lambda p: p.pk)
    proposal_curate(actor=facilitator, proposal=steel, keep=True)
    url = f"/api/v1/matching/runs/{steel.run_id}/release"
    preview = client.post(url, {"proposals": [steel.pk, zorba.pk]}, content_type="application/json")
    assert preview.json()["unreviewed"] == [zorba.pk]
    assert preview.json()["proposals"] == [steel.pk]
    refused = client.post(
        url, {"proposals": [steel.pk, zorba.pk], "confirm": True}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["codes"] == {"proposals": ["not_reviewed"]}
    foreign = client.post(
        url, {"proposals": [steel.pk, zorba.pk + 1000], "confirm": True},
        content_type="application/json",
    )  # fmt: skip
    assert foreign.status_code == 422
    assert foreign.json()["codes"] == {"proposals": ["not_of_run"]}
    _assert_nothing_released([steel, zorba], smtp_server)


def test_without_a_choice_the_api_takes_the_runs_reviewed_proposals_only(
    token_for, chains, facilitator, django_capture_on_commit_callbacks
):
    steel, zorba = sorted(chains.values(), key=lambda p: p.pk)
    proposal_curate(actor=facilitator, proposal=zorba, keep=True)
    with django_capture_on_commit_callbacks(execute=True):
        done = _api(token_for, facilitator).post(
            f"/api/v1/matching/runs/{steel.run_id}/release",
            {"confirm": True},
            content_type="application/json",
        )
    assert done.json()["proposals"] == [zorba.pk]
    steel.refresh_from_db()
    zorba.refresh_from_db()
    assert (steel.status, zorba.status) == (ProposalStatus.PROPOSED, ProposalStatus.RELEASED)


def test_the_api_releases_one_proposal_and_tells_every_party(
    token_for, chains, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    zorba = chains["MAT:aluminium"]
    with django_capture_on_commit_callbacks(execute=True):
        done = _api(token_for, facilitator).post(
            f"/api/v1/proposals/{zorba.pk}/release", {}, content_type="application/json"
        )
    assert done.status_code == 200 and done.json()["status"] == "released"
    assert done.json()["can_release"] is False
    _assert_every_party_told(smtp_server, party_users, proposals=1)
    again = _api(token_for, facilitator).post(f"/api/v1/proposals/{zorba.pk}/release")
    assert again.status_code == 409


# --- the CLI ------------------------------------------------------------------------------------


def test_the_cli_releases_one_proposal_after_asking(
    chains, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    zorba = chains["MAT:aluminium"]
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "match", "release", "--proposal", str(zorba.pk), "--as", facilitator.email,
            stdin=io.StringIO("ja\n"), stdout=out,
        )  # fmt: skip
    assert out.getvalue().splitlines() == [
        f"1 Vorschlag wird freigegeben (#{zorba.pk}). 3 Organisationen werden benachrichtigt.",
        "Freigeben? [j/N] 1 Vorschlag freigegeben. 3 Organisationen benachrichtigt.",
    ]
    _assert_every_party_told(smtp_server, party_users, proposals=1)


def test_the_cli_releases_a_runs_reviewed_proposals_with_yes(
    reviewed, facilitator, party_users, smtp_server, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "match", "release", "--run", str(reviewed[0].run_id), "--reviewed", "--yes",
            "--as", facilitator.email, stdout=out,
        )  # fmt: skip
    assert out.getvalue().splitlines()[-1] == (
        "2 Vorschläge freigegeben. 3 Organisationen benachrichtigt."
    )
    _assert_every_party_told(smtp_server, party_users, proposals=2)


def test_the_cli_releases_nothing_without_a_yes(chains, facilitator, smtp_server):
    zorba = chains["MAT:aluminium"]
    with pytest.raises(CommandError) as stopped:
        call_command(
            "match", "release", "--proposal", str(zorba.pk), "--as", facilitator.email,
            stdin=io.StringIO("\n"), stdout=io.StringIO(),
        )  # fmt: skip
    assert str(stopped.value) == "Nichts freigegeben."
    _assert_nothing_released([zorba], smtp_server)


def test_the_cli_refuses_several_with_an_unreviewed_one_in_one_line(
    chains, facilitator, smtp_server
):
    steel, zorba = sorted(chains.values(), key=lambda p: p.pk)
    proposal_curate(actor=facilitator, proposal=steel, keep=True)
    with pytest.raises(CommandError) as refused:
        call_command(
            "match", "release", "--proposal", str(steel.pk), "--proposal", str(zorba.pk),
            "--yes", "--as", facilitator.email,
        )  # fmt: skip
    assert "\n" not in str(refused.value)
    assert f"#{zorba.pk}" in str(refused.value) and "nicht geprüft" in str(refused.value)
    with pytest.raises(CommandError) as unreviewed_run:
        call_command("match", "release", "--run", str(steel.run_id), "--as", facilitator.email)
    assert "--reviewed" in str(unreviewed_run.value)
    _assert_nothing_released([steel, zorba], smtp_server)


# --- who may release ----------------------------------------------------------------------------

WHO = ["anonymous", "other_member", "member", "other_facilitator", "facilitator", "admin"]


@pytest.fixture
def release_actors(actors, outsider, other_facilitator):
    """The matrix: ``member`` is a party's user, ``other_member`` one of no party."""
    return actors | {"other_member": outsider, "other_facilitator": other_facilitator}


PAGE_STATUS = {"anonymous": 302, "other_member": 404, "member": 404, "other_facilitator": 404,
               "facilitator": 302, "admin": 302}  # fmt: skip
API_STATUS = {"anonymous": 401, "other_member": 404, "member": 404, "other_facilitator": 404,
              "facilitator": 200, "admin": 200}  # fmt: skip


def _page_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _assert_outcome(allowed: bool, proposals, smtp_server) -> None:
    if allowed:
        for proposal in proposals:
            proposal.refresh_from_db()
            assert proposal.status == ProposalStatus.RELEASED
    else:
        _assert_nothing_released(proposals, smtp_server)
        assert not AuditEvent.objects.filter(
            object_type="matching.proposal", changes__has_key="released_at"
        ).exists()


@pytest.mark.parametrize("who", WHO)
def test_who_may_release_several_on_the_board(
    release_actors, reviewed, smtp_server, django_capture_on_commit_callbacks, who
):
    slug = reviewed[0].network.slug
    data = {"proposal": [p.pk for p in reviewed], "confirm": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = _page_client(release_actors[who]).post(f"/matching/networks/{slug}/release/", data)
    assert answer.status_code == PAGE_STATUS[who]
    if who == "anonymous":
        assert answer["Location"].startswith("/account/login/")
    _assert_outcome(who in ("facilitator", "admin"), reviewed, smtp_server)


@pytest.mark.parametrize("who", WHO)
def test_who_may_see_the_release_confirmation(release_actors, reviewed, smtp_server, who):
    slug = reviewed[0].network.slug
    answer = _page_client(release_actors[who]).post(
        f"/matching/networks/{slug}/release/", {"proposal": [p.pk for p in reviewed]}
    )
    assert answer.status_code == {**PAGE_STATUS, "facilitator": 200, "admin": 200}[who]
    _assert_nothing_released(reviewed, smtp_server)


@pytest.mark.parametrize("who", WHO)
def test_who_may_release_one_on_its_page(
    release_actors, proposal, smtp_server, django_capture_on_commit_callbacks, who
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _page_client(release_actors[who]).post(
            f"/matching/proposals/{proposal.pk}/release/"
        )
    assert answer.status_code == PAGE_STATUS[who]
    _assert_outcome(who in ("facilitator", "admin"), [proposal], smtp_server)


@pytest.mark.parametrize("who", WHO)
def test_who_may_release_several_over_the_api(
    release_actors, token_for, reviewed, smtp_server, django_capture_on_commit_callbacks, who
):
    url = f"/api/v1/matching/runs/{reviewed[0].run_id}/release"
    with django_capture_on_commit_callbacks(execute=True):
        answer = _api(token_for, release_actors[who]).post(
            url, {"confirm": True}, content_type="application/json"
        )
    assert answer.status_code == API_STATUS[who]
    if API_STATUS[who] != 200:
        assert answer["Content-Type"].startswith("application/problem+json")
    _assert_outcome(who in ("facilitator", "admin"), reviewed, smtp_server)


@pytest.mark.parametrize("who", WHO)
def test_who_may_release_one_over_the_api(
    release_actors, token_for, proposal, smtp_server, django_capture_on_commit_callbacks, who
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _api(token_for, release_actors[who]).post(
            f"/api/v1/proposals/{proposal.pk}/release"
        )
    assert answer.status_code == API_STATUS[who]
    _assert_outcome(who in ("facilitator", "admin"), [proposal], smtp_server)


def test_a_party_that_sees_a_released_proposal_may_not_release_it(
    client_for, token_for, released, member
):
    assert client_for(member).post(f"/matching/proposals/{released.pk}/release/").status_code == 403
    answer = _api(token_for, member).post(f"/api/v1/proposals/{released.pk}/release")
    assert answer.status_code == 403
    assert ProposalParty.objects.filter(proposal=released).count() == 2


@pytest.mark.parametrize("who", ["member", "other_member", "other_facilitator"])
def test_who_may_not_release_at_the_command_line(release_actors, reviewed, smtp_server, who):
    user = release_actors[who]
    for arguments in (
        ["--proposal", str(reviewed[0].pk)],
        ["--run", str(reviewed[0].run_id), "--reviewed"],
    ):
        with pytest.raises(CommandError) as refused:
            call_command("match", "release", *arguments, "--yes", "--as", user.email)
        assert "\n" not in str(refused.value)
    _assert_nothing_released(reviewed, smtp_server)
