"""How well the story importer reads the interview, against its hand-reviewed seed file.

    .venv/bin/python bench/import_accuracy.py [RAW.txt REVIEWED.json]

Prints precision and recall of quote finding and of attribution, what was missed, and how long
parsing takes on the interview and on large hostile inputs (to show the time grows linearly).
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.import_scoring import score  # noqa: E402
from articles.importing import parse  # noqa: E402


def timed(text, rounds=5):
    best = None
    for _ in range(rounds):
        started = time.perf_counter()
        parse(text)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def main(argv):
    seed = ROOT / "articles" / "seed"
    raw_path = Path(argv[0]) if argv else seed / "interview.txt"
    truth_path = Path(argv[1]) if len(argv) > 1 else seed / "interview.json"
    raw = raw_path.read_text(encoding="utf-8")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    for line in score(parse(raw), truth).lines():
        print(line)

    print(f"\nparse time, interview ({len(raw):,} chars): {timed(raw) * 1000:.1f} ms")
    hostile = {
        "quote marks": "Headline\n\n" + "“" * 200_000,
        "one long paragraph": "Headline\n\n" + "He said, “we will win” and " * 10_000,
        "names and commas": "Headline\n\n" + "Ann Lee, Bob Ray, " * 20_000 + "said.",
    }
    for label, text in hostile.items():
        print(f"parse time, {label} ({len(text):,} chars): {timed(text, rounds=1) * 1000:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
