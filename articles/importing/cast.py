"""The people a story quotes, and who "he", "the official" or a surname refers to."""

from __future__ import annotations

from .results import ANONYMOUS, ORGANISATION, PERSON, SpeakerRef
from .words import ORGANISATION_WORDS


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

    def named(self, mention, paragraph):
        words = mention.name.split()
        match = self.by_name.get(mention.name.lower())
        if match is None:
            # "Zelensky" after "Volodymyr Zelensky", or the full name after the surname alone.
            candidates = [
                s
                for s in self.by_surname.get(words[-1].lower(), [])
                if len(words) == 1 or len(s.name.split()) == 1
            ]
            if candidates:
                match = max(candidates, key=lambda s: self.mentioned.get(s.key, -1))
        if match is None:
            kind = PERSON
            lowered = {w.lower() for w in words}
            if lowered & ORGANISATION_WORDS or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
                kind = ORGANISATION
            match = self._new(mention.name, mention.title, kind, mention.gender)
        else:
            if len(words) > len(match.name.split()):
                match.name = mention.name
                self._index(match)
            match.title = match.title or mention.title
            match.gender = match.gender or mention.gender
        self._touch(match, paragraph)
        return match, 0.95

    def pronoun(self, gender, paragraph):
        if gender == "they":
            for speaker, _ in self._latest():
                if speaker.kind in (ORGANISATION, ANONYMOUS):
                    self._touch(speaker, paragraph)
                    return speaker, 0.7
            return None, 0.0
        candidates = [(s, p) for s, p in self._latest() if s.kind == PERSON and s.gender in ("", gender)]
        if not candidates:
            return None, 0.0
        speaker, _ = candidates[0]
        confidence = 0.9
        # A second person who could be "he" mentioned as recently makes the pronoun ambiguous.
        if not speaker.gender and len(candidates) > 1 and candidates[1][1] == paragraph:
            confidence = 0.55
        speaker.gender = speaker.gender or gender
        self._touch(speaker, paragraph)
        return speaker, confidence

    def described(self, mention, paragraph):
        """ "the official" → the unnamed official quoted earlier, or the person with that title."""
        for speaker, _ in self._latest():
            if mention.head and (
                mention.head in speaker.name.lower() or mention.head in speaker.title.lower()
            ):
                self._touch(speaker, paragraph)
                return speaker, 0.75
        speaker = self._new(mention.name or mention.title, kind=ANONYMOUS)
        self._touch(speaker, paragraph)
        return speaker, 0.5

    def anonymous(self, mention, paragraph):
        speaker = self._new(mention.name, kind=ANONYMOUS)
        self._touch(speaker, paragraph)
        return speaker, 0.85

    def mention(self, mention, paragraph):
        """Someone named in passing: a new person only when introduced by a title, else a known one."""
        if mention.kind == "name":
            self.named(mention, paragraph)
        elif mention.kind == "surname":
            known = self.by_surname.get(mention.name.lower())
            if known:
                self._touch(max(known, key=lambda s: self.mentioned.get(s.key, -1)), paragraph)

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
            if event.occasion:
                speaker.occasion = event.occasion
            else:
                event.occasion = speaker.occasion
