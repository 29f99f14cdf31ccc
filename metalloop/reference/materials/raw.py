"""Typed, problem-collecting access to one raw entry of a data file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from metalloop.core.materials.entries import (
    Kind,
)
from metalloop.core.materials.provenance import Confidence, Provenance, Source

CODE_PREFIXES = {
    Kind.ELEMENTS: ("EL:",),
    Kind.MATERIALS: ("MAT:",),
    Kind.ALLOYS: ("EN", "ISO", "DIN"),
    Kind.SCRAP_GRADES: ("EU27:", "EN13920:", "ISRI:", "HM:", "DESS:"),
    Kind.WASTE_CODES: ("AVV:",),
    Kind.CUSTOMS_CODES: ("HS:", "CN:"),
    Kind.CROSSWALK: ("XW:",),
    Kind.END_OF_WASTE: ("EOW:",),
    Kind.EMISSION_FACTORS: ("EF:",),
    Kind.R_STRATEGIES: ("R:",),
}


class RawEntry:
    """Typed access to one raw entry that records problems instead of raising."""

    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.raw, self.where, self.problems = raw, where, problems
        self.used: set[str] = {"code", "source", "confidence", "confirmed", "note"}

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = True) -> str:
        self.used.add(key)
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"'{key}' is missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(f"'{key}' must be text")
            return ""
        return str(value)

    def number(
        self,
        key: str,
        *,
        required: bool = True,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        self.used.add(key)
        value = self.raw.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"'{key}' must be a number, not {value!r}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.problem(f"'{key}' = {value} lies outside {low}..{high}")
            return None
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        self.used.add(key)
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"'{key}' must be true or false")
            return default
        return value

    def codes(self, key: str) -> tuple[str, ...]:
        self.used.add(key)
        value = self.raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"'{key}' must be a list of codes")
            return ()
        return tuple(value)

    def strings(self, key: str) -> tuple[str, ...]:
        self.used.add(key)
        value = self.raw.get(key) or []
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list")
            return ()
        return tuple(str(v) for v in value)

    def unknown_keys(self, allowed: Iterable[str]) -> None:
        extra = set(self.raw) - self.used - set(allowed)
        if extra:
            self.problem(f"unknown keys: {', '.join(sorted(extra))}")


def provenance(e: RawEntry) -> Provenance:
    source = e.raw.get("source")
    if not isinstance(source, dict) or not source.get("document") or not source.get("edition"):
        e.problem("'source' needs at least 'document' and 'edition'")
        source = {"document": "?", "edition": "?"}
    extra = set(source) - {"document", "edition", "section", "url"}
    if extra:
        e.problem(f"unknown source keys: {', '.join(sorted(extra))}")
    try:
        confidence = Confidence(str(e.raw.get("confidence")))
    except ValueError:
        e.problem(
            f"'confidence' must be standard, secondary or estimate, not {e.raw.get('confidence')!r}"
        )
        confidence = Confidence.ESTIMATE
    return Provenance(
        source=Source(
            document=str(source.get("document", "")),
            edition=str(source.get("edition", "")),
            section=str(source.get("section") or ""),
            url=str(source.get("url") or ""),
        ),
        confidence=confidence,
        confirmed=e.flag("confirmed", default=True),
        note=str(e.raw.get("note") or ""),
    )


def common_fields(
    kind: Kind, e: RawEntry, name_keys: tuple[str, str] = ("name_de", "name_en")
) -> dict[str, Any]:
    code = e.text("code")
    if code and not code.startswith(CODE_PREFIXES[kind]):
        e.problem(f"codes of {kind.value} start with {' or '.join(CODE_PREFIXES[kind])}")
    return {
        "code": code,
        "kind": kind,
        "name_de": e.text(name_keys[0]),
        "name_en": e.text(name_keys[1]),
        "provenance": provenance(e),
    }


def choice(e: RawEntry, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = e.text(key, required=False) or default
    if value not in allowed:
        e.problem(f"'{key}' must be one of {', '.join(allowed)}, not {value!r}")
    return value
