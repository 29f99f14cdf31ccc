from __future__ import annotations

import datetime as dt

from ninja import Schema


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreateIn(Schema):
    name: str


class TokenCreatedOut(TokenOut):
    token: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    organisation: str | None

    @staticmethod
    def resolve_organisation(obj: object) -> str | None:
        org = getattr(obj, "organisation", None)
        return org.slug if org else None
