"""Page through a queryset for the API: ``?page=`` and ``?page_size=``, with the total."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# A million pages of 200 are far more records than any network holds; the bound keeps the
# offset (page - 1) * page_size well inside the 64-bit integers both databases take.
MAX_PAGE = 1_000_000


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1 (at most 1000000).")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 200)."
    )


@dataclass(frozen=True)
class Page:
    count: int
    page: int
    page_size: int
    pages: int
    items: list[Any]


def paginate(queryset: QuerySet[Any], page: PageIn) -> Page:
    """Cut one page out of ``queryset`` and count the whole."""
    count = queryset.count()
    start = (page.page - 1) * page.page_size
    return Page(
        count=count,
        page=page.page,
        page_size=page.page_size,
        pages=max(1, math.ceil(count / page.page_size)),
        items=list(queryset[start : start + page.page_size]),
    )


def paginate_list(items: list[Any], page: PageIn) -> Page:
    """Cut one page out of a list that is already in memory."""
    start = (page.page - 1) * page.page_size
    return Page(
        count=len(items),
        page=page.page,
        page_size=page.page_size,
        pages=max(1, math.ceil(len(items) / page.page_size)),
        items=items[start : start + page.page_size],
    )
