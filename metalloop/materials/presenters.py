"""Shape knowledge-base results for the API, the pages and the command line."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from metalloop.core.materials.classify import Match
from metalloop.core.materials.end_of_waste import EndOfWasteResult
from metalloop.core.materials.entries import EndOfWasteRule, Entry, Graded
from metalloop.core.materials.knowledge import UnknownCode
from metalloop.core.materials.provenance import Provenance
from metalloop.core.materials.specification import CheckResult, Verdict
from metalloop.materials.adapters import entry_data, knowledge
from metalloop.materials.labels import (
    ACCESSED,
    CONFIDENCE_LABELS,
    FIELD_LABELS,
    LIMIT_WORDS,
    REPRODUCES,
    UNCONFIRMED,
)


def language() -> str:
    return get_language() or "de"


def source_of(entry: Entry | Provenance) -> dict[str, str]:
    """The source in the reader's language; notes for maintainers are never loaded."""
    provenance = entry if isinstance(entry, Provenance) else entry.provenance
    source, words = provenance.source, language()
    return {
        "document": source.document.text(words),
        "edition": source.edition.text(words),
        "section": source.section.text(words),
        "url": source.url,
        "reproduces": source.reproduces,
        "accessed": source.accessed,
    }


def confidence_label(entry: Entry | Provenance) -> str:
    """How far the figure can be trusted, in words of the reader's language."""
    provenance = entry if isinstance(entry, Provenance) else entry.provenance
    return str(CONFIDENCE_LABELS.get(provenance.confidence.value, provenance.confidence.value))


def provenance_out(entry: Entry | Provenance) -> dict[str, Any]:
    """Source, confidence (value and words), confirmation and reader note of a figure."""
    provenance = entry if isinstance(entry, Provenance) else entry.provenance
    return {
        "source": source_of(provenance),
        "confidence": provenance.confidence.value,
        "confidence_label": confidence_label(provenance),
        "confirmed": provenance.confirmed,
        "note": provenance.note.text(language()),
    }


def reference_provenance(code: str) -> dict[str, Any] | None:
    """Name and provenance of a knowledge-base entry other apps cite (None if unknown)."""
    try:
        entry = knowledge().get(code)
    except UnknownCode:
        return None
    return {"code": entry.code, "name": entry.name(language()), **provenance_out(entry)}


def accessed_on(text: str) -> str:
    """The date a source was read, as the reader writes dates ("" if none or not a date)."""
    try:
        return date_format(date.fromisoformat(text), "DATE_FORMAT") if text else ""
    except ValueError:
        return text


def provenance_lines(entry: Entry) -> list[str]:
    """The provenance as lines in the reader's language, for the command line."""
    source, words = entry.provenance.source, language()
    citation = source.citation(words) + (f" <{source.url}>" if source.url else "")
    trust = confidence_label(entry)
    if not entry.provenance.confirmed:
        trust += f", {UNCONFIRMED}"
    lines = [f"{_('Source')}: {citation}"]
    if source.reproduces:
        lines.append(f"{REPRODUCES}: {source.reproduces}")
    if source.accessed:
        lines.append(f"{ACCESSED} {accessed_on(source.accessed)}")
    lines.append(f"{_('Confidence')}: {trust}")
    if entry.provenance.note:
        lines.append(f"{_('Note')}: {entry.provenance.note.text(words)}")
    return lines


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "code": entry.code,
        "kind": entry.kind.value,
        "name": entry.name(language()),
        "name_de": entry.name_de,
        "name_en": entry.name_en,
        **provenance_out(entry),
        "data": entry_data(entry),
    }


def entry_facts(entry: Entry) -> list[tuple[str, Any]]:
    """The kind-specific fields of an entry as (label, value) rows for a page."""
    rows = []
    for key, value in entry_data(entry).items():
        if key == "composition" or value in (None, "", [], (), {}):
            continue
        if key == "bulk_density_t_m3":
            low, high = value
            value = f"{low:g}" if low == high else f"{low:g}–{high:g}"
        if key == "analysis":  # a diluent's analysis: "Cu ≤ 0,002 %, Ni ≤ 0,006 %"
            value = ", ".join(
                f"{element} {share_range(low, high)} %" for element, (low, high) in value.items()
            )
        if isinstance(value, dict) and set(value) == {"de", "en"}:  # a field in two languages
            value = value["en"] if language().startswith("en") and value["en"] else value["de"]
        rows.append((str(FIELD_LABELS.get(key, key)), value))
    return rows


def share_range(low: float | None, high: float | None) -> str:
    """A share's bounds in wt-% in the reader's numbers: "≤ 0,002", "0,8–1,5", "≥ 4"."""
    separator = get_format("DECIMAL_SEPARATOR")

    def number(value: float) -> str:
        return f"{value:g}".replace(".", separator)

    if not low and high is not None:
        return f"≤ {number(high)}"
    if high is None:
        return f"≥ {number(low or 0)}"
    return number(high) if low == high else f"{number(low or 0)}–{number(high)}"


DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def localise_limit(text: str) -> str:
    """Translate the unit, words and decimal points of a limit as the core writes it
    (English: "≤ 0.4 wt-%" reads "≤ 0,4 Gew.-%" in German)."""
    for word, translated in LIMIT_WORDS.items():
        text = text.replace(word, str(translated))
    return DECIMAL_POINT.sub(get_format("DECIMAL_SEPARATOR"), text)


def explain(entry: Graded, result: CheckResult) -> str:
    """One readable sentence for a verdict."""
    name = f"{entry.designation or entry.code} ({entry.code})"
    if result.verdict is Verdict.FITS:
        text = _("The analysis fits %(name)s.") % {"name": name}
    elif result.verdict is Verdict.FITS_AFTER_DILUTION:
        text = _(
            "The analysis fits %(name)s after dilution: %(elements)s too high; the lot may make up "
            "at most %(share)s %% of the charge, the rest %(diluent)s."
        ) % {
            "name": name,
            "elements": ", ".join(result.failing),
            "share": number_format(round((result.max_share or 0) * 100, 1), 1),
            "diluent": diluent_name(result.diluent, entry.specification.balance),
        }
    elif result.verdict is Verdict.FITS_AFTER_ALLOYING:
        text = _(
            "The analysis fits %(name)s after alloying: %(elements)s too low; add at least "
            "%(additions)s per tonne of the lot (as pure element or its share of a master alloy)."
        ) % {
            "name": name,
            "elements": ", ".join(result.failing),
            "additions": ", ".join(
                f"{number_format(round(a.kg_per_t, 1), 1)} kg {a.element}" for a in result.additions
            ),
        }
    else:
        text = _("The analysis does not fit %(name)s: %(elements)s.") % {
            "name": name,
            "elements": ", ".join(result.failing),
        }
    if result.not_analysed:
        text += " " + _("Not analysed: %(elements)s.") % {
            "elements": ", ".join(result.not_analysed)
        }
    return text


def diluent_name(code: str, balance: str) -> str:
    """What the charge is thinned with, by name: the knowledge base's clean material of the
    base metal, or the pure base metal where it has none."""
    if code:
        return f"{knowledge().get(code).name(language())} ({code})"
    return _("pure %(element)s (assumed free of the other elements)") % {"element": balance}


def diluent_out(code: str, balance: str) -> dict[str, str] | None:
    if not balance:
        return None
    return {"code": code, "name": diluent_name(code, balance)}


def check_out(entry: Graded, result: CheckResult) -> dict[str, Any]:
    return {
        "specification": entry.code,
        "name": entry.name(language()),
        "verdict": result.verdict.value,
        "failing": list(result.failing),
        "not_analysed": list(result.not_analysed),
        "max_share": result.max_share,
        "dilution": result.dilution,
        "diluent": (
            diluent_out(result.diluent, entry.specification.balance)
            if result.verdict is Verdict.FITS_AFTER_DILUTION
            else None
        ),
        "additions": [{"element": a.element, "kg_per_t": a.kg_per_t} for a in result.additions],
        "explanation": explain(entry, result),
        "lines": [
            {
                "subject": line.subject,
                "limit": localise_limit(line.limit),
                "value_min": None if line.value is None else round(line.value.low.percent, 6),
                "value_max": None if line.value is None else round(line.value.high.percent, 6),
                "headroom": None if line.headroom is None else round(line.headroom.percent, 6),
                "status": line.status.value,
            }
            for line in result.lines
        ],
        **provenance_out(entry),
    }


def match_out(entry: Graded, match: Match) -> dict[str, Any]:
    return {
        "code": entry.code,
        "kind": entry.kind.value,
        "name": entry.name(language()),
        "verdict": match.result.verdict.value,
        "dilution": match.result.dilution,
        "matched_elements": match.matched,
        "closeness": round(match.closeness, 4),
        "confidence": entry.provenance.confidence.value,
        "confidence_label": confidence_label(entry),
        "confirmed": entry.provenance.confirmed,
    }


def matches_out(matches: list[tuple[Graded, Match]]) -> list[dict[str, Any]]:
    return [match_out(entry, match) for entry, match in matches]


def end_of_waste_out(rule: EndOfWasteRule, result: EndOfWasteResult) -> dict[str, Any]:
    english = language().startswith("en")
    return {
        "rule": rule.code,
        "regulation": rule.regulation.text(language()),
        "outcome": result.outcome.value,
        "open_criteria": list(result.open_criteria),
        "criteria": [
            {
                "id": c.criterion.id,
                "text": c.criterion.text_en if english else c.criterion.text_de,
                "check": c.criterion.check,
                "attribute": c.criterion.attribute,
                "outcome": c.outcome.value,
            }
            for c in result.criteria
        ],
        **provenance_out(rule),
    }
