"""Signals of the exchange, for the apps above it.

Both are sent after the transaction that created or changed listings has committed (never
for a write that was rolled back), by :func:`announce_listings`:

- ``listing_changed`` once per listing. Arguments: ``sender`` (the ``Listing`` class),
  ``listing``, ``created`` (bool), ``actor`` (the user, ``None`` for the operator).
- ``listings_changed`` once per write, with all its listings (one for a form, thousands for
  an import), so that a receiver can do its work for all of them at once. Arguments:
  ``sender``, ``listings`` (a list), ``created``, ``actor``. The matching app connects its
  saved-search notifications to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.dispatch import Signal

listing_changed = Signal()
listings_changed = Signal()


def announce_listings(listings: Sequence[Any], *, created: bool, actor: Any) -> None:
    """Send ``listing_changed`` per listing and ``listings_changed`` once, after the commit."""
    if not listings:
        return
    sender = type(listings[0])

    def send() -> None:
        for listing in listings:
            listing_changed.send(sender=sender, listing=listing, created=created, actor=actor)
        listings_changed.send(sender=sender, listings=list(listings), created=created, actor=actor)

    transaction.on_commit(send)
