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
        self.stdout.write(f"{entry.code}  {out['name']}  [{entry.kind.value}]")
        for key, value in out["data"].items():
            if value not in (None, "", [], {}):
                self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"  source: {_citation(entry)}")
        self.stdout.write(f"  confidence: {_confidence(entry)}")
        if entry.provenance.note:
            self.stdout.write(f"  note: {entry.provenance.note.text(presenters.language())}")

    def _search(self, text: str, kind: str | None = None, **__: Any) -> None:
        found = selectors.reference_list(actor=None, kind=Kind(kind) if kind else None, q=text)
        if not found:
            raise CommandError(
                _("Nothing in the knowledge base matches %(text)s.") % {"text": text}
            )
        for entry in found:
            name = entry.name(presenters.language())
            self.stdout.write(
                f"{entry.code:<24} {entry.kind.value:<16} {name}  ({_confidence(entry)})"
            )

    def _check(self, specification: str, analysis: str, **__: Any) -> None:
        entry, result = adapters.check_analysis(specification, analysis)
        out = presenters.check_out(entry, result)
        self.stdout.write(f"{out['verdict']}: {out['explanation']}")
        self.stdout.write(
            f"  {'element':<12} {'limit':<22} {'analysis':<18} {'headroom':>10}  status"
        )
        for line in out["lines"]:
            value = (
                "—" if line["value_min"] is None else _range(line["value_min"], line["value_max"])
            )
            headroom = "—" if line["headroom"] is None else f"{line['headroom']:+.4g}"
            cells = f"{line['subject']:<12} {line['limit']:<22} {value:<18} {headroom:>10}"
            self.stdout.write(f"  {cells}  {line['status']}")
        self.stdout.write(f"  source: {_citation(entry)} ({_confidence(entry)})")

    def _classify(self, analysis: str, **__: Any) -> None:
        matches = adapters.classify_analysis(analysis)
        if not matches:
            self.stdout.write(
                _("No alloy or scrap grade of the knowledge base fits this analysis.")
            )
            return
        for entry, match in matches:
            dilution = f", dilution {match.result.dilution:.0%}" if match.result.dilution else ""
            name = entry.name(presenters.language())
            self.stdout.write(f"{entry.code:<24} {match.result.verdict.value:<20} {name}{dilution}")


def _range(low: float, high: float) -> str:
    return f"{low:g} wt-%" if low == high else f"{low:g}–{high:g} wt-%"


def _citation(entry: Entry) -> str:
    source = entry.provenance.source
    return source.citation(presenters.language()) + (f" <{source.url}>" if source.url else "")


def _confidence(entry: Entry) -> str:
    text = entry.provenance.confidence.value
    return text if entry.provenance.confirmed else f"{text}, unconfirmed"
