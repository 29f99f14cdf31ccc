"""Benchmark the materials knowledge base: load, search, check, classify (JSON lines)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metalloop.core.materials.classify import classify
from metalloop.core.materials.composition import parse_analysis
from metalloop.core.materials.specification import check
from metalloop.reference.materials import build_knowledge_base, read_data_files


def emit(name: str, value: float, unit: str, **extra: object) -> None:
    print(
        json.dumps({"benchmark": name, "value": round(value, 3), "unit": unit, **extra}), flush=True
    )


def median_ms(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    start = time.perf_counter()
    knowledge = build_knowledge_base(read_data_files())
    emit("reference.load_cold", (time.perf_counter() - start) * 1000, "ms", entries=len(knowledge))
    emit(
        "reference.load",
        median_ms(lambda: build_knowledge_base(read_data_files()), 5),
        "ms (median of 5)",
    )
    emit("reference.search", median_ms(lambda: knowledge.search("stahl"), 50), "ms (median)")
    analysis = parse_analysis("Cr=18.1,Ni=8.3,C=0.03", knowledge.element_symbols)
    spec = knowledge.get("EN10088:1.4301").specification  # type: ignore[attr-defined]
    emit("reference.check", median_ms(lambda: check(analysis, spec), 200) * 1000, "us (median)")
    specs = [e.specification for e in knowledge.graded()]
    emit(
        "reference.classify",
        median_ms(lambda: classify(analysis, specs), 50),
        "ms (median)",
        specifications=len(specs),
    )


if __name__ == "__main__":
    main()
