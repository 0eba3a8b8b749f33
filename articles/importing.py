"""Read a raw news story the way a sub-editor does: headline, paragraphs, quotes and who said them.

Plain Python with no database: `parse(text)` returns dataclasses, and
`articles.services.article_import` saves them. The rules are meant for any English news story; the word
lists below are the part to extend when a new source brings new page furniture or speech verbs.

Every pattern here either is a literal, a character class with one quantifier, or walks tokens in
Python with a bounded window, so hostile input costs linear time.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

MAX_BYTES = 1_000_000
HEADLINE_MAX = 300
KICKER_MAX = 60

# How many words either side of a quote its speech verb may stand.
ATTRIBUTION_REACH = 60
# Confidence below this is shown to the editor as a flag on the quote.
REVIEW_BELOW = 0.7

PERSON, ANONYMOUS, ORGANISATION = "person", "anonymous", "organisation"
FULL, PARTIAL = "full", "partial"


def _words(text):
    return frozenset(text.split())


def _phrases(text):
    return frozenset(phrase.strip() for phrase in text.replace("\n", "").split("|") if phrase.strip())


class UnreadableInput(ValueError):
    """The input is not a story we can read; the message says why, for the person who supplied it."""


# --- Results -------------------------------------------------------------------------------------


@dataclass
class SpeakerRef:
    """Someone the story quotes, as the story names them."""

    key: str
    name: str
    title: str = ""
    kind: str = PERSON
    gender: str = ""  # "he" or "she" once the story shows it; guides pronoun resolution
    occasion: str = ""  # the last occasion the story gave for their words

    @property
    def is_anonymous(self):
        return self.kind == ANONYMOUS


@dataclass
class ParsedBlock:
    type: str  # "paragraph", "heading" or "embed"
    text: str
    needs_review: bool = False
    review_note: str = ""
    embed_url: str = ""
    embed_provider: str = ""


@dataclass
class ParsedQuote:
    block: int  # index into ParsedStory.blocks
    text: str
    kind: str
    speaker: SpeakerRef | None = None
    verb: str = ""
    occasion: str = ""
    confidence: float = 0.0
    notes: list[str] = field(default_factory=list)
    continues: bool = False  # carries on a quote left open at the end of the previous paragraph

    @property
    def needs_review(self):
        return bool(self.notes) or self.confidence < REVIEW_BELOW

    @property
    def review_note(self):
        notes = list(self.notes)
        if self.speaker is None and self.kind == PARTIAL:
            notes.insert(0, "No speaker found: the writer's own scare quote? Attribute it or drop it.")
        elif self.speaker is None:
            notes.insert(0, "No speaker found.")
        elif self.confidence < REVIEW_BELOW:
            notes.insert(0, f"Unsure who said this ({self.confidence:.0%}).")
        return " ".join(notes)[:300]


@dataclass
class Credit:
    name: str
    role: str  # a Byline.Role value
    organisation: str = ""


@dataclass
class ParsedStory:
    headline: str
    kicker: str = ""
    source_credit: str = ""
    dateline: str = ""
    blocks: list[ParsedBlock] = field(default_factory=list)
    quotes: list[ParsedQuote] = field(default_factory=list)
    speakers: list[SpeakerRef] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def paragraphs(self):
        return [block for block in self.blocks if block.type == "paragraph"]


# --- Reading bytes -------------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Latin-1 readings of UTF-8 punctuation and accents: the signature of text decoded twice.
_MOJIBAKE = ("â€", "Ã©", "Ã¨", "Ã¶", "Ã¼", "Ã±", "Ã¡", "Ã³", "Ãº", "Ã­")


def decode(data, encoding="utf-8"):
    """Bytes of a story file to text, or UnreadableInput naming what is wrong with them."""
    label = encoding
    if len(data) > MAX_BYTES:
        raise UnreadableInput(f"it is {len(data):,} bytes; a story file can be at most {MAX_BYTES:,}.")
    if data.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise UnreadableInput("it holds binary data (NUL bytes), not text.")
    elif encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            f"it is not {label} text (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
            "Save it as UTF-8, or say which encoding it uses."
        ) from exc
    except LookupError as exc:
        raise UnreadableInput(f"“{encoding}” is not an encoding Python knows.") from exc
    return check_text(text)


def check_text(text):
    """Refuse text that is empty, binary or already garbled by a wrong encoding."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableInput("it is empty.")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise UnreadableInput(f"it is longer than {MAX_BYTES:,} bytes, too long for one story.")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise UnreadableInput("it holds binary data (control characters), not text.")
    if "\ufffd" in text:
        raise UnreadableInput("it holds replacement characters (�): it was damaged by a wrong encoding.")
    for marker in _MOJIBAKE:
        if marker in text:
            raise UnreadableInput(
                f"it looks like UTF-8 read with the wrong encoding (“{marker}” appears); fix the file first."
            )
    return text


# --- Page furniture, embeds, credits -------------------------------------------------------------

# Whole lines that belong to the page a story was copied from, not to the story. Compared casefolded,
# without trailing punctuation.
CHROME_LINES = _phrases(
    """
    rate this post|rate this article|rate this story|leave a comment|leave a reply|post a comment|
    add a comment|comments|show comments|view comments|join the conversation|share|share this|
    share this article|share this story|share on facebook|share on twitter|share on x|share on whatsapp|
    share via email|tweet|email|print|copy link|link copied|advertisement|sponsored|sponsored content|
    read more|continue reading|story continues below|story continues below advertisement|
    article continues below|article continues below this ad|skip advertisement|skip ad|
    skip to main content|related|related articles|related stories|recommended|recommended stories|
    most read|most popular|you may also like|trending|loading|click to expand|like this|facebook|
    twitter|whatsapp|linkedin|reddit|pinterest|subscribe|newsletter|sign up|log in|register|back to top|
    ad feedback|video ad feedback|close|menu|toggle navigation
    """
)
CHROME_PREFIXES = (
    "sign up for",
    "sign up to",
    "subscribe to",
    "subscribe for",
    "follow us on",
    "click here",
    "read more:",
    "read more about",
    "related:",
    "share this",
    "share on",
    "get our",
    "download the",
    "listen to this article",
    "copyright ©",
    "© ",
    "all rights reserved",
)
# Prefix rules only apply to lines this short, so a paragraph that happens to begin "Subscribe to…"
# in prose survives.
CHROME_PREFIX_MAX = 120
_RATING_CHARS = set("★☆✩✪✭⭐0123456789/().,- votesaverage:")

EMBED_PREFIX = re.compile(r"view this (interactive content|content|video|post|graphic|map|chart) on ", re.I)

KICKER_LABELS = _phrases(
    """
    exclusive|analysis|opinion|breaking|breaking news|live|live updates|explainer|fact check|
    interview|review|editorial|comment|update|watch|video|photos|special report|investigation|
    obituary|perspective|first on|developing|just in
    """
)

CONTRIBUTED = re.compile(r"\s(contributed|contributed reporting|contributed to this report)[.]?$", re.I)


def _normal_line(line):
    return line.strip().rstrip(".:!…").strip().casefold()


def is_chrome(line):
    normal = _normal_line(line)
    if normal in CHROME_LINES:
        return True
    if len(line) <= CHROME_PREFIX_MAX and normal.startswith(CHROME_PREFIXES):
        return True
    # Star ratings and vote counts: "★★★★☆ (3 votes)", "5/5 - (1 vote)".
    return any(ch in "★☆⭐" for ch in normal) and set(normal) <= _RATING_CHARS


def embed_from(line):
    """A "View this interactive content on CNN.com" line as an embed placeholder, or None."""
    match = EMBED_PREFIX.match(line.strip())
    if not match:
        return None
    where = line.strip()[match.end() :].rstrip(". ")
    if not where or len(where) > 60 or " " in where:
        return None
    if "." in where:
        provider = where.split(".")[0]
        host = where.lower() if where.count(".") > 1 else f"www.{where.lower()}"
    else:
        provider, host = where, f"www.{where.lower()}.com"
    return ParsedBlock(
        type="embed",
        text=line.strip(),
        embed_url=f"https://{host}/",
        embed_provider=provider,
        needs_review=True,
        review_note="The original embed's address was not in the text: link the real content.",
    )


def _split_names(text):
    parts = []
    for chunk in re.split(r",|;| and | & ", text):
        name = chunk.strip().strip(".")
        if name:
            parts.append(name)
    return parts


def _looks_like_name(text):
    words = text.split()
    return 1 < len(words) <= 5 and all(w[0].isupper() or w in NAME_PARTICLES for w in words)


def credits_from(line):
    """Bylines from a closing credit line, or None when the line is not one."""
    stripped = line.strip()
    if len(stripped) > 300:
        return None
    match = CONTRIBUTED.search(stripped)
    if match:
        names_part, organisation = stripped[: match.start()], ""
        head, sep, rest = names_part.partition("’s ")
        if not sep:
            head, sep, rest = names_part.partition("'s ")
        if sep and len(head.split()) <= 3 and head[:1].isupper():
            organisation, names_part = head, rest
        names = _split_names(names_part)
        if names and all(_looks_like_name(n) for n in names):
            return [Credit(n, "contributing_reporter", organisation) for n in names]
        return None
    # Agency style: "Reporting by A and B; Additional reporting by C; Editing by D".
    roles = (
        ("additional reporting by", "contributing_reporter"),
        ("reporting by", "author"),
        ("writing by", "author"),
        ("editing by", "editor"),
        ("photographs by", "photographer"),
    )
    found = []
    for part in stripped.rstrip(".").split(";"):
        lowered = part.strip().lower()
        for prefix, role in roles:
            if lowered.startswith(prefix):
                names = _split_names(part.strip()[len(prefix) :])
                if not names or not all(_looks_like_name(n) for n in names):
                    return None
                found.extend(Credit(n, role) for n in names)
                break
        else:
            return None
    return found or None


# --- Words ---------------------------------------------------------------------------------------


def _forms(*rows):
    """{word form: verb to record}. Participles record the past tense: "saying" → "said"."""
    table = {}
    for past, present, participle in (row.split() for row in rows):
        table[past] = past
        table[present] = present
        table[participle] = past
    return table


SPEECH_VERBS = _forms(
    "said says saying",
    "told tells telling",
    "added adds adding",
    "insisted insists insisting",
    "warned warns warning",
    "explained explains explaining",
    "noted notes noting",
    "stressed stresses stressing",
    "argued argues arguing",
    "asked asks asking",
    "replied replies replying",
    "claimed claims claiming",
    "continued continues continuing",
    "wrote writes writing",
    "tweeted tweets tweeting",
    "announced announces announcing",
    "declared declares declaring",
    "acknowledged acknowledges acknowledging",
    "admitted admits admitting",
    "cautioned cautions cautioning",
    "urged urges urging",
    "recalled recalls recalling",
    "suggested suggests suggesting",
    "concluded concludes concluding",
    "emphasized emphasizes emphasizing",
    "emphasised emphasises emphasising",
    "vowed vows vowing",
    "promised promises promising",
    "confirmed confirms confirming",
    "denied denies denying",
    "countered counters countering",
    "observed observes observing",
    "remarked remarks remarking",
    "responded responds responding",
    "joked jokes joking",
    "quipped quips quipping",
    "complained complains complaining",
    "conceded concedes conceding",
    "predicted predicts predicting",
    "described describes describing",
    "called calls calling",
    "pledged pledges pledging",
    "maintained maintains maintaining",
    "stated states stating",
    "reiterated reiterates reiterating",
    "testified testifies testifying",
    "boasted boasts boasting",
    "lamented laments lamenting",
    "shouted shouts shouting",
)
# "said Ms Smith" reads naturally; "told Ms Smith" names the listener, not the speaker.
INVERTIBLE = _words(
    "said says added adds continued continues wrote writes explained explains insisted insists warned "
    "warns noted notes recalled recalls replied replies argued argues stressed stresses declared "
    "announced cautioned concluded observed remarked responded quipped joked countered conceded "
    "admitted acknowledged asked"
)
PRONOUNS = {"he": "he", "she": "she", "they": "they"}
ADVERBS = _words(
    "also later then again has had have was is once previously earlier repeatedly reportedly "
    "meanwhile further subsequently recently would will could did does just only has already "
    "still separately publicly privately"
)
DETERMINERS = _words("a an the one another two three several some many two other")
# Nouns that make an unnamed source: "a senior official", "two people familiar with the talks".
SOURCE_NOUNS = _words(
    "official officials source sources spokesperson spokesman spokeswoman diplomat diplomats aide "
    "aides adviser advisers advisor officer officers commander commanders soldier soldiers resident "
    "residents witness witnesses analyst analysts expert experts person people member members "
    "lawmaker lawmakers executive executives employee employees worker workers doctor doctors nurse "
    "man woman teenager survivor survivors volunteer volunteers police investigator investigators "
    "minister ministers president leader negotiator negotiators representative representatives"
)
# Groups quoted as one voice: "critics say", "protesters chanted".
GROUP_NOUNS = _words(
    "critics opponents supporters protesters demonstrators campaigners activists observers lawyers "
    "prosecutors authorities scientists researchers economists voters fans parents teachers students "
    "locals villagers farmers"
)
# Capitalised words that open a sentence or name a time, never a speaker.
NOT_NAMES = _words(
    "the a an but and or so yet if when while after before although though as since because however "
    "meanwhile still also in on at for from with by of to some many most several both all even only "
    "then now later earlier this that these those there here it its we i you he she they his her their "
    "our my asked according speaking monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december today yesterday "
    "last next instead indeed no yes"
)
TITLE_WORDS = _words(
    "president vice prime minister deputy secretary general gen sen senator rep representative governor "
    "gov mayor chancellor king queen prince princess dr mr mrs ms miss mx sir dame lord lady judge "
    "justice chief foreign defense defence interior finance health commander colonel col lt lieutenant "
    "major maj captain capt sgt sergeant admiral adm pope bishop archbishop cardinal father rabbi imam "
    "ambassador spokesman spokeswoman spokesperson chairman chairwoman chair director adviser advisor "
    "professor prof coach officer commissioner attorney speaker leader senior state home economy "
    "education labor labour trade energy agriculture transport culture security national staff joint "
    "chiefs head ceo founder executive premier emir sheikh crown supreme pastor reverend rev inspector "
    "superintendent detective det sheriff councillor councilman councilwoman mp mep lawmaker "
    "congressman congresswoman dean principal manager treasurer chancellor governor-general mufti"
)
MALE_TITLES = _words("mr sir king prince lord father congressman spokesman chairman councilman")
FEMALE_TITLES = _words(
    "mrs ms miss dame queen princess lady congresswoman spokeswoman chairwoman councilwoman"
)
ORGANISATION_WORDS = _words(
    "ministry department office council agency kremlin pentagon government police army forces company "
    "inc corp group party committee commission union bank court university service command institute "
    "association organization organisation foundation center centre embassy military navy nato un "
    "house"
)
NAME_PARTICLES = _words("de da van von der den bin al la le du dos del di")
# Words that stay inside a title: "Secretary of State", "Minister for Foreign Affairs".
TITLE_LINKS = _words("of for the")
ABBREVIATIONS = _words("mr mrs ms dr st gen sen rep gov col lt maj capt sgt adm prof rev det no vs jr sr")
OCCASION_PREPOSITIONS = _words("in at during on via through")
OCCASION_DROP = _words("a an the his her their its")
# What makes "in a televised address" an occasion and "in the besieged city" not.
OCCASION_NOUNS = _words(
    "interview interviews address speech statement statements conference briefing post video message "
    "tweet letter podcast broadcast remarks hearing meeting summit rally call television tv radio twitter "
    "facebook telegram instagram session appearance documentary op-ed essay memo testimony debate "
    "newsletter sermon"
)
OUTLETS_TOLD = _words("reporters journalists lawmakers")

CAPTION_VERBS = _words(
    "fire fires walk walks stand stands hold holds look looks gather gathers sit sits carry carries "
    "ride rides wait waits attend attends inspect inspects speak speaks arrive arrives march marches "
    "pray prays mourn mourns work works gesture gestures pose poses react reacts watch watches patrol "
    "patrols run runs drive drives clear clears rest rests prepare prepares leave leaves play plays "
    "take takes lay lays burn burns rise rises queue queues cross crosses hug hugs embrace embraces "
    "celebrate celebrates protest protests wave waves greet greets search searches remove removes load "
    "loads unload unloads repair repairs train trains evacuate evacuates flee flees shelter shelters "
    "pass passes examine examines sits lies stand"
)
CAPTION_CUES = (
    "pictured",
    "is seen",
    "are seen",
    "getty images",
    "photo:",
    "photograph:",
    "ap photo",
    "/afp",
)

TOKEN = re.compile(r"\w[\w’'\-]*|[^\w\s]")
OPENERS = "“„‟«"
CLOSERS = "”»"
TERMINALS = frozenset(".!?…")
STOPS = frozenset(".!?;:…()[]—")


# --- Quotation marks ------------------------------------------------------------------------------


@dataclass
class _Span:
    start: int  # the quoted words, marks excluded
    end: int
    outer_start: int  # the words with their marks
    outer_end: int
    opened: bool = True
    closed: bool = True


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _closes_here(text, i):
    """An opening mark used where a closing one belongs: `victories “` at the end of a paragraph."""
    after = text[i + 1 : i + 2]
    if not after or after in ",.;:!?)":
        return True
    if not after.isspace():
        return False
    # `win“ he` or `win “ he said`: words go on after the mark in lower case, as after a closing one.
    return not text[i - 1 : i].isspace() or text[i + 1 : i + 40].lstrip()[:1].islower()


def scan_quotes(text):
    """The double-quoted spans of one paragraph, recovering from missing or misturned marks.

    Single quotes are left alone here: inside double quotes they are a quotation within the quotation.
    Stories quoted in single marks throughout go to `scan_single_quotes` instead.
    """
    spans, stray = [], []
    open_at = None
    last_close = 0

    def add(start, end, outer_start, outer_end, opened=True, closed=True):
        start, end = _trimmed(text, start, end)
        if start < end:
            spans.append(_Span(start, end, outer_start, outer_end, opened, closed))

    for i, ch in enumerate(text):
        opener = ch in OPENERS or (ch == '"' and open_at is None)
        closer = ch in CLOSERS or (ch == '"' and open_at is not None)
        if opener and open_at is not None:
            if _closes_here(text, i):
                add(open_at + 1, i, open_at, i + 1)
                open_at, last_close = None, i + 1
            else:
                # A new quotation opens while one is still open: the earlier one lost its closing mark.
                add(open_at + 1, i, open_at, i, closed=False)
                open_at = i
        elif opener:
            open_at = i
        elif closer and open_at is not None:
            add(open_at + 1, i, open_at, i + 1)
            open_at, last_close = None, i + 1
        elif closer:
            # A closing mark with no opening one: the words since the last quote (or the paragraph's
            # start) are the quote if there are enough of them to be speech.
            if len(text[last_close:i].split()) >= 4:
                add(last_close, i, last_close, i + 1, opened=False)
            else:
                stray.append(i)
            last_close = i + 1
    if open_at is not None:
        add(open_at + 1, len(text), open_at, len(text), closed=False)
    return spans, stray


_SINGLE_OPEN_AFTER = frozenset('([{—–-"“')
_SINGLE_CLOSE_BEFORE = frozenset(',.;:!?)]—–-"”')


def _single_closes(text, i):
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return (
        bool(before)
        and not before.isspace()
        and (not after or after.isspace() or after in _SINGLE_CLOSE_BEFORE)
    )


def _single_opens(text, i):
    if text[i] == "‘":
        return True
    before = text[i - 1 : i]
    return (not before or before.isspace() or before in _SINGLE_OPEN_AFTER) and text[i + 1 : i + 2].isalnum()


def scan_single_quotes(text):
    """The spans of a story quoted in single marks (‘…’ or '…', British style), apart from apostrophes."""
    openers = [i for i, ch in enumerate(text) if ch in "‘'" and _single_opens(text, i)]
    closers = [i for i, ch in enumerate(text) if ch in "’'" and _single_closes(text, i)]
    spans = []
    open_at = None
    opener_set, closer_set = set(openers), set(closers)
    for i in sorted(opener_set | closer_set):
        if open_at is None:
            if i in opener_set:
                open_at = i
            continue
        if i not in closer_set:
            continue
        # "the soldiers’ families deserve better,’": after a plural, an apostrophe if the quote closes later.
        later = bisect.bisect_right(closers, i) < len(closers)
        next_open = bisect.bisect_right(openers, i)
        closes_first = (
            next_open >= len(openers) or closers[bisect.bisect_right(closers, i)] < openers[next_open]
        )
        if text[i - 1] in "sS" and text[i + 1 : i + 3][1:].islower() and later and closes_first:
            continue
        start, end = _trimmed(text, open_at + 1, i)
        if start < end:
            spans.append(_Span(start, end, open_at, i + 1))
        open_at = None
    if open_at is not None:
        start, end = _trimmed(text, open_at + 1, len(text))
        if start < end:
            spans.append(_Span(start, end, open_at, len(text), closed=False))
    return spans, []


def quote_style(body):
    """Which marks open the story's quotations: double (“…”, the usual) or single (‘…’, British)."""
    doubles = singles = 0
    for i, ch in enumerate(body):
        if ch in OPENERS or (ch == '"' and (i == 0 or body[i - 1].isspace())):
            doubles += 1
        elif ch in "‘'" and _single_opens(body, i):
            singles += 1
    return scan_single_quotes if singles > doubles else scan_quotes


def quote_kind(words):
    """Full quote, or a partial/scare quote: a fragment that is not a sentence of its own."""
    stripped = words.lstrip("…. ([")
    if not stripped:
        return PARTIAL
    tokens = TOKEN.findall(stripped)
    inner_sentence = any(
        tokens[i] in TERMINALS and tokens[i + 1][:1].isupper() for i in range(len(tokens) - 1)
    )
    if not stripped[0].isupper() and not stripped[0].isdigit():
        return FULL if inner_sentence else PARTIAL
    word_count = sum(1 for t in tokens if t[0].isalnum())
    ends_like_speech = words.rstrip()[-1:] in ".,!?…—–:;"
    return FULL if ends_like_speech or inner_sentence or word_count >= 4 else PARTIAL


# --- Tokens and speech events ---------------------------------------------------------------------


@dataclass
class _Token:
    text: str
    start: int
    quote: int | None = None  # index of the quote this token stands for
    sentence: int = 0

    @property
    def lower(self):
        return self.text.lower()

    @property
    def capitalised(self):
        return self.quote is None and self.text[:1].isupper()


@dataclass
class _Mention:
    kind: str  # "name", "pronoun", "anonymous", "definite", or "surname" for a passing mention
    name: str = ""
    title: str = ""
    gender: str = ""
    head: str = ""  # the noun of an unnamed source, e.g. "official"


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
    if token.lower in DETERMINERS:
        k = i
        while k < len(tokens) and k - i < 10 and not _is_stop(tokens[k]) and tokens[k].text != ",":
            k += 1
        words = [t.text for t in tokens[i:k]]
        nouns = [w for w in words if w.lower() in SOURCE_NOUNS]
        if nouns:
            kind = "definite" if token.lower == "the" and len(words) <= 3 else "anonymous"
            return _Mention(kind, name=" ".join(words), head=nouns[0].lower())
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
            token.lower.rstrip(".") in TITLE_WORDS
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
            if mention is not None and mention.kind == "name":
                found.append((i, mention))
        starts_sentence = i == 0 or tokens[i - 1].sentence != token.sentence
        if starts_sentence and token.capitalised and token.lower not in NOT_NAMES and not after.capitalised:
            found.append((i, _Mention("surname", name=token.text)))
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


def _events(tokens):
    events = []
    for i, token in enumerate(tokens):
        if token.quote is not None:
            continue
        word = token.lower
        if word == "according" and i + 1 < len(tokens) and tokens[i + 1].lower == "to":
            mention = _subject_after(tokens, i)
            if mention and (mention.kind != "definite" or mention.head in SOURCE_NOUNS):
                events.append(_Event(i, "according to", token.sentence, mention))
            continue
        if word not in SPEECH_VERBS:
            continue
        participle = word.endswith("ing")
        if participle:
            mention = _subject_of_sentence(tokens, i)
        else:
            mention = _subject_before(tokens, i)
            if mention is None and word in INVERTIBLE:
                mention = _subject_after(tokens, i)
        event = _Event(i, SPEECH_VERBS[word], token.sentence, mention, indirect=participle)
        event.occasion = _occasion_after(tokens, i)
        events.append(event)
    # "Whitaker was blunt: “We lost.”" — with no speech verb in the sentence, the colon introduces the
    # quote and the sentence's subject speaks. No verb is recorded: the text gives none.
    spoken = {event.sentence for event in events}
    for i, token in enumerate(tokens[:-1]):
        if token.text == ":" and tokens[i + 1].quote is not None and token.sentence not in spoken:
            events.append(_Event(i, "", token.sentence, _subject_of_sentence(tokens, i), indirect=True))
    events.sort(key=lambda event: event.verb_index)
    return events


# --- Who is who -----------------------------------------------------------------------------------


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


# --- Paragraph-level attribution ------------------------------------------------------------------


def _attribute(quotes, tokens, events):
    """Give each quote of one paragraph the speech event of its own sentence, nearest first."""
    events = [e for e in events if e.speaker is not None]
    positions = [e.verb_index for e in events]
    quotes_before = [0]  # quote tokens before each index, to see whether a quote stands between
    for token in tokens:
        quotes_before.append(quotes_before[-1] + (token.quote is not None))
    quote_tokens = {t.quote: i for i, t in enumerate(tokens) if t.quote is not None}
    for number, quote in enumerate(quotes):
        at = quote_tokens[number]
        sentence = tokens[at].sentence
        best, best_distance = None, None
        # Only speech verbs near the quote can be its attribution; the window keeps long paragraphs linear.
        low, high = (
            bisect.bisect_left(positions, at - ATTRIBUTION_REACH),
            bisect.bisect_right(positions, at + ATTRIBUTION_REACH),
        )
        for event in events[low:high]:
            distance = abs(event.verb_index - at)
            # "“…we will win.” Zelensky said." still belongs to the quote right before it.
            tail = 0 < event.verb_index - at <= 8 and all(
                tokens[k].quote is None and tokens[k].text not in ".!?"
                for k in range(at + 1, event.verb_index)
            )
            if not (event.sentence == sentence or tail):
                continue
            first, last = sorted((at, event.verb_index))
            if quotes_before[last] - quotes_before[first + 1] > 0:
                distance += 50  # another quote stands between: a weaker link
            if best is None or distance < best_distance:
                best, best_distance = event, distance
        if best is not None:
            quote.speaker, quote.verb, quote.occasion = best.speaker, best.verb, best.occasion
            near = best_distance <= 12 and (best.sentence == sentence or best_distance <= 4)
            quote.confidence = best.confidence if near else min(best.confidence, 0.75)
            if best.note:
                quote.notes.append(best.note)


def _inherit(quote, source, confidence, note=""):
    quote.speaker, quote.verb, quote.occasion = source.speaker, source.verb, source.occasion
    quote.confidence = min(source.confidence, confidence)
    if note:
        quote.notes.append(note)


# --- Story structure ------------------------------------------------------------------------------


def _paragraph_lines(body):
    """Blank lines separate paragraphs; a block of lines that each end a sentence is one per line."""
    chunks = re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for chunk in chunks:
        rows = [row.strip() for row in chunk.split("\n") if row.strip()]
        wrapped = len(rows) > 1 and all(row[-1:] not in '.!?”"’:)' for row in rows[:-1])
        lines.extend([" ".join(rows)] if wrapped else rows)
    return lines


def _kicker_and_headline(line):
    label, sep, rest = line.partition(":")
    if (
        sep
        and rest.strip()
        and label.strip().casefold() in KICKER_LABELS
        and len(label.strip()) <= KICKER_MAX
    ):
        return label.strip(), rest.strip()
    return "", line.strip()


def _source_marker(text):
    """ "(CNN) …" or "KYIV, Ukraine (Reuters) -" → (outlet, dateline). The paragraph keeps its words."""
    head = text[:80]
    open_at = head.find("(")
    close_at = head.find(")", open_at + 1)
    if open_at < 0 or close_at < 0:
        return "", ""
    outlet = head[open_at + 1 : close_at].strip()
    words = outlet.split()
    if not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
        return "", ""
    place = head[:open_at].strip().rstrip(",")
    if place and not (place.upper() == place and any(ch.isalpha() for ch in place)):
        return "", ""
    dateline = place.split(",")[0].strip().title() if place else ""
    return outlet, dateline


def _looks_like_caption(text, tokens, events):
    if events or any(t.quote is not None for t in tokens) or len(text.split()) > 40:
        return False
    lowered = text.casefold()
    if any(cue in lowered for cue in CAPTION_CUES):
        return True
    if any(t.sentence for t in tokens) or text[-1:] not in ".":
        return False
    # Captions describe the picture in the present tense: "Soldiers fire a howitzer near Bakhmut."
    words = [t for t in tokens[:8] if t.text[0].isalnum()]
    for i, token in enumerate(words[1:], start=1):
        if token.lower in CAPTION_VERBS:
            before = words[i - 1]
            return before.lower not in NOT_NAMES and before.lower not in ("to", "will", "would", "can")
        if token.lower in NOT_NAMES or token.lower in ADVERBS:
            return False
    return False


def _looks_like_heading(text):
    words = text.split()
    return (
        len(words) <= 10
        and text[:1].isupper()
        and text[-1:] not in '.!?:;,”"’…)'
        and not any(mark in text for mark in '“”"')
    )


def parse(text):
    """Raw story text → ParsedStory. Paragraph text is kept exactly as given."""
    text = check_text(text)
    lines = _paragraph_lines(text)
    if not lines:
        raise UnreadableInput("it has no text.")
    kicker, headline = _kicker_and_headline(lines[0])
    if len(headline) > HEADLINE_MAX:
        raise UnreadableInput(
            f"its first line is {len(headline)} characters long; the first line must be the headline "
            f"(at most {HEADLINE_MAX})."
        )
    story = ParsedStory(headline=headline, kicker=kicker)
    cast = _Cast()
    carried = False  # the previous paragraph ended inside an open quote
    scan = quote_style("\n".join(lines[1:]))
    for line in lines[1:]:
        if is_chrome(line):
            story.dropped.append(line)
            continue
        embed = embed_from(line)
        if embed:
            story.blocks.append(embed)
            carried = False
            continue
        credits = credits_from(line)
        if credits:
            story.credits.extend(credits)
            continue
        if not story.blocks and not story.source_credit:
            story.source_credit, story.dateline = _source_marker(line)
        carried = _read_paragraph(story, cast, line, carried, scan)
    if not story.paragraphs:
        raise UnreadableInput("it has a headline but no paragraphs of text.")
    _fill_unattributed(story)
    quoted = {id(q.speaker) for q in story.quotes}
    story.speakers = [s for s in cast.speakers if id(s) in quoted]
    return story


UNCLOSED_NOTE = "The closing quotation mark is missing; the quote is taken to end with the paragraph."


def _read_paragraph(story, cast, text, carried, scan=scan_quotes):
    """Add one paragraph and its quotes; True when it ends inside a quote left open."""
    spans, stray = scan(text)
    tokens = _tokens(text, spans)
    events = _events(tokens)
    paragraph = len(story.blocks)
    # People introduced or named as a subject count for "he"/"she" even before they speak.
    introductions = _introductions(tokens)
    for _, item in sorted([(e.verb_index, e) for e in events] + introductions, key=lambda pair: pair[0]):
        if isinstance(item, _Event):
            cast.resolve(item, paragraph)
        else:
            cast.mention(item, paragraph)
    block = ParsedBlock(type="paragraph", text=text)
    if not spans and _looks_like_caption(text, tokens, events):
        block.needs_review = True
        block.review_note = "Looks like a photo caption: add the photo as an image block, or keep it as text."
    elif not spans and len(story.blocks) > 0 and _looks_like_heading(text):
        block.type = "heading"
    if stray:
        block.needs_review = True
        block.review_note = "A quotation mark here has no partner; check where the quote starts and ends."
    story.blocks.append(block)
    quotes = []
    for number, span in enumerate(spans):
        words = text[span.start : span.end]
        quote = ParsedQuote(block=paragraph, text=words, kind=quote_kind(words))
        if not span.opened:
            quote.notes.append("The opening quotation mark is missing; check where the quote starts.")
        if not span.closed:
            quote.notes.append(UNCLOSED_NOTE)
        # A paragraph that opens with a quotation mark after one left open continues that quote.
        quote.continues = number == 0 and carried and span.outer_start == 0
        quotes.append(quote)
    _attribute(quotes, tokens, events)
    if quotes and quotes[0].continues and story.quotes:
        # Leaving a quote open at the end of a paragraph and reopening it is the house convention for
        # a quote that runs on, not a missing mark.
        story.quotes[-1].notes.remove(UNCLOSED_NOTE)
    story.quotes.extend(quotes)
    return bool(spans) and not spans[-1].closed


def _fill_unattributed(story):
    """Quotes with no speech verb of their own take the speaker of the quotes around them."""
    by_block = {}
    for quote in story.quotes:
        by_block.setdefault(quote.block, []).append(quote)
    # Chains of paragraphs that continue one quote share the attribution one of them carries.
    chains, chain = [], []
    for quote in story.quotes:
        if quote.continues and chain:
            chain.append(quote)
        else:
            if chain:
                chains.append(chain)
            chain = [quote]
    if chain:
        chains.append(chain)
    for chain in chains:
        if len(chain) == 1:
            continue
        source = next((q for q in chain if q.speaker is not None and not q.continues), None) or next(
            (q for q in chain if q.speaker is not None), None
        )
        for quote in chain:
            if quote.speaker is None and source is not None:
                _inherit(quote, source, 0.85)
    for quotes in by_block.values():
        # Before: the last attributed quote earlier in the paragraph; failing that, the next one.
        after = [None] * len(quotes)
        following = None
        for i in range(len(quotes) - 1, -1, -1):
            after[i] = following
            if quotes[i].speaker is not None:
                following = quotes[i]
        before = None
        for i, quote in enumerate(quotes):
            if quote.speaker is None and before is not None:
                _inherit(quote, before, 0.8)
            elif quote.speaker is None and after[i] is not None:
                _inherit(quote, after[i], 0.7)
            if quote.speaker is not None:
                before = quote
    previous = None
    for quote in story.quotes:
        if quote.speaker is None and quote.kind == FULL and previous is not None:
            block = story.blocks[quote.block]
            if block.text.lstrip()[:1] in OPENERS + '"':
                _inherit(quote, previous, 0.5, "Taken to be the last speaker quoted before it.")
        if quote.speaker is not None:
            previous = quote


# --- Report ---------------------------------------------------------------------------------------


def summary(story, speaker_status=None):
    """Lines a person reads after an import: what was found, what was dropped, what needs a look."""
    speaker_status = speaker_status or {}
    lines = [f"Headline: {story.headline}"]
    if story.kicker:
        lines.append(f"Kicker: {story.kicker}")
    if story.source_credit:
        lines.append(f"Source: {story.source_credit}")
    kinds = {}
    for block in story.blocks:
        kinds[block.type] = kinds.get(block.type, 0) + 1
    lines.append("Blocks: " + ", ".join(f"{count} {kind}" for kind, count in kinds.items()))
    for credit in story.credits:
        lines.append(f"Byline: {credit.name} ({credit.role.replace('_', ' ')})")
    lines.append(f"Quotes: {len(story.quotes)}")
    groups = {}
    for quote in story.quotes:
        groups.setdefault(quote.speaker.key if quote.speaker else None, []).append(quote)
    for speaker in story.speakers:
        quotes = groups.get(speaker.key, [])
        status = speaker_status.get(speaker.key, "")
        label = f"{speaker.name}, {speaker.title}" if speaker.title else speaker.name
        partial = sum(1 for q in quotes if q.kind == PARTIAL)
        lines.append(
            f"  {label}: {len(quotes)} ({len(quotes) - partial} full, {partial} partial)"
            + (f" [{status}]" if status else "")
        )
    if None in groups:
        lines.append(f"  no speaker found: {len(groups[None])}")
    for line in story.dropped:
        lines.append(f"Dropped: {line}")
    flags = [
        (f"block {quote.block + 1}", f"“{_short(quote.text)}”: {quote.review_note}")
        for quote in story.quotes
        if quote.needs_review
    ] + [(f"block {i + 1}", block.review_note) for i, block in enumerate(story.blocks) if block.needs_review]
    lines.append(f"Flags: {len(flags)}")
    lines.extend(f"  {where}: {note}" for where, note in flags)
    return lines


def _short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"
