"""``metalloop token create|list|revoke``: personal API tokens of a user."""

from __future__ import annotations

import pytest
from django.utils import timezone

from metalloop.accounts.models import ApiToken
from metalloop.accounts.selectors import user_for_token
from metalloop.accounts.services import token_create
from tests.cli.conftest import fail_command, run_command

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_token_create_prints_only_a_token_that_authenticates_the_user(member):
    out, err = run_command("token", "create", "--user", member.email)

    raw = out.removesuffix("\n")
    assert "\n" not in raw
    assert err == ""
    user, token = user_for_token(raw)
    assert (user, token.name) == (member, "command line")


def test_token_create_takes_a_name(member):
    out, _ = run_command("token", "create", "--user", member.email, "--name", "ERP export")

    assert user_for_token(out.strip())[1].name == "ERP export"


def test_token_create_for_an_unknown_user_fails():
    message, _ = fail_command("token", "create", "--user", "nobody@example.org")

    assert message == "No user has the e-mail address nobody@example.org."
    assert not ApiToken.objects.exists()


def test_token_create_refuses_an_empty_name(member):
    message, _ = fail_command("token", "create", "--user", member.email, "--name", " ")

    assert message == "name: Give the token a name, e.g. the program that will use it."


def test_token_list_shows_prefix_name_and_times(member):
    first, _ = token_create(actor=member, name="ERP")
    second, _ = token_create(actor=member, name="Script")
    run_command("token", "revoke", "--user", member.email, first.prefix)
    first.refresh_from_db()

    out, _ = run_command("token", "list", "--user", member.email)

    assert out.splitlines() == [
        "prefix\tname\tcreated\tlast used\trevoked",
        f"{second.prefix}\tScript\t{local(second.created_at)}\t-\t-",
        f"{first.prefix}\tERP\t{local(first.created_at)}\t-\t{local(first.revoked_at)}",
    ]


def test_token_list_says_when_there_are_none(member):
    out, _ = run_command("token", "list", "--user", member.email)

    assert out == f"{member.email} has no API tokens.\n"


def test_token_revoke_ends_the_token(member):
    raw = run_command("token", "create", "--user", member.email)[0].strip()
    token = ApiToken.objects.get()

    out, _ = run_command("token", "revoke", "--user", member.email, token.prefix)

    assert out == f"Revoked the token {token.prefix}.\n"
    assert user_for_token(raw) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_revoke_accepts_the_whole_token(member):
    raw = run_command("token", "create", "--user", member.email)[0].strip()

    run_command("token", "revoke", "--user", member.email, raw)

    assert user_for_token(raw) is None


def test_token_revoke_finds_only_the_users_own_tokens(member, other_member):
    token, raw = token_create(actor=other_member, name="theirs")

    message, _ = fail_command("token", "revoke", "--user", member.email, token.prefix)

    assert message == f"{member.email} has no API token with the prefix {token.prefix}."
    assert user_for_token(raw) is not None
