"""``metalloop ref show|search|check|classify``: the knowledge base at the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from metalloop.common.errors import one_line
from metalloop.core.materials.entries import Entry, Kind
from metalloop.materials import adapters, presenters, selectors
from metalloop.materials.labels import (
    FIELD_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    UNCONFIRMED,
    VERDICT_LABELS,
)


class Command(BaseCommand):
    help = "Show, search and apply the materials knowledge base."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        show = actions.add_parser("show", help="show one entry with its source")
        show.add_argument("code")
        search = actions.add_parser("search", help="find entries by words")
        search.add_argument("text")
        search.add_argument("--kind", choices=[k.value for k in Kind])
        check = actions.add_parser("check", help="check an analysis against a grade or alloy")
        check.add_argument("specification")
        check.add_argument("--analysis", required=True, help='e.g. "Cr=18.1,Ni=8.3,C=0.03" (wt-%%)')
        classify = actions.add_parser(
            "classify", help="list the grades and alloys an analysis fits"
        )
        classify.add_argument("--analysis", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except (ValidationError, Http404) as error:
            raise CommandError(one_line(error)) from error

    def _show(self, code: str, **__: Any) -> None:
        entry = selectors.reference_get(actor=None, code=code)
        out = presenters.entry_out(entry)
        self.stdout.write(f"{entry.code}  {out['name']}  [{KIND_LABELS[entry.kind]}]")
        for key, value in out["data"].items():
            if key == "composition":
                heading = _("Chemical composition (wt-%)")
                self.stdout.write(f"  {heading}: {_limits(value)}")
            elif value not in (None, "", [], {}):
                shown = ", ".join(map(str, value)) if isinstance(value, list) else value
                self.stdout.write(f"  {FIELD_LABELS.get(key, key)}: {shown}")
        for line in presenters.provenance_lines(entry):
            self.stdout.write(f"  {line}")

    def _search(self, text: str, kind: str | None = None, **__: Any) -> None:
        found = selectors.reference_list(actor=None, kind=Kind(kind) if kind else None, q=text)
        if not found:
            raise CommandError(
                _("Nothing in the knowledge base matches %(text)s.") % {"text": text}
            )
        for entry in found:
            name = entry.name(presenters.language())
            self.stdout.write(
                f"{entry.code:<24} {KIND_LABELS[entry.kind]!s:<20} {name}  ({_confidence(entry)})"
            )

    def _check(self, specification: str, analysis: str, **__: Any) -> None:
        entry, result = adapters.check_analysis(specification, analysis)
        out = presenters.check_out(entry, result)
        self.stdout.write(f"{VERDICT_LABELS[out['verdict']]}: {out['explanation']}")
        head = [_("Element"), _("Limit"), _("Analysis (wt-%)"), _("Headroom (wt-%)"), _("Status")]
        self.stdout.write(f"  {head[0]:<12} {head[1]:<22} {head[2]:<18} {head[3]:>16}  {head[4]}")
        for line in out["lines"]:
            value = (
                "—" if line["value_min"] is None else _range(line["value_min"], line["value_max"])
            )
            headroom = "—" if line["headroom"] is None else f"{line['headroom']:+.4g}"
            cells = f"{line['subject']:<12} {line['limit']:<22} {value:<18} {headroom:>16}"
            self.stdout.write(f"  {cells}  {STATUS_LABELS.get(line['status'], line['status'])}")
        for line in presenters.provenance_lines(entry):
            self.stdout.write(f"  {line}")

    def _classify(self, analysis: str, **__: Any) -> None:
        matches = adapters.classify_analysis(analysis)
        if not matches:
            self.stdout.write(
                _("No alloy or scrap grade of the knowledge base fits this analysis.")
            )
            return
        for entry, match in matches:
            verdict = str(VERDICT_LABELS[match.result.verdict.value])
            dilution = (
                ", " + _("dilution %(share).0f %%") % {"share": match.result.dilution * 100}
                if match.result.dilution
                else ""
            )
            name = entry.name(presenters.language())
            self.stdout.write(
                f"{entry.code:<24} {verdict:<22} {name}{dilution}  ({_confidence(entry)})"
            )


def _range(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def _limits(composition: dict[str, Any]) -> str:
    """Limits as one line: ``Cr 17.5–19.5, Ni 8–10.5, C ≤ 0.07, Fe remainder``."""
    parts = []
    for element, (low, high) in composition["limits"].items():
        if low is None:
            parts.append(f"{element} ≤ {high:g}")
        elif high is None:
            parts.append(f"{element} ≥ {low:g}")
        else:
            parts.append(f"{element} {low:g}–{high:g}")
    parts += [f"{'+'.join(s['elements'])} ≤ {s['max']:g}" for s in composition["sum_limits"]]
    for key, words in (("others_each", _("others, each")), ("others_total", _("others, total"))):
        if composition[key] is not None:
            parts.append(f"{words} ≤ {composition[key]:g}")
    if composition["balance"]:
        remainder = _("remainder")
        parts.append(f"{composition['balance']} {remainder}")
    return ", ".join(parts)


def _confidence(entry: Entry) -> str:
    text = presenters.confidence_label(entry)
    return text if entry.provenance.confirmed else f"{text}, {UNCONFIRMED}"
