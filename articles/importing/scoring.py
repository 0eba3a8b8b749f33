"""Score the story importer against a hand-reviewed story file (such as seed/interview.json).

A quote counts as found when the importer finds the same words in the same paragraph; its
attribution counts as right when the speaker's name matches the reviewed speaker's (accents and case
ignored). Pure Python, shared by the accuracy test and `bench/import_accuracy.py`.
"""

import unicodedata
from dataclasses import dataclass, field


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
