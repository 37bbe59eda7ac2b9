"""Folding of Arabic/Kurdish place-name transliterations to comparable keys.

The same place is written "Jurf al-Sakhar", "Jurf as Sakhr" and "Jurf Al Sakhar";
"Makhmour", "Makhmur" and "Mexmur"; "Tarmiya" and "At Tarmiyah". A key drops what
varies between romanisations and keeps what tells places apart:

- case, accents and apostrophes/ayn signs ("Sha`fah" = "Shafah");
- the Arabic article in all its assimilated forms (al-, el-, as-, ash-, at-, ad-, ...);
- letter pairs that render one Arabic/Kurdish sound (kh/x, q/k, gh/g, dh/th/z);
- vowel quality (e/i, o/u, ou/oo/u), doubled letters, a final -h after a vowel and
  the glide in -iya(h).

`skeleton` works on one already-tokenised word, `name_key` on a whole name.
Both are pure and cheap; callers cache per token.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii


def wordset(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word lists readable)."""
    return frozenset(text.split())


# The Arabic definite article as romanised, including sun-letter assimilation
# ("at-Tarmiyah", "as-Sakhr", "ash-Shafah", "ad-Din", "ez-Zor").
ARTICLES = wordset("al el il ul an ar as ash at ath ad adh az ez es esh et ed er en aal")

# Characters that only mark an ayn/hamza or a possessive/elision: removed, not split on.
_MARKS = str.maketrans("", "", "'’‘`´ʿʾʼʻ")
_WORD = re.compile(r"[a-z]+")

# Ordered digraph and vowel rewrites; order matters (kh before h rules, ou before o).
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"x", "kh"),  # Kurdish Latin x = kh (Mexmur = Makhmur)
        (r"kh", "k"),
        (r"gh", "g"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"c", "k"),
        (r"(?:dh|th|zh)", "z"),  # dhal/tha/zah are written dh, th or z
        (r"ph", "f"),
        (r"(?:ou|oo|o|w(?=[^aeiouy]|$))", "u"),
        (r"(?:ee|ei|e)", "i"),
        (r"iy(?=[aiu])", "i"),  # -iya/-iyah = -ia
        (r"(?<=[aiu])h$", ""),  # final -ah/-ih: Tarmiyah = Tarmiya
        (r"(.)\1+", r"\1"),  # doubled letters
    )
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form: accents and non-Latin letters transliterated, marks dropped."""
    if text.isascii():
        return text.translate(_MARKS).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return anyascii(stripped.translate(_MARKS)).translate(_MARKS).lower()


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Transliteration-insensitive key of one word ("Makhmour" -> "makmur")."""
    s = ascii_fold(word)
    s = "".join(_WORD.findall(s))
    if len(s) <= 2:
        return s
    for pattern, repl in _REWRITES:
        s = pattern.sub(repl, s)
    return s


def words(name: str) -> list[str]:
    """The words of a name, split on anything that is not a letter (after folding)."""
    return _WORD.findall(ascii_fold(name))


def name_key(name: str) -> str:
    """Key of a whole name: skeletons of its words, articles dropped unless alone."""
    toks = words(name)
    kept = [t for t in toks if t not in ARTICLES] or toks
    # An article glued to the word ("Alhasakah", "Assulaymaniyah") is left as is: such
    # spellings are rare in English news and stripping "al" would break "Alqosh".
    return " ".join(skeleton(t) for t in kept)
