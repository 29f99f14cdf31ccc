"""Setting a new password by an e-mailed link, sent through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from metalloop.accounts import services
from metalloop.common.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_link(client, email):
    return client.post("/account/password/", {"email": email}, follow=True)


def test_a_user_gets_a_link_by_smtp_and_sets_a_new_password(client, smtp_server, settings):
    settings.PUBLIC_BASE_URL = "https://metalloop.example.org"
    user = UserFactory(email="anna@example.org")
    response = request_link(client, "Anna@Example.org")
    assert response.status_code == 200
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "anna@example.org"
    assert message["Subject"] == "metalloop: Passwort festlegen"
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https://metalloop\.example\.org(/account/password/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "ein neues langes Passwort",
            "new_password2": "ein neues langes Passwort",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ein neues langes Passwort")
    event = AuditEvent.objects.get(object_type="accounts.user", action="update")
    assert (event.actor, event.changes) == (user, {"password": ["***", "***"]})
    assert client.get(link, follow=True).context["validlink"] is False


def test_an_account_created_without_password_can_set_its_first_one(
    client, smtp_server, organisation
):
    services.user_create(
        actor=None, email="neu@example.org", password=None, organisation=organisation
    )
    request_link(client, "neu@example.org")
    assert [m["To"] for m in smtp_server.messages] == ["neu@example.org"]


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, smtp_server):
    response = request_link(client, "niemand@example.org")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/account/password/sent/"
    assert smtp_server.messages == []


def test_a_malformed_address_is_shown_again_with_a_message(client, smtp_server):
    response = client.post("/account/password/", {"email": "kein-at-zeichen"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert smtp_server.messages == []


def test_the_mails_to_one_address_are_throttled_with_the_same_answer(client, smtp_server, settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    UserFactory(email="anna@example.org")
    addresses = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]

    answers = [
        client.post("/account/password/", {"email": "Anna@Example.org"}, REMOTE_ADDR=address)
        for address in addresses
    ]

    assert [(a.status_code, a["Location"]) for a in answers] == [
        (302, "/account/password/sent/")
    ] * 4
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"] * 3
    other = client.post("/account/password/", {"email": "bert@example.org"})
    assert other["Location"] == "/account/password/sent/"


def test_the_mails_asked_for_from_one_client_are_throttled(client, smtp_server, settings):
    settings.PASSWORD_RESET_CLIENT_LIMIT = 2
    for name in ("anna", "bert", "carl"):
        UserFactory(email=f"{name}@example.org")

    for name in ("anna", "bert", "carl"):
        answer = client.post(
            "/account/password/", {"email": f"{name}@example.org"}, REMOTE_ADDR="203.0.113.9"
        )
        assert answer["Location"] == "/account/password/sent/"
    elsewhere = client.post(
        "/account/password/", {"email": "carl@example.org"}, REMOTE_ADDR="198.51.100.7"
    )

    assert elsewhere["Location"] == "/account/password/sent/"
    assert [m["To"] for m in smtp_server.messages] == [
        "anna@example.org",
        "bert@example.org",
        "carl@example.org",
    ]


def test_unknown_addresses_count_alike_and_old_requests_expire(client, smtp_server, settings):
    from metalloop.accounts.models import PasswordResetRequest

    settings.PASSWORD_RESET_EMAIL_LIMIT = 1
    request_link(client, "niemand@example.org")
    request_link(client, "niemand@example.org")
    UserFactory(email="anna@example.org")
    request_link(client, "anna@example.org")
    request_link(client, "anna@example.org")
    assert PasswordResetRequest.objects.count() == 2
    assert "anna@example.org" not in str(list(PasswordResetRequest.objects.values()))

    PasswordResetRequest.objects.update(
        requested_at=timezone.now() - dt.timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS)
    )
    request_link(client, "anna@example.org")

    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"] * 2
    assert PasswordResetRequest.objects.count() == 1
