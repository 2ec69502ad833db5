"""Does a question describe an emergency? Whole-word matches against the editable red-flag list."""

import re
import unicodedata

from .models import RedFlagTerm


def _normal(text):
    text = unicodedata.normalize("NFKC", text or "").lower()
    return text.replace("\u2019", "'").replace("\u2018", "'")


def red_flags_in(*texts):
    """The red-flag terms found in the texts, in list order. Words are matched whole, so
    "stroke" does not match "heatstroke" but "can't breathe" matches "I can’t breathe"."""
    haystack = _normal(" ".join(texts))
    found = []
    for term in RedFlagTerm.objects.values_list("term", flat=True):
        words = _normal(term).split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
        if re.search(pattern, haystack):
            found.append(term)
    return found
