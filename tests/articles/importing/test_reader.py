"""The story reader on its own: no database, just text in and dataclasses out."""

import json
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.importing import (
    ANONYMOUS,
    FULL,
    PARTIAL,
    UnreadableInput,
    decode,
    is_chrome,
    parse,
    quote_kind,
    scan_quotes,
)
from articles.importing.scoring import score
from articles.services.seeding import SEED_DIR


def story(text):
    """Blank lines part paragraphs; a paragraph's lines are joined, so long ones can wrap here."""
    paragraphs = dedent(text).strip().split("\n\n")
    return parse("\n\n".join(" ".join(p.split("\n")) for p in paragraphs) + "\n")


def said(parsed):
    """[(quote words, speaker name or None, verb)] in story order."""
    return [(q.text, q.speaker.name if q.speaker else None, q.verb) for q in parsed.quotes]


# --- The interview, against its reviewed seed file --------------------------------------------------


@pytest.fixture(scope="module")
def interview_scores():
    raw = (SEED_DIR / "interview.txt").read_text(encoding="utf-8")
    truth = json.loads((SEED_DIR / "interview.json").read_text(encoding="utf-8"))
    return parse(raw), truth, score(parse(raw), truth)


def test_interview_every_full_sentence_quote_is_found_and_attributed_to_the_right_speaker(interview_scores):
    parsed, truth, _ = interview_scores
    names = {s["key"]: s["name"] for s in truth["speakers"]}
    found = {(parsed.blocks[q.block].text, q.text): q for q in parsed.quotes}
    full = [(b["text"], q) for b in truth["body"] for q in b.get("quotes", []) if q["kind"] == "full"]
    assert len(full) == 17
    for paragraph, reviewed in full:
        quote = found.get((paragraph, reviewed["text"]))
        assert quote is not None, f"not found: {reviewed['text'][:50]}"
        assert quote.kind == FULL
        assert quote.speaker.name == names[reviewed["speaker"]], reviewed["text"][:50]


def test_interview_quote_finding_and_attribution_hold_their_measured_precision_and_recall(interview_scores):
    _, _, scores = interview_scores
    assert scores.finding_precision >= 0.95 and scores.finding_recall >= 0.95, scores.lines()
    assert scores.attribution_precision >= 0.95 and scores.attribution_recall >= 0.95, scores.lines()


def test_interview_keeps_every_paragraph_word_for_word_and_leaves_no_chrome(interview_scores):
    parsed, truth, scores = interview_scores
    assert scores.matched_paragraphs == scores.truth_paragraphs == 23
    assert scores.chrome_left == []
    assert parsed.dropped == truth["dropped_chrome"]
    assert [b.type for b in parsed.blocks].count("embed") == 1


def test_interview_headline_kicker_source_and_contributors_come_from_the_text(interview_scores):
    parsed, truth, _ = interview_scores
    assert parsed.kicker == "Exclusive"
    assert parsed.headline == truth["article"]["headline"]
    assert parsed.source_credit == "CNN"
    assert [(c.name, c.role, c.organisation) for c in parsed.credits] == [
        ("Tim Lister", "contributing_reporter", "CNN"),
        ("Olga Voitovich", "contributing_reporter", "CNN"),
        ("Vasko Kotovio", "contributing_reporter", "CNN"),
    ]


def test_interview_photo_caption_is_flagged_in_place(interview_scores):
    parsed, _, _ = interview_scores
    caption = next(b for b in parsed.blocks if b.text.startswith("Ukrainian soldiers fire"))
    assert caption.type == "paragraph" and caption.needs_review
    assert "caption" in caption.review_note
    assert sum(1 for b in parsed.blocks if "caption" in b.review_note) == 1


# --- Short stories --------------------------------------------------------------------------------


def test_nested_single_quotes_stay_inside_the_double_quote():
    parsed = story("""
        Mayor defends budget

        “When my father told me ‘never borrow what you cannot repay,’ I listened,”
        Mayor Ana Ruiz said on Monday.
    """)
    assert said(parsed) == [
        ("When my father told me ‘never borrow what you cannot repay,’ I listened,", "Ana Ruiz", "said")
    ]
    assert parsed.speakers[0].title == "Mayor"
    assert parsed.quotes[0].kind == FULL


def test_quote_spanning_paragraphs_is_one_speaker_and_not_flagged_as_unclosed():
    parsed = story("""
        Coach looks ahead after defeat

        Coach Dan Whitaker was blunt after Saturday's defeat.

        “We were not good enough in the first half. Nobody can hide from that.

        “But I saw a team that kept running, and that gives me hope,” Whitaker said.

        “We go again on Tuesday,” he added.
    """)
    assert [(words[:20], name, verb) for words, name, verb in said(parsed)] == [
        ("We were not good eno", "Dan Whitaker", "said"),
        ("But I saw a team tha", "Dan Whitaker", "said"),
        ("We go again on Tuesd", "Dan Whitaker", "added"),
    ]
    first, second, _ = parsed.quotes
    assert first.text.endswith("Nobody can hide from that.")
    assert second.continues and not first.notes and first.confidence >= 0.8


def test_a_quote_that_never_closes_runs_to_the_end_of_its_paragraph_and_is_flagged():
    parsed = story("""
        Rescue goes on

        “We searched all night,” said firefighter chief Lou Grant. “We will not stop until everyone is found.

        The search resumed at dawn.
    """)
    last = parsed.quotes[-1]
    assert last.text == "We will not stop until everyone is found."
    assert last.speaker.name == "Lou Grant"
    assert last.needs_review and "closing quotation mark is missing" in last.review_note


def test_anonymous_sources_are_unnamed_speakers_and_later_references_find_them():
    parsed = story("""
        Talks stall in Geneva

        “There is no deal on the table,” a senior European diplomat told reporters on Tuesday.

        The diplomat said the talks would resume. “We will try again next week,” the diplomat added.

        Two officials familiar with the negotiations said the gap was narrowing.
        “It is closer than it looks,” one of them said.
    """)
    diplomat, again, officials = parsed.quotes
    assert diplomat.speaker.name == "a senior European diplomat"
    assert diplomat.speaker.kind == ANONYMOUS
    assert diplomat.occasion == "remarks to reporters"
    assert again.speaker is diplomat.speaker
    assert officials.speaker.name == "Two officials familiar with the negotiations"
    assert officials.speaker.is_anonymous


def test_two_speakers_in_one_paragraph_each_get_their_own_quote():
    parsed = story("""
        Bridge row deepens

        “The bridge is safe,” said Tom Becker, the city engineer.
        “I see the cracks every day,” resident Maria Lopez replied.
    """)
    assert said(parsed) == [
        ("The bridge is safe,", "Tom Becker", "said"),
        ("I see the cracks every day,", "Maria Lopez", "replied"),
    ]
    assert parsed.speakers[0].title == "City engineer"


def test_according_to_names_the_speaker_and_their_role():
    parsed = story("""
        Storm to make landfall on Friday

        “The worst is yet to come,” according to Helen Park, a forecaster at the national weather service.
    """)
    assert said(parsed) == [("The worst is yet to come,", "Helen Park", "according to")]
    assert parsed.speakers[0].title == "Forecaster at the national weather service"


def test_said_x_inversion_with_straight_quotes_and_titles():
    parsed = story("""
        Analysis: Coalition survives vote

        "We have a majority and we will govern," said Prime Minister Olaf Berg after the vote.

        "This government is finished," said opposition leader Karin Dahl.
    """)
    assert parsed.kicker == "Analysis"
    assert said(parsed) == [
        ("We have a majority and we will govern,", "Olaf Berg", "said"),
        ("This government is finished,", "Karin Dahl", "said"),
    ]
    assert [s.title for s in parsed.speakers] == ["Prime Minister", "Opposition leader"]


def test_pronouns_resolve_to_the_last_named_person_of_the_right_kind():
    parsed = story("""
        Plant to stay open

        Energy minister Sara Holm met union leader Piet Janssen on Monday.

        Holm said the plant would stay open. “Nobody will lose their job this year,” she said.

        Janssen was not convinced. “We have heard promises before,” he said. “Show us a contract.”

        “We will publish the plan,” she added.
    """)
    assert [(name, verb) for _, name, verb in said(parsed)] == [
        ("Sara Holm", "said"),
        ("Piet Janssen", "said"),
        ("Piet Janssen", "said"),
        ("Sara Holm", "added"),
    ]
    assert not any(q.notes for q in parsed.quotes) and min(q.confidence for q in parsed.quotes) >= 0.8


def test_scare_quotes_are_partial_and_the_writers_own_are_left_unattributed_and_flagged():
    parsed = story("""
        Plan called reckless

        Finance Minister Lena Vos called the plan “reckless” and said it was “a gift to smugglers.”

        Critics have dubbed it the “open border” policy.
    """)
    reckless, gift, border = parsed.quotes
    assert (reckless.kind, gift.kind, border.kind) == (PARTIAL, PARTIAL, PARTIAL)
    assert reckless.speaker.name == gift.speaker.name == "Lena Vos"
    assert border.speaker is None and border.needs_review and "scare quote" in border.review_note


def test_surname_alone_after_a_full_name_is_the_same_speaker():
    parsed = story("""
        Budget passes

        Treasurer Jim Chalmers said the budget was fair.

        “It helps the people who need it most,” Chalmers said.
    """)
    assert said(parsed) == [("It helps the people who need it most,", "Jim Chalmers", "said")]
    assert len(parsed.speakers) == 1


def test_a_story_quoted_in_single_marks_is_read_without_tripping_on_apostrophes():
    parsed = story("""
        Minister defends rail plan

        The transport secretary, Grant Shapps, said the line would be built.
        ‘We are not going to abandon the north,’ he said.

        Critics called it ‘a vanity project’.
        ‘The soldiers’ families deserve better than this,’ said Labour’s Louise Haigh.

        ‘It’s a scandal,’ she added.
    """)
    assert said(parsed) == [
        ("We are not going to abandon the north,", "Grant Shapps", "said"),
        ("a vanity project", "Critics", "called"),
        ("The soldiers’ families deserve better than this,", "Louise Haigh", "said"),
        ("It’s a scandal,", "Louise Haigh", "added"),
    ]
    assert parsed.speakers[0].title == "Transport secretary"
    assert parsed.quotes[1].kind == PARTIAL and parsed.quotes[1].speaker.is_anonymous


def test_page_chrome_embeds_captions_datelines_and_agency_credits():
    parsed = story("""
        Exclusive: Harbour deal signed

        LONDON (Reuters) - The port authority signed the harbour deal on Friday,
        its chairman Ian Moss said in a statement.

        Advertisement

        “This secures jobs for a decade,” Moss said.

        Read more

        Dock workers unload containers at the harbour in Felixstowe, Britain. (Photo: Getty Images)

        Sign up for our morning briefing

        View this video on YouTube

        Share this article

        Reporting by Kate Holden and Sam Okafor; Editing by Lena Ward
    """)
    assert (parsed.kicker, parsed.headline) == ("Exclusive", "Harbour deal signed")
    assert (parsed.source_credit, parsed.dateline) == ("Reuters", "London")
    assert parsed.dropped == [
        "Advertisement",
        "Read more",
        "Sign up for our morning briefing",
        "Share this article",
    ]
    assert [b.type for b in parsed.blocks] == ["paragraph", "paragraph", "paragraph", "embed"]
    assert parsed.blocks[0].text.startswith("LONDON (Reuters) - ")  # the words are never rewritten
    assert parsed.blocks[2].needs_review and "caption" in parsed.blocks[2].review_note
    assert parsed.blocks[3].embed_provider == "YouTube"
    assert [(c.name, c.role) for c in parsed.credits] == [
        ("Kate Holden", "author"),
        ("Sam Okafor", "author"),
        ("Lena Ward", "editor"),
    ]
    assert said(parsed) == [("This secures jobs for a decade,", "Ian Moss", "said")]
    assert parsed.quotes[0].occasion == "statement"


def test_a_colon_hands_the_quote_to_the_sentences_subject_without_inventing_a_verb():
    parsed = story("""
        Coach looks ahead

        Coach Dan Whitaker was blunt after the defeat: “We were not good enough.”
    """)
    assert said(parsed) == [("We were not good enough.", "Dan Whitaker", "")]
    assert parsed.quotes[0].confidence < 0.9


def test_a_quote_with_nobody_near_it_has_no_speaker_rather_than_a_guess():
    parsed = story("""
        Signs appear overnight

        Posters reading “Stay home” appeared across the city on Sunday.
    """)
    assert parsed.quotes[0].speaker is None
    assert parsed.quotes[0].needs_review


# --- Pieces ---------------------------------------------------------------------------------------


def test_scan_quotes_recovers_a_misturned_closing_mark_and_a_missing_opening_mark():
    text = "“We will win “ he said. “Of course.” They will not. They cannot stop us,” she said."
    spans, stray = scan_quotes(text)
    assert [text[s.start : s.end] for s in spans] == [
        "We will win",
        "Of course.",
        "They will not. They cannot stop us,",
    ]
    assert [s.opened for s in spans] == [True, True, False]
    assert stray == []


def test_scan_quotes_leaves_a_lone_stray_mark_alone():
    spans, stray = scan_quotes("“Done.” Federation,” he said.")
    assert len(spans) == 1 and len(stray) == 1


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("open road", PARTIAL),
        ("organize their society to form the idea that they are such a powerful force.", PARTIAL),
        ("shows the attitude. They don’t care.", FULL),
        ("It’s strategic for us,", FULL),
        ("No,", FULL),
        ("Iron Dome", PARTIAL),
        ("Slava Ukraini (Victory to Ukraine)", FULL),
    ],
)
def test_quote_kind_tells_full_sentences_from_fragments(words, kind):
    assert quote_kind(words) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Rate this post",
        "Leave a Comment",
        "Advertisement",
        "Read more",
        "Sign up for CNN’s newsletter",
        "★★★★☆",
    ],
)
def test_known_page_chrome_is_recognised(line):
    assert is_chrome(line)


def test_a_paragraph_that_merely_starts_like_chrome_is_kept():
    line = "Sign up for the draft was slow, officials said, " + "and the queues grew longer every day. " * 4
    assert not is_chrome(line)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Headline\n\n\x93Quoted\x94 text", "not utf-8 text"),
        ("Headline\n\nIt was â€œgreatâ€\x9d".encode(), "wrong encoding"),
        (b"Headline\n\nbad \xef\xbf\xbd char", "replacement characters"),
        (b"x" * 1_000_001, "at most"),
    ],
)
def test_unreadable_input_is_refused_with_a_reason(data, message):
    with pytest.raises(UnreadableInput, match=message):
        parse(decode(data))


def test_utf16_with_a_byte_order_mark_and_a_named_encoding_are_read():
    assert parse(decode("Headline\n\nBody text.".encode("utf-16"))).headline == "Headline"
    parsed = parse(decode(b"Headline\n\n\x93Quoted words here,\x94 he said.", "cp1252"))
    assert parsed.quotes[0].text == "Quoted words here,"


def test_a_headline_alone_is_not_a_story():
    with pytest.raises(UnreadableInput, match="no paragraphs"):
        parse("Just a headline\n\nRate this post\n")


# --- Odd input ------------------------------------------------------------------------------------

PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "„",
    "«",
    "»",
    " ",
    " ",
    "\n",
    "\n\n",
    ".",
    ",",
    "—",
    "(",
    ")",
    ":",
    "he said",
    "she added",
    "said",
    "told CNN",
    "according to",
    "Zelensky",
    "Mr.",
    "President",
    "Ana Ruiz",
    "a senior official",
    "the official",
    "We will win",
    "they",
    "Read more",
    "that",
    "View this interactive content on CNN.com",
    "contributed reporting.",
    "Exclusive:",
    "(AP)",
]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=80), st.text(max_size=40))
@example(pieces=[], noise="“\n\n0\r0")  # a carriage return inside a hard-wrapped paragraph
def test_any_text_either_parses_into_consistent_pieces_or_is_refused_with_a_reason(pieces, noise):
    text = "".join(pieces) + noise
    try:
        parsed = parse(text)
    except UnreadableInput as exc:
        assert str(exc)
        return
    # Hard-wrapped lines are joined with one space, so compare with white space folded the same way.
    folded = " ".join(text.split())
    for block in parsed.blocks:
        assert block.text and " ".join(block.text.split()) in folded
    for quote in parsed.quotes:
        assert quote.text and quote.text in parsed.blocks[quote.block].text
        assert 0 <= quote.confidence <= 1 and quote.kind in (FULL, PARTIAL)
        assert quote.speaker is None or quote.speaker in parsed.speakers


def test_a_single_quoted_story_ending_on_a_plural_apostrophe_is_read():
    parsed = parse("Wives speak\n\n‘Our wives’ letters’ wives’ ‘the soldiers’ wives’ ‘x\n")
    assert parsed.paragraphs
