"""Helpers shared by the registry's services."""

from __future__ import annotations

from typing import Any


def is_operator(actor: Any) -> bool:
    """``actor=None`` is the operator at the command line (or the demo loader)."""
    return actor is None
