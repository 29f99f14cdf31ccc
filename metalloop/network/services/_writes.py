"""Saving checked registry records: one (the services) or thousands (an import) the same way.

A draft is an organisation or a site that passed every check of its service and has not
been written. The ``*_drafts_prepare`` functions convert all their values before the write
transaction (:class:`~metalloop.common.bulk.BulkWrite`) and return the write, which makes
them with a few statements per table and records one audit event each. The services call
them with one draft inside their own transaction; an import with all of its rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from metalloop.accounts.models import Organisation
from metalloop.common.audit import AuditEntry, audit_add
from metalloop.common.bulk import BulkWrite
from metalloop.common.imports import chunks
from metalloop.common.models import AuditAction
from metalloop.network.models import Competence, Membership, Network, Site


@dataclass
class OrganisationDraft:
    """A checked organisation write: the organisation with its new values, the relations to
    store (each given one replaces the stored), the memberships it gains and loses, the
    audited changes, the networks the event concerns and, for a change, the fields to save
    and when the organisation was last saved before it was read."""

    organisation: Organisation
    created: bool
    related: dict[str, list[Any]]
    changes: dict[str, list[Any]]
    network_ids: set[int]
    joined: list[Network] = field(default_factory=list)
    left: set[int] = field(default_factory=set)
    fields: tuple[str, ...] = ()
    read_version: dt.datetime | None = None


@dataclass
class SiteDraft:
    """A checked site write (as :class:`OrganisationDraft`, without relations)."""

    site: Site
    created: bool
    changes: dict[str, list[Any]]
    network_ids: set[int]
    fields: tuple[str, ...] = ()
    read_version: dt.datetime | None = None


def organisation_drafts_prepare(
    drafts: Sequence[OrganisationDraft], *, actor: Any, origin: str
) -> BulkWrite:
    """Prepare the writes of checked organisations; call the result inside a transaction."""
    pending = [d for d in drafts if d.created or d.changes]
    changed = [d for d in pending if not d.created]
    roles = Organisation.roles.through
    competences = Competence.organisations.through
    write = BulkWrite()
    write.insert(Organisation, [d.organisation for d in pending if d.created])
    _add_field_updates(write, Organisation, [(d.organisation, d.fields) for d in changed])
    write.then(lambda: _delete_replaced_relations(changed))
    write.insert(
        roles,
        [
            roles(organisation=d.organisation, valuechainstage=stage)
            for d in pending
            for stage in d.related.get("roles", ())
        ],
    )
    write.insert(
        competences,
        [
            competences(organisation=d.organisation, competence=competence)
            for d in pending
            for competence in d.related.get("competences", ())
        ],
    )
    write.insert(
        Membership,
        [Membership(network=n, organisation=d.organisation) for d in pending for n in d.joined],
    )
    _add_audit(
        write,
        actor,
        origin,
        [(d.organisation, d.created, d.changes, d.network_ids) for d in pending],
    )
    write.then(lambda: _forget_relations(pending))
    return write


def _delete_replaced_relations(changed: list[OrganisationDraft]) -> None:
    for name, through in (
        ("roles", Organisation.roles.through),
        ("competences", Competence.organisations.through),
    ):
        ids = [d.organisation.pk for d in changed if name in d.related]
        for chunk in chunks(ids):
            through._default_manager.filter(organisation_id__in=chunk).delete()
    for draft in changed:
        if draft.left:
            Membership.objects.filter(
                organisation=draft.organisation, network_id__in=draft.left
            ).delete()


def _forget_relations(drafts: list[OrganisationDraft]) -> None:
    """Drop the prefetched relations that were just replaced."""
    for draft in drafts:
        cache = getattr(draft.organisation, "_prefetched_objects_cache", {})
        for name in ("roles", "competences", "memberships"):
            cache.pop(name, None)


def site_drafts_prepare(drafts: Sequence[SiteDraft], *, actor: Any, origin: str) -> BulkWrite:
    """Prepare the writes of checked sites; call the result inside a transaction."""
    pending = [d for d in drafts if d.created or d.changes]
    write = BulkWrite()
    write.insert(Site, [d.site for d in pending if d.created])
    _add_field_updates(write, Site, [(d.site, d.fields) for d in pending if not d.created])
    _add_audit(
        write, actor, origin, [(d.site, d.created, d.changes, d.network_ids) for d in pending]
    )
    return write


def drafts_save(write: BulkWrite) -> None:
    """Make a prepared write inside the caller's transaction and drop what it staged."""
    try:
        write()
    finally:
        write.discard()


def stale_ids(model: type[Model], read: dict[int, dt.datetime | None]) -> set[int]:
    """Ids of records saved again since they were read (``updated_at``), or deleted since."""
    current: dict[int, dt.datetime] = {}
    for chunk in chunks(list(read)):
        current.update(model._default_manager.filter(pk__in=chunk).values_list("pk", "updated_at"))
    return {pk for pk, version in read.items() if current.get(pk) != version}


def _add_field_updates(
    write: BulkWrite, model: type[Model], records: Iterable[tuple[Model, tuple[str, ...]]]
) -> None:
    """One update per set of changed fields (most rows of an import change the same)."""
    groups: dict[tuple[str, ...], list[Model]] = defaultdict(list)
    for record, fields in records:
        if fields:
            groups[tuple(sorted(fields))].append(record)
    for fields, instances in groups.items():
        write.update(model, instances, fields)


def _add_audit(
    write: BulkWrite,
    actor: Any,
    origin: str,
    records: Iterable[tuple[Model, bool, dict[str, list[Any]], set[int]]],
) -> None:
    entries = [
        AuditEntry(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=instance,
            changes=changes,
            network_ids=network_ids,
        )
        for instance, created, changes, network_ids in records
    ]
    audit_add(write, actor=actor, entries=entries, origin=origin)
