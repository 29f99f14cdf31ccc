"""REST endpoints for the token holder: who am I, and my personal API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from metalloop.accounts import selectors, services
from metalloop.accounts.auth import TokenAuth, actor_of
from metalloop.accounts.schemas import MeOut, TokenCreatedOut, TokenCreateIn, TokenOut
from metalloop.common.params import RecordId
from metalloop.common.problems import problems

router = Router(tags=["account"], auth=[TokenAuth()])


@router.get("/me", response=MeOut, operation_id="me_get")
def me_get(request: HttpRequest) -> Any:
    """Tell who the token belongs to."""
    return actor_of(request)


@router.get("/tokens", response={200: list[TokenOut]}, operation_id="tokens_list")
def tokens_list(request: HttpRequest) -> Any:
    """List my API tokens (never their secrets)."""
    return list(selectors.token_list(actor=actor_of(request)))


@router.post("/tokens", response={201: TokenCreatedOut}, operation_id="tokens_create")
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Any:
    """Create an API token; its secret is shown in this answer only."""
    token, raw = services.token_create(actor=actor_of(request), name=payload.name, origin="api")
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete(
    "/tokens/{token_id}", response={204: None} | problems(404), operation_id="tokens_revoke"
)
def tokens_revoke(request: HttpRequest, token_id: RecordId) -> Any:
    """Revoke one of my API tokens."""
    actor = actor_of(request)
    services.token_revoke(actor=actor, token=selectors.token_get(actor=actor, token_id=token_id))
    return Status(204, None)
