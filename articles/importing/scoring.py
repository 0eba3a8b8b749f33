"""Score the story importer against a hand-reviewed story file (such as seed/interview.json).

A quote counts as found when the importer finds the same words in the same paragraph; its
attribution counts as right when the speaker's name matches the reviewed speaker's (accents and case
ignored). Pure Python, shared by the accuracy test and `bench/import_accuracy.py`.
"""

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .words import PERSON_HEADS


def _key(text):
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def _ratio(hits, total):
    return hits / total if total else 1.0


@dataclass
class Scores:
    truth_quotes: int = 0
    found_quotes: int = 0
    matched: int = 0
    attributed: int = 0  # found quotes the importer gave a speaker
    right_speaker: int = 0
    right_kind: int = 0
    right_verb: int = 0
    right_occasion: int = 0
    truth_paragraphs: int = 0
    matched_paragraphs: int = 0
    chrome_left: list = field(default_factory=list)
    missed: list = field(default_factory=list)  # (paragraph, words) of reviewed quotes not found
    extra: list = field(default_factory=list)  # found quotes the review does not have
    misattributed: list = field(default_factory=list)  # (words, expected, got)

    @property
    def finding_precision(self):
        return _ratio(self.matched, self.found_quotes)

    @property
    def finding_recall(self):
        return _ratio(self.matched, self.truth_quotes)

    @property
    def attribution_precision(self):
        return _ratio(self.right_speaker, self.attributed)

    @property
    def attribution_recall(self):
        return _ratio(self.right_speaker, self.truth_quotes)

    def lines(self):
        return [
            f"paragraphs: {self.matched_paragraphs}/{self.truth_paragraphs} kept word for word",
            f"quote finding: precision {self.finding_precision:.1%} recall {self.finding_recall:.1%} "
            f"({self.matched} of {self.found_quotes} found are right; {self.truth_quotes} reviewed)",
            f"attribution: precision {self.attribution_precision:.1%} recall {self.attribution_recall:.1%} "
            f"({self.right_speaker} right of {self.attributed} attributed)",
            f"full/partial right: {self.right_kind}/{self.matched}, "
            f"verb right: {self.right_verb}/{self.matched}, "
            f"occasion right: {self.right_occasion}/{self.matched}",
            f"chrome left in the body: {len(self.chrome_left)}",
            *(f"  missed: paragraph {p + 1}: “{w}”" for p, w in self.missed),
            *(f"  extra: paragraph {p + 1}: “{w}”" for p, w in self.extra),
            *(f"  misattributed: “{w}” expected {e}, got {g}" for w, e, g in self.misattributed),
        ]


def score(story, truth):
    """Compare a ParsedStory with a reviewed story dict (the seed file format)."""
    names = {s["key"]: s["name"] for s in truth["speakers"]}
    result = Scores()
    truth_paragraphs = [b for b in truth["body"] if b["type"] in ("paragraph", "heading")]
    body_text = {block.text for block in story.blocks}
    result.truth_paragraphs = len(truth_paragraphs)
    result.matched_paragraphs = sum(1 for b in truth_paragraphs if b["text"] in body_text)
    result.chrome_left = [line for line in truth.get("dropped_chrome", []) if line in body_text]

    expected = {}
    for block in truth_paragraphs:
        for quote in block.get("quotes", []):
            expected[(block["text"], quote["text"].strip())] = quote
    result.truth_quotes = len(expected)
    paragraph_of = {block["text"]: i for i, block in enumerate(truth_paragraphs)}

    seen = set()
    for quote in story.quotes:
        paragraph = story.blocks[quote.block].text
        key = (paragraph, quote.text.strip())
        result.found_quotes += 1
        if quote.speaker is not None:
            result.attributed += 1
        reviewed = expected.get(key)
        if reviewed is None or key in seen:
            result.extra.append((quote.block, quote.text))
            continue
        seen.add(key)
        result.matched += 1
        result.right_kind += quote.kind == reviewed.get("kind", "full")
        result.right_verb += quote.verb == reviewed.get("verb", "")
        result.right_occasion += _key(quote.occasion) == _key(reviewed.get("occasion", ""))
        want = names[reviewed["speaker"]]
        got = quote.speaker.name if quote.speaker else None
        if got is not None and _key(got) == _key(want):
            result.right_speaker += 1
        else:
            result.misattributed.append((quote.text, want, got))
    result.missed = [(paragraph_of[p], words) for (p, words) in expected if (p, words) not in seen]
    return result


# --- A corpus of real stories, annotated by hand (bench/corpus/README.md) ---------------------------

CORPUS_DIR = "bench/corpus"
_EDGE = " \t\n,.;:!?\"'“”‘’«»"
_ARTICLES = ("a ", "an ", "the ")


def _quote_key(text):
    return " ".join(text.strip(_EDGE).split()).casefold()


def _name_key(name):
    key = _key(name).replace("'s ", " ").strip(_EDGE)
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article) :]
    return key


def same_speaker(got, want, aliases=()):
    """Whether the reader's speaker name is the annotated person: the same name, the surname alone or
    a fuller form ending in the same word, or one of the annotation's other names for them."""
    if got is None or want is None:
        return got is None and want is None
    got = _name_key(got)
    for name in (want, *aliases):
        name = _name_key(name)
        if got == name:
            return True
        got_words, want_words = got.split(), name.split()
        same_last = got_words and want_words and got_words[-1] == want_words[-1]
        # A title glued to the name ("Organizer Jane Roe") is not the name, however fully it is given.
        glued = any(w.rstrip(".") in PERSON_HEADS for w in set(got_words) - set(want_words))
        if (
            same_last
            and not glued
            and (set(got_words) <= set(want_words) or set(want_words) <= set(got_words))
        ):
            return True
    return False


def load_corpus(root, split=None):
    """[(name, raw text, annotation dict)] for the corpus stories, optionally of one split only."""
    root = Path(root)
    stories = []
    for path in sorted(root.glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        if split is None or annotation["split"] == split:
            stories.append((path.stem, path.with_suffix(".txt").read_text(encoding="utf-8"), annotation))
    return stories


@dataclass
class Outcome:
    """One annotated quote and what the reader made of it."""

    story: str
    text: str
    want: str | None
    want_kind: str
    pattern: str = ""  # why it went wrong, empty when right
    found: bool = False
    got: str | None = None
    right: bool = False
    confidence: float = 0.0
    flagged: bool = True


@dataclass
class CorpusScores:
    outcomes: list = field(default_factory=list)
    found_quotes: int = 0  # every span the reader returned as a quote
    proposed: int = 0  # the spans it gave a speaker
    extra: list = field(default_factory=list)  # (story, words, speaker) found but not annotated as quotes

    @property
    def matched(self):
        return sum(1 for o in self.outcomes if o.found)

    @property
    def right(self):
        return sum(1 for o in self.outcomes if o.right)

    @property
    def finding_recall(self):
        return _ratio(self.matched, len(self.outcomes))

    @property
    def finding_precision(self):
        return _ratio(self.matched, self.found_quotes)

    @property
    def proposal_precision(self):
        """Of the spans the reader gave a speaker, the share that are annotated quotes."""
        wrong = sum(1 for _, _, speaker in self.extra if speaker is not None)
        return _ratio(self.proposed - wrong, self.proposed)

    @property
    def attribution_accuracy(self):
        """Quotes found AND given to the right speaker, over all annotated quotes."""
        return _ratio(self.right, len(self.outcomes))

    def unflagged(self, threshold):
        """(right, total) among found quotes the reader would not flag at this confidence threshold."""
        sure = [o for o in self.outcomes if o.found and o.got is not None and o.confidence >= threshold]
        sure = [o for o in sure if not o.flagged]
        return sum(o.right for o in sure), len(sure)

    def patterns(self):
        groups = {}
        for outcome in self.outcomes:
            if not outcome.right:
                groups.setdefault(outcome.pattern, []).append(outcome)
        return sorted(groups.items(), key=lambda item: -len(item[1]))

    def lines(self, examples=3):
        total = len(self.outcomes)
        out = [
            f"quotes annotated: {total}; spans found: {self.found_quotes} ({self.proposed} given a speaker)",
            f"quote finding: precision {self.finding_precision:.1%} (of spans given a speaker "
            f"{self.proposal_precision:.1%}), recall {self.finding_recall:.1%}",
            f"found and attributed to the right speaker: {self.right}/{total} = "
            f"{self.attribution_accuracy:.1%}",
        ]
        for pattern, outcomes in self.patterns():
            out.append(f"  {len(outcomes):3d}  {pattern}")
            for o in outcomes[:examples]:
                out.append(f"         {o.story}: “{_short(o.text)}” want {o.want!r}, got {o.got!r}")
        if self.extra:
            out.append(f"  {len(self.extra):3d}  spans found that are not annotated quotes")
            for story, words, speaker in self.extra[:examples]:
                out.append(f"         {story}: “{_short(words)}” given to {speaker!r}")
        return out


def _short(text, limit=70):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pattern(parsed_story, annotation, found):
    """Name the kind of sentence an attribution failed on, for the error report."""
    if found is None:
        return "quote not found (marks or span differ)"
    got = found.speaker.name if found.speaker else None
    kind = annotation.get("speaker_kind", "person")
    paragraph = parsed_story.blocks[found.block].text
    lowered = paragraph.casefold()
    if kind == "organisation":
        return "organisation as speaker"
    if kind == "anonymous":
        return "anonymous description as speaker"
    if got is None:
        if not annotation.get("verb"):
            return "stands alone: no speech verb (continues or introduces the speaker)"
        return "no speaker found"
    if annotation["speaker"] and _name_key(annotation["speaker"]).split()[-1] in _name_key(got).split()[:-1]:
        return "name not separated from title or words around it"
    words = set(lowered.replace(",", " ").replace(".", " ").split())
    if words & {"he", "she", "they"}:
        return "pronoun resolved to someone else"
    if not annotation.get("verb"):
        return "stands alone: given to someone else"
    return "given to someone else"


def score_corpus(stories, parse):
    """Score `parse` on annotated stories; see CorpusScores."""
    result = CorpusScores()
    for name, text, annotation in stories:
        parsed = parse(text)
        found = list(parsed.quotes)
        result.found_quotes += len(found)
        result.proposed += sum(1 for q in found if q.speaker is not None)
        unused = list(range(len(found)))
        for item in annotation["quotes"]:
            want_key = _quote_key(item["text"])
            match = next((i for i in unused if _quote_key(found[i].text) == want_key), None)
            outcome = Outcome(name, item["text"], item["speaker"], item.get("speaker_kind", "person"))
            if match is not None:
                unused.remove(match)
                quote = found[match]
                outcome.found = True
                outcome.got = quote.speaker.name if quote.speaker else None
                outcome.right = same_speaker(outcome.got, item["speaker"], item.get("aliases", ()))
                outcome.confidence = quote.confidence
                outcome.flagged = quote.needs_review
            if not outcome.right:
                outcome.pattern = _pattern(parsed, item, found[match] if match is not None else None)
            result.outcomes.append(outcome)
        for i in unused:
            speaker = found[i].speaker.name if found[i].speaker else None
            result.extra.append((name, found[i].text, speaker))
    return result
