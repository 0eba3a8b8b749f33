"""Who a clause is about: the subject before a speech verb, found comma-segment by comma-segment.

News sentences wrap their speakers in asides — "After the match, Jane Roe, the Panama coach, said",
"Cynthia Thompson, curator of exhibits at the University of Arkansas, Fayetteville, said" — so the clause
before the verb is cut at its commas and read left to right: openers are skipped, descriptions become
the title, and the first segment that ends in a name is the speaker. A clause with no name in it is a
description ("the community", "two officials familiar with the talks"): an unnamed source, an
organisation, or someone named earlier.
"""

from __future__ import annotations

from .mentions import _gender_of, _is_stop, _Mention, _name_run_back
from .words import (
    ADVERBS,
    DETERMINERS,
    GROUP_NOUNS,
    HONORIFICS,
    MONTHS,
    NOT_NAMES,
    OPENER_WORDS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    PERSON_HEADS,
    PRONOUNS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TITLE_LINKS,
    TITLE_WORDS,
)

# Letters after a name that are a rank, not part of it: "Jane Roe QC".
POST_NOMINALS = frozenset(("qc", "kc", "sc", "mp", "mep", "msp", "obe", "mbe", "cbe"))
# Prepositions allowed before a name inside one segment: "Minister of Education Jane Roe",
# "Ambassador to the United States John Doe". Any other ("at", "in", "during") makes an opener.
NAME_PREPOSITIONS = frozenset(("of", "for", "to", "the"))
AUXILIARIES = frozenset(
    ("is", "was", "were", "are", "has", "had", "have", "will", "would", "could", "can", "may", "did", "does")
)
CLAUSE_REACH = 45
REFLEXIVES = frozenset(("itself", "himself", "herself", "themselves"))


def span_text(tokens, first, last):
    """The words of tokens[first..last] exactly as printed, dots and hyphens kept."""
    if first > last:
        return ""
    source = tokens[first].source
    if not source:
        return " ".join(t.text for t in tokens[first : last + 1])
    return source[tokens[first].start : tokens[last].start + len(tokens[last].text)]


def _capital(text):
    return text[:1].upper() + text[1:]


def clause_start(tokens, end):
    """Where the clause ending at `end` begins: the sentence start, a quote, or a semicolon, colon or dash."""
    i = end
    sentence = tokens[end].sentence
    while i > 0 and end - i < CLAUSE_REACH:
        before = tokens[i - 1]
        if before.sentence != sentence or before.quote is not None or before.text in ';:—–()[]"“”':
            break
        i -= 1
    return i


def segments(tokens, start, end):
    """[(first, last)] of the comma-separated pieces of tokens[start..end]."""
    pieces, first = [], start
    for k in range(start, end + 1):
        if tokens[k].text == ",":
            if first < k:
                pieces.append((first, k - 1))
            first = k + 1
    if first <= end:
        pieces.append((first, end))
    return pieces


def _is_opener(tokens, first, last):
    head = tokens[first]
    return head.lower in OPENER_WORDS or (head.lower.endswith("ing") and head.lower not in TITLE_WORDS)


def is_organisation(name, before=""):
    """A name that reads as an organisation: its own words, an acronym, a web address, or a noun before it."""
    if not name.split():
        return False
    words = name.replace(".", " ").split() if "." not in name.split()[-1][1:] else name.split()
    lowered = {w.lower().strip("’'") for w in words}
    if lowered & ORGANISATION_WORDS:
        return True
    last = name.split()[-1]
    if "." in last[1:-1] and last.rsplit(".", 1)[-1].isalpha() and last.rsplit(".", 1)[-1].islower():
        return True  # "Example.com"
    if len(words) == 1 and len(words[0]) > 1 and words[0].isupper():
        return True  # an acronym such as "NATO"
    return before.lower() in ORGANISATION_HEADS


def _titled_person(tokens, first, last):
    """ "Northtown Centre MP Jane Roe": an organisation's or a place's words, then a title word, then a
    name that is not an organisation's — a person behind their title."""
    for k in range(last - 1, first - 1, -1):
        if tokens[k].lower.rstrip(".") in PERSON_HEADS:
            tail = span_text(tokens, k + 1, last)
            return all(t.capitalised for t in tokens[k + 1 : last + 1]) and not is_organisation(tail)
    return False


def _person_of_organisation(tokens, first, last):
    """ "Dr. Jane Roe of Example University College": a person's name, then "of" and an organisation."""
    for k in range(first + 1, last):
        if tokens[k].lower == "of":
            head = [t for t in tokens[first:k] if t.text != "." and t.lower.rstrip(".") not in PERSON_HEADS]
            tail = span_text(tokens, k + 1, last)
            return (
                len(head) >= 2
                and all(t.capitalised for t in head)
                and not is_organisation(" ".join(t.text for t in head))
                and is_organisation(tail)
            )
    return False


def name_segment(tokens, first, last):
    """The person or organisation a segment ends in, with the segment's leading words as their title.

    "Environment Canada spokesperson Jane Roe" → Jane Roe, "Environment Canada spokesperson";
    "U.S. Senator John Doe" → John Doe, "U.S. Senator". None when the segment does not end in a name.
    """
    if not tokens[last].capitalised or tokens[last].lower in NOT_NAMES:
        return None
    if first == last and tokens[last].lower in SOURCE_NOUNS | GROUP_NOUNS:
        # "Critics said": a group, capitalised only because it opens the sentence.
        return _Mention("anonymous", name=tokens[last].text, head=tokens[last].lower)
    run_first, words = _name_run_back(tokens, last)
    if not words or run_first < first:
        run_first = max(run_first, first)
    # The run may swallow title words: "Senator John Doe". The name starts after the last title word,
    # or after an honorific ("Undersecretary for Education Mr. Roe"), and ends before an affiliation
    # ("Jane Roe of the Example Society") unless the whole run is an organisation's name.
    if run_first > last:
        return None  # "Example's": a possessive, not a name
    whole = span_text(tokens, run_first, last)
    splits = (
        not is_organisation(whole)
        or _titled_person(tokens, run_first, last)
        or _person_of_organisation(tokens, run_first, last)
    )
    name_first, name_last, in_title = run_first, last, False
    for k in range(run_first, last + 1 if splits else run_first):
        token = tokens[k]
        word = token.lower.rstrip(".")
        if word in HONORIFICS and k < last:
            name_first, name_last, in_title = k + 1, last, False
        elif (word in PERSON_HEADS and k < last) or (word in TITLE_LINKS and in_title):
            if k >= name_first:
                name_first, in_title = k + 1, True
        elif token.text.endswith(("’s", "'s")):
            name_first, in_title = k + 1, False
        elif word in TITLE_LINKS and k > name_first and splits and name_last == last:
            name_last = k - 1
        elif token.text != ".":
            in_title = False
    while name_first <= name_last and (
        tokens[name_first].lower in NOT_NAMES or tokens[name_first].text == "."
    ):
        name_first += 1
    post = ""
    while name_last > name_first + 1 and tokens[name_last].lower.rstrip(".") in POST_NOMINALS:
        post = span_text(tokens, name_last, last if not post else name_last)  # "Jane Roe QC"
        name_last -= 1
    linked = name_first > run_first and tokens[name_first - 1].lower in TITLE_LINKS
    if linked and name_last - name_first >= 2 and splits:
        # "MP for Northtown Jane Roe": the place belongs to the title; most names are two words.
        name_first = name_last - 1
    if name_first > name_last:
        return None
    for k in range(first, name_first):
        if tokens[k].quote is not None:
            return None
        word = tokens[k].lower
        if word in OPENER_WORDS and word not in NAME_PREPOSITIONS and k > first:
            return None  # "… met at the Hague": a place after a preposition, not a speaker
    name = span_text(tokens, name_first, name_last)
    if tokens[first].lower in ("a", "an", "the") and tokens[name_last].lower in PERSON_HEADS and splits:
        # "A Republican Assemblywoman", "The Senate Minority Leader": a title, the name comes after.
        return None
    if all(w.lower() in NOT_NAMES or w.lower().rstrip(".") in PERSON_HEADS for w in name.split()):
        if first < name_first and tokens[name_first - 1].lower in ("the", "this", "that"):
            # "the MP said": a title used as a description of someone named before.
            mention = _Mention("definite", name=span_text(tokens, first, last), head=tokens[last].lower)
            mention.person_head = True
            return mention
        return None  # "Example's Prime Minister": a title with no name after it
    title = span_text(tokens, first, name_first - 1).strip(" ,")
    if post:
        title = f"{title} {post}".strip()
    elif name_last < last:
        affiliation = span_text(tokens, name_last + 2, last)
        title = f"{title}, {affiliation}" if title else affiliation
    if title.lower().split()[:1] in (["a"], ["an"], ["the"]):
        title = title.split(" ", 1)[1] if " " in title else ""
    before = tokens[name_first - 1].lower if name_first > first else ""
    mention = _Mention("name", name=name, title=_capital(title), gender=_gender_of(title))
    mention.organisation = is_organisation(name, before)
    if mention.organisation:
        member = _member_of(tokens, first, run_first, name)
        if member is not None:
            return member
    return mention


def _member_of(tokens, first, run_first, organisation):
    """ "Jane Roe of the Example Center said": the person before "of [the]" an organisation speaks."""
    k = run_first - 1
    if k > first and tokens[k].lower == "the":
        k -= 1
    if k <= first or tokens[k].lower != "of" or not tokens[k - 1].capitalised:
        return None
    person = name_segment(tokens, first, k - 1)
    if person is None or person.kind != "name" or person.organisation or len(person.name.split()) < 2:
        return None
    person.title = f"{person.title}, {organisation}" if person.title else organisation
    return person


def statement_owner(tokens, first, last):
    """ "Doe's statement added", "The Example Party statement read", "Example World's analysis concluded"."""
    nouns = [k for k in range(first, last + 1) if tokens[k].lower in STATEMENT_NOUNS]
    if not nouns:
        return None
    noun = nouns[0]
    for k in range(noun - 1, first - 1, -1):
        token = tokens[k]
        if token.capitalised and token.text.endswith(("’s", "'s")):
            words = list(range(first, k + 1))
            run_first, _ = _name_run_back(tokens, k - 1) if k > first else (k, [])
            run_first = max(run_first, first)
            name = span_text(tokens, run_first, k)[:-2].rstrip("’'")
            if not name.strip() or not words:
                return None
            mention = _Mention("name", name=name.strip())
            mention.organisation = is_organisation(mention.name)
            return mention
    if noun > first and tokens[noun - 1].capitalised:
        run_first, words = _name_run_back(tokens, noun - 1)
        run_first = max(run_first, first)
        while run_first < noun and tokens[run_first].lower in NOT_NAMES:
            run_first += 1
        if run_first < noun:
            name = span_text(tokens, run_first, noun - 1)
            mention = _Mention("name", name=name)
            mention.organisation = True
            return mention
    return None


def description(tokens, first, last):
    """An unnamed subject: "the community", "a refugee official", "Example administration officials"."""
    if last - first > 9 or tokens[last].capitalised or not tokens[last].text[:1].isalnum():
        return None
    words = [t.lower for t in tokens[first : last + 1]]
    joined = [
        w
        for k, w in enumerate(words, start=first)
        # "A Northshire Fire and Rescue Service spokesperson": the "and" of a name joins nothing.
        if not (w == "and" and first < k < last and tokens[k - 1].capitalised and tokens[k + 1].capitalised)
    ]
    if any(w in ("and", "or", "but", "that", "which", "who", "when", "if") for w in joined):
        return None
    if any(w in SPEECH_VERBS for w in words[:-1]):
        return None  # "the authors say the results": a clause, not a noun phrase
    if list(words[:3]) in (["one", "of", "them"], ["some", "of", "them"]):
        return _Mention("pronoun", gender="they")
    head = words[-1]
    text = span_text(tokens, first, last)
    definite = words[0] in ("the", "this", "that", "his", "her", "their", "its", "our") or any(
        t.text.endswith(("’s", "'s")) for t in tokens[first:last]
    )
    mention = _Mention("definite" if definite else "anonymous", name=text, head=head)
    mention.organisation = head in ORGANISATION_HEADS
    mention.person_head = head in PERSON_HEADS or head in SOURCE_NOUNS or head.endswith("-old")
    # "Roe's spokesman" is someone speaking for Roe, never Roe.
    mention.possessive = any(t.text.endswith(("’s", "'s")) for t in tokens[first:last])
    age = [t.text.split("-")[0] for t in tokens[first : last + 1] if t.lower.endswith("-year-old")]
    mention.age = age[0] if age else ""
    # A bare plural like "critics" or "Example officials" is a source; a bare singular rarely is.
    bare = not definite and words[0] not in DETERMINERS and head not in SOURCE_NOUNS
    if bare and not head.endswith("s"):
        return None
    return mention


def _drop_article(text):
    head, _, rest = text.partition(" ")
    return rest if head.lower() in ("a", "an", "the", "his", "her", "their", "its", "our") and rest else text


def subject_before(tokens, verb):
    """The speaker of the clause before `verb`, or None when it names nobody."""
    end = verb - 1
    while end >= 0 and verb - end < 5 and (tokens[end].lower in ADVERBS or tokens[end].lower.endswith("ly")):
        end -= 1
    if end > 0 and tokens[end].text == ")":
        # "Jane Roe (Example Party) said": the party or state in brackets is an aside.
        k = end - 1
        while k > 0 and end - k < 12 and tokens[k].text != "(":
            k -= 1
        if tokens[k].text == "(" and k > 0:
            end = k - 1
    if end < 0 or _is_stop(tokens[end]):
        return None
    if tokens[end].lower in PRONOUNS:
        return _Mention("pronoun", gender=PRONOUNS[tokens[end].lower])
    start = clause_start(tokens, end)
    pieces = segments(tokens, start, end)
    while len(pieces) > 1 and _is_opener(tokens, *pieces[-1]):
        pieces.pop()  # "The ministry, in a statement, said": the aside before the verb
    title = ""
    for number, (first, last) in enumerate(pieces):
        adjacent = number == len(pieces) - 1
        if _is_opener(tokens, first, last) and not adjacent:
            continue
        if tokens[first].lower in ("who", "whose", "which", "aged") or tokens[first].text[:1].isdigit():
            continue
        owner = statement_owner(tokens, first, last) if adjacent else None
        if owner is not None:
            return owner
        mention = name_segment(tokens, first, last)
        if mention is not None:
            if title and not mention.title:
                mention.title = title
            return mention
        described = description(tokens, first, last)
        if described is None and adjacent:
            # "Jane Roe on Tuesday said", "Roe in a statement said": cut the phrase between name and verb.
            for k in range(last, first, -1):
                if tokens[k].lower in OPENER_WORDS and tokens[k].lower not in NAME_PREPOSITIONS:
                    mention = name_segment(tokens, first, k - 1) if k > first else None
                    if mention is not None:
                        if title and not mention.title:
                            mention.title = title
                        return mention
                    break
        if described is None:
            if all(t.capitalised or t.text == "." for t in tokens[first : last + 1]) and (
                tokens[last].lower in TITLE_WORDS
            ):
                title = span_text(tokens, first, last)  # "Example's Prime Minister", then the name
            continue
        if adjacent:
            return described
        title = _capital(
            described.name.split(" ", 1)[1]
            if described.name.lower().startswith(("a ", "an ", "the "))
            else described.name
        )
    return None


def introductions(tokens):
    """(index, mention) for people a sentence introduces: its subject ("Jane Roe is a refugee"), and
    anyone given a description ("For John Doe, a teacher, …", "Jane Roe, 26, …")."""
    found = []
    sentence_first = {}
    for i, token in enumerate(tokens):
        sentence_first.setdefault(token.sentence, i)
    for sentence, start in sentence_first.items():
        end = start
        while (
            end + 1 < len(tokens) and tokens[end + 1].sentence == sentence and tokens[end + 1].quote is None
        ):
            end += 1
        if tokens[start].quote is not None:
            continue
        pieces = segments(tokens, start, end)
        subject_found = False
        for number, (first, last) in enumerate(pieces):
            following = pieces[number + 1] if number + 1 < len(pieces) else None
            # "… questioned the director, Jane Roe, …": a role noun, then the name as its own segment.
            if (
                following is not None
                and tokens[last].lower in PERSON_HEADS
                and not tokens[last].capitalised
                and following[1] - following[0] < 4
            ):
                named = name_segment(tokens, following[0], following[1])
                if named is not None and named.kind == "name" and not named.organisation:
                    role = description(tokens, first, last)
                    role = _drop_article(role.name) if role is not None else tokens[last].text
                    named.title = named.title or _capital(role)
                    named.described = True
                    found.append((following[0], named))
            # "His challenger, Jane Roe, …", "The riding's MP, John Doe, …": a description, then the name.
            if following is not None and not subject_found and not _is_opener(tokens, first, last):
                described = description(tokens, first, last)
                role = described.name if described is not None else ""
                if described is None and tokens[last].lower in PERSON_HEADS and tokens[first].lower == "the":
                    role = span_text(tokens, first, last)  # "The riding's MP, John Doe, …"
                named = name_segment(tokens, following[0], following[1]) if role else None
                if named is not None and named.kind == "name" and not named.organisation:
                    named.title = named.title or _capital(_drop_article(role))
                    named.described = named.subject = subject_found = True
                    found.append((following[0], named))
                    continue
            # A name closed by a comma and followed by a description or an age is a person introduced.
            if following is not None:
                head = tokens[following[0]]
                described = head.lower in ("a", "an") or (
                    head.text.isdigit() and following[0] == following[1]
                )
                mention = name_segment(tokens, first, last) if described else None
                if mention is not None and not mention.organisation:
                    if head.text.isdigit():
                        mention.age = head.text
                    else:
                        mention.title = mention.title or _capital(
                            span_text(tokens, following[0] + 1, following[1])
                        )
                    mention.described = True
                    mention.subject = not subject_found and not _is_opener(tokens, first, last)
                    subject_found = subject_found or mention.subject
                    found.append((first, mention))
                    continue
            if subject_found or _is_opener(tokens, first, last):
                continue
            subject_found = True
            # The sentence's subject: a name at the start of its first clause, before a lowercase verb.
            k = first
            while k <= last and (
                tokens[k].capitalised or tokens[k].text == "." or tokens[k].lower in TITLE_LINKS
            ):
                k += 1
            if k == first or k > last + 1:
                continue
            if k <= last and (tokens[k].text.endswith(("’s", "'s")) or tokens[k].lower in ("of", "and")):
                continue
            if tokens[k - 1].text.endswith(("’s", "'s")) or tokens[k - 1].lower in MONTHS:
                continue
            mention = name_segment(tokens, first, k - 1)
            if mention is None:
                continue
            if len(mention.name.split()) == 1:
                if tokens[k - 2].lower == "the" if k - 2 >= first else False:
                    continue  # "the Vales", "the Kremlin": a family or an institution, not one person
                mention.kind = "surname"  # a lone word is only someone already known
            mention.subject = True
            found.append((first, mention))
    return found


def clause_subject(tokens, at):
    """The subject of the sentence holding token `at`: "Party leader Jane Roe was blunt: “…”" → Jane Roe.

    The first segment of the sentence that is not an opener is read up to its first lowercase word
    that is not part of a title ("was", "dismissed"); what comes before is the subject.
    """
    sentence = tokens[at].sentence
    start = at
    while start > 0 and tokens[start - 1].sentence == sentence and at - start < CLAUSE_REACH:
        start -= 1
    while start < at and tokens[start].quote is not None or tokens[start].text == ",":
        start += 1  # "“…,” she was quoted as saying": the subject comes after the quote
    if start >= at:
        return None
    for first, last in segments(tokens, start, at - 1):
        if _is_opener(tokens, first, last):
            continue
        if tokens[first].lower in PRONOUNS:
            return _Mention("pronoun", gender=PRONOUNS[tokens[first].lower])
        if tokens[first].lower in DETERMINERS:
            # "One poster admitted …, writing": a description up to its verb.
            end = first
            while (
                end + 1 <= last
                and end - first < 6
                and tokens[end + 1].lower not in AUXILIARIES
                and tokens[end + 1].lower not in SPEECH_VERBS
                and tokens[end + 1].lower not in REFLEXIVES
                and not (end > first and tokens[end + 1].lower.endswith("ed"))
            ):
                end += 1
            described = description(tokens, first, end)
            return described if described is not None and described.kind != "pronoun" else None
        end = first
        while end <= last and (
            tokens[end].capitalised
            or tokens[end].text == "."
            or tokens[end].lower in PERSON_HEADS
            or tokens[end].lower in TITLE_LINKS
            or tokens[end].lower in ("a", "an")
        ):
            end += 1
        end -= 1
        while end >= first and not tokens[end].capitalised:
            end -= 1
        if end < first:
            described = description(tokens, first, min(last, first + 3))
            return described if described is not None and described.kind != "pronoun" else None
        return name_segment(tokens, first, end)
    return None


def subject_after(tokens, verb):
    """The speaker named after an inverted verb: "said Example Agency spokesperson Jane Roe", "said the
    party's spokesman, John Doe"."""
    first = verb + 1
    while first < len(tokens) and (tokens[first].lower in ADVERBS or tokens[first].text == ","):
        first += 1
    if first >= len(tokens) or _is_stop(tokens[first]) or tokens[first].lower in PRONOUNS:
        return None
    end = first
    while end + 1 < len(tokens) and end - first < 20 and not _is_stop(tokens[end + 1]):
        end += 1
    title = ""
    pieces = segments(tokens, first, end)
    for number, (a, b) in enumerate(pieces):
        if number > 1:
            break
        # The name ends where the clause goes on in lowercase: "said Jane Roe in a statement".
        k = a
        while k <= b and (
            tokens[k].capitalised
            or tokens[k].text in (".", "’s", "'s")
            or tokens[k].lower in PERSON_HEADS | TITLE_LINKS
            or tokens[k].text.endswith(("’s", "'s"))
        ):
            k += 1
        stop = k - 1
        while stop >= a and not tokens[stop].capitalised:
            stop -= 1
        mention = name_segment(tokens, a, stop) if stop >= a else None
        if mention is not None and mention.organisation and number + 2 < len(pieces):
            # "said Example University, Northtown's chancellor, Jane Roe": the person after the role.
            role_first, role_last = pieces[number + 1]
            if tokens[role_last].lower in PERSON_HEADS and not tokens[role_last].capitalised:
                person = name_segment(tokens, *pieces[number + 2])
                if person is not None and person.kind == "name" and not person.organisation:
                    person.title = person.title or _capital(span_text(tokens, role_first, role_last))
                    return person
        if mention is not None and mention.kind == "name":
            if title and not mention.title:
                mention.title = title
            if not mention.title and stop == b and number + 1 < len(pieces):
                # "said Jane Roe, the city engineer": the description after the name is the title.
                after = description(tokens, *pieces[number + 1])
                if after is not None and after.kind != "pronoun":
                    mention.title = _capital(_drop_article(after.name))
            return mention
        described = description(tokens, a, b)
        if described is None and number == 0 and tokens[b].capitalised and not tokens[a].capitalised:
            # "said study co-author Professor Jane Roe of Example University": roles, then the name.
            named_from = next(k for k in range(a, b + 1) if tokens[k].capitalised)
            person = name_segment(tokens, named_from, b)
            if person is not None and person.kind == "name" and not person.organisation:
                roles = span_text(tokens, a, named_from - 1)
                person.title = _capital(f"{roles} {person.title}".strip() if person.title else roles)
                return person
        if described is None or number > 0:
            return None
        title = _capital(_drop_article(described.name))
    return None
