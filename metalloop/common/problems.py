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
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict

from metalloop.common.errors import (
    ApplicationError,
    too_much_data_message,
    validation_codes,
    validation_messages,
)
from metalloop.common.imports import ImportRejected
from metalloop.common.tabular import TableError, TableTooLarge

PROBLEM_CONTENT_TYPE = "application/problem+json"
# ninja's message when a body is no JSON at all (it wraps every parser error in it).
NINJA_UNREADABLE_BODY = "Cannot parse request body"


class Problem(Schema):
    """An error answer (RFC 9457), sent as application/problem+json."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="Always 'about:blank': the status says it.")
    title: str = Field(..., description="What went wrong, in the language of the request.")
    status: int = Field(..., description="The HTTP status code.")
    detail: str = Field("", description="More about it, where there is more to say.")
    instance: str = Field(..., description="The path of the request.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="422: messages per field (dotted path; '__all__' for the whole input).",
    )
    codes: dict[str, list[str]] = Field(
        default_factory=dict, description="422: stable error codes per field, as in 'errors'."
    )
    code: str = Field("", description="409: a stable code of the rule that refused.")


class UnreadableRequest(Exception):
    """The request holds what no field can take (a NUL character): 400 in the API."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def unreadable_title() -> str:
    return _("The request contains something that cannot be read.")


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """Declare the problem answers an operation gives besides those every operation may give.

    400, 401 (with a token), 413 (with a body) and 422 (with input) are added to the OpenAPI
    document for every operation they apply to (``document_problems``); declare 403, 404 and
    409 where the operation can really answer them.
    """
    return dict.fromkeys(statuses, Problem)


def problem(
    request: HttpRequest, *, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    """Build one problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def too_much_data_problem(request: HttpRequest, error: Exception) -> HttpResponse:
    """Answer 413 with a short title and, as detail, the limit the request broke."""
    return problem(
        request,
        status=413,
        title=_("The request is too large."),
        detail=too_much_data_message(error),
    )


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

    @api.exception_handler(UnreadableRequest)
    def on_unreadable(request: HttpRequest, exc: UnreadableRequest) -> HttpResponse:
        return problem(request, status=400, title=unreadable_title(), detail=exc.detail)

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
        # Multipart bodies of the API are parsed by the endpoint, not by the input guard.
        return too_much_data_problem(request, exc)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith(NINJA_UNREADABLE_BODY):
            return problem(
                request,
                status=400,
                title=_("The request body is not valid JSON."),
                detail=_("Send a JSON document with finite numbers and UTF-8 text."),
            )
        return problem(request, status=exc.status_code, title=str(exc))
