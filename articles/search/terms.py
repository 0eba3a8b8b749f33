"""What a search box may ask: the words of a query, cleaned and held to limits every engine can afford.

The syntax is the one readers know from web search engines: words (all must match), "quoted phrases",
`OR` between alternatives and `-word` to exclude. Anything else — brackets, `&`, `|`, `:*` — is plain
punctuation, never an operator, so no input is a syntax error.
"""

import re
import unicodedata

from django.conf import settings

# Control characters (NUL included) and the like carry no words; they are refused rather than guessed at.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class InvalidSearch(ValueError):
    """The query cannot be searched as it is; the message says why, for the person who typed it."""


class Terms:
    """A parsed query: `required` words and `phrases` must all match, one of each `alternatives` group
    must, `excluded` words must not. `text` is the query in web-search syntax for engines that take it."""

    def __init__(self, raw):
        if len(raw) > settings.SEARCH_MAX_LENGTH:
            raise InvalidSearch(f"Use at most {settings.SEARCH_MAX_LENGTH} characters.")
        if _CONTROL.search(raw):
            raise InvalidSearch("Remove the control characters.")
        self.raw = raw
        self.required, self.phrases, self.excluded, self.alternatives = [], [], [], []
        pending_or = False
        for match in _TOKEN.finditer(unicodedata.normalize("NFKC", raw)):
            phrase, token = match.groups()
            if token == "OR":
                pending_or = bool(self.required or self.phrases)
                continue
            negative = token is not None and token.startswith("-")
            words = _WORD.findall(phrase if phrase is not None else token)
            if not words:
                continue
            if negative:
                self.excluded.extend(words)
            elif phrase is not None and len(words) > 1:
                self.phrases.append(words)
            elif pending_or:
                self.join_alternative(words)
            else:
                self.required.extend(words)
            pending_or = False
        if self.word_count > settings.SEARCH_MAX_TERMS:
            raise InvalidSearch(f"Use at most {settings.SEARCH_MAX_TERMS} words.")

    def join_alternative(self, words):
        """`a OR b`: the last required word (or phrase) and these become one group of alternatives."""
        last = [self.required.pop()] if self.required else [" ".join(self.phrases.pop())]
        if self.alternatives and self.alternatives[-1][-1] == last[0]:
            self.alternatives[-1].append(" ".join(words))
            return
        self.alternatives.append([*last, " ".join(words)])

    @property
    def word_count(self):
        groups = [*self.required, *self.excluded, *(w for p in self.phrases for w in p)]
        return len(groups) + sum(len(group) for group in self.alternatives)

    @property
    def words(self):
        """Every word a matching story must contain (phrases included), for engines without phrases."""
        return [*self.required, *(word for phrase in self.phrases for word in phrase)]

    @property
    def text(self):
        """The query again in web-search syntax, rebuilt from the cleaned words only."""
        parts = [*self.required, *(f'"{" ".join(p)}"' for p in self.phrases)]
        parts += [" OR ".join(f'"{a}"' if " " in a else a for a in group) for group in self.alternatives]
        parts += [f"-{word}" for word in self.excluded]
        return " ".join(parts)

    @property
    def loose_text(self):
        """The query with its phrases as plain words: what an index can find without reading stories."""
        parts = [*self.words]
        parts += [" OR ".join(f'"{a}"' if " " in a else a for a in group) for group in self.alternatives]
        parts += [f"-{word}" for word in self.excluded]
        return " ".join(parts)

    def __bool__(self):
        return bool(self.required or self.phrases or self.alternatives)
