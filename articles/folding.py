"""Small related sets folded into their parent's query as JSON, instead of one prefetch query each.

A story's tags, bylines with their contributors, corrections and the renditions of its pictures are a
handful of rows each. Fetched by ``prefetch_related`` they cost a query apiece; folded, they arrive as JSON
columns of the story's own row (or of its blocks') and are turned back into model instances, placed where
``prefetch_related`` would have put them, so templates and serializers read them unchanged. This keeps the
cost of a story page or API response at a few queries, whatever the story's size.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable
from django.utils.dateparse import parse_datetime


class JSONAgg(models.Aggregate):
    """The rows' JSON objects as one array (JSON_GROUP_ARRAY on SQLite, JSONB_AGG on PostgreSQL)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _columns(model, prefix=""):
    return {f.attname: f"{prefix}{f.attname}" for f in model._meta.concrete_fields}


@dataclass(frozen=True)
class Fold:
    """One related set: where it lives on the parent, how to read it, and how to rebuild it."""

    name: str  # the prefetch cache name (tags, bylines, renditions…)
    model: type
    link: str  # the field of `source` pointing at the parent
    order: tuple  # attnames to sort by, as prefetch_related's ordering would
    source: type = None  # the model queried, when not `model` itself (the through model of an M2M)
    prefix: str = ""  # path from `source` to `model`
    nested: dict = field(default_factory=dict)  # FK name → related model, rebuilt too
    outer: str = "pk"  # the parent's field the link points at

    @cached_property
    def expression(self):
        # Built once: annotating resolves a copy, so one expression serves every queryset.
        source = self.source or self.model
        columns = _columns(self.model, self.prefix)
        for name, related in self.nested.items():
            columns[name] = JSONObject(**_columns(related, f"{self.prefix}{name}__"))
        rows = (
            source.objects.filter(**{self.link: OuterRef(self.outer)})
            .order_by()
            .values(self.link)
            .annotate(rows=JSONAgg(JSONObject(**columns)))
            .values("rows")
        )
        return Subquery(rows, output_field=models.JSONField())

    def rebuild(self, rows, db):
        objects = []
        for row in rows or ():
            obj = build(self.model, row, db)
            for name, related in self.nested.items():
                if row.get(name) and row[name].get("id") is not None:
                    setattr(obj, name, build(related, row[name], db))
            objects.append(obj)
        objects.sort(key=lambda obj: tuple(getattr(obj, attname) for attname in self.order))
        return objects


def build(model, row, db):
    names, values = [], []
    for attname, read in _readers(model):
        if attname in row:
            value = row[attname]
            names.append(attname)
            values.append(value if value is None or read is None else read(value))
    return model.from_db(db, names, values)


@cache
def _readers(model):
    """(attname, how to read its JSON value back, or None where JSON already gives the Python value)."""
    return tuple((f.attname, _reader(f)) for f in model._meta.concrete_fields)


# JSON gives these fields' values as they are: text as str, whole numbers as int, stored file names as str.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.FileField)


def _reader(f):
    if isinstance(f, models.DateTimeField):
        return _datetime
    if isinstance(f, models.JSONField):
        return _json
    if isinstance(f.target_field if isinstance(f, models.ForeignKey) else f, _AS_IS):
        return None
    # Booleans come as 0/1 from SQLite; floats that are whole come as int.
    return f.to_python


def _datetime(value):
    moment = parse_datetime(value) if isinstance(value, str) else value
    # SQLite keeps UTC without an offset.
    return moment.replace(tzinfo=UTC) if isinstance(moment, datetime) and moment.tzinfo is None else moment


def _json(value):
    # SQLite's JSON_OBJECT nests a JSON column as its text.
    return json.loads(value) if isinstance(value, str) else value


def place(obj, name, objects):
    """Where prefetch_related would have put them: `obj.<name>.all()` answers without a query."""
    queryset = getattr(obj, name).get_queryset()
    queryset._result_cache, queryset._prefetch_done = objects, True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[name] = queryset


# Annotation name → (target, Fold). The name says where the set goes, so a queryset carries nothing else
# and survives cloning (prefetch_related clones the querysets it is given).
REGISTRY = {}
PREFIX = "_folded__"


class FoldedIterable(ModelIterable):
    """Model instances whose folded JSON columns are rebuilt into their related sets."""

    def __iter__(self):
        db = self.queryset.db
        for obj in super().__iter__():
            for annotation in [key for key in obj.__dict__ if key.startswith(PREFIX)]:
                target, fold = REGISTRY[annotation]
                rows = obj.__dict__.pop(annotation)
                owner = getattr(obj, target) if target else obj
                if owner is not None:
                    place(owner, fold.name, fold.rebuild(rows, db))
            yield obj


def fold(queryset, *folds):
    """`queryset` with each (target, Fold) folded in: target "" is the row itself, else an FK to follow."""
    annotations = {}
    for target, item in folds:
        annotation = f"{PREFIX}{target}__{item.name}"
        REGISTRY[annotation] = (target, item)
        annotations[annotation] = item.expression
    queryset = queryset.annotate(**annotations)
    queryset._iterable_class = FoldedIterable
    return queryset
