"""Speech events: each place a paragraph says someone spoke, with who the text says it was."""

from __future__ import annotations

from .mentions import (
    _Event,
    _is_stop,
    _Mention,
    _occasion_after,
    _subject_after,
    _subject_before,
    _subject_of_sentence,
)
from .subjects import clause_subject, is_organisation, name_segment, span_text, subject_after, subject_before
from .words import (
    ADVERBS,
    INVERTIBLE,
    MONTHS,
    NOT_NAMES,
    QUOTE_ONLY_VERBS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
)

# Words that join a second verb to a subject already given: "He tried to sing but instead said …".
COORDINATORS = frozenset(("and", "but", "then", "instead", "later", "also", "so"))
DASHES = frozenset(("-", "—", "–"))
# Verbs that put a name, not words, in quotation marks: "a print called “Blue Horses”".
BE_FORMS = frozenset(("is", "are", "was", "were", "be", "been", "being"))
NAMING_VERBS = frozenset(("called", "calls", "calling", "dubbed", "dubs", "dubbing", "named", "titled"))


def _quote_follows(tokens, i):
    k = i + 1
    while k < len(tokens) and (tokens[k].text in ",:" or tokens[k].lower == "for"):
        k += 1  # "they call for “urgent action”"
    return k < len(tokens) and tokens[k].quote is not None


def _sentence_subject(tokens, i):
    mention = clause_subject(tokens, i)
    return mention if mention is not None else _subject_of_sentence(tokens, i)


def _passive(tokens, i):
    """ "two people were confirmed dead", "he was asked": the subject did not speak. "was quoted as
    saying" is left to its participle."""
    k = i - 1
    while k >= 0 and i - k < 4 and tokens[k].lower not in BE_FORMS and tokens[k].lower in ADVERBS:
        k -= 1
    if k < 0 or tokens[k].lower not in BE_FORMS:
        return False
    return not (i + 1 < len(tokens) and tokens[i + 1].lower == "as")


def _agent(tokens, i):
    """ "he was told by Minister Jane Roe of …", "a pattern described by Example Bulletin as …": the
    one named after "by" spoke."""
    if i + 2 >= len(tokens) or tokens[i + 1].lower != "by":
        return None
    return _role_then_name(tokens, i + 1) or _subject_after(tokens, i + 1)


def _role_then_name(tokens, i):
    """The name that ends the phrase after tokens[i], behind lowercase roles and organisations: "according
    to Example University political scholar Jane Roe", "according to eyewitness Jane Roe"."""
    end = i + 1
    while end < len(tokens) and end - i < 16 and not _is_stop(tokens[end]) and tokens[end].text != ",":
        if tokens[end].lower in ("who", "which", "that", "as", "in", "on", "at", "during", "after"):
            break
        end += 1
    last = end - 1
    if last <= i or not tokens[last].capitalised or tokens[last].lower in NOT_NAMES:
        return None
    first = i + 1
    if tokens[first].lower in ("a", "an"):
        return None
    mention = name_segment(tokens, first, last)
    if mention is None or mention.kind != "name" or mention.organisation:
        return None
    # A plain name is read by _subject_after, which keeps the description after it as the title.
    return mention if mention.title else None


def _quoted_source(tokens, i):
    """ "quoting the country's main agency Central Press Service (CPS)": the name that ends the phrase
    after "quoting", past possessives and descriptions."""
    end = i + 1
    while end < len(tokens) and end - i < 16 and not _is_stop(tokens[end]) and tokens[end].text != ",":
        end += 1
    last = end - 1
    if last <= i or not tokens[last].capitalised:
        return None
    mention = name_segment(tokens, i + 1, last)
    return mention if mention is not None and mention.kind == "name" else None


def _statement_from(tokens, colon):
    """ "The palace issued the following statement from the king: “…”": the statement's owner speaks."""
    k = colon - 1
    while k > 0 and colon - k < 12 and tokens[k].sentence == tokens[colon].sentence:
        if tokens[k].lower in STATEMENT_NOUNS and tokens[k + 1].lower in ("from", "by", "of"):
            return _subject_after(tokens, k + 1)
        k -= 1
    return None


def _verb_subject(tokens, i, word):
    mention = subject_before(tokens, i)
    if mention is None:
        mention = _subject_before(tokens, i)
    if mention is None and word in INVERTIBLE:
        mention = subject_after(tokens, i) or _subject_after(tokens, i)
    if mention is None:
        k = i - 1
        while k >= 0 and tokens[k].lower in COORDINATORS:
            k -= 1
        if k < i - 1:
            mention = _sentence_subject(tokens, i)
    return mention


def _dash_credit(tokens, at):
    """ "“…” — Jane Roe, chair of the panel": the name after a dash that closes a quote."""
    k = at + 1
    if k + 1 >= len(tokens) or tokens[k].text not in DASHES or not tokens[k + 1].capitalised:
        return None
    last = k + 1
    while last + 1 < len(tokens) and (tokens[last + 1].capitalised or tokens[last + 1].text == "."):
        last += 1
    mention = name_segment(tokens, k + 1, last)
    if mention is None or len(mention.name.split()) < 2:
        return None
    rest = last + 1
    if rest + 1 < len(tokens) and tokens[rest].text == ",":
        if tokens[rest + 1].lower in MONTHS or tokens[rest + 1].text[:1].isdigit():
            return None  # "— The Example Times, May 2": a source cited, not a speaker
        end = rest + 1
        while end + 1 < len(tokens) and tokens[end + 1].quote is None and tokens[end + 1].text not in ".;":
            end += 1
        mention.title = mention.title or span_text(tokens, rest + 1, end)
    if is_organisation(mention.name):
        return None
    return mention


def cited(tokens, at):
    """ "“Headline of a story” — The Example Times, May 2": a source cited, not words spoken."""
    k = at + 1
    if k >= len(tokens) or tokens[k].text not in DASHES:
        return False
    for token in tokens[k + 1 : k + 12]:
        if token.quote is not None:
            return False
        if token.lower in MONTHS or (token.text.isdigit() and len(token.text) == 4):
            return True
    return False


def introduced_by_verb(tokens, at):
    """Whether a speech verb stands right against the quote: “says “…”” or "“…,” said"."""
    k = at - 1
    while k >= 0 and tokens[k].text in ",:":
        k -= 1
    if k >= 0 and tokens[k].lower in SPEECH_VERBS and tokens[k].lower not in NAMING_VERBS:
        return True
    k = at + 1
    while k < len(tokens) and tokens[k].text in ",":
        k += 1
    return k < len(tokens) and tokens[k].lower in SPEECH_VERBS


def speech_events(tokens):
    """The speech events of one paragraph, in text order."""
    events = []
    quoted = {token.sentence for token in tokens if token.quote is not None}
    for i, token in enumerate(tokens):
        if token.quote is not None:
            credit = _dash_credit(tokens, i)
            if credit is not None:
                events.append(_Event(i + 1, "", token.sentence, credit))
            continue
        word = token.lower
        if word == "according" and i + 1 < len(tokens) and tokens[i + 1].lower == "to":
            mention = _role_then_name(tokens, i + 1) or _subject_after(tokens, i)
            if mention and (
                mention.kind != "definite" or mention.head in SOURCE_NOUNS or mention.organisation
            ):
                events.append(_Event(i, "according to", token.sentence, mention))
            continue
        if word == "words" and 0 < i < len(tokens) - 2 and tokens[i + 1].lower == "of":
            # "in the words of the prosecutor, Jane Roe, “…”"
            mention = _subject_after(tokens, i + 1)
            if mention is not None:
                events.append(_Event(i, "", token.sentence, mention))
            continue
        if word in ("quoting", "citing") and i + 1 < len(tokens):
            # "Reuters, quoting the ministry's spokesman Jane Roe, said": the words are Roe's.
            mention = _quoted_source(tokens, i) or subject_after(tokens, i) or _subject_after(tokens, i)
            if mention is not None:
                events.append(_Event(i, "", token.sentence, mention))
            continue
        if word in ("pointed", "points", "pointing") and i + 1 < len(tokens) and tokens[i + 1].lower == "out":
            word = "noted" if word == "pointed" else word  # "she pointed out she had …"
            mention = _verb_subject(tokens, i, word)
            events.append(_Event(i, "pointed out", token.sentence, mention))
            continue
        if word not in SPEECH_VERBS or (token.capitalised and i and tokens[i - 1].sentence == token.sentence):
            continue  # "the State Fire Brigade": a capitalised word inside a sentence is a name
        agent = _agent(tokens, i)
        if agent is not None:
            events.append(_Event(i, SPEECH_VERBS[word], token.sentence, agent))
            continue
        if word in QUOTE_ONLY_VERBS and not _quote_follows(tokens, i):
            continue
        participle = word.endswith("ing")
        if not participle and _passive(tokens, i):
            continue
        infinitive = (i and tokens[i - 1].lower == "to") or (
            i + 2 < len(tokens) and tokens[i + 1].lower == "to" and tokens[i + 2].text.islower()
        )
        if infinitive and token.sentence not in quoted:
            continue  # "continued to refuse treatment": an infinitive reports speech only beside a quote
        mention = _sentence_subject(tokens, i) if participle else _verb_subject(tokens, i, word)
        if participle and i > 1 and tokens[i - 1].capitalised and tokens[i - 2].lower in ("with", "and"):
            # "with Roe describing the …": the participle has its own subject.
            mention = _subject_before(tokens, i) or mention
        event = _Event(i, SPEECH_VERBS[word], token.sentence, mention, indirect=participle)
        event.occasion = _occasion_after(tokens, i)
        events.append(event)
    # "Whitaker was blunt: “We lost.”" — with no speech verb in the sentence, the colon introduces the
    # quote and the sentence's subject speaks. No verb is recorded: the text gives none.
    # "asking schools to pay", "calling for calm": a participle reports speech only beside a quotation.
    events = [e for e in events if not e.indirect or e.sentence in quoted]
    spoken = {event.sentence for event in events}
    for i, token in enumerate(tokens[:-1]):
        if token.text == ":" and tokens[i + 1].quote is not None and token.sentence not in spoken:
            mention = _statement_from(tokens, i) or _sentence_subject(tokens, i)
            events.append(_Event(i, "", token.sentence, mention, indirect=True))
    events.sort(key=lambda event: event.verb_index)
    return events


__all__ = ["speech_events", "_Mention"]
