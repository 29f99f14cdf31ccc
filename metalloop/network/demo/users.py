"""The demo logins and the errors of the demo loader."""

from __future__ import annotations

from dataclasses import dataclass

from metalloop.accounts.models import Role


class DemoDataError(Exception):
    """The demo data is broken or collides with the database; nothing was loaded."""


@dataclass(frozen=True)
class DemoUser:
    """A demo login; the password is printed on purpose, the data are fictitious."""

    role: str
    email: str
    password: str
    organisation_slug: str | None
    full_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        role=Role.ADMIN,
        email="admin@demo.metalloop.example",
        password="Hafenkran-Admin-2025",  # noqa: S106 - demo login, printed by the command
        organisation_slug=None,
        full_name="Demo-Administration",
    ),
    DemoUser(
        role=Role.FACILITATOR,
        email="facilitator@demo.metalloop.example",
        password="Thementisch-Moderation-2025",  # noqa: S106 - demo login, printed
        organisation_slug="effizienzwerkstatt-wupper",
        full_name="Dr. Lea Brinkhoff",
    ),
    DemoUser(
        role=Role.MEMBER,
        email="member@demo.metalloop.example",
        password="Schrottplatz-Ruhrort-2025",  # noqa: S106 - demo login, printed
        organisation_slug="rheinhafen-schrott",
        full_name="Miriam Kowalski",
    ),
)

COUNTED = (
    "organisations", "sites", "networks", "memberships", "topic_tables", "action_fields",
    "meetings", "barriers", "needs", "pilots", "users",
)  # fmt: skip
"""What ``demo_load`` counts, in the order the command prints it."""
