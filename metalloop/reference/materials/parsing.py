"""Parse and validate the entries of one data file."""

from __future__ import annotations

from typing import Any

from metalloop.core.materials.entries import (
    Entry,
    Kind,
)
from metalloop.reference.materials.kinds import PARSERS
from metalloop.reference.materials.raw import RawEntry


def parse_document(name: str, document: Any, problems: list[str]) -> list[Entry]:
    if not isinstance(document, dict):
        problems.append(f"{name}: the file must hold a mapping with kind, version, entries")
        return []
    try:
        kind = Kind(str(document.get("kind")))
    except ValueError:
        problems.append(f"{name}: unknown kind {document.get('kind')!r}")
        return []
    if not document.get("version"):
        problems.append(f"{name}: 'version' is missing")
    defaults = document.get("defaults") or {}
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(f"{name}: 'entries' must be a non-empty list")
        return []
    parsed = []
    for index, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            problems.append(f"{name}, entry {index}: must be a mapping")
            continue
        merged = {**defaults, **raw}
        where = f"{name}: {raw.get('code') or f'entry {index}'}"
        entry = _parse_entry(kind, RawEntry(merged, where, problems))
        if entry is not None:
            parsed.append(entry)
    return parsed


def _parse_entry(kind: Kind, e: RawEntry) -> Entry | None:
    parser = PARSERS[kind]
    entry = parser(e)
    e.unknown_keys(())
    return entry
