"""Failed logins pause the account from the guessing address only (django-axes), an address
trying many accounts pauses for accounts new to it, and nobody else is locked out."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import formats, timezone

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
WRONG = "E-Mail-Adresse oder Passwort ist falsch."


def log_in(client: Client, email: str, password: str, address: str):
    return client.post(
        "/account/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors() if response.context else []


def paused_until(email: str, address: str) -> str:
    last = AccessAttempt.objects.get(username=email, ip_address=address).attempt_time
    return formats.time_format(timezone.localtime(last + dt.timedelta(minutes=15)), "H:i")


def account_message(email: str, address: str) -> str:
    return (
        "Zu viele fehlgeschlagene Anmeldungen bei diesem Konto von Ihrem Anschluss aus. Zu "
        f"seinem Schutz sind Anmeldungen von hier bis {paused_until(email, address)} Uhr "
        "pausiert; versuchen Sie es dann erneut oder setzen Sie per E-Mail ein neues Passwort."
    )


def test_the_fifth_failure_pauses_the_account_from_that_address_and_says_until_when():
    UserFactory(email="anna@example.org")
    client = Client()

    answers = [log_in(client, "anna@example.org", "falsch", ATTACKER) for _ in range(5)]
    right_password = log_in(client, "anna@example.org", TEST_PASSWORD, ATTACKER)

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert [errors(a) for a in answers[:4]] == [[WRONG]] * 4
    assert errors(answers[4]) == [account_message("anna@example.org", ATTACKER)]
    assert right_password.status_code == 429
    assert errors(right_password) == [account_message("anna@example.org", ATTACKER)]
    assert "_auth_user_id" not in client.session
    # Tries during the pause do not prolong it.
    assert AccessAttempt.objects.get(username="anna@example.org").failures_since_start == 5


def test_a_third_party_cannot_lock_the_owner_out():
    owner = UserFactory(email="anna@example.org")
    for _ in range(8):
        log_in(Client(), "Anna@Example.org", "falsch", ATTACKER)

    owner_client = Client()
    response = log_in(owner_client, "anna@example.org", TEST_PASSWORD, OWNER)

    assert response.status_code == 302
    assert int(owner_client.session["_auth_user_id"]) == owner.pk


def test_the_pause_ends_after_the_window():
    user = UserFactory(email="anna@example.org")
    for _ in range(5):
        log_in(Client(), "anna@example.org", "falsch", ATTACKER)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))

    client = Client()
    response = log_in(client, "anna@example.org", TEST_PASSWORD, ATTACKER)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_success_forgives_earlier_failures():
    UserFactory(email="anna@example.org")
    for _ in range(4):
        log_in(Client(), "anna@example.org", "falsch", OWNER)
    assert log_in(Client(), "anna@example.org", TEST_PASSWORD, OWNER).status_code == 302

    answers = [log_in(Client(), "anna@example.org", "falsch", OWNER) for _ in range(4)]

    assert [a.status_code for a in answers] == [200] * 4


def test_an_unknown_address_is_paused_alike_so_nothing_tells_which_accounts_exist():
    UserFactory(email="anna@example.org")

    known = [log_in(Client(), "anna@example.org", "falsch", ATTACKER) for _ in range(5)]
    unknown = [log_in(Client(), "niemand@example.org", "falsch", ATTACKER) for _ in range(5)]

    assert [a.status_code for a in known] == [a.status_code for a in unknown]
    assert errors(unknown[4]) == [account_message("niemand@example.org", ATTACKER)]


def test_an_address_trying_many_accounts_pauses_only_for_accounts_new_to_it(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    colleague = UserFactory(email="kollege@example.org")
    newcomer = UserFactory(email="neu@example.org")
    assert log_in(Client(), colleague.email, TEST_PASSWORD, ATTACKER).status_code == 302
    for number in range(6):
        assert (
            log_in(Client(), f"opfer{number}@example.org", "geraten", ATTACKER).status_code == 200
        )

    stuffing = log_in(Client(), "opfer9@example.org", "geraten", ATTACKER)
    new_to_it = log_in(Client(), newcomer.email, TEST_PASSWORD, ATTACKER)
    known_to_it = log_in(Client(), colleague.email, TEST_PASSWORD, ATTACKER)
    elsewhere = log_in(Client(), newcomer.email, TEST_PASSWORD, OWNER)

    last = AccessAttempt.objects.filter(ip_address=ATTACKER).latest("attempt_time").attempt_time
    until = formats.time_format(timezone.localtime(last + dt.timedelta(minutes=15)), "H:i")
    message = (
        "Zu viele fehlgeschlagene Anmeldungen bei verschiedenen Konten von Ihrem Anschluss "
        "aus. Anmeldungen bei Konten, die von hier noch nicht benutzt wurden, sind bis "
        f"{until} Uhr pausiert."
    )
    assert (stuffing.status_code, errors(stuffing)) == (429, [message])
    assert (new_to_it.status_code, errors(new_to_it)) == (429, [message])
    assert (known_to_it.status_code, elsewhere.status_code) == (302, 302)


def test_api_tokens_are_not_logins_and_are_never_paused(token_for, member):
    headers = token_for(member)
    for _ in range(6):
        log_in(Client(), member.email, "falsch", ATTACKER)

    response = Client().get("/api/v1/me", headers=headers, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_the_admin_logs_in_through_the_same_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/admin/"
