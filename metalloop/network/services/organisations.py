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
from metalloop.network.models import Competence, Network
from metalloop.network.permissions import (
    can_change_memberships,
    can_create_organisation,
    can_delete_organisation,
    can_edit_organisation,
    organisation_network_ids,
)
from metalloop.network.services._common import RegistryBatch, is_operator
from metalloop.network.services._writes import (
    OrganisationDraft,
    drafts_save,
    organisation_drafts_prepare,
)

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


def _related(
    batch: RegistryBatch | None = None, **keys: Iterable[str] | None
) -> dict[str, list[Any]]:
    """Look up the records named by codes or slugs; report every unknown one at once."""
    found: dict[str, list[Any]] = {}
    errors: dict[str, ValidationError] = {}
    for field, values in keys.items():
        if values is None:
            continue
        model, key, message, code = RELATED[field]
        wanted = list(dict.fromkeys(values))
        records = (
            batch.related[field]
            if batch is not None
            else {
                getattr(r, key): r for r in model._default_manager.filter(**{f"{key}__in": wanted})
            }
        )
        unknown = [value for value in wanted if value not in records]
        if unknown:
            errors[field] = ValidationError(message % {"codes": ", ".join(unknown)}, code=code)
        found[field] = [records[value] for value in wanted if value in records]
    if errors:
        raise ValidationError(errors)
    return found


def _validated(
    organisation: Organisation,
    batch: RegistryBatch | None = None,
    *,
    slug_given: bool = True,
    **keys: Iterable[str] | None,
) -> dict[str, list[Any]]:
    """Check the fields and the named relations together, so every error shows at once.

    In a batch the slug of a new organisation is checked against the batch's taken slugs
    instead of by a query, an unchanged slug is not checked again, and the check constraint
    is left to its field rule (and the database).
    """
    errors: dict[str, Any] = {}
    new = organisation.pk is None
    try:
        # The check constraint (a name) is also a field rule; a batch does not query it.
        organisation.full_clean(
            validate_unique=batch is None or (slug_given and not new),
            validate_constraints=batch is None,
        )
        if batch is not None and new:
            _check_slug_free(organisation, batch)
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    try:
        related = _related(batch, **keys)
    except ValidationError as unknown:
        errors = unknown.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return related


def _check_slug_free(organisation: Organisation, batch: RegistryBatch) -> None:
    """The unique check of ``full_clean`` against the slugs a batch knows to be taken."""
    if organisation.slug in batch.slugs:
        raise ValidationError({"slug": organisation.unique_error_message(Organisation, ("slug",))})


def _unique_slug(
    name: str, *, exclude_pk: int | None = None, batch: RegistryBatch | None = None
) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    taken = (
        Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    )
    while (slug in batch.slugs) if batch else taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _relations_snapshot(organisation: Organisation) -> dict[str, Any]:
    """The stored relations (prefetched ones are used, as an import prefetches them)."""
    return {
        "roles": sorted(stage.code for stage in organisation.roles.all()),
        "competences": sorted(competence.code for competence in organisation.competences.all()),
        "networks": sorted(m.network.slug for m in organisation.memberships.all()),
    }


def _state(organisation: Organisation, related: dict[str, list[Any]]) -> dict[str, Any]:
    """The audited state of an organisation with the relations about to be stored."""
    state = snapshot(organisation, ORGANISATION_FIELDS)
    for field, (_model, key, _message, _code) in RELATED.items():
        state[field] = sorted(getattr(record, key) for record in related[field])
    return state


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
    values = {
        "name": name, "kind": kind, "legal_form": legal_form, "size_class": size_class,
        "website": website, "description": description, "is_demo": is_demo,
    }  # fmt: skip
    draft = organisation_draft_create(
        actor=actor,
        values=values,
        roles=roles,
        competences=competences,
        networks=networks,
        slug=slug,
    )
    drafts_save(organisation_drafts_prepare([draft], actor=actor, origin=origin))
    return draft.organisation


def organisation_draft_create(
    *,
    actor: Any,
    values: dict[str, Any],
    roles: Iterable[str] = (),
    competences: Iterable[str] = (),
    networks: Iterable[str] = (),
    slug: str = "",
    batch: RegistryBatch | None = None,
) -> OrganisationDraft:
    """Check a new organisation as ``organisation_create`` does, without writing it.

    ``values`` are its fields by name; those left out take the model's defaults.
    """
    network_objs = _related(batch, networks=networks)["networks"]
    if not is_operator(actor) and not can_create_organisation(
        actor=actor, network_ids=[n.pk for n in network_objs]
    ):
        raise PermissionDenied(_("You may not add organisations to these networks."))
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )
    organisation = Organisation(
        **{
            name: value.strip() if isinstance(value, str) else value
            for name, value in values.items()
        }
    )
    organisation.slug = slug or _unique_slug(organisation.name, batch=batch)
    related = _validated(organisation, batch, roles=roles, competences=competences)
    related["networks"] = network_objs
    if batch is not None:
        batch.slugs.add(organisation.slug)
    return OrganisationDraft(
        organisation=organisation,
        created=True,
        related=related,
        changes=diff({}, _state(organisation, related)),
        network_ids={n.pk for n in network_objs},
        joined=network_objs,
    )


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
    draft = organisation_draft_update(
        actor=actor,
        organisation=organisation,
        roles=roles,
        competences=competences,
        networks=networks,
        fields=fields,
    )
    drafts_save(organisation_drafts_prepare([draft], actor=actor, origin=origin))
    return organisation


def organisation_draft_update(
    *,
    actor: Any,
    organisation: Organisation,
    fields: dict[str, Any],
    roles: Iterable[str] | None = None,
    competences: Iterable[str] | None = None,
    networks: Iterable[str] | None = None,
    batch: RegistryBatch | None = None,
) -> OrganisationDraft:
    """Check a change of an organisation as ``organisation_update`` does, without writing it."""
    if not is_operator(actor) and not can_edit_organisation(actor=actor, organisation=organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    unknown = set(fields) - set(ORGANISATION_FIELDS) - {"slug"}
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
        )
    stored = _stored_relations(organisation)
    before = _state(organisation, stored)
    read_version = organisation.updated_at
    for name, value in fields.items():
        setattr(organisation, name, _stripped(value))
    given = _validated(
        organisation,
        batch,
        slug_given="slug" in fields,
        roles=roles,
        competences=competences,
        networks=networks,
    )
    current = {m.network_id for m in organisation.memberships.all()}
    joined, left = [], set()
    if "networks" in given:
        wanted = {n.pk for n in given["networks"]}
        changed = current ^ wanted
        if not is_operator(actor) and not can_change_memberships(actor=actor, network_ids=changed):
            raise PermissionDenied(_("Only the facilitators of a network change its members."))
        joined = [n for n in given["networks"] if n.pk not in current]
        left = current - wanted
    after = _state(organisation, stored | given)
    changes = diff(before, after)
    return OrganisationDraft(
        organisation=organisation,
        created=False,
        related={name: records for name, records in given.items() if name in changes},
        changes=changes,
        network_ids=current | {n.pk for n in joined},
        joined=joined,
        left=left,
        # The given fields are saved even where the instance held their values already
        # (as a refused change leaves them), the others where they changed.
        fields=tuple(dict.fromkeys([*fields, *(n for n in changes if n not in RELATED)])),
        read_version=read_version,
    )


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _stored_relations(organisation: Organisation) -> dict[str, list[Any]]:
    """The stored roles, competences and networks (prefetched ones are used)."""
    return {
        "roles": list(organisation.roles.all()),
        "competences": list(organisation.competences.all()),
        "networks": [m.network for m in organisation.memberships.all()],
    }


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
