"""The people a story quotes, and who "he", "the official", "the 26-year-old" or a surname refers to."""

from __future__ import annotations

from .results import ANONYMOUS, ORGANISATION, PERSON, SpeakerRef
from .words import ORGANISATION_HEADS, ORGANISATION_WORDS, STATEMENT_NOUNS


def _near(a, b):
    """Whether two surnames differ only by a slip of the keyboard ("Bauchtman" for "Buchtmann")."""
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    allowed = 1 if min(len(a), len(b)) < 8 else 2
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= allowed


class _Cast:
    """The people a story quotes, in the order it last mentioned them."""

    # Pronouns and descriptions look this far back; nobody says "he" of someone forty names ago.
    WINDOW = 40

    def __init__(self):
        self.speakers = []
        self.recent = {}  # key → (speaker, paragraph), most recently mentioned last
        self.by_name = {}
        self.by_surname = {}
        self.mentioned = {}  # key → when last mentioned, counted in mentions
        self.clock = 0
        self.spoken = set()  # keys of those the story has already quoted or described
        self.quoted = set()  # keys of those a speech event has named
        self.ages = {}  # key → age the story gave
        # Whom a quote standing alone belongs to: the last speaker, or a person the story has since
        # made the subject of a sentence ("Jane Roe is a refugee from …").
        self.focus = None

    def _touch(self, speaker, paragraph):
        self.recent.pop(speaker.key, None)
        self.recent[speaker.key] = (speaker, paragraph)
        self.clock += 1
        self.mentioned[speaker.key] = self.clock

    def _latest(self):
        for n, item in enumerate(reversed(self.recent.values())):
            if n >= self.WINDOW:
                return
            yield item

    def _new(self, name, title="", kind=PERSON, gender=""):
        speaker = SpeakerRef(
            key=f"s{len(self.speakers) + 1}", name=name, title=title, kind=kind, gender=gender
        )
        self.speakers.append(speaker)
        if kind != ANONYMOUS:
            self._index(speaker)
        return speaker

    def _index(self, speaker):
        self.by_name[speaker.name.lower()] = speaker
        bucket = self.by_surname.setdefault(speaker.name.lower().split()[-1], [])
        if speaker not in bucket:
            bucket.append(speaker)

    def _by_surname(self, surname, whole_names=True):
        found = self.by_surname.get(surname, [])
        if not found:
            # A misspelt surname of someone already named: real copy has typos.
            found = [s for key, bucket in self.by_surname.items() if _near(key, surname) for s in bucket]
        return [s for s in found if whole_names or len(s.name.split()) == 1]

    def lookup(self, name):
        """The known speaker a name refers to, without creating anyone."""
        words = name.split()
        match = self.by_name.get(name.lower())
        if match is None:
            # "Zelensky" after "Volodymyr Zelensky", or the full name after the surname alone.
            candidates = self._by_surname(words[-1].lower(), whole_names=len(words) == 1)
            if candidates:
                match = max(candidates, key=lambda s: self.mentioned.get(s.key, -1))
        if match is None and len(words) == 1:
            # "Thomas" after "Thomas Roe": a first name, when only one person named so far has it.
            first = words[0].lower()
            firsts = [
                s
                for s in self.speakers
                if s.kind == PERSON and len(s.name.split()) > 1 and s.name.split()[0].lower() == first
            ]
            if len(firsts) == 1:
                match = firsts[0]
        return match

    def named(self, mention, paragraph):
        words = mention.name.split()
        match = self.lookup(mention.name)
        if match is None:
            kind = PERSON
            lowered = {w.lower() for w in words}
            if (
                mention.organisation
                or lowered & ORGANISATION_WORDS
                or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1)
            ):
                kind = ORGANISATION
            match = self._new(mention.name, mention.title, kind, mention.gender)
        else:
            if len(words) > len(match.name.split()):
                match.name = mention.name
                self._index(match)
            match.title = match.title or mention.title
            match.gender = match.gender or mention.gender
        if mention.age:
            self.ages[match.key] = mention.age
        if mention.described or match.title:
            self.spoken.add(match.key)
        self._touch(match, paragraph)
        return match, 0.95

    def pronoun(self, gender, paragraph):
        if gender in ("they", "it"):
            for speaker, _ in self._latest():
                if speaker.kind in (ORGANISATION, ANONYMOUS):
                    self._touch(speaker, paragraph)
                    return speaker, 0.7
            return None, 0.0
        candidates = [(s, p) for s, p in self._latest() if s.kind == PERSON and s.gender in ("", gender)]
        if not candidates:
            return None, 0.0
        # Someone the story has quoted, titled or described is who "he said" is likeliest to be, over a
        # name mentioned in passing since.
        likely = [(s, p) for s, p in candidates if s.key in self.spoken] or candidates
        speaker, _ = likely[0]
        confidence = 0.9
        # A second person who could be "he" mentioned as recently makes the pronoun ambiguous.
        rivals = [p for s, p in candidates if s is not speaker]
        if not speaker.gender and rivals and rivals[0] == paragraph:
            confidence = 0.55
        speaker.gender = speaker.gender or gender
        self._touch(speaker, paragraph)
        return speaker, confidence

    def described(self, mention, paragraph):
        """ "the official" → the unnamed official quoted earlier; "the mayor", "the 26-year-old" → the
        person with that title or age; "the ministry" → the organisation of that name."""
        words = set(mention.name.lower().replace(",", " ").split()) - {"the", "a", "an", "of", "for"}
        for speaker, _ in self._latest():
            if mention.organisation and speaker.kind != ORGANISATION:
                continue
            described_as = f"{speaker.name} {speaker.title}".lower()
            if mention.head and mention.head in described_as.replace(",", " ").split():
                self._touch(speaker, paragraph)
                return speaker, 0.75
            if mention.age and self.ages.get(speaker.key) == mention.age:
                self._touch(speaker, paragraph)
                return speaker, 0.8
            if mention.person_head and speaker.kind == PERSON and len(words & set(described_as.split())) >= 2:
                self._touch(speaker, paragraph)
                return speaker, 0.7
        if mention.head in STATEMENT_NOUNS and self.focus is not None:
            # "the statement said": the statement of whoever the story was just reporting.
            self._touch(self.focus, paragraph)
            return self.focus, 0.6
        if mention.person_head and not mention.head.endswith("s") and not mention.possessive:
            # "The 31-year-old striker said": a person the story is about, most likely the one in focus.
            focus = self.focus
            if focus is not None and focus.kind == PERSON:
                self._touch(focus, paragraph)
                return focus, 0.6
        if mention.organisation or mention.head in ORGANISATION_HEADS:
            # "the utility added": the organisation just quoted, or a name just quoted that nothing
            # marked as a person's (no title, no "he" or "she") and so is taken to be one.
            for speaker, _ in self._latest():
                if (
                    speaker.key in self.quoted
                    and (
                        speaker.kind == ORGANISATION
                        or (speaker.kind == PERSON and not speaker.gender and not speaker.title)
                    )
                    and len(speaker.name.split()) <= 4
                    # "the company" is not the Example Authority: a name that says what it is decides.
                    and not {w.lower() for w in speaker.name.split()} & ORGANISATION_WORDS
                ):
                    speaker.kind = ORGANISATION
                    self._touch(speaker, paragraph)
                    return speaker, 0.6
                break
        kind = ORGANISATION if mention.organisation or mention.head in ORGANISATION_HEADS else ANONYMOUS
        speaker = self._new(mention.name or mention.title, kind=kind)
        self._touch(speaker, paragraph)
        return speaker, 0.5

    def anonymous(self, mention, paragraph):
        if mention.organisation:
            speaker = self._new(mention.name, kind=ORGANISATION)
        else:
            speaker = self._new(mention.name, kind=ANONYMOUS)
        self._touch(speaker, paragraph)
        return speaker, 0.85

    def mention(self, mention, paragraph):
        """Someone named without speaking: a new person when introduced by a title or a description, or
        as the subject of a sentence with a full name; else someone already known."""
        if mention.kind == "name":
            if mention.organisation:
                return
            known = self.lookup(mention.name)
            if known is None and len(mention.name.split()) < 2 and not mention.title:
                return
            speaker, _ = self.named(mention, paragraph)
        elif mention.kind == "surname":
            speaker = self.lookup(mention.name)
            if speaker is None:
                return
            self._touch(speaker, paragraph)
        else:
            return
        if mention.subject and speaker.kind == PERSON:
            self.focus = speaker

    def resolve(self, event, paragraph):
        mention = event.mention
        if mention is None:
            return
        if mention.kind == "name":
            speaker, confidence = self.named(mention, paragraph)
        elif mention.kind == "pronoun":
            speaker, confidence = self.pronoun(mention.gender, paragraph)
            if speaker is None:
                event.note = f"“{mention.gender}” could not be matched to anyone named earlier."
        elif mention.kind == "definite":
            speaker, confidence = self.described(mention, paragraph)
        else:
            speaker, confidence = self.anonymous(mention, paragraph)
        if event.indirect:
            confidence = min(confidence, 0.75)
        event.speaker, event.confidence = speaker, confidence
        if speaker is not None:
            self.spoken.add(speaker.key)
            self.quoted.add(speaker.key)
            self.focus = speaker
            if event.occasion:
                speaker.occasion = event.occasion
            else:
                event.occasion = speaker.occasion
