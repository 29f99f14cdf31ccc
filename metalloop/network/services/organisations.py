"""Writes of the registry: organisations with their roles, competences and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metalloop.accounts.models import Organisation, ValueChainStage
from metalloop.common.audit import audit_record, diff, snapshot
from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditAction
from metalloop.network.errors import ErrorCode
from metalloop.network.models import Competence, Membership, Network
from metalloop.network.permissions import (
    can_change_memberships,
    can_create_organisation,
    can_delete_organisation,
    can_edit_organisation,
    organisation_network_ids,
)
from metalloop.network.services._common import is_operator

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "kind",
    "size_class",
    "website",
    "description",
    "is_demo",
)


# field -> (model, key, message for unknown keys, error code)
RELATED = {
    "roles": (
        ValueChainStage,
        "code",
        gettext_lazy("Not a value-chain role: %(codes)s."),
        ErrorCode.ROLE_UNKNOWN,
    ),
    "competences": (
        Competence,
        "code",
        gettext_lazy("Not a competence of the taxonomy: %(codes)s."),
        ErrorCode.COMPETENCE_UNKNOWN,
    ),
    "networks": (
        Network,
        "slug",
        gettext_lazy("Not a network: %(codes)s."),
        ErrorCode.NETWORK_UNKNOWN,
    ),
}


def _related(**keys: Iterable[str] | None) -> dict[str, list[Any]]:
    """Look up the records named by codes or slugs; report every unknown one at once."""
    found: dict[str, list[Any]] = {}
    errors: dict[str, ValidationError] = {}
    for field, values in keys.items():
        if values is None:
            continue
        model, key, message, code = RELATED[field]
        wanted = list(dict.fromkeys(values))
        records = {
            getattr(r, key): r for r in model._default_manager.filter(**{f"{key}__in": wanted})
        }
        unknown = [value for value in wanted if value not in records]
        if unknown:
            errors[field] = ValidationError(message % {"codes": ", ".join(unknown)}, code=code)
        found[field] = [records[value] for value in wanted if value in records]
    if errors:
        raise ValidationError(errors)
    return found


def _validated(organisation: Organisation, **keys: Iterable[str] | None) -> dict[str, list[Any]]:
    """Check the fields and the named relations together, so every error shows at once."""
    errors: dict[str, Any] = {}
    try:
        organisation.full_clean()
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    try:
        related = _related(**keys)
    except ValidationError as unknown:
        errors = unknown.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return related


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    taken = (
        Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    )
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _relations_snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "roles": sorted(organisation.roles.values_list("code", flat=True)),
        "competences": sorted(organisation.competences.values_list("code", flat=True)),
        "networks": sorted(organisation.memberships.values_list("network__slug", flat=True)),
    }


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    legal_form: str = "",
    size_class: str = "",
    website: str = "",
    description: str = "",
    roles: Iterable[str] = (),
    competences: Iterable[str] = (),
    networks: Iterable[str] = (),
    slug: str = "",
    is_demo: bool = False,
    origin: str = "",
) -> Organisation:
    """Create an organisation with its roles, competences and network memberships."""
    network_objs = _related(networks=networks)["networks"]
    if not is_operator(actor) and not can_create_organisation(
        actor=actor, network_ids=[n.pk for n in network_objs]
    ):
        raise PermissionDenied(_("You may not add organisations to these networks."))
    organisation = Organisation(
        name=name.strip(),
        slug=slug or _unique_slug(name.strip()),
        kind=kind,
        legal_form=legal_form.strip(),
        size_class=size_class,
        website=website.strip(),
        description=description.strip(),
        is_demo=is_demo,
    )
    related = _validated(organisation, roles=roles, competences=competences)
    organisation.save()
    organisation.roles.set(related["roles"])
    organisation.competences.set(related["competences"])
    for network in network_objs:
        Membership.objects.create(network=network, organisation=organisation)
    after = snapshot(organisation, ORGANISATION_FIELDS) | _relations_snapshot(organisation)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=organisation,
        changes=diff({}, after),
        network_ids=[n.pk for n in network_objs],
        origin=origin,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    roles: Iterable[str] | None = None,
    competences: Iterable[str] | None = None,
    networks: Iterable[str] | None = None,
    origin: str = "",
    **fields: Any,
) -> Organisation:
    """Change the given fields of an organisation; relations given replace the old ones."""
    if not is_operator(actor) and not can_edit_organisation(actor=actor, organisation=organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    unknown = set(fields) - set(ORGANISATION_FIELDS) - {"slug"}
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )
    before = snapshot(organisation, ORGANISATION_FIELDS) | _relations_snapshot(organisation)
    for name, value in fields.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    related = _validated(organisation, roles=roles, competences=competences, networks=networks)
    organisation.save()
    if "roles" in related:
        organisation.roles.set(related["roles"])
    if "competences" in related:
        organisation.competences.set(related["competences"])
    if "networks" in related:
        _replace_memberships(actor=actor, organisation=organisation, networks=related["networks"])
    after = snapshot(organisation, ORGANISATION_FIELDS) | _relations_snapshot(organisation)
    changes = diff(before, after)
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=organisation,
            changes=changes,
            network_ids=organisation_network_ids(organisation) | set(_network_ids_of(before)),
            origin=origin,
        )
    return organisation


def _network_ids_of(snap: dict[str, Any]) -> list[int]:
    return list(
        Network.objects.filter(slug__in=snap.get("networks", [])).values_list("pk", flat=True)
    )


def _replace_memberships(
    *, actor: Any, organisation: Organisation, networks: list[Network]
) -> None:
    current = organisation_network_ids(organisation)
    wanted = {n.pk for n in networks}
    changed = current ^ wanted
    if not is_operator(actor) and not can_change_memberships(actor=actor, network_ids=changed):
        raise PermissionDenied(_("Only the facilitators of a network change its members."))
    Membership.objects.filter(organisation=organisation, network_id__in=current - wanted).delete()
    for network in networks:
        if network.pk not in current:
            Membership.objects.create(network=network, organisation=organisation)


@transaction.atomic
def organisation_delete(*, actor: Any, organisation: Organisation, origin: str = "") -> None:
    """Delete an organisation with its sites and memberships (not while users belong to it)."""
    if not is_operator(actor) and not can_delete_organisation(
        actor=actor, organisation=organisation
    ):
        raise PermissionDenied(_("You may not delete this organisation."))
    if organisation.users.exists():
        raise ApplicationError(
            _("%(name)s still has user accounts; move or remove them first.")
            % {"name": organisation.name},
            code=ErrorCode.ORGANISATION_HAS_USERS,
        )
    network_ids = organisation_network_ids(organisation)
    before = snapshot(organisation, ORGANISATION_FIELDS) | _relations_snapshot(organisation)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=organisation,
        changes=diff(before, {}),
        network_ids=network_ids,
        origin=origin,
    )
    organisation.delete()
