"""No text helper or regular expression in the project is super-linear on hostile input.

Work is bounded by counting, never by a clock: Python-level helpers are run under a line-event
counter at two input sizes, and every regular expression in the project's source is checked for the
nested unbounded repetition that makes backtracking engines explode.
"""

import ast
import inspect
import re
import sys
from pathlib import Path
from re import _constants as sre_constants
from re import _parser as sre_parse
from types import SimpleNamespace

import pytest

from articles.content import markup as text

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ["articles", "contributors", "newsroom"]
REGEX_CALLS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}
REGEX_CONSTRUCTORS = {"RegexValidator", "re_path", "RegexField"}


def hostile_inputs(size):
    """Strings that make naive parsers and backtracking regexes work hard."""
    return [
        "<" * size,
        "<a " * (size // 3),
        "<b>" * (size // 3),
        "<script>" * (size // 8),
        "&" * size,
        "&#" * (size // 2),
        " " * size + "x",
        "a" * size + "!",
        "“" * size,
        '"' * size,
        "<!--" * (size // 4),
        "<a href='" + "javascript:" * (size // 11),
        "\n" * size,
        "—" * size,
        "".join(chr(0x300 + (i % 100)) for i in range(size)),
    ]


def python_line_events(function, argument):
    """How many Python lines run while `function(argument)` works (C code counts as its caller's line)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(argument)
    finally:
        sys.settrace(None)
    return count


def _quotes_in(markup):
    # Quotes are matched against sanitized markup, the only kind the pages hand to mark_quotes.
    markup = text.sanitize_inline(markup)
    words = text.strip_tags(markup)
    quotes = [SimpleNamespace(pk=n, text=words[n * 7 : n * 7 + 40]) for n in range(5)]
    return (markup, quotes)


# How each helper is called; a new helper with other arguments must say here how to call it.
CALLS = {"mark_quotes": _quotes_in}


def text_helpers():
    helpers = []
    for name, function in inspect.getmembers(text, inspect.isfunction):
        if function.__module__ != text.__name__ or name.startswith("_"):
            continue
        required = [
            p for p in inspect.signature(function).parameters.values() if p.default is inspect.Parameter.empty
        ]
        assert len(required) == 1 or name in CALLS, f"tell CALLS how to call text.{name}"
        helpers.append(pytest.param(function, CALLS.get(name, lambda s: (s,)), id=name))
    return helpers


@pytest.mark.parametrize("helper, arguments", text_helpers())
def test_text_helper_work_grows_linearly_with_hostile_input(helper, arguments):
    for small, large in zip(hostile_inputs(2_000), hostile_inputs(8_000), strict=True):
        small_work = python_line_events(lambda s: helper(*arguments(s)), small)
        large_work = python_line_events(lambda s: helper(*arguments(s)), large)
        # Four times the input may cost four times the work (plus a constant), never sixteen.
        assert large_work <= 4 * small_work + 50, (helper.__name__, small[:20], small_work, large_work)


@pytest.mark.parametrize("helper, arguments", text_helpers())
def test_text_helper_handles_the_longest_allowed_hostile_text(helper, arguments):
    for hostile in hostile_inputs(text.MAX_INLINE_LENGTH):
        result = helper(*arguments(hostile))
        assert "<script" not in str(result).lower()


@pytest.mark.parametrize("helper", [text.sanitize_inline, text.strip_tags], ids=lambda f: f.__name__)
def test_the_html_sanitizer_is_never_handed_unbounded_text(helper):
    # nh3's work is quadratic in character references (bench/text_helpers.py measures it), so the
    # helpers refuse input beyond what a saved paragraph can hold instead of working for minutes.
    with pytest.raises(text.TextTooLong):
        helper("&" * (text.MAX_MARKUP_LENGTH + 1))


@pytest.mark.parametrize("ch", ["&", "<", ">", "\xa0", '"'])
def test_sanitized_text_of_the_longest_allowed_paragraph_can_be_sanitized_again(ch):
    typed = ch * text.MAX_INLINE_LENGTH
    stored = text.sanitize_inline(typed)
    assert text.sanitize_inline(stored) == stored
    assert text.strip_tags(stored) == typed.strip()


def project_regexes():
    """Every literal pattern handed to re/regex or a Django regex helper anywhere in the source."""
    found = []
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                module = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
                is_regex = (module in {"re", "regex"} and name in REGEX_CALLS) or name in REGEX_CONSTRUCTORS
                pattern = node.args[0]
                if is_regex and isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", pattern.value))
    return found


UNBOUNDED = sre_constants.MAXREPEAT
BACKTRACKING_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _children(op, av):
    if op in BACKTRACKING_REPEATS or op == sre_constants.POSSESSIVE_REPEAT:
        return [av[2]]
    if op == sre_constants.SUBPATTERN:
        return [av[3]]
    if op == sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op == sre_constants.ATOMIC_GROUP:
        return [av]
    if op == sre_constants.GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]
    return []


def _has_unbounded_repeat(tree):
    for op, av in tree:
        if op in BACKTRACKING_REPEATS and av[1] == UNBOUNDED:
            return True
        if any(_has_unbounded_repeat(child) for child in _children(op, av)):
            return True
    return False


def nested_unbounded_repeats(pattern):
    """Sub-patterns like (a+)+ or (\\s*x*)* whose backtracking is exponential."""
    problems = []

    def walk(tree):
        for op, av in tree:
            if op in BACKTRACKING_REPEATS and av[1] == UNBOUNDED and _has_unbounded_repeat(av[2]):
                problems.append(str(av[2]))
            for child in _children(op, av):
                walk(child)

    walk(sre_parse.parse(pattern))
    return problems


def _item_matches(op, av, char):
    """Whether one regex item (a literal, class or dot) can match `char`; unknown items say yes."""
    code = ord(char)
    if op == sre_constants.LITERAL:
        return av == code
    if op == sre_constants.NOT_LITERAL:
        return av != code
    if op == sre_constants.ANY:
        return char != "\n"
    if op == sre_constants.IN:
        negate = bool(av) and av[0][0] == sre_constants.NEGATE
        hit = False
        for item_op, item_av in av[1:] if negate else av:
            if item_op == sre_constants.LITERAL:
                hit |= item_av == code
            elif item_op == sre_constants.RANGE:
                hit |= item_av[0] <= code <= item_av[1]
            else:  # categories such as \w, \s: assume they might match
                hit = True
        return hit != negate
    return True


def rescans_from_every_start(pattern):
    """Patterns like <[^>]*> searched over "<<<<...": each start scans to the end, so n² work."""
    tree = list(sre_parse.parse(pattern))
    if not tree or tree[0][0] != sre_constants.LITERAL:
        return False
    first = chr(tree[0][1])
    for op, av in tree[1:]:
        single_item_repeat = op in BACKTRACKING_REPEATS and av[1] == UNBOUNDED and len(av[2]) == 1
        if single_item_repeat and _item_matches(*list(av[2])[0], first):
            return True
    return False


def test_the_rescan_detector_catches_unbounded_classes_that_admit_the_opening_character():
    assert rescans_from_every_start(r"<[^>]*>")
    assert rescans_from_every_start(r"\[.*\]")
    assert not rescans_from_every_start(r"<[^<>]*>")
    assert not rescans_from_every_start(r"\d+")


def test_the_nested_repeat_detector_catches_the_classic_cases():
    assert nested_unbounded_repeats(r"(a+)+$")
    assert nested_unbounded_repeats(r"^(\s*,?\s*\w+)*$")
    assert not nested_unbounded_repeats(r"^\s*(\w+)\s*:\s*(.+)$")
    assert not nested_unbounded_repeats(r"(?:ab){1,3}c+")


@pytest.mark.parametrize("where, pattern", project_regexes() or [("none yet", "")], ids=lambda v: str(v)[:40])
def test_no_project_regex_backtracks_super_linearly(where, pattern):
    assert nested_unbounded_repeats(pattern) == [], f"{where}: {pattern!r}"
    assert not rescans_from_every_start(pattern), f"{where}: {pattern!r}"
    re.compile(pattern)
