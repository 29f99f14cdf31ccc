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
class Source:
    """A citable source: document, edition or year, section, address."""

    document: str
    edition: str
    section: str = ""
    url: str = ""

    def citation(self) -> str:
        """One line: document, edition, section."""
        parts = [self.document, self.edition, self.section]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Provenance:
    """The source of an entry, its confidence, and whether it could be confirmed."""

    source: Source
    confidence: Confidence
    confirmed: bool = True
    note: str = ""
