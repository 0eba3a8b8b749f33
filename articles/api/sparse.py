"""Sparse responses: `?fields=slug,headline,lead_image.url` trims a response to the named fields.

Dotted names select inside embedded objects (and inside each item of embedded lists). A name the
response does not have is a 400 naming it, never silently dropped.
"""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .contract import SPARSE_MEDIA_TYPE

PARAMETER = "fields"


def parse(value):
    """ "slug,lead_image.url" → {"slug": {}, "lead_image": {"url": {}}}; {} means the whole field."""
    tree = {}
    for path in value.split(","):
        path = path.strip()
        if not path:
            continue
        node = tree
        for name in path.split("."):
            node = node.setdefault(name, {})
    return tree


def _unwrap(serializer):
    return serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer


def prune(serializer, tree, prefix=""):
    """Drop the fields of `serializer` not named in `tree`; returns a message per name that does not exist."""
    target = _unwrap(serializer)
    available = ", ".join(target.fields)
    problems = []
    for name, subtree in tree.items():
        field = target.fields.get(name)
        if field is None:
            problems.append(f"Unknown field “{prefix}{name}”. Available here: {available}.")
        elif subtree:
            nested = _unwrap(field)
            if isinstance(nested, serializers.Serializer):
                problems += prune(nested, subtree, f"{prefix}{name}.")
            else:
                problems.append(f"“{prefix}{name}” has no fields to select from.")
    for name in list(target.fields):
        if name not in tree:
            target.fields.pop(name)
    return problems


class SparseFieldsMixin:
    """For read viewsets: applies `?fields=` to the serializer of GET responses."""

    sparse_fields = True

    def finalize_response(self, request, response, *args, **kwargs):
        return self.label_sparse(super().finalize_response(request, response, *args, **kwargs))

    def label_sparse(self, response):
        # A cut-down response says so in its media type, which the contract describes with nothing required.
        if (
            response.status_code == 200
            and PARAMETER in self.request.query_params
            and getattr(self.request, "accepted_renderer", None) is not None
            and self.request.accepted_renderer.format == "json"
        ):
            response.content_type = SPARSE_MEDIA_TYPE
            if getattr(response, "_is_rendered", False):
                response["Content-Type"] = SPARSE_MEDIA_TYPE
        return response


class SparseReadsMixin(SparseFieldsMixin):
    """For viewsets that store rendered responses (caching.py): the label is on before the bytes are kept."""

    def list(self, request, *args, **kwargs):
        return self.label_sparse(super().list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.label_sparse(super().retrieve(request, *args, **kwargs))

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        value = self.request.query_params.get(PARAMETER) if self.request else None
        if value is not None and self.request.method == "GET":
            if not isinstance(_unwrap(serializer), serializers.Serializer):
                # A standard's own shape (ninjs) is served whole: pruned, it would no longer be that standard.
                raise ValidationError({PARAMETER: ["Field selection is only available in the JSON format."]})
            tree = parse(value)
            problems = prune(serializer, tree) if tree else ["Name at least one field."]
            if problems:
                raise ValidationError({PARAMETER: problems})
        return serializer
