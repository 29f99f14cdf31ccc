"""Bulk writes prepared before the write transaction opens, so that it stays short.

Django's ``bulk_create`` converts every value (``pre_save``, ``get_db_prep_save``) and
assembles the SQL while the transaction is open; on SQLite, which locks the whole database
file for one writer, every other writer waits meanwhile. A :class:`BulkWrite` does the same
conversion up front, with the fields' own methods, and the transaction only gives the new
rows their primary keys and writes them:

- On SQLite, a write of many rows is first *staged*: its converted values go into a
  temporary table of the connection (the ``temp`` database, which takes no lock on the
  main file), and inside the transaction one ``INSERT … SELECT`` (or ``UPDATE … FROM``) per
  table copies them, adding the keys. Copying inside SQLite costs about a fifth of binding
  the same rows from Python. Small writes (a form) skip the staging.
- Elsewhere (PostgreSQL) every table is written with one ``executemany``.

Primary keys are taken inside the transaction: on SQLite the write lock is already held (the
transactions begin IMMEDIATE), so the keys after the table's largest ever used
(``sqlite_sequence``, as AUTOINCREMENT would) are free and consecutive; on PostgreSQL they
are drawn from the table's sequence. A foreign key to a record inserted earlier in the same
write, and a column holding the text of such a record's key (the audit trail's object id),
are filled in once those keys are known.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connections
from django.db.models import Field, ForeignKey, Model

STAGE_FROM_ROWS = 100
"""Writes of at least this many rows of a table are staged first (on SQLite)."""
_STAGE_NAMES = itertools.count(1)


@dataclass
class _Reference:
    """A column holding keys of other records: per row, the position of a row inserted
    before in the same write (``ordinals``), or else a value known now (``static``)."""

    parent: _Insert | None
    ordinals: list[int | None]
    static: list[Any]
    as_text: bool = False


@dataclass(eq=False)
class _Insert:
    model: type[Model]
    instances: Sequence[Model]
    columns: list[str]
    rows: list[list[Any]]
    references: dict[int, _Reference] = field(default_factory=dict)
    keys: list[int] = field(default_factory=list)
    stage: str = ""


@dataclass
class _Update:
    model: type[Model]
    columns: list[str]
    rows: list[list[Any]]  # the values, then the key
    stage: str = ""


class BulkWrite:
    """Inserts, updates and other steps of one write, prepared before its transaction.

    Build it outside any transaction (:meth:`insert`, :meth:`update`, :meth:`then`), call it
    inside one, and call :meth:`discard` after that transaction (committed or not).
    """

    def __init__(self, using: str = "default") -> None:
        self.alias = using
        self.connection = connections[using]
        self.steps: list[_Insert | _Update | Callable[[], None]] = []
        self._positions: dict[int, tuple[_Insert, int]] = {}
        self._stages: list[str] = []

    # --- preparing -------------------------------------------------------------------------

    def insert(
        self,
        model: type[Model],
        instances: Sequence[Model],
        *,
        key_texts: Mapping[str, Sequence[Model]] | None = None,
    ) -> None:
        """Insert new ``instances``; ``key_texts`` names columns that hold, per row, the text
        of another instance's key (inserted before in this write, or saved already)."""
        if not instances:
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        references = self._references(fields, instances, key_texts or {})
        adapt = self._adapter()
        rows = [
            [
                reference.static[ordinal]
                if (reference := references.get(position)) is not None
                else adapt(f.get_db_prep_save(f.pre_save(instance, True), self.connection))
                for position, f in enumerate(fields)
            ]
            for ordinal, instance in enumerate(instances)
        ]
        insert = _Insert(model, instances, [str(f.column) for f in fields], rows)
        insert.references = {p: r for p, r in references.items() if r.parent is not None}
        insert.stage = self._staged(insert.columns, rows, insert.references)
        for ordinal, instance in enumerate(instances):
            self._positions[id(instance)] = (insert, ordinal)
        self.steps.append(insert)

    def _references(
        self,
        fields: list[Field[Any, Any]],
        instances: Sequence[Model],
        key_texts: Mapping[str, Sequence[Model]],
    ) -> dict[int, _Reference]:
        """The columns whose values are keys of other instances: where each row's comes from
        (a row inserted before in this write, or the instance's own saved key)."""
        references = {}
        for position, model_field in enumerate(fields):
            as_text = model_field.attname in key_texts
            if as_text:
                related: list[Model | None] = list(key_texts[model_field.attname])
            elif isinstance(model_field, ForeignKey):
                related = [model_field.get_cached_value(i, None) for i in instances]
            else:
                continue
            found = [None if r is None else self._positions.get(id(r)) for r in related]
            parents = {place[0] for place in found if place is not None}
            if len(parents) > 1:
                raise ValueError("a column may refer to the rows of one earlier insert only")
            if not parents and not as_text:
                continue  # plain foreign keys to saved records
            references[position] = _Reference(
                parent=next(iter(parents), None),
                ordinals=[None if place is None else place[1] for place in found],
                static=[
                    None if r is None or place is not None else (str(r.pk) if as_text else r.pk)
                    for r, place in zip(related, found, strict=True)
                ],
                as_text=as_text,
            )
        return references

    def update(self, model: type[Model], instances: Sequence[Model], fields: Sequence[str]) -> None:
        """Save ``fields`` of saved ``instances`` (and ``auto_now`` fields, set to now)."""
        if not instances:
            return
        meta = model._meta
        chosen = [cast("Field[Any, Any]", meta.get_field(name)) for name in fields]
        chosen += [
            f for f in meta.concrete_fields if getattr(f, "auto_now", False) and f not in chosen
        ]
        adapt = self._adapter()
        rows = [
            [
                adapt(f.get_db_prep_save(f.pre_save(instance, False), self.connection))
                for f in chosen
            ]
            + [instance.pk]
            for instance in instances
        ]
        columns = [str(f.column) for f in chosen]
        stage = self._staged([*columns, str(meta.pk.column)], rows, {})
        self.steps.append(_Update(model, columns, rows, stage))

    def then(self, step: Callable[[], None]) -> None:
        """Run ``step`` at this point of the write (a delete, a signal)."""
        self.steps.append(step)

    def first(self, step: Callable[[], None]) -> None:
        """Run ``step`` before everything else of the write (a check that may refuse it)."""
        self.steps.insert(0, step)

    # --- writing -------------------------------------------------------------------------

    def __call__(self) -> None:
        """Write everything, in order (inside the caller's transaction)."""
        for step in self.steps:
            if isinstance(step, _Insert):
                self._write_insert(step)
            elif isinstance(step, _Update):
                self._write_update(step)
            else:
                step()

    def discard(self) -> None:
        """Drop the staging tables (after the transaction, whether it committed or not)."""
        with self.connection.cursor() as cursor:
            for name in self._stages:
                cursor.execute(f'DROP TABLE IF EXISTS temp."{name}"')
        self._stages.clear()

    # --- inside ------------------------------------------------------------------------------

    def _write_insert(self, insert: _Insert) -> None:
        insert.keys = self._reserve_keys(insert.model, len(insert.instances))
        _give_keys(insert, self.alias)
        quote = self.connection.ops.quote_name
        table = quote(insert.model._meta.db_table)
        columns = [str(insert.model._meta.pk.column), *insert.columns]
        names = ", ".join(quote(c) for c in columns)
        if insert.stage:
            values = [f"{insert.keys[0]} + ord", *self._staged_values(insert)]
            self._execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(values)} "  # noqa: S608
                f'FROM temp."{insert.stage}" ORDER BY ord'
            )
            return
        for position, reference in insert.references.items():
            parent_keys = cast(_Insert, reference.parent).keys
            for row, ordinal in zip(insert.rows, reference.ordinals, strict=True):
                if ordinal is not None:
                    key = parent_keys[ordinal]
                    row[position] = str(key) if reference.as_text else key
        params = [[key, *row] for key, row in zip(insert.keys, insert.rows, strict=True)]
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def _staged_values(self, insert: _Insert) -> list[str]:
        values = []
        for position in range(len(insert.columns)):
            reference = insert.references.get(position)
            if reference is None:
                values.append(f"c{position}")
                continue
            key = f"{cast(_Insert, reference.parent).keys[0]} + r{position}"
            key = f"CAST({key} AS TEXT)" if reference.as_text else key
            values.append(f"COALESCE({key}, c{position})")
        return values

    def _write_update(self, update: _Update) -> None:
        quote = self.connection.ops.quote_name
        table = quote(update.model._meta.db_table)
        key = quote(str(update.model._meta.pk.column))
        if update.stage:
            settings = ", ".join(f"{quote(c)} = s.c{n}" for n, c in enumerate(update.columns))
            self._execute(
                f"UPDATE {table} SET {settings} "  # noqa: S608
                f'FROM temp."{update.stage}" AS s WHERE {table}.{key} = s.c{len(update.columns)}'
            )
            return
        settings = ", ".join(f"{quote(c)} = %s" for c in update.columns)
        sql = f"UPDATE {table} SET {settings} WHERE {key} = %s"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, update.rows)

    def _reserve_keys(self, model: type[Model], count: int) -> list[int]:
        """``count`` new primary keys of ``model``'s table that no one else takes."""
        quote = self.connection.ops.quote_name
        table = model._meta.db_table
        column = str(model._meta.pk.column)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                # Inside an IMMEDIATE transaction this connection alone writes; AUTOINCREMENT
                # never hands out a key used before (sqlite_sequence), so neither do we.
                cursor.execute(
                    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                    f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 0))",
                    [table],
                )
                first = int(cursor.fetchone()[0]) + 1
                return list(range(first, first + count))
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, count],
                )
                return [int(row[0]) for row in cursor.fetchall()]
        raise NotImplementedError(
            f"bulk writes are made for SQLite and PostgreSQL, not {self.connection.vendor}"
        )

    # --- outside ---------------------------------------------------------------------------

    def _staged(
        self, columns: list[str], rows: list[list[Any]], references: Mapping[int, _Reference]
    ) -> str:
        """Put the rows into a temporary table (on SQLite, from STAGE_FROM_ROWS rows); its
        name, or "" when the rows are written directly."""
        if self.connection.vendor != "sqlite" or len(rows) < STAGE_FROM_ROWS:
            return ""
        name = f"metalloop_stage_{next(_STAGE_NAMES)}"
        values = [f"c{n}" for n in range(len(columns))]
        refs = [f"r{n}" for n in references]
        self._execute(
            f'CREATE TEMP TABLE "{name}" (ord INTEGER PRIMARY KEY, {", ".join(values + refs)})'
        )
        self._stages.append(name)
        placeholders = ", ".join(["%s"] * (1 + len(values) + len(refs)))
        params = [
            [ordinal, *row, *(reference.ordinals[ordinal] for reference in references.values())]
            for ordinal, row in enumerate(rows)
        ]
        with self.connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO temp."{name}" VALUES ({placeholders})', params)  # noqa: S608
        return name

    def _adapter(self) -> Callable[[Any], Any]:
        """The conversion the database driver would make while writing, made now.

        Python's sqlite3 turns decimals, dates and times into text through adapters written
        in Python (Django registers them), one call per value while the statement runs.
        """
        if self.connection.vendor != "sqlite":
            return lambda value: value
        adapters = sqlite3.adapters

        def adapt(value: Any) -> Any:
            adapter = adapters.get((type(value), sqlite3.PrepareProtocol))
            return value if adapter is None else adapter(value)

        return adapt

    def _execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


def _give_keys(insert: _Insert, alias: str) -> None:
    """Mark the instances saved with their new keys (as ``save()`` would)."""
    attname = insert.model._meta.pk.attname
    direct = not insert.model._meta.parents  # a key of its own, not one shared with a parent
    for instance, key in zip(insert.instances, insert.keys, strict=True):
        if direct:
            instance.__dict__[attname] = key
        else:
            instance.pk = key
        instance._state.adding = False
        instance._state.db = alias
