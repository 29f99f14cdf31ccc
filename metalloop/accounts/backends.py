"""Authentication by e-mail and password (django-axes' backend before it pauses guessing)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from metalloop.accounts.models import User


class EmailBackend(BaseBackend):
    """Check e-mail and password, with the same work whether the account exists or not."""

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
        user = User.objects.filter(email=address, is_active=True).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint
            return None
        return user if user.check_password(password) else None

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
