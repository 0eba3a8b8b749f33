"""Write many rows fast: COPY on PostgreSQL, one prepared INSERT with many parameter sets elsewhere.

Rows are given as dicts of the columns the generator chooses; every other column gets the model
field's default, so a field added to a model later needs no change here.
"""

import io
import json
from datetime import date, datetime

from django.utils import timezone

NULL = object()


class TableWriter:
    def __init__(self, connection, model):
        self.connection = connection
        self.table = model._meta.db_table
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields]
        now = timezone.now()
        self.defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.column] = now
            elif field.has_default() and callable(field.default):
                self.defaults[field.column] = field.default  # called per row: uuids and the like
            else:
                self.defaults[field.column] = field.get_default()  # "" for text, None where nullable
        self.rows = []

    def add(self, **values):
        self.rows.append(values)

    def reserve_ids(self, count):
        """Primary keys for `count` new rows, so children can point at them before anything is written."""
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # Elsewhere the generator is the only writer while it runs.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(self.table)}")
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def row(self, values):
        row = []
        for field in self.fields:
            column = field.column
            if column in values:
                row.append(values[column])
            else:
                default = self.defaults[column]
                row.append(default() if callable(default) else default)
        return row

    def flush(self):
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                buffer = io.StringIO()
                for values in rows:
                    buffer.write("\t".join(copy_text(value) for value in self.row(values)))
                    buffer.write("\n")
                buffer.seek(0)
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
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
