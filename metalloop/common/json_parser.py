"""Read API request bodies as strict JSON: finite numbers and well-formed text only.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e400`` (as an infinite float) and lone
UTF-16 surrogates (``"\\ud800"``), none of which is JSON a database can take: such a body
is refused as unreadable (400) before any schema or service sees it. Multipart form fields
and file names with a NUL character are refused here too (the input guard leaves multipart
bodies of the API alone, so that an endpoint reading the raw body can still do so).
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser

from metalloop.common.problems import UnreadableRequest


class UnreadableJSON(ValueError):
    """The body is not strict JSON."""


def _refuse_constant(name: str) -> float:
    raise UnreadableJSON(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnreadableJSON(f"{text} is out of the range of a number")
    return value


def _check_text(value: Any) -> None:
    """Refuse strings (keys too) that hold a lone surrogate, which no database can encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise UnreadableJSON("text with a lone surrogate") from error
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


def parse_strict_json(body: bytes) -> Any:
    """Parse ``body`` as JSON with finite numbers and encodable text, else raise."""
    data = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    _check_text(data)
    return data


class StrictJSONParser(Parser):
    """ninja's parser with strict JSON bodies (query strings are read as before)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], parse_strict_json(request.body))

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for name, values in data.lists():
            texts = [getattr(value, "name", value) or "" for value in values]
            if "\x00" in name or any("\x00" in text for text in texts):
                raise UnreadableRequest(_("A form field contains a NUL character (U+0000)."))
        return super().parse_querydict(data, list_fields, request)
