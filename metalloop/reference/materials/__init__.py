"""Load the materials knowledge base from the YAML files in ``data/``.

Every file is validated as it is read: its kind, every entry's keys, types, units and
ranges, its source and confidence; then every cross-reference (materials, elements, waste
and customs codes, grades) must resolve. Errors are collected and reported together, with
file and code. ``python -m metalloop.reference.materials`` validates and reports per kind
how many entries are confirmed and by which kind of source (``--json`` for one JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from metalloop.core.materials.entries import Entry, Kind
from metalloop.core.materials.knowledge import KnowledgeBase
from metalloop.core.materials.provenance import Confidence
from metalloop.reference.materials.parsing import parse_document
from metalloop.reference.materials.references import check_references

# libyaml's safe loader parses the files ten times faster than the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_DIR = Path(str(resources.files("metalloop.reference") / "data"))


class DataError(ValueError):
    """The data files are not valid; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} problem(s) in the reference data:\n" + "\n".join(problems)
        )
        self.problems = problems


def read_data_files(data_dir: Path = DATA_DIR) -> list[tuple[str, dict[str, Any]]]:
    """Read every YAML file of the data directory (sorted by name)."""
    documents = []
    for path in sorted(data_dir.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            documents.append((path.name, yaml.load(handle, Loader=SAFE_LOADER)))  # noqa: S506
    return documents


def build_knowledge_base(documents: Iterable[tuple[str, Any]]) -> KnowledgeBase:
    """Validate the documents and build the knowledge base; raise :class:`DataError`."""
    problems: list[str] = []
    entries: list[Entry] = []
    for name, document in documents:
        entries.extend(parse_document(name, document, problems))
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            problems.append(f"{entry.code}: the code is used twice")
        seen.add(entry.code)
    if not problems:
        check_references(entries, problems)
    if problems:
        raise DataError(problems)
    return KnowledgeBase(tuple(entries))


@cache
def load_knowledge_base(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Load and validate the knowledge base once per process."""
    return build_knowledge_base(read_data_files(data_dir))


COUNTS = ("entries", "confirmed", "unconfirmed", "standard", "secondary", "estimate")
"""The columns of the report: entries, how many are confirmed, and by kind of source."""


def knowledge_report(knowledge: KnowledgeBase) -> dict[str, Any]:
    """Per kind: entries, confirmed and unconfirmed, by confidence; the unconfirmed entries."""
    kinds: dict[str, dict[str, Any]] = {}
    for kind in Kind:
        entries = knowledge.of_kind(kind)
        counts = Counter(e.provenance.confidence.value for e in entries)
        unconfirmed = [e for e in entries if not e.provenance.confirmed]
        kinds[kind.value] = {
            "entries": len(entries),
            "confirmed": len(entries) - len(unconfirmed),
            "unconfirmed": len(unconfirmed),
            **{confidence.value: counts[confidence.value] for confidence in Confidence},
            "unconfirmed_entries": [
                {"code": e.code, "name_de": e.name_de, "name_en": e.name_en} for e in unconfirmed
            ],
        }
    total = {key: sum(part[key] for part in kinds.values()) for key in COUNTS}
    return {"kinds": kinds, "total": total}


def format_report(report: dict[str, Any]) -> str:
    """The report as a plain text table, then the unconfirmed entries by kind."""
    width = max(len(kind) for kind in report["kinds"]) + 2
    rows = [f"{'kind':<{width}}" + "".join(f"{key:>13}" for key in COUNTS)]
    for kind, part in [*report["kinds"].items(), ("total", report["total"])]:
        rows.append(f"{kind:<{width}}" + "".join(f"{part[key]:>13}" for key in COUNTS))
    rows.insert(1, "-" * len(rows[0]))
    rows.insert(len(rows) - 1, "-" * len(rows[0]))
    rows.append("")
    rows.append(f"unconfirmed entries: {report['total']['unconfirmed']}")
    listed = [e for part in report["kinds"].values() for e in part["unconfirmed_entries"]]
    code_width = max((len(e["code"]) for e in listed), default=0) + 2
    for kind, part in report["kinds"].items():
        if part["unconfirmed_entries"]:
            rows.append(f"  {kind}")
            rows += [
                f"    {e['code']:<{code_width}}{e['name_de']}" for e in part["unconfirmed_entries"]
            ]
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Validate the data files and report per kind what they hold and how it is sourced."""
    parser = argparse.ArgumentParser(
        prog="python -m metalloop.reference.materials",
        description="Validate the knowledge base and report, per kind, the entries, how many "
        "are confirmed, by kind of source (standard, secondary, estimate), and which are not.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args(argv)
    try:
        knowledge = build_knowledge_base(read_data_files())
    except DataError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    report = knowledge_report(knowledge)
    if options.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
