"""Helpers shared by the registry's services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def is_operator(actor: Any) -> bool:
    """``actor=None`` is the operator at the command line (or the demo loader)."""
    return actor is None


@dataclass(frozen=True)
class RegistryBatch:
    """What a batch of writes (an import) looked up once for all its records.

    ``related`` holds the value-chain stages and competences by code and the networks by
    slug (small tables, read whole); ``slugs`` the organisations' slugs that are taken,
    including those the batch gives to new organisations. Sites of a batch belong to
    organisations just read from the database, so their foreign key is not checked again
    by a query each (the database enforces it on write).
    """

    related: dict[str, dict[str, Any]] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)
