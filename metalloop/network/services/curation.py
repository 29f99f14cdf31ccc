"""Writes of curated network records: topic tables and what hangs off them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from metalloop.accounts.permissions import is_admin
from metalloop.common.audit import audit_record, diff, snapshot
from metalloop.common.models import AuditAction
from metalloop.network.models import Membership, Network, TopicTable
from metalloop.network.permissions import (
    can_curate_network,
)
from metalloop.network.services._common import is_operator


def network_of(instance: Any) -> Network | None:
    """The network a curated record belongs to (``None`` for network-independent ones)."""
    if isinstance(instance, Network):
        return instance if instance.pk else None
    if isinstance(instance, Membership | TopicTable):
        return instance.network
    topic_table = getattr(instance, "topic_table", None)
    return topic_table.network if topic_table is not None else None


def _may_curate(actor: Any, instance: Any) -> bool:
    if is_operator(actor) or is_admin(actor):
        return True
    network = network_of(instance)
    return network is not None and can_curate_network(actor=actor, network=network)


@transaction.atomic
def record_save(
    *,
    actor: Any,
    instance: Any,
    relations: dict[str, Iterable[Any]] | None = None,
    origin: str = "",
) -> Any:
    """Create or change a curated record of a network (topic table, meeting, barrier, need,
    pilot, action field, membership, the network itself), validated and audited.

    ``relations`` sets many-to-many fields after the save, e.g. ``{"participants": [...]}``.
    """
    if not _may_curate(actor, instance):
        raise PermissionDenied(_("Only the facilitators of this network may change it."))
    creating = instance._state.adding
    relations = relations or {}
    before = (
        {} if creating else _snapshot_with(type(instance).objects.get(pk=instance.pk), relations)
    )
    instance.full_clean()
    instance.save()
    for field, values in relations.items():
        getattr(instance, field).set(values)
    network = network_of(instance)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        instance=instance,
        changes=diff(before, _snapshot_with(instance, relations)),
        network_ids=[network.pk] if network else [],
        origin=origin,
    )
    return instance


def _snapshot_with(instance: Any, relations: dict[str, Iterable[Any]]) -> dict[str, Any]:
    """The record's fields plus the keys of the many-to-many relations being set."""
    related = {
        name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in relations
    }
    return snapshot(instance) | related


@transaction.atomic
def record_delete(*, actor: Any, instance: Any, origin: str = "") -> None:
    """Delete a curated record of a network, audited."""
    if not _may_curate(actor, instance):
        raise PermissionDenied(_("Only the facilitators of this network may change it."))
    network = network_of(instance)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        changes=diff(snapshot(instance), {}),
        network_ids=[network.pk] if network else [],
        origin=origin,
    )
    instance.delete()
