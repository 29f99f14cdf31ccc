"""Record writes in the audit trail. Called by services inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from metalloop.common.bulk import BulkWrite
from metalloop.common.models import AuditAction, AuditEvent, AuditScope


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the concrete field values of ``instance`` as JSON-safe data."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    ]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@dataclass(frozen=True)
class AuditEntry:
    """One change to record; the instance's id is read when the entry is written."""

    action: AuditAction
    instance: models.Model
    changes: Mapping[str, Any]
    network_ids: Iterable[int] = ()


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: Mapping[str, Any] | None = None,
    network_ids: Iterable[int] = (),
    origin: str = "",
) -> AuditEvent:
    """Append one event to the audit trail."""
    event = _event(
        actor=actor,
        action=action,
        instance=instance,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changes=changes,
        origin=origin,
    )
    event.save()
    AuditScope.objects.bulk_create(
        AuditScope(event=event, network_id=n) for n in sorted(set(network_ids))
    )
    return event


def audit_add(
    write: BulkWrite, *, actor: Any, entries: Sequence[AuditEntry], origin: str = ""
) -> list[AuditEvent]:
    """Add one event per entry to a bulk write, after the writes of the audited instances
    (whose keys the events take when they are written)."""
    events = [
        _event(
            actor=actor,
            action=entry.action,
            instance=entry.instance,
            changes=entry.changes,
            origin=origin,
        )
        for entry in entries
    ]
    write.insert(AuditEvent, events, key_texts={"object_id": [e.instance for e in entries]})
    write.insert(
        AuditScope,
        [
            AuditScope(event=event, network_id=n)
            for event, entry in zip(events, entries, strict=True)
            for n in sorted(set(entry.network_ids))
        ],
    )
    return events


def _event(
    *,
    actor: Any,
    action: AuditAction,
    instance: models.Model | None,
    changes: Mapping[str, Any] | None,
    origin: str,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_label = object_label or str(instance)[:300]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_label=getattr(actor, "email", "") if is_user else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changes=dict(changes or {}),
        origin=origin,
    )
