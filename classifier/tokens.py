"""The word forms the model reads: a regular-expression tokenizer and a light French stemmer, in pure Python (no
language model to load when tagging; spaCy's French tokenizer took seconds to compile its patterns at every start)."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["TOKENIZER", "light_stem", "word_forms", "word_forms_of"]

#: The word features' tokenizer: models saved with another one must be retrained (ClauseFeatures.transform says so).
TOKENIZER = "light-stem/1"
_TOKEN = re.compile(
    r"(?P<url>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)"
    r"|(?P<num>\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?)"
    r"|(?P<elided>\b(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu|quoiqu)[’'`´](?=\w))"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<pct>%)"
)
_ELIDED = {"l": "le", "d": "de", "qu": "que", "n": "ne", "s": "se", "c": "ce", "j": "je", "m": "me", "t": "te",
           "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique"}


def light_stem(word: str) -> str:
    """A light French stemmer (plural and feminine endings only, after J. Savoy's light stemmers): "sociaux" and
    "sociales" -> "social", "environnementaux" -> "environnemental", "déchets" -> "déchet". Lower-case input."""
    if len(word) > 5 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def word_forms_of(text: str) -> str:
    """One text as a space-joined string of light-stemmed lower-case words (numbers as <num>, addresses as <url>,
    elided articles and pronouns restored: "l'emploi" -> "le emploi"). Pure Python and regular expressions: no
    language model to load, so that `tenderwatch tag` starts in a fraction of a second."""
    out = []
    for m in _TOKEN.finditer(text.lower()):
        kind = m.lastgroup
        if kind == "word":
            out.append(light_stem(m.group()))
        elif kind == "elided":
            out.append(_ELIDED.get(m.group()[:-1], m.group()[:-1]))
        elif kind == "num":
            out.append("<num>")
        elif kind == "url":
            out.append("<url>")
        else:
            out.append("%")
    return " ".join(out)


_FORMS_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 50_000


def word_forms(texts: Sequence[str]) -> list[str]:
    """`word_forms_of` of each text, cached (clauses repeat across notices)."""
    if len(_FORMS_CACHE) + len(texts) > _CACHE_LIMIT:
        _FORMS_CACHE.clear()
    out = []
    for t in texts:
        forms = _FORMS_CACHE.get(t)
        if forms is None:
            forms = _FORMS_CACHE[t] = word_forms_of(t)
        out.append(forms)
    return out
