"""Expanding a query with the synonym groups editors keep in the admin."""

from .models import Synonym


def synonym_groups():
    """Every group as a list of terms, each term a tuple of words. One small query."""
    groups = []
    for synonym in Synonym.objects.only("terms"):
        terms = [tuple(term.split()) for term in synonym.term_list()]
        if len(terms) > 1:
            groups.append(terms)
    return groups


def singular(word):
    # "cramps" and "spasms" should find their group; the index stems properly afterwards.
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def contains(words, phrase):
    words = [singular(w) for w in words]
    phrase = tuple(singular(w) for w in phrase)
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def expand(words, terms, groups=None):
    """`terms` plus the words of every synonym of a term found in `words` (the query, in order).

    A phrase such as "charley horse" matches only when its words are next to each other.
    """
    groups = synonym_groups() if groups is None else groups
    expanded = list(terms)
    for group in groups:
        if any(contains(words, phrase) for phrase in group):
            for phrase in group:
                expanded.extend(word for word in phrase if word not in expanded)
    return expanded
