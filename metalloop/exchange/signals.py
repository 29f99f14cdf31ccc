"""Signals of the exchange, for the apps above it.

``listing_changed`` is sent after the transaction that created or changed a listing has
committed (never for a write that was rolled back). Arguments: ``sender`` (the ``Listing``
class), ``listing``, ``created`` (bool), ``actor`` (the user, ``None`` for the operator).
The matching app connects its saved-search notifications to it.
"""

from __future__ import annotations

from django.dispatch import Signal

listing_changed = Signal()
