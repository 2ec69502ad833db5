"""Turning what a reader typed into the words worth searching for.

Readers ask questions (“why do my legs cramp at night”) or paste a whole worried message. Every
word of it in an AND would match nothing, so the search ORs the words that carry meaning and lets
the ranking (BM25) reward articles that share more of them, and the rarer ones. Question words,
filler and greetings are dropped because they are in nearly every question and only add noise.
The benchmark (bench/bench_search.py) measures each of these steps; docs/search.md has the figures.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 300  # what the page accepts; the rest is cut off and the reader is told
MAX_TERMS = 40  # a pasted message is long; past this many words the ranking does not improve

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Function words, question words and the filler of a message to a health service. Kept short on
# purpose: a word that can carry a health meaning ("pain", "help" in "help breathing") stays.
_STOPWORD_TEXT = """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having he
    he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
    in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on
    once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's will with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves
    also just really please thank thanks hello hi dear sir madam regards kindly anyone
    would like know want wondering wonder question questions ask asking tell get got
    s t
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass
class PreparedQuery:
    text: str  # the query as shown back to the reader (cleaned, capped)
    terms: list = field(default_factory=list)  # the words searched for, in order, no repeats
    truncated: bool = False  # the reader's text was longer than MAX_QUERY_CHARS
    words: list = field(default_factory=list)  # every word, in order, for phrase synonyms

    @property
    def searchable(self):
        return bool(self.terms)


def clean_text(raw):
    """The query as safe, displayable text: NFKC, no control characters, spaces collapsed, capped.

    NUL bytes and other control characters are dropped (PostgreSQL refuses NUL in text), and
    compatibility forms (full-width letters, ligatures) become plain letters.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = (
            text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
            if " " in text[:MAX_QUERY_CHARS]
            else text[:MAX_QUERY_CHARS]
        )
    return text, truncated


def words(text):
    """Lower-case words: letters and digits, apostrophes inside a word kept (“don't”)."""
    return [w.replace("’", "'") for w in WORD.findall(text.casefold())]


def prepare_query(raw, *, drop_stopwords=True):
    """The reader's text cleaned, and the words to search for (see the module docstring)."""
    text, truncated = clean_text(raw)
    all_words = words(text)
    all_terms = _unique(_parts(all_words))
    kept = [w for w in all_words if w not in STOPWORDS] if drop_stopwords else all_words
    terms = [t for t in _unique(_parts(kept)) if not (drop_stopwords and t in STOPWORDS)]
    # "What is it?": when every word is a stopword, searching them is better than nothing.
    return PreparedQuery(
        text=text,
        terms=(terms or all_terms)[:MAX_TERMS],
        truncated=truncated,
        words=_parts(all_words),
    )


def _parts(word_list):
    # An apostrophe is a token break in the index, so "children's" is searched as "children".
    return [part for word in word_list for part in word.split("'") if part]


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
