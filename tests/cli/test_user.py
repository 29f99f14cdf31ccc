"""``metalloop user create``: accounts made by the operator."""

from __future__ import annotations

from io import StringIO

import pytest

from metalloop.accounts.models import User
from metalloop.common.models import AuditEvent
from tests.cli.conftest import fail_command, run_command
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Schrottplatz-im-Ruhrgebiet-2024"


def test_user_create_makes_a_member_of_an_organisation(organisation):
    out, err = run_command(
        "user",
        "create",
        "--email",
        "Erika.Muster@Example.org",
        "--role",
        "member",
        "--organisation",
        organisation.slug,
        "--name",
        "Erika Muster",
        "--password",
        PASSWORD,
    )

    assert (out, err) == ("Created erika.muster@example.org (member).\n", "")
    user = User.objects.get(email="erika.muster@example.org")
    assert (user.full_name, user.role, user.organisation) == (
        "Erika Muster",
        "member",
        organisation,
    )
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(object_type="accounts.user")
    assert (event.action, event.origin, event.actor) == ("create", "cli", None)


def test_user_create_without_a_password_prints_a_strong_generated_one_once():
    out, _ = run_command("user", "create", "--email", "admin@example.org", "--role", "admin")

    created, shown = out.splitlines()
    password = shown.removeprefix("Password (shown only now): ")
    user = User.objects.get(email="admin@example.org")
    assert created == "Created admin@example.org (admin)."
    assert len(password) == 24
    assert user.check_password(password)
    assert user.organisation is None


def test_user_create_reads_the_password_from_standard_input(organisation):
    out, _ = run_command(
        "user",
        "create",
        "--email",
        "f@example.org",
        "--role",
        "facilitator",
        "--organisation",
        organisation.slug,
        "--password-stdin",
        stdin=StringIO(f"{PASSWORD}\n"),
    )

    assert out == "Created f@example.org (facilitator).\n"
    assert User.objects.get(email="f@example.org").check_password(PASSWORD)


def test_user_create_refuses_a_taken_e_mail_address(member):
    message, _ = fail_command(
        "user", "create", "--email", member.email.upper(), "--role", "admin", "--password", PASSWORD
    )

    assert message == "email: A user with this e-mail address exists already."
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x7Qp2", "password: This password is too short. It must contain at least 12 characters."),
        ("password1234", "password: This password is too common."),
        ("184736592018", "password: This password is entirely numeric."),
    ],
)
def test_user_create_refuses_a_weak_password(password, message):
    failure, _ = fail_command(
        "user", "create", "--email", "a@example.org", "--role", "admin", "--password", password
    )

    assert failure == message
    assert not User.objects.exists()


def test_user_create_refuses_an_empty_password():
    from_option, _ = fail_command(
        "user", "create", "--email", "a@example.org", "--role", "admin", "--password", ""
    )
    from_stdin, _ = fail_command(
        "user",
        "create",
        "--email",
        "a@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin=StringIO("\n"),
    )

    assert from_option == from_stdin == "The password is empty."
    assert not User.objects.exists()


def test_user_create_refuses_an_unknown_organisation_and_a_member_without_one():
    unknown, _ = fail_command(
        "user", "create", "--email", "a@example.org", "--role", "member", "--organisation", "nope"
    )
    without, _ = fail_command("user", "create", "--email", "a@example.org", "--role", "member")

    assert unknown == "No organisation has the short name nope."
    assert without == "organisation: Members and facilitators belong to an organisation."
    assert not User.objects.exists()


def test_user_create_refuses_an_unknown_role():
    message, _ = fail_command("user", "create", "--email", "a@example.org", "--role", "boss")

    # How argparse quotes the choices differs between Python versions.
    assert message.startswith("Error: argument --role: invalid choice: 'boss' (choose from ")
    assert not User.objects.exists()


def test_user_create_keeps_other_users_untouched(organisation):
    existing = UserFactory(organisation=organisation)

    run_command("user", "create", "--email", "new@example.org", "--role", "admin")

    assert list(User.objects.values_list("email", flat=True)) == [
        "new@example.org",
        existing.email,
    ]
