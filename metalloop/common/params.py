"""Bounds for every number the API reads, so that none reaches a query it cannot take.

A primary key is a signed 64-bit integer on SQLite and PostgreSQL alike: an id beyond
2^63 - 1 cannot exist, and Python would fail to hand it to SQLite. Decimal and integer
columns have the range their column can store (digits, integer width); the field's own
rules stay with the model and the services, which answer with translated messages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

from annotated_types import Interval
from django.db import models
from ninja import Field, Path
from pydantic import AfterValidator
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")
MAX_RECORD_ID = 2**63 - 1
# IntegerField and its positive twin are 32-bit on PostgreSQL, the small ones 16-bit.
INTEGER_COLUMN_MAX = 2**31 - 1
SMALL_INTEGER_COLUMN_MAX = 2**15 - 1

RecordId = Annotated[
    int, Path(ge=1, le=MAX_RECORD_ID, description="Id of the record (1 to 2^63 - 1).")
]


def record_id(default: Any = ..., *, description: str = "") -> Any:
    """A body or query field holding the id of a record."""
    return Field(default, ge=1, le=MAX_RECORD_ID, description=description or None)


def column_range(model: type[models.Model], name: str) -> Interval:
    """The range a model's numeric column can store, as a constraint for a schema field.

    Only the storage range: the field's own rules (minimum, maximum) stay with the model and
    the services, which refuse with translated messages and report every error at once.
    """
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        assert field.max_digits is not None
        assert field.decimal_places is not None
        step = Decimal(1).scaleb(-field.decimal_places)
        high = Decimal(10) ** (field.max_digits - field.decimal_places) - step
        return Interval(ge=-high, le=high)
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return Interval(ge=-SMALL_INTEGER_COLUMN_MAX - 1, le=SMALL_INTEGER_COLUMN_MAX)
    if isinstance(field, models.IntegerField):
        return Interval(ge=-INTEGER_COLUMN_MAX - 1, le=INTEGER_COLUMN_MAX)
    raise ValueError(f"{model.__name__}.{name} has no range to bound a schema field with")


def _not_null[T](value: T) -> T:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# A field of a change (PATCH) that may be left out but not set to null, because its column
# holds no null: the schema shows only the type, and an explicit null is refused (422).
Omittable = Annotated[T | SkipJsonSchema[None], AfterValidator(_not_null)]
