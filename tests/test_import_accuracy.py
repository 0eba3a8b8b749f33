"""The reader on real news it was not written against: the hand-annotated corpus in bench/corpus."""

import pytest

from articles.importing import REVIEW_BELOW, parse
from articles.importing.scoring import CORPUS_DIR, load_corpus, same_speaker, score_corpus
from newsroom.settings import BASE_DIR

CORPUS = BASE_DIR / CORPUS_DIR


@pytest.fixture(scope="module")
def parts():
    return {split: score_corpus(load_corpus(CORPUS, split), parse) for split in ("dev", "heldout")}


def test_the_corpus_is_real_news_with_a_third_held_out():
    stories = load_corpus(CORPUS)
    assert len(stories) >= 25
    heldout = [s for s in stories if s[2]["split"] == "heldout"]
    assert len(heldout) * 3 >= len(stories) - 2
    for name, text, annotation in stories:
        assert annotation["licence"].startswith(("CC BY", "Public domain")), name
        assert annotation["source"].startswith("http"), name
        for quote in annotation["quotes"]:
            assert quote["text"] in text, (name, quote["text"])
            assert quote["kind"] in ("full", "partial") and quote["speaker_kind"] in (
                "person",
                "organisation",
                "anonymous",
            )


def test_every_annotated_quote_is_found(parts):
    for scores in parts.values():
        assert scores.finding_recall == 1.0, scores.lines()


def test_held_out_attribution_holds_its_measured_level(parts):
    # Measured when the rules were last changed: 37 of 46 held-out quotes found and given to the right
    # speaker (80.4%). The goal is 90%; this keeps the figure from slipping while it is not reached.
    scores = parts["heldout"]
    assert scores.attribution_accuracy >= 0.80, scores.lines()
    assert parts["dev"].attribution_accuracy >= 0.95, parts["dev"].lines()


def test_unflagged_attributions_are_right_at_least_95_percent_of_the_time(parts):
    for split, scores in parts.items():
        right, total = scores.unflagged(REVIEW_BELOW)
        assert total and right / total >= 0.95, (split, right, total)


@pytest.mark.parametrize(
    ("got", "want", "aliases", "same"),
    [
        ("Jane Roe", "Jane Roe", (), True),
        ("Roe", "Jane Roe", (), True),
        ("The Example Times", "Example Times", (), True),
        ("a city official", "A city official", (), True),
        ("Organizer Jane Roe", "Jane Roe", (), False),
        ("John Roe", "Jane Roe", (), False),
        ("city", "Example City Council", ("city",), True),
        (None, None, (), True),
        (None, "Jane Roe", (), False),
    ],
)
def test_a_speaker_matches_the_annotation_by_name_surname_or_alias(got, want, aliases, same):
    assert same_speaker(got, want, aliases) is same
