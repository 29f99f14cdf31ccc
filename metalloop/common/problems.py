"""Map the service error vocabulary to RFC 9457 (formerly 7807) problem+json responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from metalloop.common.errors import (
    ApplicationError,
    too_much_data_message,
    validation_codes,
    validation_messages,
)
from metalloop.common.imports import ImportRejected
from metalloop.common.tabular import TableError, TableTooLarge

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    request: HttpRequest, *, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    """Build one problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _ninja_field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload", "query", "path")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return fields


def install_problem_handlers(api: NinjaAPI) -> None:
    """Register the exception handlers that turn service errors into problems."""

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(
            request,
            status=422,
            title=_("The input is not valid."),
            errors=validation_messages(exc),
            codes=validation_codes(exc),
        )

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem(
            request,
            status=422,
            title=_("The input is not valid."),
            errors=_ninja_field_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            request,
            status=401,
            title=_("Authentication required."),
            detail=_("Send a personal API token: Authorization: Bearer <token>."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="metalloop"'
        return response

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(request, status=403, title=_("Not allowed."), detail=str(exc) or "")

    @api.exception_handler(Http404)
    def on_missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, status=404, title=_("Not found."))

    @api.exception_handler(ApplicationError)
    def on_conflict(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem(request, status=409, title=exc.message, code=exc.code, **exc.extra)

    @api.exception_handler(ImportRejected)
    def on_rejected_import(request: HttpRequest, exc: ImportRejected) -> HttpResponse:
        return problem(
            request,
            status=422,
            title=exc.message,
            code=exc.code,
            rows=[{"line": e.line, "field": e.field, "message": e.message} for e in exc.errors],
        )

    @api.exception_handler(TableTooLarge)
    def on_too_large_table(request: HttpRequest, exc: TableTooLarge) -> HttpResponse:
        return problem(
            request,
            status=413,
            title=_("The table is too large."),
            detail=str(exc),
            limit=exc.limit,
            maximum=exc.maximum,
        )

    @api.exception_handler(TableError)
    def on_unreadable_table(request: HttpRequest, exc: TableError) -> HttpResponse:
        return problem(
            request,
            status=422,
            title=_("The input is not valid."),
            errors={"file": [str(exc)]},
        )

    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def on_too_much_data(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return problem(request, status=413, title=too_much_data_message(exc))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, status=exc.status_code, title=str(exc))
