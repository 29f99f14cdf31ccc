"""Typed, problem-collecting access to one raw entry of a data file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from metalloop.core.materials.entries import (
    Kind,
)
from metalloop.core.materials.provenance import Confidence, Provenance, Source, Wording

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
    Kind.DILUENTS: ("DIL:",),
    Kind.PROCESS_TYPES: ("PROC:",),
}


class RawEntry:
    """Typed access to one raw entry that records problems instead of raising."""

    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.raw, self.where, self.problems = raw, where, problems
        self.used: set[str] = {"code", "source", "confidence", "confirmed", "note_de", "note_en"}
        self.used.add("maintainer_note")  # for those who keep the data; never loaded

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


SOURCE_KEYS = frozenset({"document", "edition", "section", "url", "reproduces", "accessed"})
WORDED_SOURCE_KEYS = ("document", "edition", "section")


def provenance(e: RawEntry) -> Provenance:
    source = e.raw.get("source")
    if not isinstance(source, dict) or not source.get("document") or not source.get("edition"):
        e.problem("'source' needs at least 'document' and 'edition'")
        source = {"document": "?", "edition": "?"}
    extra = set(source) - SOURCE_KEYS
    if extra:
        e.problem(f"unknown source keys: {', '.join(sorted(extra))}")
    if "note" in e.raw:
        e.problem("'note' is split into note_de and note_en (for readers) and maintainer_note")
    try:
        confidence = Confidence(str(e.raw.get("confidence")))
    except ValueError:
        e.problem(
            f"'confidence' must be standard, secondary or estimate, not {e.raw.get('confidence')!r}"
        )
        confidence = Confidence.ESTIMATE
    worded = {key: wording(e, f"source.{key}", source.get(key)) for key in WORDED_SOURCE_KEYS}
    return Provenance(
        source=Source(
            **worded,
            url=str(source.get("url") or ""),
            reproduces=str(source.get("reproduces") or ""),
            accessed=str(source.get("accessed") or ""),
        ),
        confidence=confidence,
        confirmed=e.flag("confirmed", default=True),
        note=reader_note(e),
    )


def wording(e: RawEntry, key: str, value: Any) -> Wording:
    """Read a source field: one text for both languages, or a mapping with de and en."""
    if value is None or value == "":
        return Wording()
    if isinstance(value, dict):
        if set(value) != {"de", "en"} or not all(isinstance(v, str) and v for v in value.values()):
            e.problem(f"'{key}' in two languages needs exactly 'de' and 'en' texts")
            return Wording()
        return Wording(de=value["de"], en=value["en"])
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        e.problem(f"'{key}' must be text, or a mapping with 'de' and 'en'")
        return Wording()
    return Wording(de=str(value))


def reader_note(e: RawEntry) -> Wording:
    """The note for readers, which must be given in both languages or not at all."""
    de, en = e.text("note_de", required=False), e.text("note_en", required=False)
    if bool(de) != bool(en):
        e.problem("a note for readers needs both note_de and note_en")
    return Wording(de=de, en=en)


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
