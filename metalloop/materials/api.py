"""REST endpoints of the knowledge base under /api/v1/reference."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from metalloop.common.pagination import Page, PageIn, paginate_list
from metalloop.common.problems import problems
from metalloop.core.materials.entries import Kind
from metalloop.materials import adapters, presenters, selectors
from metalloop.materials.schemas import (
    CheckIn,
    CheckOut,
    ClassifyIn,
    ClassifyOut,
    EndOfWasteIn,
    EndOfWasteOut,
    EntryOut,
    EntryPage,
    SearchIn,
)

router = Router(tags=["reference"])


@router.post("/reference/check", response=CheckOut, operation_id="reference_check")
def reference_check(request: HttpRequest, payload: CheckIn) -> Any:
    """Check an analysis against an alloy or scrap grade: verdict and headroom per element."""
    entry, result = adapters.check_analysis(payload.specification, payload.analysis)
    return presenters.check_out(entry, result)


@router.post("/reference/classify", response=ClassifyOut, operation_id="reference_classify")
def reference_classify(request: HttpRequest, payload: ClassifyIn) -> Any:
    """List the alloys and scrap grades an analysis fits, best first."""
    items = presenters.matches_out(adapters.classify_analysis(payload.analysis))
    return {"count": len(items), "items": items}


@router.post(
    "/reference/end-of-waste-check",
    response=EndOfWasteOut,
    operation_id="reference_end_of_waste_check",
)
def reference_end_of_waste_check(request: HttpRequest, payload: EndOfWasteIn) -> Any:
    """Evaluate an end-of-waste rule for a lot: outcome per criterion and overall."""
    rule, result = adapters.end_of_waste_check(
        payload.rule,
        foreign_materials_wt_pct=payload.foreign_materials_wt_pct,
        metal_yield_pct=payload.metal_yield_pct,
        declarations=payload.declarations,
    )
    return presenters.end_of_waste_out(rule, result)


@router.get("/reference/{kind}", response=EntryPage, operation_id="reference_list")
def reference_list(
    request: HttpRequest, kind: Kind, search: Query[SearchIn], page: Query[PageIn]
) -> Page:
    """List or search one part of the knowledge base, each entry with its source."""
    found = selectors.reference_list(actor=request.user, kind=kind, q=search.q)
    return paginate_list([presenters.entry_out(e) for e in found], page)


@router.get(
    "/reference/{kind}/{code}",
    response={200: EntryOut} | problems(404),
    operation_id="reference_get",
)
def reference_get(request: HttpRequest, kind: Kind, code: str) -> Any:
    """Read one entry by its code, with its source and confidence."""
    return presenters.entry_out(selectors.reference_get(actor=request.user, code=code, kind=kind))
