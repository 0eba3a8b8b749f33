"""Tokens, speech verbs and the people a sentence names as speakers."""

from __future__ import annotations

from dataclasses import dataclass

from .results import SpeakerRef
from .words import (
    ABBREVIATIONS,
    ADVERBS,
    DETERMINERS,
    FEMALE_TITLES,
    GROUP_NOUNS,
    MALE_TITLES,
    NAME_PARTICLES,
    NOT_NAMES,
    OCCASION_DROP,
    OCCASION_NOUNS,
    OCCASION_PREPOSITIONS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    OUTLETS_TOLD,
    PERSON_HEADS,
    PRONOUNS,
    SOURCE_NOUNS,
    STATEMENT_NOUNS,
    STOPS,
    TERMINALS,
    TITLE_LINKS,
    TITLE_WORDS,
    TOKEN,
)


@dataclass
class _Token:
    text: str
    start: int
    quote: int | None = None  # index of the quote this token stands for
    sentence: int = 0
    source: str = ""  # the paragraph, so names can be cut from it exactly as printed

    def __post_init__(self):
        # Read many times per token while looking for speakers, so worked out once.
        self.lower = self.text.lower()
        head, dash, rest = self.text.partition("-")
        # "al-Amr", "el-Sayed": a lowercase particle joined to a capitalised name is still a name.
        self.capitalised = self.quote is None and (
            self.text[:1].isupper() or bool(dash and head in NAME_PARTICLES and rest[:1].isupper())
        )


@dataclass
class _Mention:
    kind: str  # "name", "pronoun", "anonymous", "definite", or "surname" for a passing mention
    name: str = ""
    title: str = ""
    gender: str = ""
    head: str = ""  # the noun of an unnamed source, e.g. "official"
    organisation: bool = False  # the name reads as an organisation's
    person_head: bool = False  # a description of a person: "the mayor", "the 26-year-old"
    age: str = ""  # "26" from "Jane Roe, 26," or "the 26-year-old"
    described: bool = False  # introduced with a description: "Jane Roe, a teacher, …"
    subject: bool = False  # the subject of its sentence, so a quote standing alone may be theirs
    possessive: bool = False  # "Roe's lawyer": a description that belongs to someone else


@dataclass
class _Event:
    verb_index: int
    verb: str
    sentence: int
    mention: _Mention | None
    indirect: bool = False  # the speaker comes from the sentence's subject ("…, saying"; "…: “…”")
    occasion: str = ""
    speaker: SpeakerRef | None = None
    confidence: float = 0.0
    note: str = ""


def _tokens(text, spans):
    tokens = []
    cursor = 0
    for number, span in enumerate(spans):
        tokens.extend(
            _Token(m.group(), cursor + m.start()) for m in TOKEN.finditer(text[cursor : span.outer_start])
        )
        tokens.append(_Token(text[span.start : span.end], span.outer_start, quote=number))
        cursor = span.outer_end
    tokens.extend(_Token(m.group(), cursor + m.start()) for m in TOKEN.finditer(text[cursor:]))
    sentence = 0
    for i, token in enumerate(tokens):
        token.source = text
        token.sentence = sentence
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is None:
            continue
        ends = token.text in TERMINALS or (token.quote is not None and token.text[-1:] in TERMINALS)
        abbreviation = (
            token.text == "."
            and i > 0
            and (tokens[i - 1].lower in ABBREVIATIONS or len(tokens[i - 1].text) == 1)
        )
        if ends and not abbreviation and (after.capitalised or after.quote is not None):
            sentence += 1
    return tokens


def _is_stop(token):
    return token.quote is not None or token.text in STOPS or token.text in '"”“'


def _split_title(words):
    """Title words first, then the name: "Deputy Prime Minister" + "Irina Vereshchuk"."""
    last_title = -1
    for i, word in enumerate(words[:-1]):
        if word.lower().rstrip(".") in TITLE_WORDS or (word.lower() in TITLE_LINKS and last_title == i - 1):
            last_title = i
    title = " ".join(words[: last_title + 1])
    name = " ".join(w for w in words[last_title + 1 :] if w != ".")
    title = title.replace(" .", ".")
    return title, name


def _gender_of(title):
    lowered = {w.lower().rstrip(".") for w in title.split()}
    if lowered & MALE_TITLES:
        return "he"
    if lowered & FEMALE_TITLES:
        return "she"
    return ""


def _name_run_back(tokens, end):
    """Capitalised words ending at index `end` (inclusive), walking left. Returns (first index, words)."""
    i = end
    words = []
    while i >= 0 and len(words) < 8:
        token = tokens[i]
        if token.capitalised and not token.text.endswith(("’s", "'s")):
            words.append(token.text)
        elif token.capitalised and words and words[-1].lower() in ORGANISATION_WORDS:
            words.append(token.text)  # "Example Sheriff's Office": the possessive is the office's name
        elif (
            token.text == "."
            and i > 0
            and tokens[i - 1].capitalised
            and (len(tokens[i - 1].text) == 1 or tokens[i - 1].lower in ABBREVIATIONS)
        ):
            words.append(".")
        elif token.lower in NAME_PARTICLES | TITLE_LINKS and i > 0 and tokens[i - 1].capitalised and words:
            words.append(token.text)
        else:
            break
        i -= 1
    words.reverse()
    # Trim sentence openers ("But Zelensky") and particles left at the edge.
    while words and (words[0].lower() in NOT_NAMES or words[0] == "." or words[0].lower() in TITLE_LINKS):
        words.pop(0)
    return i + 1, words


def _name_run_forward(tokens, start):
    words = []
    i = start
    while i < len(tokens) and len(words) < 8:
        token = tokens[i]
        if token.capitalised and token.text.endswith(("’s", "'s")):
            if words:
                break
            # "Labour’s Louise Haigh": the possessive names the organisation, not the person.
        elif token.capitalised and token.lower not in NOT_NAMES:
            words.append(token.text)
        elif token.text == "." and words and (len(words[-1]) == 1 or words[-1].lower() in ABBREVIATIONS):
            words.append(".")
        elif (
            token.lower in NAME_PARTICLES | TITLE_LINKS
            and words
            and i + 1 < len(tokens)
            and (tokens[i + 1].capitalised)
            # "Minister of the Interior", but not "According to Roe the Example property …"
            and (token.lower != "the" or words[-1].lower() in ("of", "for"))
        ):
            words.append(token.text)
        else:
            break
        i += 1
    return words


def _named(words):
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in SOURCE_NOUNS | GROUP_NOUNS:
        # "Critics said", "Officials told": a group, capitalised only because it opens the sentence.
        return _Mention("anonymous", name=words[0], head=words[0].lower())
    title, name = _split_title(words)
    if not name:
        return _Mention("definite", title=title, head=title.split()[-1].lower()) if title else None
    if all(w.lower() in NOT_NAMES for w in name.split()):
        return None
    return _Mention("name", name=name, title=title, gender=_gender_of(title))


def _title_from_appositive(words):
    """ ", an adviser to the Ukrainian presidency," → "Adviser to the Ukrainian presidency"."""
    if words and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    text = " ".join(words).replace(" ,", ",")
    return text[:1].upper() + text[1:] if text else ""


def _noun_phrase_back(tokens, end, limit):
    """An unnamed source ending at `end`: "a military official with the alliance"."""
    i = end
    while i >= limit and end - i < 10:
        token = tokens[i]
        if _is_stop(token) or token.text == ",":
            return None
        if token.lower in DETERMINERS:
            words = [t.text for t in tokens[i : end + 1]]
            if [w.lower() for w in words[:3]] in (["one", "of", "them"], ["some", "of", "them"]):
                return _Mention("pronoun", gender="they")
            nouns = [w for w in words if w.lower() in SOURCE_NOUNS]
            # "Two officials familiar with the talks": the first determiner met may not be the phrase's.
            if nouns:
                kind = "definite" if token.lower == "the" and len(words) <= 3 else "anonymous"
                return _Mention(kind, name=" ".join(words), head=nouns[0].lower())
        i -= 1
    return None


def _subject_before(tokens, verb):
    """Who speaks in "X said", "X, an adviser, told", "the man, identified as X, says"."""
    i = verb - 1
    while i >= 0 and (tokens[i].lower in ADVERBS or tokens[i].lower.endswith("ly")) and verb - i < 4:
        i -= 1
    if i < 0 or _is_stop(tokens[i]):
        return None
    title = ""
    if tokens[i].text == ",":
        # Appositive: look back to the comma that opens it.
        j = i - 1
        while j >= 0 and i - j < 16 and tokens[j].text != "," and not _is_stop(tokens[j]):
            j -= 1
        if j < 0 or tokens[j].text != ",":
            return None
        inside = tokens[j + 1 : i]
        lowered = [t.lower for t in inside]
        for marker in ("as", "named", "called"):
            if marker in lowered and lowered[0] in ("identified", "named", "called", "known", "later"):
                words = _name_run_forward(inside, lowered.index(marker) + 1)
                mention = _named(words)
                if mention:
                    return mention
        if 0 < len(inside) <= 5 and all(t.capitalised for t in inside):
            # "The transport secretary, Grant Shapps, said": the name is the appositive.
            mention = _named([t.text for t in inside])
            if mention is not None and mention.kind == "name":
                k = j
                while k > 0 and j - k < 6 and not _is_stop(tokens[k - 1]) and tokens[k - 1].text != ",":
                    k -= 1
                role = [t.text for t in tokens[k:j] if t.lower not in NOT_NAMES or t.lower in ("of", "for")]
                if role and not mention.title:
                    mention.title = _title_from_appositive(role)
                return mention
        if inside and (inside[0].lower in ("a", "an", "the") or inside[0].lower in TITLE_WORDS):
            title = _title_from_appositive([t.text for t in inside])
        elif (
            not inside
            or inside[0].lower not in ("who", "whose", "speaking", "aged")
            and not inside[0].text.isdigit()
        ):
            return None
        i = j - 1
        if i < 0:
            return None
    if tokens[i].lower in ("who",):
        i -= 1
        if i >= 0 and tokens[i].text == ",":
            i -= 1
    token = tokens[i]
    if token.lower in PRONOUNS:
        return _Mention("pronoun", gender=PRONOUNS[token.lower])
    if token.capitalised:
        _, words = _name_run_back(tokens, i)
        mention = _named(words)
        if mention and title and not mention.title:
            mention.title = title
        return mention
    mention = _noun_phrase_back(tokens, i, max(0, i - 12))
    if mention and title:
        mention.name = f"{mention.name}, {title[:1].lower()}{title[1:]}"
    return mention


def _subject_after(tokens, verb):
    """Who speaks in "said X", "said a spokesman for the ministry", "according to X"."""
    i = verb + 1
    if tokens[verb].lower == "according":
        i += 1
    while i < len(tokens) and (tokens[i].lower in ADVERBS or tokens[i].text == ","):
        i += 1
    if i >= len(tokens) or _is_stop(tokens[i]):
        return None
    token = tokens[i]
    if token.lower in PRONOUNS:
        return _Mention("pronoun", gender=PRONOUNS[token.lower])
    if token.lower == "the" and i + 1 < len(tokens) and tokens[i + 1].capitalised:
        # "according to the Eastville Chronicle": a name after "the" is an institution's; "said the
        # Prime Minister, Jane Roe" keeps its title and is read below.
        words = _name_run_forward(tokens, i + 1)
        after = tokens[i + 1 + len(words)] if i + 1 + len(words) < len(tokens) else None
        # "the Crown prosecutor, Jane Roe": a name that goes on as a description is read below.
        ends = after is None or not after.text[:1].isalpha() or after.lower in NOT_NAMES
        mention = _named(words) if ends else None
        if mention is not None and mention.kind == "name" and not mention.title:
            last = tokens[i + len(words)]
            mention.name = last.source[tokens[i + 1].start : last.start + len(last.text)] or mention.name
            mention.organisation = True
            return mention
    # "said opposition leader Karin Dahl": a lowercase role before the name.
    for k in range(i, min(i + 3, len(tokens) - 1)):
        if tokens[k].capitalised or _is_stop(tokens[k]):
            break
        if tokens[k].lower in TITLE_WORDS and tokens[k + 1].capitalised:
            mention = _named(_name_run_forward(tokens, k + 1))
            if mention is not None and mention.kind == "name":
                role = " ".join(t.text for t in tokens[i : k + 1])
                mention.title = mention.title or role[:1].upper() + role[1:]
                return mention
    if token.capitalised:
        words = _name_run_forward(tokens, i)
        mention = _named(words)
        if mention and mention.kind == "name":
            # "said John Smith, a spokesman for the ministry."
            j = i + len(words)
            if (
                j + 1 < len(tokens)
                and tokens[j].text == ","
                and tokens[j + 1].lower in ("a", "an", "the")
                and not mention.title
            ):
                k = j + 1
                while k < len(tokens) and k - j < 14 and not _is_stop(tokens[k]) and tokens[k].text != ",":
                    k += 1
                mention.title = _title_from_appositive([t.text for t in tokens[j + 1 : k]])
        return mention
    if token.lower in SOURCE_NOUNS | GROUP_NOUNS and token.lower.endswith("s"):
        # "chanted workers outside the plant": a group, unnamed.
        return _Mention("anonymous", name=token.text, head=token.lower)
    if token.lower in DETERMINERS:
        k = i
        while k < len(tokens) and k - i < 10 and not _is_stop(tokens[k]) and tokens[k].text != ",":
            k += 1
        words = [t.text for t in tokens[i:k]]
        if k + 1 < len(tokens) and tokens[k].text == "," and tokens[k + 1].capitalised:
            # "said the mayor, Jane Roe": the name after the description.
            mention = _named(_name_run_forward(tokens, k + 1))
            if mention is not None and mention.kind == "name":
                role = " ".join(words[1:]) if words[0].lower() in ("a", "an", "the") else " ".join(words)
                mention.title = mention.title or role[:1].upper() + role[1:]
                return mention
        lowered = [w.lower() for w in words]
        for n, word in enumerate(lowered[:-2]):
            near = range(n + 1, min(n + 5, len(lowered) - 1))
            owner = [m for m in near if lowered[m] in ("from", "by", "of")]
            if word in STATEMENT_NOUNS and owner:
                # "according to a statement from the ministry", "a tweet on Monday by Jane Roe": the
                # statement's owner speaks.
                return _subject_after(tokens, i + owner[0])
        nouns = [w for w in words if w.lower() in SOURCE_NOUNS]
        if nouns:
            kind = "definite" if token.lower == "the" and len(words) <= 3 else "anonymous"
            return _Mention(kind, name=" ".join(words), head=nouns[0].lower())
        if len(words) <= 5 and words[-1].lower() in ORGANISATION_HEADS:
            # "according to the finance ministry": an organisation described, not named.
            mention = _Mention("definite" if token.lower == "the" else "anonymous", name=" ".join(words))
            mention.head, mention.organisation = words[-1].lower(), True
            return mention
        if token.lower == "the" and len(words) <= 4 and words[-1].lower() in PERSON_HEADS:
            # "said the mayor": someone the story has given that title.
            mention = _Mention("definite", name=" ".join(words), head=words[-1].lower())
            mention.person_head = True
            return mention
    return None


def _subject_of_sentence(tokens, verb):
    """The subject of the clause a participle hangs from: "Zelensky dismissed…, saying"."""
    sentence = tokens[verb].sentence
    start = verb
    while start > 0 and tokens[start - 1].sentence == sentence and verb - start < 40:
        start -= 1
    for i in range(start, verb):
        token = tokens[i]
        if token.quote is not None:
            if i == start:
                continue  # "“…,” he was quoted as saying": the subject comes after the quote
            return None
        if token.lower in PRONOUNS:
            return _Mention("pronoun", gender=PRONOUNS[token.lower])
        if token.capitalised and token.lower not in NOT_NAMES:
            end = i
            while end + 1 < verb and (tokens[end + 1].capitalised or tokens[end + 1].text == "."):
                end += 1
            _, words = _name_run_back(tokens, end)
            return _named(words)
    return None


def _introductions(tokens):
    """(index, mention) for "union leader Piet Janssen", "President Zelensky" and "Janssen was…"."""
    found = []
    for i, token in enumerate(tokens[:-1]):
        after = tokens[i + 1]
        if (
            token.lower.rstrip(".") in PERSON_HEADS
            and after.capitalised
            and after.lower not in TITLE_WORDS | NOT_NAMES
        ):
            words = [w for w in _name_run_forward(tokens, i + 1) if w != "."]
            if token.capitalised:
                _, run = _name_run_back(tokens, i + len(words))
                mention = _named(run)
            elif len(words) >= 2:  # "leader Piet Janssen"; a lone "leader Smith" is too loose
                start = i
                while (
                    start > 0
                    and i - start < 3
                    and tokens[start - 1].capitalised
                    and tokens[start - 1].lower not in NOT_NAMES
                ):
                    start -= 1
                title = " ".join(t.text for t in tokens[start : i + 1])
                mention = _Mention("name", name=" ".join(words), title=title[:1].upper() + title[1:])
            else:
                mention = None
            # "the State Fire Brigade" is nobody's title and name.
            if (
                mention is not None
                and mention.kind == "name"
                and not {w.lower() for w in mention.name.split()} & ORGANISATION_WORDS
            ):
                found.append((i, mention))
        starts_sentence = i == 0 or tokens[i - 1].sentence != token.sentence
        if starts_sentence and token.capitalised and token.lower not in NOT_NAMES and not after.capitalised:
            found.append((i, _Mention("surname", name=token.text)))
        elif token.capitalised and token.text.endswith(("'", "’")) and not after.capitalised:
            # "Thomas' sister pleaded with him": the person named is the one the story is about.
            found.append((i, _Mention("surname", name=token.text.rstrip("'’"))))
    return found


def _occasion_after(tokens, verb):
    """ "in an interview with CNN", "in a televised address"; "told CNN" → "interview with CNN"."""
    i = verb + 1
    verb_word = tokens[verb].lower
    if verb_word in ("told", "tells", "telling") and i < len(tokens):
        target = tokens[i]
        if target.lower == "the" and i + 1 < len(tokens) and tokens[i + 1].capitalised:
            target = tokens[i + 1]
        if target.capitalised and (target.text.isupper() or tokens[i].lower == "the"):
            return f"interview with {'the ' if tokens[i].lower == 'the' else ''}{target.text}"
        if target.lower in OUTLETS_TOLD:
            return f"remarks to {target.text}"
    # Skip the time ("said Tuesday", "on Monday") and the listener before the occasion phrase.
    while i < len(tokens) and i - verb < 6:
        token = tokens[i]
        if token.lower in OCCASION_PREPOSITIONS and i + 1 < len(tokens):
            k = i + 1
            words = []
            while k < len(tokens) and k - i < 9 and not _is_stop(tokens[k]) and tokens[k].text != ",":
                if tokens[k].lower in ("that", "as", "when", "while", "after", "before"):
                    break
                words.append(tokens[k].text)
                k += 1
            while words and words[0].lower() in OCCASION_DROP:
                words.pop(0)
            if any(w.lower() in OCCASION_NOUNS for w in words):
                return " ".join(words)
            i = k
            continue
        if _is_stop(token) or token.lower == "that":
            break
        i += 1
    return ""
