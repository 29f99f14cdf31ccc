"""Benchmark the registry: gazetteer, demo load, API and page latency (prints JSON lines).

Run with `make bench` (or `.venv/bin/python benchmarks/bench_registry.py`). Everything runs
in-process against a temporary SQLite file, so the figures measure metalloop, not a network.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WORKDIR = Path(tempfile.mkdtemp(prefix="metalloop-bench-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="metalloop.settings",
    METALLOOP_SECRET_KEY="benchmark-only-secret-key-0123456789",  # noqa: S106 - throwaway
    METALLOOP_DATABASE_URL=f"sqlite:///{WORKDIR}/bench.sqlite3",
    METALLOOP_ALLOWED_HOSTS="testserver",
    METALLOOP_SECURE_COOKIES="0",
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def emit(name: str, value: float, unit: str, **extra: object) -> None:
    print(
        json.dumps({"benchmark": name, "value": round(value, 3), "unit": unit, **extra}), flush=True
    )


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def latency(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile of ``repeat`` calls [ms], after two warm-up calls."""
    function()
    function()
    samples = sorted(timed(function) * 1000 for _ in range(repeat))
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def bench_gazetteer() -> None:
    from metalloop.reference.gazetteer import (
        build_gazetteer,
        read_german_places,
        read_postcode_ranges,
    )

    cache = WORKDIR / "cache"
    emit("gazetteer.parse_package", timed(lambda: read_german_places(cache)) * 1000, "ms")
    emit("gazetteer.read_cache", timed(lambda: read_german_places(cache)) * 1000, "ms")
    records = read_german_places(cache)
    gazetteer = build_gazetteer(records, read_postcode_ranges())
    emit(
        "gazetteer.build_index",
        timed(lambda: build_gazetteer(records, read_postcode_ranges())) * 1000,
        "ms",
        places=len(gazetteer),
    )
    names = [p.name for p in gazetteer.places[:: max(1, len(gazetteer) // 2000)]]

    def resolve_all() -> None:
        for name in names:
            with contextlib.suppress(ValueError):  # ambiguous names count as lookups too
                gazetteer.resolve(name, postcode="45127")

    seconds = timed(resolve_all)
    emit("gazetteer.resolve", seconds / len(names) * 1e6, "us/lookup", lookups=len(names))


def bench_platform() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from metalloop.network.demo import demo_load

    call_command("migrate", verbosity=0)
    emit("demo.load", timed(lambda: demo_load(if_empty=True)), "s")
    client = Client()
    for name, url in [
        ("api.organisations_list_50", "/api/v1/organisations?page_size=50"),
        (
            "api.organisations_filtered",
            "/api/v1/organisations?role=recycling_remelting&network=zirkulaer-allianz-ruhr",
        ),
        ("api.sites_list_200", "/api/v1/sites?page_size=200"),
        ("api.topic_table_detail", "/api/v1/topic-tables/1"),
        ("page.home", "/"),
        ("page.organisations", "/organisations/"),
        ("page.organisations_htmx", "/organisations/?role=collection"),
    ]:
        headers = {"HX-Request": "true"} if name.endswith("htmx") else {}
        status = client.get(url, headers=headers).status_code
        median, p95 = latency(
            lambda url=url, headers=headers: client.get(url, headers=headers), repeat=40
        )
        emit(name, median, "ms (median)", p95_ms=round(p95, 2), status=status)


if __name__ == "__main__":
    bench_gazetteer()
    bench_platform()
