"""Source fields hold names, numbers and dates, never prose of one language.

A source field given as one text (``document``, ``edition``, ``section``) is shown to German
and English readers alike, so it may hold what reads the same in both (a title, a standard's
number, a date); words of one language belong in a ``{de: ..., en: ...}`` mapping, and what a
maintainer should know in ``maintainer_note``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from metalloop.reference.impact import METHOD_FILE, read_method_document
from metalloop.reference.materials import read_data_files
from metalloop.reference.materials.raw import WORDED_SOURCE_KEYS

# Words that betray prose or a label of one language in a field shown to both.
PROSE_WORDS = (
    "undated",
    "web page",
    "reproduces",
    "cross-checked",
    "read in",
    "quoting",
    "quoted",
    "derived",
    "summary",
    "help article",
    "last update",
    "Table",
    "Annex",
    "Chapter",
    "Section",
    "Figure",
    "Tabelle",
    "Anhang",
    "Kapitel",
    "Abschnitt",
    "Abbildung",
    "Bezugsjahr",
    "abgeleitet",
    "gelesen",
    "siehe",
    "see",
)
PROSE = re.compile(r"\b(" + "|".join(re.escape(w) for w in PROSE_WORDS) + r")\b", re.IGNORECASE)


def sources() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(file, where, source) for every source of the data files and the impact method."""
    for name, document in read_data_files():
        default = (document.get("defaults") or {}).get("source")
        if isinstance(default, dict):
            yield name, "defaults", default
        for entry in document.get("entries") or []:
            if isinstance(entry.get("source"), dict):
                yield name, str(entry.get("code")), entry["source"]
    detour = read_method_document().get("detour") or {}
    if isinstance(detour.get("source"), dict):
        yield METHOD_FILE.name, "detour", detour["source"]


def findings(name: str) -> list[str]:
    found = []
    for file, where, source in sources():
        if file != name:
            continue
        for key in WORDED_SOURCE_KEYS:
            value = source.get(key)
            if isinstance(value, str) and (words := PROSE.findall(value)):
                found.append(f"{where}: source.{key} {value!r} has prose words {words}")
            if isinstance(value, dict) and value.get("de") == value.get("en"):
                found.append(f"{where}: source.{key} reads the same in both; give it once")
    return found


def files() -> list[str]:
    return sorted({file for file, _, _ in sources()})


@pytest.mark.parametrize("name", files())
def test_source_fields_given_once_hold_no_prose_of_one_language(name):
    assert findings(name) == []


def test_the_rule_catches_prose_and_lets_names_and_numbers_pass():
    assert PROSE.findall("undated web page; reproduces EN 10088-2:2014")
    assert PROSE.findall("Tabelle 3") and PROSE.findall("see note")
    for clean in ("EN 10088-2", "2014", "Regulation (EU) No 333/2011", "Bodensee 2020"):
        assert not PROSE.findall(clean), clean
