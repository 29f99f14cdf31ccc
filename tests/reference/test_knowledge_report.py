"""`python -m metalloop.reference.materials` reports per kind what the knowledge base holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from metalloop.core.materials.entries import Kind
from metalloop.reference.materials import (
    COUNTS,
    format_report,
    knowledge_report,
    load_knowledge_base,
    main,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_figures_agree_with_the_loaded_knowledge_base():
    knowledge = load_knowledge_base()
    report = knowledge_report(knowledge)
    assert list(report["kinds"]) == [kind.value for kind in Kind]
    for kind in Kind:
        entries, part = knowledge.of_kind(kind), report["kinds"][kind.value]
        unconfirmed = [e.code for e in entries if not e.provenance.confirmed]
        assert part["entries"] == len(entries) == part["confirmed"] + part["unconfirmed"]
        assert part["unconfirmed"] == len(unconfirmed)
        assert [e["code"] for e in part["unconfirmed_entries"]] == unconfirmed
        by_source = [part[c] for c in ("standard", "secondary", "estimate")]
        assert sum(by_source) == len(entries)
        for confidence in ("standard", "secondary", "estimate"):
            assert part[confidence] == sum(
                e.provenance.confidence.value == confidence for e in entries
            )
    assert report["total"]["entries"] == len(knowledge)
    for key in COUNTS:
        assert report["total"][key] == sum(part[key] for part in report["kinds"].values())


def test_the_table_shows_every_kind_the_total_and_each_unconfirmed_entry():
    report = knowledge_report(load_knowledge_base())
    text = format_report(report)
    lines = text.splitlines()
    assert lines[0].split() == ["kind", *COUNTS]
    for kind, part in report["kinds"].items():
        row = next(line for line in lines if line.startswith(f"{kind} "))
        assert row.split()[1:] == [str(part[key]) for key in COUNTS]
        for entry in part["unconfirmed_entries"]:
            assert any(line.split()[:1] == [entry["code"]] for line in lines), entry["code"]
    assert f"unconfirmed entries: {report['total']['unconfirmed']}" in text


def test_json_prints_one_object_with_the_same_figures(capsys):
    assert main(["--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == knowledge_report(load_knowledge_base())


def test_the_module_runs_as_a_program():
    result = subprocess.run(
        [sys.executable, "-m", "metalloop.reference.materials"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kind ")
    assert "total" in result.stdout
