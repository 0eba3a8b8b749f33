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

from articles.importing import parse  # noqa: E402
from articles.importing.scoring import score  # noqa: E402


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
    # Each hostile input at two sizes: the time should roughly double with the size, never square.
    hostile = {
        "quote marks": lambda n: "“" * (20 * n),
        "one long paragraph": lambda n: "He said, “we will win” and " * n,
        "names and commas": lambda n: "Ann Lee, Bob Ray, " * n + "said.",
        "unnamed sources": lambda n: "“Yes,” a source said. “No,” another official said. " * (n // 2),
        "apostrophes": lambda n: "‘the soldiers’ wives’ " * n,
        "many paragraphs": lambda n: "“We,” he said.\n\n" * (n // 2),
    }
    for label, make in hostile.items():
        small, large = "Headline\n\n" + make(5_000), "Headline\n\n" + make(10_000)
        t_small, t_large = timed(small, rounds=1), timed(large, rounds=1)
        print(
            f"parse time, {label}: {len(small):,} chars {t_small * 1000:.0f} ms, "
            f"{len(large):,} chars {t_large * 1000:.0f} ms (x{t_large / t_small:.1f})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
