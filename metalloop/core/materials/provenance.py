"""Where a figure comes from, and how far to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    """How a figure was obtained."""

    STANDARD = "standard"
    """Read in the standard or regulation itself."""
    SECONDARY = "secondary"
    """Taken from a secondary source that reproduces or cites it."""
    ESTIMATE = "estimate"
    """Our estimate, or a range combined from several sources."""


@dataclass(frozen=True, slots=True)
class Wording:
    """A short text in German and English; the German one stands for both where they agree."""

    de: str = ""
    en: str = ""

    def text(self, language: str) -> str:
        """The text for a language code ("de", "en", "en-gb"); German where English is absent."""
        return self.en if language.startswith("en") and self.en else self.de

    def __bool__(self) -> bool:
        return bool(self.de or self.en)


@dataclass(frozen=True, slots=True)
class Source:
    """A citable source: document, edition or date, section, where it was read.

    ``reproduces`` names the primary text a secondary source reproduces (for example
    "EN 10088-2:2014"); ``accessed`` is the date [YYYY-MM-DD] the source was read.
    """

    document: Wording
    edition: Wording
    section: Wording = Wording()
    url: str = ""
    reproduces: str = ""
    accessed: str = ""

    def citation(self, language: str) -> str:
        """One line in a language: document, edition, section."""
        parts = [self.document.text(language), self.edition.text(language)]
        parts.append(self.section.text(language))
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Provenance:
    """The source of an entry, its confidence, and whether it could be confirmed."""

    source: Source
    confidence: Confidence
    confirmed: bool = True
    note: Wording = Wording()
    """A sentence or two for the reader; notes for maintainers are never loaded."""
