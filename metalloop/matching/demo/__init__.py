"""The demo of matching: a run per network, released proposals and a history of answers."""

from __future__ import annotations


def register_demo() -> None:
    """Add the matching demo to ``metalloop demo load`` (after the exchange's)."""
    from metalloop.matching.demo.loader import load
    from metalloop.network.demo import register_demo_extension

    register_demo_extension(load)
