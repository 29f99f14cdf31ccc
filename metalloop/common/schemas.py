"""Schemas shared by the apps' APIs."""

from __future__ import annotations

from ninja import Schema


class ImportResultOut(Schema):
    """How many records an import created, changed and found unchanged."""

    created: int
    updated: int
    unchanged: int
