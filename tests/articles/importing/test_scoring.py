"""The reader on real news it was not written against: the hand-annotated corpus in bench/corpus."""

import pytest

from articles.importing import REVIEW_BELOW, parse
from articles.importing.scoring import CORPUS_DIR, load_corpus, same_speaker, score_corpus
from newsroom.settings import BASE_DIR

CORPUS = BASE_DIR / CORPUS_DIR


@pytest.fixture(scope="module")
def dev():
    return score_corpus(load_corpus(CORPUS, "dev"), parse)


@pytest.fixture(scope="module")
def heldout():
    return score_corpus(load_corpus(CORPUS, "heldout"), parse)


def test_the_corpus_is_real_news_with_a_held_out_part_of_over_100_quotes():
    stories = load_corpus(CORPUS)
    assert len(stories) >= 25
    assert sum(len(s[2]["quotes"]) for s in stories) >= 250
    heldout = [s for s in stories if s[2]["split"] == "heldout"]
    assert sum(len(s[2]["quotes"]) for s in heldout) >= 100
    for name, text, annotation in stories:
        assert annotation["split"] in ("dev", "heldout"), name
        assert annotation["licence"].startswith(("CC BY", "Public domain")), name
        assert annotation["source"].startswith("http"), name
        for quote in annotation["quotes"]:
            assert quote["text"] in text, (name, quote["text"])
            assert quote["kind"] in ("full", "partial") and quote["speaker_kind"] in (
                "person",
                "organisation",
                "anonymous",
            )


def test_annotated_quotes_are_found(dev, heldout):
    # One development quote is in single quotation marks inside the writer's sentence ('heightened
    # alert'), which the reader leaves as the writer's words.
    assert dev.finding_recall >= 0.99, dev.lines()
    assert heldout.finding_recall == 1.0, heldout.lines()


def test_attribution_holds_its_measured_level(dev, heldout):
    # Measured when the rules were last changed: 256 of the 268 development quotes (95.5%) and 75 of the
    # 102 held-out quotes (73.5%) found and given to the right speaker. The goal is 90% held out; these
    # keep the figures from slipping while it is not reached.
    assert dev.attribution_accuracy >= 0.95, dev.lines()
    assert heldout.attribution_accuracy >= 0.73, heldout.lines()


def test_unflagged_attributions_are_right_at_least_95_percent_of_the_time_on_the_development_part(dev):
    # Held out, 49 of the 60 unflagged attributions were right (81.7%) and no threshold reaches 95%:
    # the wrong ones are mostly given with the reader's highest confidence (see BENCHMARKS.md).
    right, total = dev.unflagged(REVIEW_BELOW)
    assert total and right / total >= 0.95, (right, total)


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
