"""Shared fixtures: users of every role, API clients with tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import NetworkFactory, OrganisationFactory, UserFactory


@pytest.fixture
def network(db):
    return NetworkFactory()


@pytest.fixture
def organisation(db, network):
    org = OrganisationFactory()
    network.memberships.create(organisation=org)
    return org


@pytest.fixture
def other_organisation(db, network):
    org = OrganisationFactory()
    network.memberships.create(organisation=org)
    return org


@pytest.fixture
def member(db, organisation):
    return UserFactory(organisation=organisation, role="member")


@pytest.fixture
def other_member(db, other_organisation):
    return UserFactory(organisation=other_organisation, role="member")


@pytest.fixture
def facilitator(db, network):
    user = UserFactory(organisation=OrganisationFactory(), role="facilitator")
    network.facilitators.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(organisation=None, role="admin")


@pytest.fixture
def client_for(db):
    """Return a logged-in browser client for a user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


DEMO_ACTORS = {
    "admin": "admin@demo.metalloop.example",
    "facilitator": "facilitator@demo.metalloop.example",
    "member": "member@demo.metalloop.example",
}


@pytest.fixture(scope="module")
def demo_tokens(django_db_setup, django_db_blocker):
    """Load the demo once for a module, with an API token ("demo actor") per demo login.

    The demo stays for the module's tests (each test's changes are rolled back by its own
    transaction) and is rolled back after the last one. Returns {actor: raw token}.
    """
    from django.db import transaction
    from django.test import override_settings

    from metalloop.accounts.models import User
    from metalloop.accounts.services import token_create
    from metalloop.network.demo import demo_load

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        demo_load()
        yield {
            actor: token_create(actor=User.objects.get(email=email), name="demo actor")[1]
            for actor, email in DEMO_ACTORS.items()
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages render with the manifest storage, as in production: collect when stale.

    A file lock keeps parallel test workers from collecting at the same time.
    """
    import fcntl
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    with open(Path(settings.STATIC_ROOT).parent / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = Path(settings.BASE_DIR, "metalloop").glob("**/static/**/*")
        newest = max((p.stat().st_mtime for p in sources if p.is_file()), default=0)
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Hash passwords with a fast hasher in tests, except where a test checks Argon2 itself."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def token_for(db):
    """Return request headers carrying a fresh API token of a user."""
    from metalloop.accounts.services import token_create

    def make(user) -> dict[str, str]:
        _, raw = token_create(actor=user, name="test")
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def actors(db, member, other_member, facilitator, admin_user):
    """The users of an authorization matrix, by name (None is anonymous)."""
    return {
        "anonymous": None,
        "other_member": other_member,
        "member": member,
        "facilitator": facilitator,
        "admin": admin_user,
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port (aiosmtpd); the platform sends mail to it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self) -> None:
            super().__init__()
            self.messages: list = []

        def handle_message(self, message) -> None:
            self.messages.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield inbox
    controller.stop()


@pytest.fixture(params=["direct", "staged"])
def write_path(request, monkeypatch):
    """Run a test of bulk writes with the rows written directly and (on SQLite) staged in
    temporary tables first, as a large import writes them."""
    from metalloop.common import bulk

    monkeypatch.setattr(bulk, "STAGE_FROM_ROWS", 1 if request.param == "staged" else 10**9)
    return request.param


SCHEMATHESIS_RUNS: dict[str, dict] = {}


def pytest_runtest_logreport(report):
    """Add up what the schemathesis runs did, per database and actor (also from xdist workers)."""
    if report.when == "call" and "schemathesis" in report.keywords:
        run = SCHEMATHESIS_RUNS.setdefault(report.nodeid, {})
        run.update(failed=report.failed, seconds=report.duration)
    for name, figures in report.user_properties:
        if name == "schemathesis" and report.when == "teardown":
            SCHEMATHESIS_RUNS.setdefault(report.nodeid, {}).update(figures)


def pytest_terminal_summary(terminalreporter):
    """Print the schemathesis figures: operations, cases, failing operations, time."""
    totals: dict[tuple[str, str], list[float]] = {}
    for run in SCHEMATHESIS_RUNS.values():
        if "actor" in run:
            total = totals.setdefault((run["database"], run["actor"]), [0, 0, 0, 0.0])
            total[0] += 1
            total[1] += run["cases"]
            total[2] += int(run.get("failed", False))
            total[3] += run.get("seconds", 0.0)
    for (database, actor), (operations, cases, failed, seconds) in sorted(totals.items()):
        terminalreporter.write_line(
            f"schemathesis on {database} as {actor}: {operations} operations, {cases} cases, "
            f"{failed} failing operations, {seconds:.1f} s"
        )
