"""The REST API under /api/v1: one NinjaAPI with a router per app."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Schema

from metalloop.accounts.api import router as accounts_router
from metalloop.common.json_parser import StrictJSONParser
from metalloop.common.openapi import DocumentedProblemsAPI
from metalloop.common.problems import install_problem_handlers
from metalloop.exchange.api import router as exchange_router
from metalloop.matching.api import router as matching_router
from metalloop.materials.api import router as materials_router
from metalloop.network.api import router as network_router

api = DocumentedProblemsAPI(
    title="metalloop API",
    version="1",
    description=(
        "Network registry and material exchange of a regional circular-economy network of the "
        "metal industry. Reads are public where the pages are; writes need a personal API "
        "token (`Authorization: Bearer mlp_...`) and the right role. Errors are "
        "application/problem+json."
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=StrictJSONParser(),
)
install_problem_handlers(api)
api.add_router("/", network_router)
api.add_router("/", accounts_router)
api.add_router("/", materials_router)
api.add_router("/", matching_router)
api.add_router("/", exchange_router)


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", response=HealthOut, tags=["platform"], operation_id="health_get")
def health(request: HttpRequest) -> HealthOut:
    """Tell whether the platform and its database answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HealthOut(status="ok", database=connection.vendor)
