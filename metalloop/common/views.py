"""Error pages of the platform."""

from __future__ import annotations

from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from metalloop.common.errors import too_much_data_message

TOO_MUCH = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Say what was wrong with a request Django refused (413 when it sent too much)."""
    too_much = isinstance(exception, TOO_MUCH)
    message = (
        too_much_data_message(exception)
        if isinstance(exception, TOO_MUCH)
        else _("The request could not be read.")
    )
    context = {"message": message, "back": _same_site_referer(request)}
    return render(request, "400.html", context, status=413 if too_much else 400)


def _same_site_referer(request: HttpRequest) -> str:
    """The page the request came from, if it is one of ours (else nothing to link to)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the request was refused for its host
        return ""
    return referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={host}) else ""
