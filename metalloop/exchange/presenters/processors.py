"""Processors as one actor may read them."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet

from metalloop.common.pagination import Page, PageIn, paginate
from metalloop.exchange import adapters
from metalloop.exchange.models import (
    LegalStatus,
    MaterialForm,
    ProcessKind,
    Processor,
    ProcessorStatus,
    TransportMode,
    Visibility,
)
from metalloop.exchange.permissions import (
    can_edit_processor,
    processor_reveals_owner,
)
from metalloop.exchange.presenters.common import (
    code_out,
    label,
    labels_text,
    location_out,
    position_of,
    site_out,
)
from metalloop.exchange.selectors import (
    network_crowds,
    revealed_processor_ids,
)


def processor_out(
    *,
    actor: Any,
    processor: Processor,
    revealed: bool | None = None,
    crowds: adapters.Crowds | None = None,
) -> dict[str, Any]:
    """A processor as this actor may read it (the owner only where it may be known)."""
    if crowds is None:
        crowds = network_crowds([processor.network_id])[processor.network_id]
    shown = (
        processor_reveals_owner(actor=actor, processor=processor) if revealed is None else revealed
    )
    return {
        "id": processor.pk,
        "network": processor.network.slug,
        "network_name": processor.network.name,
        "name": processor.name,
        "process": processor.process,
        "process_label": label(ProcessKind, processor.process),
        "description": processor.description,
        "capacity_t_per_year": float(processor.capacity_t_per_year),
        "max_distance_km": processor.max_distance_km,
        "transport_modes": list(processor.transport_modes),
        "transport_modes_label": labels_text(TransportMode, processor.transport_modes),
        "permitted_waste_codes": list(processor.permitted_waste_codes),
        "visibility": processor.visibility,
        "visibility_label": label(Visibility, processor.visibility),
        "status": processor.status,
        "status_label": label(ProcessorStatus, processor.status),
        "inputs": [
            {
                "material": code_out(row.material),
                "grade": code_out(row.grade),
                "waste_code": code_out(row.waste_code),
            }
            for row in processor.inputs.all()
        ],
        "outputs": [
            {
                "material": code_out(row.material),
                "grade": code_out(row.grade),
                "form": row.form,
                "form_label": label(MaterialForm, row.form),
                "legal_status": row.legal_status,
                "legal_status_label": label(LegalStatus, row.legal_status),
                "waste_code": code_out(row.waste_code),
                "yield_pct": float(row.yield_pct),
            }
            for row in processor.outputs.all()
        ],
        "owner_revealed": shown,
        "organisation": (
            {
                "id": processor.organisation.pk,
                "slug": processor.organisation.slug,
                "name": processor.organisation.name,
            }
            if shown
            else None
        ),
        "site": site_out(processor.site) if shown else None,
        "location": location_out(
            position_of(actor, processor, revealed=shown, crowds=crowds), processor.site
        ),
        "can_edit": can_edit_processor(actor=actor, processor=processor),
        "created_at": processor.created_at,
        "updated_at": processor.updated_at,
    }


def processor_page(*, actor: Any, processors: QuerySet[Processor], page: PageIn) -> Page:
    """One page of processors as the actor may read them."""
    cut = paginate(processors, page)
    revealed = revealed_processor_ids(actor=actor, processors=[item.pk for item in cut.items])
    crowds = network_crowds({item.network_id for item in cut.items})
    items = [
        processor_out(
            actor=actor,
            processor=item,
            revealed=item.pk in revealed,
            crowds=crowds[item.network_id],
        )
        for item in cut.items
    ]
    return dataclasses.replace(cut, items=items)
