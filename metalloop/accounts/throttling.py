"""Failed logins slow an attacker down without letting anyone lock the owner out.

django-axes records every failed login (``AccessAttempt``: account, client address, time)
and every successful one (``AccessLog``). Two locks follow from them, each for
``AXES_COOLOFF_TIME`` after the last failure (settings.py reads both from the environment):

- **account and address together**: after ``LOGIN_FAILURE_LIMIT`` failures for one account
  from one client address, that account cannot log in *from that address*. Someone guessing
  from elsewhere never locks the owner out, and the owner's own address is not blocked by
  failures of others (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``).
- **address, for accounts new to it**: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from
  one address over any accounts (someone trying a list of stolen passwords), that address
  cannot log in to accounts that never logged in from it. The people of a company behind one
  address who have logged in before keep working; the attacker, who tries accounts new to
  that address, is stopped. Only those sharing the attacker's own address are concerned.

The lock applies to accounts that do not exist as well, so it tells nothing about which
addresses are registered. API tokens are not logins and are never locked.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metalloop.common.http import client_ip_of

LOCKED_STATUS = 429


class LockKind(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a login attempt names, as the backend compares it (lower case)."""
    if credentials is not None:
        raw = credentials.get("username") or credentials.get("email") or ""
    else:
        raw = request.POST.get("username", "")
    return str(raw).strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address as every throttle of metalloop sees it."""
    return client_ip_of(request)


def _recent(request: HttpRequest) -> Any:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(ip_address=client_address(request), attempt_time__gte=since)


def _failures(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def address_is_locked(request: HttpRequest, username: str) -> bool:
    """Too many failures from this address over any accounts, and the account is new to it."""
    address = client_address(request)
    if _failures(_recent(request)) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return False
    return not AccessLog.objects.filter(username=username, ip_address=address).exists()


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """axes' database handler with the lock of an address for accounts new to it."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_is_locked(request, login_username(request, credentials))


def lock_of(request: HttpRequest, username: str) -> tuple[LockKind, dt.datetime]:
    """Which lock holds a login back, and until when."""
    own = _recent(request).filter(username=username)
    if _failures(own) >= settings.AXES_FAILURE_LIMIT:
        return LockKind.ACCOUNT, own.aggregate(last=Max("attempt_time"))["last"] + (
            settings.AXES_COOLOFF_TIME
        )
    last = _recent(request).aggregate(last=Max("attempt_time"))["last"] or timezone.now()
    return LockKind.ADDRESS, last + settings.AXES_COOLOFF_TIME


def lockout_message(request: HttpRequest, username: str) -> str:
    """Say what happened and from when the person may try again."""
    kind, until = lock_of(request, username)
    time = formats.time_format(timezone.localtime(until), "TIME_FORMAT")
    if kind == LockKind.ACCOUNT:
        return _(
            "Too many failed logins to this account from your connection. To protect it, "
            "logins from here are paused until %(time)s; try again then, or set a new "
            "password by e-mail."
        ) % {"time": time}
    return _(
        "Too many failed logins to different accounts from your connection. Logins to "
        "accounts that have not been used from here are paused until %(time)s."
    ) % {"time": time}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """Keep the login page (its form says why and until when) and answer 429."""
    if original_response is None:
        message = lockout_message(request, login_username(request, credentials))
        return HttpResponse(message, status=LOCKED_STATUS, content_type="text/plain")
    original_response.status_code = LOCKED_STATUS
    return original_response
