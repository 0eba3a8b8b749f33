"""How well the story reader reads real news it was not written against, and the interview.

    .venv/bin/python bench/import_accuracy.py [--examples N] [--split dev|heldout]

For each part of the hand-annotated corpus in bench/corpus/ (the development part, whose errors the
rules were written against, and the held-out part, which they were not) and for the interview, prints
quote-finding precision and recall, the share of quotes found AND attributed to the right speaker, the
errors grouped by the kind of sentence they happen in, and how sure the unflagged attributions are at
the confidence threshold below which the reader flags a quote. Then the time to read a 6 KB story, and
large hostile inputs (the time should grow linearly).
"""

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.importing import REVIEW_BELOW, UnreadableInput, parse  # noqa: E402
from articles.importing.scoring import load_corpus, score, score_corpus  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"


def timed(text, rounds=5):
    best = None
    for _ in range(rounds):
        started = time.perf_counter()
        # Past the story limits (articles/content/limits.py) the time to read it and refuse it counts.
        with contextlib.suppress(UnreadableInput):
            parse(text)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def threshold_table(scores):
    lines = []
    for threshold in (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        right, total = scores.unflagged(threshold)
        share = total / max(1, scores.matched)
        lines.append(
            f"  flag below {threshold:.2f}: unflagged {total} ({share:.0%} of found), "
            f"right {right}/{total} = {right / total if total else 1:.1%}"
        )
    return lines


def report_corpus(split, examples):
    stories = load_corpus(CORPUS, split)
    scores = score_corpus(stories, parse)
    print(f"\n== corpus, {split} part: {len(stories)} stories ==")
    for line in scores.lines(examples):
        print(line)
    right, total = scores.unflagged(REVIEW_BELOW)
    print(
        f"unflagged at the reader's threshold ({REVIEW_BELOW:.2f}): {right}/{total} right = "
        f"{right / total if total else 1:.1%}; "
        f"{scores.matched - total} of {scores.matched} found quotes flagged"
    )
    for line in threshold_table(scores):
        print(line)
    return stories


def report_interview():
    seed = ROOT / "articles" / "seed"
    raw = (seed / "interview.txt").read_text(encoding="utf-8")
    truth = json.loads((seed / "interview.json").read_text(encoding="utf-8"))
    print("\n== the interview ==")
    for line in score(parse(raw), truth).lines():
        print(line)
    return raw


def report_timing(stories, raw):
    # A 6 KB story: corpus paragraphs taken in order until the text reaches 6,000 characters.
    paragraphs = [p for _, text, _ in stories for p in text.split("\n\n")[1:]]
    six_kb, used = ["Headline"], 0
    for paragraph in paragraphs:
        if used >= 6_000:
            break
        six_kb.append(paragraph)
        used += len(paragraph) + 2
    six_kb = "\n\n".join(six_kb)
    per_story = [timed(text, rounds=3) * 1000 / max(1, len(text)) * 6_000 for _, text, _ in stories]
    best = timed(six_kb, rounds=30) * 1000
    print(f"\nparse time, a {len(six_kb):,}-character story from the corpus: {best:.1f} ms (best of 30)")
    print(
        f"parse time per 6 KB over the corpus stories: median {statistics.median(per_story):.1f} ms, "
        f"worst {max(per_story):.1f} ms"
    )
    print(f"parse time, interview ({len(raw):,} chars): {timed(raw) * 1000:.1f} ms")
    hostile = {
        "quote marks": lambda n: "“" * (20 * n),
        "one long paragraph": lambda n: "He said, “we will win” and " * n,
        "names and commas": lambda n: "Ann Lee, Bob Ray, " * n + "said.",
        "unnamed sources": lambda n: "“Yes,” a source said. “No,” another official said. " * (n // 2),
        "apostrophes": lambda n: "‘the soldiers’ wives’ " * n,
        "many paragraphs": lambda n: "“We,” he said.\n\n" * (n // 2),
    }
    for label, make in hostile.items():
        # Paragraphs of under 10,000 characters, so the story stays inside articles/content/limits.py.
        small, large = (_paragraphs(make(n)) for n in (5_000, 10_000))
        t_small, t_large = timed(small, rounds=1), timed(large, rounds=1)
        print(
            f"parse time, {label}: {len(small):,} chars {t_small * 1000:.0f} ms, "
            f"{len(large):,} chars {t_large * 1000:.0f} ms (x{t_large / t_small:.1f})"
        )


def _paragraphs(text, size=9_000):
    return "Headline\n\n" + "\n\n".join(text[i : i + size] for i in range(0, len(text), size))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "heldout"], help="Only this part of the corpus.")
    parser.add_argument("--examples", type=int, default=3, help="Examples shown for each error pattern.")
    parser.add_argument("--no-timing", action="store_true", help="Skip the timing runs.")
    options = parser.parse_args(argv)
    stories = []
    for split in [options.split] if options.split else ["dev", "heldout"]:
        stories += report_corpus(split, options.examples)
    raw = report_interview()
    if not options.no_timing:
        report_timing(stories, raw)


if __name__ == "__main__":
    main(sys.argv[1:])
