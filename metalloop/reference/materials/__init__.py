"""Load the materials knowledge base from the YAML files in ``data/``.

Every file is validated as it is read: its kind, every entry's keys, types, units and
ranges, its source and confidence; then every cross-reference (materials, elements, waste
and customs codes, grades) must resolve. Errors are collected and reported together, with
file and code. ``python -m metalloop.reference.materials`` validates and prints a summary.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from metalloop.core.materials.entries import Entry, Kind
from metalloop.core.materials.knowledge import KnowledgeBase
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


def main() -> int:
    """Validate the data files and print what they hold."""
    try:
        knowledge = build_knowledge_base(read_data_files())
    except DataError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    for kind in Kind:
        sys.stdout.write(f"{kind.value:>17}: {len(knowledge.of_kind(kind))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
