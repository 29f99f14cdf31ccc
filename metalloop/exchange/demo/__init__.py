"""The exchange's demo: listings and processors in the demo networks, loaded with the
registry's demo by ``metalloop demo load`` (and ``metalloop serve --setup``)."""

from __future__ import annotations


def register_demo() -> None:
    """Let the registry's demo loader add the exchange's demo data after its own."""
    from metalloop.exchange.demo.loader import load
    from metalloop.network.demo import register_demo_extension

    register_demo_extension(load)
