"""German by default, English on request: the language comes from the switch (a cookie)
or the user's saved preference, never silently from the browser."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    """Activate the language chosen with the switch, else the platform's default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.offered = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if request.path.startswith("/api/") and not chosen:
            chosen = self._from_accept_language(request)
        language = chosen if chosen in self.offered else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

    def _from_accept_language(self, request: HttpRequest) -> str:
        # API clients are programs: they say what they want in Accept-Language.
        header = request.headers.get("Accept-Language", "")
        for part in header.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in self.offered:
                return code
        return ""
