"""Authentication by e-mail and password, throttled against guessing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from metalloop.accounts.models import User
from metalloop.accounts.selectors import login_is_throttled
from metalloop.accounts.services import login_attempt_record
from metalloop.common.http import client_ip_of


class EmailBackend(BaseBackend):
    """Check e-mail and password; refuse at once while the account or address is throttled."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        address = (email or username or "").strip().lower()
        if not address or password is None:
            return None
        ip = client_ip_of(request)
        if login_is_throttled(email=address, client_ip=ip):
            login_attempt_record(email=address, client_ip=ip, succeeded=False)
            raise PermissionDenied("login throttled")
        user = User.objects.filter(email=address, is_active=True).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint
            login_attempt_record(email=address, client_ip=ip, succeeded=False)
            return None
        if not user.check_password(password):
            login_attempt_record(email=address, client_ip=ip, succeeded=False)
            return None
        login_attempt_record(email=address, client_ip=ip, succeeded=True)
        return user

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
