"""The REST API under /api/v1: one NinjaAPI with a router per app."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from metalloop.common.problems import install_problem_handlers

api = NinjaAPI(
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
)
install_problem_handlers(api)


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", response=HealthOut, tags=["platform"], operation_id="health_get")
def health(request: HttpRequest) -> HealthOut:
    """Tell whether the platform and its database answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HealthOut(status="ok", database=connection.vendor)
