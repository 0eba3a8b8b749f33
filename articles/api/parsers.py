import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A story is a few levels deep (story → blocks → block → fields); nothing legitimate nests deeper.
MAX_DEPTH = 20
# The longest text any field accepts is a paragraph (articles.content.markup.MAX_INLINE_LENGTH); anything
# much longer is refused before a serializer or the HTML sanitizer spends time on it.
MAX_STRING_LENGTH = 50_000
# Lone UTF-16 surrogates cannot be stored (UTF-8 has no encoding for them) and PostgreSQL refuses
# NUL in text: either would fail deep inside a save as a 500, so both are refused at the door.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_bounds(data):
    # Iterative, so a hostile document cannot exhaust the stack while being checked.
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            if len(value) > MAX_STRING_LENGTH:
                raise ParseError(f"A JSON string is longer than {MAX_STRING_LENGTH} characters.")
            if _UNSTORABLE.search(value):
                raise ParseError("JSON strings may not contain NUL characters or unpaired surrogates.")
        elif isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class BoundedJSONParser(JSONParser):
    """JSON with bounded nesting and string length, refused with 400 rather than a crash or a stall."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        _check_bounds(data)
        return data
