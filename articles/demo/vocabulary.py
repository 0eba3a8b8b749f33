"""Words for demo stories, drawn so that their frequencies look like a real news archive's.

Word frequencies in text follow Zipf's law: the r-th most common word turns up about 1/r as often as the
first. Demo sentences are drawn word by word from a ranked vocabulary with those weights: frequent English
and news words first, then the interview's own words, then a long tail of made-up words. So the most
common words are in nearly every story, as "said" is in a real archive, and tail words in a handful —
which is what search has to cope with at scale.
"""

import itertools
import random
import re

from ..services.seeding import INTERVIEW

SYLLABLES = "ka lo vi ren tor mi sha dan bel gor ul es ri nov ak zan ter pol mar sin bur the ost ila".split()  # noqa: SIM905

# Frequent words of English news writing, roughly most common first: function words, then the words
# reporting leans on. The ranking only needs to be plausible; Zipf's weights do the rest.
COMMON = """
the of to and a in that is for on said was with he it as at by from his be have has are an not this they
but who had their were its will which after been would more one about two new also year people
government when there up out than over said she we can all first last president could police minister
told her into other years state been time some percent week our what officials country against them
while city before former three since during where many officials under back just so most world national
security forces military war public support group told million health law report company court told
economic party local leaders united states including billion officials month days according statement
later because made take called news told family children women school according part each both such made
say help plan work around should through high still people near region area office power market prices
energy workers early whether north south east west border attack troops army defence officials election
vote foreign policy talks deal agreement meeting spokesman spokeswoman ministry council committee agency
service million police court judge case investigation charges trial prison residents hospital water food
fuel costs rates bank budget tax
""".split()  # noqa: SIM905


def made_up_words(size, seed):
    """Made-up words of two to four syllables, in a fixed order for a given seed."""
    rnd = random.Random(seed)
    words = {}
    while len(words) < size:
        words["".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))] = None
    return list(words)


def topic_names(size=20_000):
    """Made-up names of people, places and things. Stories draw their topics from it with Zipf's law, so
    a name is in a few hundred stories, as in a real archive, while the rarest are in one or two."""
    return [word.capitalize() for word in made_up_words(size, seed=0)]


def interview_text():
    return INTERVIEW.with_name("interview.txt").read_text(encoding="utf-8")


def corpus():
    """Sentences and quotes of the interview, without the page furniture."""
    text = interview_text()
    sentences = [s.strip() for s in re.split(r"(?<=[.!?”])\s+", text) if 40 <= len(s.strip()) <= 400]
    quotes = [m.group(1) for m in re.finditer(r"“([^”]{20,300})”", text)]
    return sentences, quotes


def ranked_vocabulary(tail=50_000, exclude=()):
    """Common words, then the interview's words by frequency, then a tail of made-up words."""
    seen, ranked = set(), []
    interview_words = re.findall(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]", interview_text())
    by_count = sorted(
        {word.lower(): interview_words.count(word) for word in interview_words}.items(),
        key=lambda item: -item[1],
    )
    excluded = {word.lower() for word in exclude}
    for word in itertools.chain(COMMON, (word for word, _ in by_count), made_up_words(tail, seed=1)):
        if word not in seen and word not in excluded:
            seen.add(word)
            ranked.append(word)
    return ranked


class SentenceMaker:
    """Sentences of Zipf-distributed words; a pool of them is drawn once and stories pick from it."""

    def __init__(self, rnd, exclude=(), pool_size=300_000):
        self.words = ranked_vocabulary(exclude=exclude)
        # An exponent a little over 1, as measured for English text.
        self.weights = list(itertools.accumulate(rank**-1.1 for rank in range(1, len(self.words) + 1)))
        self.rnd = rnd
        self.pool = [self.sentence() for _ in range(pool_size)]

    def sentence(self):
        words = self.rnd.choices(self.words, cum_weights=self.weights, k=self.rnd.randint(6, 24))
        if len(words) > 10:
            words[self.rnd.randint(3, len(words) - 4)] += ","
        return f"{words[0].capitalize()} {' '.join(words[1:])}."
