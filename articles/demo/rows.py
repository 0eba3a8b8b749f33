"""Write many rows fast: COPY on PostgreSQL, one prepared INSERT with many parameter sets elsewhere.

Rows are given as dicts of the columns the generator chooses; every other column gets the model
field's default, so a field added to a model later needs no change here.
"""

import io
import json
from datetime import date, datetime

from django.utils import timezone


class TableWriter:
    def __init__(self, connection, model, *, table=None, extra=()):
        """`table` loads a table shaped like the model's instead, with `extra` columns after (COPY only)."""
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.sequence_table = model._meta.db_table
        self.table = table or self.sequence_table
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields] + list(extra)
        now = timezone.now()
        # (column, default): a default is called per row (uuids and the like) or, when it is a constant,
        # kept ready in the form the load takes (COPY text on PostgreSQL).
        self.plan = []
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.has_default() and callable(field.default):
                default = field.default
            else:
                default = field.get_default()  # "" for text, None where nullable
            if self.copy and not callable(default):
                default = copy_text(default)
            self.plan.append((field.column, default))
        self.plan += [(column, "\\N") for column in extra]
        self.rows = []

    def add(self, **values):
        """Queue a row; the dict returned is the row, to be completed before the flush."""
        self.rows.append(values)
        return values

    def reserve_ids(self, count):
        """Primary keys for `count` new rows, so children can point at them before anything is written."""
        with self.connection.cursor() as cursor:
            if self.copy:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.sequence_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # Elsewhere the generator is the only writer while it runs.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(self.table)}")
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def row(self, values):
        return [
            values[column] if column in values else default() if callable(default) else default
            for column, default in self.plan
        ]

    def copy_line(self, values):
        return "\t".join(
            [
                copy_text(values[column])
                if column in values
                else copy_text(default())
                if callable(default)
                else default
                for column, default in self.plan
            ]
        )

    def flush(self):
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        with self.connection.cursor() as cursor:
            if self.copy:
                buffer = io.StringIO("\n".join(map(self.copy_line, rows)) + "\n")
                columns = ", ".join(self.connection.ops.quote_name(c) for c in self.columns)
                cursor.copy_expert(f"COPY {self.table} ({columns}) FROM STDIN", buffer)
            else:
                quote = self.connection.ops.quote_name
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, self.columns))}) "
                    f"VALUES ({placeholders})",
                    [
                        [
                            field.get_db_prep_save(value, self.connection)
                            for field, value in zip(self.fields, self.row(values), strict=True)
                        ]
                        for values in rows
                    ],
                )


def copy_text(value):
    """One value in COPY's text format."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return escaped(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return escaped(str(value))


def escaped(text):
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
