"""The knowledge base: every entry by code and kind, search, and the specifications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from metalloop.core.geo import fold_name
from metalloop.core.materials.entries import (
    CleanBase,
    CrosswalkLink,
    Element,
    Entry,
    Graded,
    Kind,
)


class UnknownCode(KeyError):
    """No entry carries this code."""

    def __str__(self) -> str:
        return f"no entry of the knowledge base has the code {self.args[0]!r}"


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries, indexed once.

    Parameters
    ----------
    entries : tuple of Entry
        Every entry of every kind, each code once.
    """

    entries: tuple[Entry, ...]
    _by_code: dict[str, Entry] = field(init=False, repr=False, compare=False)
    _by_kind: dict[Kind, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _search_text: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Entry] = {}
        for entry in self.entries:
            if entry.code in by_code:
                raise ValueError(f"the code {entry.code} is used twice")
            by_code[entry.code] = entry
        by_kind: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
        for entry in self.entries:
            by_kind[entry.kind].append(entry)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_kind", {k: tuple(v) for k, v in by_kind.items()})
        object.__setattr__(self, "_search_text", {e.code: _searchable(e) for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def clean_base(self, balance: str) -> CleanBase | None:
        """The clean material melts of the base metal ``balance`` are thinned with."""
        for entry in self._by_kind[Kind.DILUENTS]:
            if isinstance(entry, CleanBase) and entry.balance == balance:
                return entry
        return None

    def get(self, code: str) -> Entry:
        """The entry with this code (also found by an alias of an alloy or grade)."""
        found = self._by_code.get(code) or self._by_alias(code)
        if found is None:
            raise UnknownCode(code)
        return found

    def _by_alias(self, text: str) -> Entry | None:
        key = fold_name(text)
        for entry in self.of_kind(Kind.ALLOYS) + self.of_kind(Kind.SCRAP_GRADES):
            assert isinstance(entry, Graded)
            if key in (fold_name(a) for a in (entry.designation, *entry.aliases)):
                return entry
        return None

    def of_kind(self, kind: Kind) -> tuple[Entry, ...]:
        return self._by_kind[kind]

    def search(self, text: str, kinds: Iterable[Kind] | None = None) -> list[Entry]:
        """Entries whose code, names, aliases or descriptions contain every word of ``text``."""
        words = fold_name(text).split()
        wanted = set(kinds) if kinds is not None else set(Kind)
        hits = [
            e
            for e in self.entries
            if e.kind in wanted and all(w in self._search_text[e.code] for w in words)
        ]
        exact = fold_name(text)
        return sorted(hits, key=lambda e: (fold_name(e.code) != exact, e.kind.value, e.code))

    @cached_property
    def element_symbols(self) -> frozenset[str]:
        """The symbols of the chemical elements (computed once: every analysis checks them)."""
        return frozenset(e.symbol for e in self.of_kind(Kind.ELEMENTS) if isinstance(e, Element))

    def graded(self) -> tuple[Graded, ...]:
        """Alloys and scrap grades that carry a chemistry specification."""
        return tuple(
            e
            for e in self.of_kind(Kind.ALLOYS) + self.of_kind(Kind.SCRAP_GRADES)
            if isinstance(e, Graded) and e.specification.has_chemistry
        )

    def links_of(self, code: str) -> tuple[CrosswalkLink, ...]:
        """Crosswalk links that name ``code`` (a material, waste code, grade or customs code)."""
        return tuple(
            link
            for link in self.of_kind(Kind.CROSSWALK)
            if isinstance(link, CrosswalkLink)
            and code in (link.material, *link.waste_codes, *link.scrap_grades, *link.customs_codes)
        )


def _searchable(entry: Entry) -> str:
    parts = [entry.code, entry.name_de, entry.name_en]
    if isinstance(entry, Graded):
        parts += [entry.designation, *entry.aliases, entry.description_de, entry.description_en]
    for attribute in ("number", "symbol", "route", "region", "description_de", "description_en"):
        value = getattr(entry, attribute, "")
        if value:
            parts.append(str(value))
    return fold_name(" ".join(parts))
