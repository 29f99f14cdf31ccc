"""Load the deterministic demo network from the YAML files in ``data/``.

Everything is created through the services with ``actor=None`` (the operator) and
``origin="demo"``, inside one transaction: a broken file or a failing record leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from metalloop.accounts.models import Organisation
from metalloop.network.demo.reading import read_demo_data, refuse_collisions
from metalloop.network.demo.users import DEMO_USERS, DemoUser
from metalloop.network.demo.writing import DemoWriter

DATA_DIR = Path(__file__).resolve().parent / "data"

DemoExtension = Callable[[], Mapping[str, int]]
DEMO_EXTENSIONS: list[DemoExtension] = []
"""Loaders of higher apps (the exchange) that add their demo data after the registry's, in the
same transaction, and return what they created by kind. They register in their
``AppConfig.ready()`` through :func:`register_demo_extension` (the registry cannot import them)."""


def register_demo_extension(extension: DemoExtension) -> None:
    """Run ``extension`` after the registry's demo data whenever the demo is loaded."""
    if extension not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extension)


@dataclass(frozen=True)
class DemoLoadResult:
    """What ``demo_load`` did: how many records of each kind it created, and the logins."""

    loaded: bool
    counts: Mapping[str, int] = field(default_factory=dict)
    users: tuple[DemoUser, ...] = ()
    reason: str = ""

    def summary(self) -> str:
        """Say in one line what was created, or why nothing was."""
        if not self.loaded:
            return f"Demo not loaded: {self.reason}."
        figures = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items())
        return f"Demo network loaded: {figures}."


def demo_load(*, if_empty: bool = True, data_dir: Path | None = None) -> DemoLoadResult:
    """Load the demo network, all or nothing; with ``if_empty`` only into an empty registry."""
    existing = Organisation.objects.count()
    if if_empty and existing:
        reason = f"the database is not empty ({existing} organisations); nothing was loaded"
        return DemoLoadResult(loaded=False, reason=reason)
    data = read_demo_data(data_dir or DATA_DIR)
    with transaction.atomic():
        refuse_collisions(data)
        counts = DemoWriter(data).write()
        for extension in DEMO_EXTENSIONS:
            counts.update(extension())
    return DemoLoadResult(loaded=True, counts=counts, users=DEMO_USERS)
