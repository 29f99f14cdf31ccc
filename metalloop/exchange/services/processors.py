"""Writes of processors: capabilities with accepted inputs and outputs with yields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation
from metalloop.common.audit import audit_record, diff
from metalloop.common.models import AuditAction
from metalloop.exchange.codes import canonical_grade
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import (
    Processor,
    ProcessorInput,
    ProcessorOutput,
    ProcessorStatus,
    Visibility,
)
from metalloop.exchange.permissions import can_create_processor, can_edit_processor
from metalloop.exchange.services._common import (
    Errors,
    as_decimal,
    check_owner_not_named,
    check_placement,
    clean_text,
    code_list,
    is_operator,
    refuse_unknown_fields,
    state_of,
    validated,
)
from metalloop.network.models import Network, Site

PROCESSOR_FIELDS = (
    "name",
    "process",
    "description",
    "capacity_t_per_year",
    "max_distance_km",
    "transport_modes",
    "permitted_waste_codes",
    "visibility",
)
UPDATABLE_FIELDS = (*PROCESSOR_FIELDS, "status", "site")
INPUT_FIELDS = ("material", "grade", "waste_code")
OUTPUT_FIELDS = ("material", "grade", "form", "legal_status", "waste_code", "yield_pct")

Row = Mapping[str, Any]


def processor_state(processor: Processor) -> dict[str, Any]:
    """The audited state of a processor: its fields, inputs and outputs."""
    return state_of(processor, (*PROCESSOR_FIELDS, "status", "site_id")) | {
        "inputs": [state_of(row, INPUT_FIELDS) for row in processor.inputs.all()],
        "outputs": [state_of(row, OUTPUT_FIELDS) for row in processor.outputs.all()],
    }


def _normalised(name: str, value: Any) -> Any:
    if name == "capacity_t_per_year":
        return as_decimal(value)
    if name in ("transport_modes", "permitted_waste_codes"):
        return code_list(value or [])
    if value is None and name == "description":
        return ""
    return clean_text(value)


def _rows(
    errors: Errors, rows: Iterable[Row], *, model: type, fields: tuple[str, ...], name: str
) -> list[Any]:
    """Build and check input or output rows; errors are keyed ``inputs.0.material``."""
    built = []
    for index, row in enumerate(rows):
        unknown = sorted(set(row) - set(fields))
        if unknown:
            errors.add(
                f"{name}.{index}",
                _("Unknown fields: %(f)s.") % {"f": ", ".join(unknown)},
                ErrorCode.UNKNOWN_FIELDS,
            )
            continue
        values = {key: clean_text(row.get(key)) or "" for key in fields if key != "yield_pct"}
        values["grade"] = canonical_grade(values["grade"]) if values.get("grade") else ""
        if "yield_pct" in fields:
            values["yield_pct"] = as_decimal(row.get("yield_pct"))
        instance = model(**values)
        try:
            validated(instance, exclude=["processor"])
        except ValidationError as invalid:
            for field, messages in invalid.message_dict.items():
                for message in messages:
                    errors.add(f"{name}.{index}.{field}", message, ErrorCode.CHOICES_INVALID)
            continue
        built.append(instance)
    if not built and not any(key.startswith(f"{name}.") for key in errors.errors):
        code = (
            ErrorCode.PROCESSOR_INPUT_REQUIRED
            if name == "inputs"
            else ErrorCode.PROCESSOR_OUTPUT_REQUIRED
        )
        message = (
            _("Name at least one material the processor accepts.")
            if name == "inputs"
            else _("Name at least one output with its yield.")
        )
        errors.add(name, message, code)
    return built


def _validated(
    processor: Processor, *, inputs: Iterable[Row] | None, outputs: Iterable[Row] | None
) -> tuple[list[ProcessorInput] | None, list[ProcessorOutput] | None]:
    errors = Errors()
    errors.check(lambda: validated(processor))
    if processor.organisation_id and processor.site_id and processor.network_id:
        check_placement(
            errors,
            network=processor.network,
            organisation=processor.organisation,
            site=processor.site,
        )
        check_owner_not_named(
            errors,
            visibility=processor.visibility,
            organisation=processor.organisation,
            texts={"name": processor.name, "description": processor.description},
        )
    built_inputs = (
        None
        if inputs is None
        else _rows(errors, inputs, model=ProcessorInput, fields=INPUT_FIELDS, name="inputs")
    )
    built_outputs = (
        None
        if outputs is None
        else _rows(errors, outputs, model=ProcessorOutput, fields=OUTPUT_FIELDS, name="outputs")
    )
    _check_total_yield(errors, built_outputs)
    errors.raise_any()
    return built_inputs, built_outputs


def _check_total_yield(errors: Errors, outputs: list[ProcessorOutput] | None) -> None:
    """Every tonne in yields each output at once, so the yields add up to at most 100 %."""
    total = sum((Decimal(o.yield_pct or 0) for o in outputs or ()), Decimal(0))
    if total > 100:
        errors.add(
            "outputs",
            _("The outputs' yields add up to %(total)s %%; together they can be at most 100 %%.")
            % {"total": number_format(_plain(total))},
            ErrorCode.YIELD_INVALID,
        )


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent notation (103, 102.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _write_rows(
    processor: Processor,
    inputs: list[ProcessorInput] | None,
    outputs: list[ProcessorOutput] | None,
) -> None:
    cache = getattr(processor, "_prefetched_objects_cache", {})
    if inputs is not None:
        cache.pop("inputs", None)
        processor.inputs.all().delete()
        for accepted in inputs:
            accepted.processor = processor
        ProcessorInput.objects.bulk_create(inputs)
    if outputs is not None:
        cache.pop("outputs", None)
        processor.outputs.all().delete()
        for made in outputs:
            made.processor = processor
        ProcessorOutput.objects.bulk_create(outputs)


@transaction.atomic
def processor_create(
    *,
    actor: Any,
    network: Network,
    site: Site,
    name: str,
    process: str,
    capacity_t_per_year: Decimal,
    transport_modes: Sequence[str],
    inputs: Iterable[Row],
    outputs: Iterable[Row],
    organisation: Organisation | None = None,
    description: str = "",
    max_distance_km: int | None = None,
    permitted_waste_codes: Sequence[str] = (),
    visibility: str = Visibility.ANONYMOUS,
    origin: str = "",
) -> Processor:
    """Declare what an organisation can process at one of its sites."""
    owner = organisation or site.organisation
    if not is_operator(actor) and not can_create_processor(
        actor=actor, network=network, organisation=owner
    ):
        raise PermissionDenied(_("You may not declare processors for this organisation."))
    values = {
        "name": name, "process": process, "description": description,
        "capacity_t_per_year": capacity_t_per_year, "max_distance_km": max_distance_km,
        "transport_modes": transport_modes, "permitted_waste_codes": permitted_waste_codes,
        "visibility": visibility,
    }  # fmt: skip
    processor = Processor(
        network=network,
        organisation=owner,
        site=site,
        created_by=actor if not is_operator(actor) else None,
        **{key: _normalised(key, value) for key, value in values.items()},
    )
    built_inputs, built_outputs = _validated(processor, inputs=list(inputs), outputs=list(outputs))
    processor.save()
    _write_rows(processor, built_inputs, built_outputs)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=processor,
        changes=diff({}, processor_state(processor)),
        network_ids=[network.pk],
        origin=origin,
    )
    return processor


@transaction.atomic
def processor_update(
    *,
    actor: Any,
    processor: Processor,
    inputs: Iterable[Row] | None = None,
    outputs: Iterable[Row] | None = None,
    origin: str = "",
    **fields: Any,
) -> Processor:
    """Change the given fields of a processor; inputs or outputs given replace the old ones."""
    if not is_operator(actor) and not can_edit_processor(actor=actor, processor=processor):
        raise PermissionDenied(_("You may not change this processor."))
    refuse_unknown_fields(fields, UPDATABLE_FIELDS)
    before = processor_state(processor)
    for key, value in fields.items():
        setattr(processor, key, value if key == "site" else _normalised(key, value))
    built_inputs, built_outputs = _validated(
        processor,
        inputs=None if inputs is None else list(inputs),
        outputs=None if outputs is None else list(outputs),
    )
    processor.save()
    _write_rows(processor, built_inputs, built_outputs)
    changes = diff(before, processor_state(processor))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=processor,
            changes=changes,
            network_ids=[processor.network_id],
            origin=origin,
        )
    return processor


@transaction.atomic
def processor_withdraw(*, actor: Any, processor: Processor, origin: str = "") -> Processor:
    """Withdraw a processor: it stays on record but no member sees it any more."""
    if not is_operator(actor) and not can_edit_processor(actor=actor, processor=processor):
        raise PermissionDenied(_("You may not withdraw this processor."))
    if processor.status == ProcessorStatus.WITHDRAWN:
        return processor
    before = processor_state(processor)
    processor.status = ProcessorStatus.WITHDRAWN
    processor.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=processor,
        changes=diff(before, processor_state(processor)),
        network_ids=[processor.network_id],
        origin=origin,
    )
    return processor
