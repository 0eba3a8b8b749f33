"""Rules about a story's content, each stated once.

The database constraint on blocks, model validation (and with it the admin's form errors) and the API's
input checks all derive from these, so no surface accepts what another refuses. Messages are keyed by
model field; the API renames the keys to its own input fields.
"""

from django.db.models import Q

from .limits import stored_text
from .markup import TextTooLong, sanitize_inline, strip_tags

# Block types with text of their own; every other type points at the one object its name says.
TEXT_TYPES = ("paragraph", "heading")
POINTER_TYPES = ("quote", "image", "embed")


def block_content_condition():
    """The database's statement of the block rule: a block carries exactly the content its type names."""
    no_pointer = {f"{name}__isnull": True for name in POINTER_TYPES}
    condition = Q(type__in=list(TEXT_TYPES)) & ~Q(text="") & Q(**no_pointer)
    for kind in POINTER_TYPES:
        condition |= Q(type=kind, **{**no_pointer, f"{kind}__isnull": False})
    return condition


def block_problems(kind, *, text, pointers):
    """What is wrong with a block of type `kind` with `text` and the set of `pointers` it has, by field."""
    problems = {}
    if kind in TEXT_TYPES:
        try:
            if not strip_tags(stored_text(text)):
                problems["text"] = f"A {kind} block needs text."
        except TextTooLong as exc:
            problems["text"] = str(exc)
    else:
        if kind not in pointers:
            problems[kind] = f"A {kind} block needs a {kind}."
        if (text or "").strip():
            problems["text"] = f"A {kind} block has no text of its own."
    # Only the object that matches the type may be set, so a block never shows two things.
    for name in POINTER_TYPES:
        if name != kind and name in pointers:
            problems[name] = f"Only {name} blocks point at a {name}."
    return problems


def quote_problems(*, text, paragraph_type=None, paragraph_text=""):
    """What is wrong with a quote standing in a block of `paragraph_type` (None: in no block), by field.

    A quote stands in a paragraph or heading, and its words appear there as printed.
    """
    if paragraph_type is None:
        return {}
    if paragraph_type not in TEXT_TYPES:
        return {"block": "A quote stands in a paragraph or heading, not in another kind of block."}
    if (text or "") not in strip_tags(sanitize_inline(paragraph_text or "")):
        return {"text": "The quote does not appear in its paragraph as printed."}
    return {}


def unattributed_problem(count):
    """The speaker rule: no story goes out with words nobody is named as saying."""
    if not count:
        return None
    return f"Quotes without a speaker: {count}; attribute each, or drop it."
