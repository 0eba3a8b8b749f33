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
from functools import cache

from django.db import NotSupportedError, models
from django.db.models import F
from django.db.models.query import ModelIterable
from django.utils.dateparse import parse_datetime

# Per database: the function that gathers the rows into one JSON array, and the one that makes each row.
JSON_FUNCTIONS = {
    "postgresql": ("JSONB_AGG", "JSONB_BUILD_OBJECT"),
    "sqlite": ("JSON_GROUP_ARRAY", "JSON_OBJECT"),
}


class FoldedRows(models.Expression):
    """A Fold's subquery. Its SQL is written once per database from the models' metadata: composed by the
    ORM it cost more to build and compile, on every query, than the rest of the query did."""

    output_field = models.JSONField()

    def __init__(self, fold, outer):
        super().__init__()
        self.fold, self.outer = fold, outer

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        [self.outer] = exprs

    def get_group_by_cols(self):
        # Correlated on the parent's column alone, as a Subquery would be.
        return self.outer.get_group_by_cols()

    def as_sql(self, compiler, connection):
        outer, params = compiler.compile(self.outer)
        return _fold_sql(self.fold, connection).replace("{outer}", outer), params


@dataclass(frozen=True)
class Fold:
    """One related set: where it lives on the parent, how to read it, and how to rebuild it."""

    name: str  # the prefetch cache name (tags, bylines, renditions…)
    model: type
    link: str  # the field of `source` pointing at the parent
    order: tuple  # attnames to sort by, as prefetch_related's ordering would
    source: type = None  # the model queried, when not `model` itself (the through model of an M2M)
    prefix: str = ""  # path from `source` to `model`
    nested: dict = field(default_factory=dict, hash=False)  # FK name → related model, rebuilt too
    outer: str = "pk"  # the parent's field the link points at

    def expression(self):
        return FoldedRows(self, F(self.outer))

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


_SQL = {}


def _fold_sql(fold, connection):
    key = (fold, connection.vendor)
    if key not in _SQL:
        _SQL[key] = _write_fold_sql(fold, connection.vendor, connection.ops.quote_name)
    return _SQL[key]


def _write_fold_sql(fold, vendor, qn):
    """SELECT <the rows as a JSON array> FROM <source> [JOIN <model>] [JOIN <nested>…] WHERE <link> = {outer}.

    The aliases (fold0, fold1…) cannot meet the parent query's own, which Django names after tables or
    T1, U0….
    """
    if vendor not in JSON_FUNCTIONS:
        raise NotSupportedError(f"Folded related sets need PostgreSQL or SQLite, not {vendor}.")
    aggregate, make_object = JSON_FUNCTIONS[vendor]
    source = fold.source or fold.model
    joins = []

    def join(alias, fk):
        target = f"fold{len(joins) + 1}"
        kind = "LEFT OUTER JOIN" if fk.null else "INNER JOIN"
        on = f"{alias}.{qn(fk.column)} = {target}.{qn(fk.target_field.column)}"
        joins.append(f"{kind} {qn(fk.related_model._meta.db_table)} {target} ON ({on})")
        return target

    def row(model, alias):
        return [f"'{f.attname}', {alias}.{qn(f.column)}" for f in model._meta.concrete_fields]

    alias = "fold0"
    if fold.prefix:
        alias = join(alias, source._meta.get_field(fold.prefix.removesuffix("__")))
    items = row(fold.model, alias)
    for name in fold.nested:
        fk = fold.model._meta.get_field(name)
        nested = row(fk.related_model, join(alias, fk))
        items.append(f"'{name}', {make_object}({', '.join(nested)})")
    link = qn({f.attname: f for f in source._meta.concrete_fields}[fold.link].column)
    return (
        f"(SELECT {aggregate}({make_object}({', '.join(items)})) "
        f"FROM {' '.join([qn(source._meta.db_table), 'fold0', *joins])} "
        f"WHERE fold0.{link} = {{outer}} GROUP BY fold0.{link})"
    )


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
        annotations[annotation] = item.expression()
    queryset = queryset.annotate(**annotations)
    queryset._iterable_class = FoldedIterable
    return queryset
