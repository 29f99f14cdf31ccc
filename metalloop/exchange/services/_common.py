"""Helpers shared by the exchange's services."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.audit import snapshot
from metalloop.core.naming import Phrase, owner_phrases, phrases_named
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import Visibility
from metalloop.network.models import Membership, Network, Site


def is_operator(actor: Any) -> bool:
    """``actor=None`` is the operator at the command line (or the demo loader)."""
    return actor is None


def state_of(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The audited values of ``fields``; decimals without trailing zeros, so that a value
    reads the same whether it came from the database or from the input."""
    values = snapshot(instance, fields)
    for name in values:
        value = getattr(instance, name)
        if isinstance(value, Decimal):
            values[name] = decimal_text(value)
    return values


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    """``full_clean()`` without re-checking the database constraints by query: the models'
    ``clean()`` and field validators state every constraint's rule with a message on the
    field, and the database enforces the constraints again on save (one query per constraint
    would make a listing cost some 15 queries more)."""
    instance.full_clean(exclude=exclude, validate_constraints=False)


class Errors:
    """Collect validation errors of several checks, so that every error shows at once."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}

    def check(self, step: Callable[[], Any]) -> Any:
        """Run ``step``; keep its ``ValidationError`` and return ``None`` instead."""
        try:
            return step()
        except ValidationError as invalid:
            self.errors = invalid.update_error_dict(self.errors)
            return None

    def add(self, field: str, message: str, code: str) -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


@dataclasses.dataclass(frozen=True)
class Batch:
    """What a batch of writes (an import) looked up once for all its records.

    ``members`` holds the ids of the member organisations per network id, ``phrases`` what
    names each owner (for the owner-name guard; its sites are read once). The records of a
    batch name related records (network, organisation, site) that were just read from the
    database, so their foreign keys are not checked again by a query each; the database
    enforces them on write.
    """

    members: dict[int, set[int]] = dataclasses.field(default_factory=dict)
    phrases: dict[int, tuple[Phrase, ...]] = dataclasses.field(default_factory=dict)

    def owner_phrases(self, organisation: Organisation) -> tuple[Phrase, ...]:
        """What names the organisation (:func:`owner_phrases_of`), looked up once per batch."""
        if organisation.pk not in self.phrases:
            self.phrases[organisation.pk] = owner_phrases_of(organisation)
        return self.phrases[organisation.pk]


RELATED_FIELDS = ["network", "organisation", "site", "created_by", "verified_by"]
"""The foreign keys of listings and processors that a :class:`Batch` does not check again."""


def check_placement(
    errors: Errors,
    *,
    network: Network,
    organisation: Organisation,
    site: Site,
    batch: Batch | None = None,
) -> None:
    """The organisation belongs to the network, and the site to the organisation."""
    if batch is not None and network.pk in batch.members:
        is_member = organisation.pk in batch.members[network.pk]
    else:
        is_member = Membership.objects.filter(network=network, organisation=organisation).exists()
    if not is_member:
        errors.add(
            "network",
            _("%(organisation)s is not a member of %(network)s.")
            % {"organisation": organisation.name, "network": network.name},
            ErrorCode.NOT_A_MEMBER,
        )
    if site.organisation_id != organisation.pk:
        errors.add(
            "site",
            _("The site belongs to another organisation; choose one of %(organisation)s.")
            % {"organisation": organisation.name},
            ErrorCode.SITE_NOT_OF_ORGANISATION,
        )


def owner_phrases_of(organisation: Organisation) -> tuple[Phrase, ...]:
    """What would name ``organisation`` in an anonymous record's texts: its name, short name
    and slug, and its sites' names and streets (see :mod:`metalloop.core.naming`)."""
    sites = list(Site.objects.filter(organisation=organisation).values_list("name", "street"))
    return owner_phrases(
        name=organisation.name,
        legal_form=organisation.legal_form,
        slug=organisation.slug,
        site_names=[name for name, _street in sites],
        streets=[street for _name, street in sites if street],
    )


def check_owner_not_named(
    errors: Errors,
    *,
    visibility: str,
    organisation: Organisation,
    texts: dict[str, str],
    phrases: tuple[Phrase, ...] | None = None,
) -> None:
    """An anonymous record must not name its owner in its own texts (``phrases``: the
    owner's, when already known, e.g. for every row of an import)."""
    if visibility == Visibility.NAMED:
        return
    if phrases is None:
        phrases = owner_phrases_of(organisation)
    for field, text in texts.items():
        named = phrases_named(text or "", phrases)
        if named:
            errors.add(
                field,
                _(
                    "This text names your organisation (“%(phrase)s”), but the entry does not "
                    "show its owner; remove it, or show the entry with its owner."
                )
                % {"phrase": named[0].shown},
                ErrorCode.OWNER_NAMED,
            )


def as_decimal(value: Any) -> Any:
    """Numbers as exact decimals (floats through their shortest text); others unchanged."""
    if isinstance(value, bool) or value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return value
    return value


def clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def code_list(values: Iterable[str]) -> list[str]:
    """A list of codes, stripped, each once, in the order given."""
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def refuse_unknown_fields(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError(
            {
                "__all__": ValidationError(
                    _("Unknown fields: %(f)s.") % {"f": ", ".join(unknown)},
                    code=ErrorCode.UNKNOWN_FIELDS,
                )
            }
        )
