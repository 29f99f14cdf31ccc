"""Refuse unreadable requests at the edge, before any view, form or query sees them.

PostgreSQL cannot store or even compare text holding a NUL character (U+0000): a NUL in a
path, query parameter, cookie or form/JSON field would reach a query and fail there with a
server error. One middleware refuses such requests with 400 for every interface, and answers
a body above Django's upload limits (size, fields, files) with 413 saying which limit,
instead of letting the exception escape. The contents of uploaded files are binary and never
inspected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from metalloop.common.problems import problem, too_much_data_problem, unreadable_title
from metalloop.common.views import bad_request

NUL = "\x00"
# A JSON string escape \u0000 that is not itself escaped (an odd run of backslashes before "u0000").
JSON_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class InputGuardMiddleware:
    """Answer 400 to a NUL character anywhere in a request, 413 to a body above the limits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = nul_location(request)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as too_much:
            if request.path.startswith("/api/"):
                return too_much_data_problem(request, too_much)
            return bad_request(request, too_much)
        except (MultiPartParserError, SuspiciousOperation):
            return refusal(request, status=400, detail=_("The request body cannot be read."))
        if where:
            return refusal(request, status=400, detail=where)
        return self.get_response(request)


def nul_location(request: HttpRequest) -> str:
    """Say in a sentence where the request holds a NUL character, or return ""."""
    if NUL in request.path:
        return _("The address contains a NUL character (U+0000).")
    if has_nul(request.GET.lists()):
        return _("A query parameter contains a NUL character (U+0000).")
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        return _("A cookie contains a NUL character (U+0000).")
    if request.method in BODY_METHODS and body_has_nul(request):
        return _("The request body contains a NUL character (U+0000).")
    return ""


def has_nul(fields: Iterable[tuple[str, list[str]]]) -> bool:
    """Tell whether a field name or one of its values holds a NUL character."""
    return any(NUL in name or any(NUL in value for value in values) for name, values in fields)


def body_has_nul(request: HttpRequest) -> bool:
    """Look for a NUL in form fields, file names and JSON text; file contents are binary."""
    if request.content_type == "multipart/form-data":
        if request.method != "POST" or request.path.startswith("/api/"):
            # Parsing here would keep an API endpoint from reading the raw body; the API's
            # parser checks the multipart fields it reads (common/json_parser.py).
            return False
        names = [(name, [f.name or "" for f in files]) for name, files in request.FILES.lists()]
        return has_nul(request.POST.lists()) or has_nul(names)
    body = request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
    return b"\x00" in body or JSON_NUL_ESCAPE.search(body) is not None


def refusal(request: HttpRequest, *, status: int, detail: str) -> HttpResponse:
    """Answer problem+json under /api/, else a page in the visitor's language."""
    title = _("The request is too large.") if status == 413 else unreadable_title()
    if request.path.startswith("/api/"):
        return problem(request, status=status, title=title, detail=detail)
    context = {"title": title, "detail": detail}
    return render(request, "common/refused.html", context, status=status)
