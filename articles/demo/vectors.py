"""The body and quotes parts of demo stories' search vectors, put together in Python from pieces that
PostgreSQL has parsed once.

Demo text is made of a few hundred thousand distinct pieces (sentences, topic openers, quotes), each used
thousands of times over a large archive, and parsing text into lexemes (`to_tsvector`) is most of the cost of
loading it. `to_tsvector(a || ' ' || b)` is `to_tsvector(a)` followed by `to_tsvector(b)` with b's positions
moved up by the words counted in a (stop words count; punctuation does not), so PostgreSQL parses each piece
once, with a marker word after it to measure that count, and a story's part is its pieces' lexemes at their
offsets. The headline and standfirst, different for every story, are still parsed by PostgreSQL, and the
parts are joined there exactly as `articles_article_search_document` (migration 0007) joins them; the
generator's tests check the result against that function.
"""

import array

from ..models import Article

# Stemmed to itself by the English configuration and found in no demo text.
MARKER = "qqqdemomarkerqqq"


class SearchParts:
    def __init__(self):
        self.pieces = {}  # text -> (words counted, lexemes, positions)
        self.lexemes = {}  # one string per lexeme, shared by every piece

    def learn(self, connection, texts):
        """Parse the pieces of `texts` not seen yet, in one statement."""
        missing = list({text for text in texts if text not in self.pieces})
        if not missing:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT piece.n, entry.lexeme, entry.positions "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS piece(text, n), "
                "unnest(to_tsvector(%s::regconfig, piece.text || ' ' || %s)) AS entry",
                [missing, Article.SEARCH_CONFIG, MARKER],
            )
            found = {}
            for n, lexeme, positions in cursor.fetchall():
                found.setdefault(n, []).append((lexeme, positions))
        lexemes = self.lexemes
        for n, text in enumerate(missing, start=1):
            words, entries, places = 0, [], array.array("H")
            for lexeme, positions in found[n]:
                if lexeme == MARKER:
                    words = positions[0] - 1
                    continue
                lexeme = lexemes.setdefault(lexeme, lexeme)
                for position in positions:
                    entries.append(lexeme)
                    places.append(position)
            self.pieces[text] = (words, tuple(entries), places)

    def vector(self, pieces):
        """`to_tsvector` of the pieces joined by spaces, as tsvector text (pieces learnt beforehand)."""
        found = {}
        offset = 0
        known = self.pieces
        for piece in pieces:
            words, entries, places = known[piece]
            for lexeme, position in zip(entries, places, strict=True):
                if lexeme in found:
                    found[lexeme].append(position + offset)
                else:
                    found[lexeme] = [position + offset]
            offset += words
        return " ".join(
            f"'{quoted(lexeme)}':{','.join(map(str, positions))}" for lexeme, positions in found.items()
        )


def quoted(lexeme):
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return lexeme
