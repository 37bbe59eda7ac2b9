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


def wordset(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word lists readable)."""
    return frozenset(text.split())


# The Arabic definite article as romanised, including sun-letter assimilation
# ("at-Tarmiyah", "as-Sakhr", "ash-Shafah", "ad-Din", "ez-Zor").
ARTICLES = wordset("al el il ul an ar as ash at ath ad adh az ez es esh et ed er en aal")

# Characters that only mark an ayn/hamza or a possessive/elision: removed, not split on.
_MARK_CHARS = "'’‘`´ʿʾʼʻ"
_MARKS = str.maketrans("", "", _MARK_CHARS)
# Latin letters that Unicode does not decompose into a base letter plus accents.
_UNDECOMPOSED = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "ŋ": "n",
        "ə": "e",
        "Ə": "E",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        **dict.fromkeys(_MARK_CHARS),
    }
)
_WORD = re.compile(r"[a-z0-9]+")

# Vowel quality: e = i, o = u. (Consonants: Kurdish x = kh = k as in Mexmur =
# Makhmur, q = k, c = k, applied before the digraphs.)
_LETTERS = str.maketrans("eo", "iu")
# Digraphs: kh/gh/ph as their base letter; dhal/tha/zah, written dh, th or z, as z.
_DIGRAPH = re.compile(r"kh|gh|ph|dh|th|zh")
_DIGRAPHS = {"kh": "k", "gh": "g", "ph": "f", "dh": "z", "th": "z", "zh": "z"}
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"w(?=[^aiuy]|$)", "u"),  # Hawler ~ Haulir
        (r"iy(?=[aiu])", "i"),  # -iya/-iyah = -ia
        (r"(?<=[aiu])h$", ""),  # final -ah/-ih: Tarmiyah = Tarmiya
        (r"(.)\1+", r"\1"),  # doubled letters, and ou/oo/ee/ei collapsed above
    )
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of Latin text: accents and ayn/hamza marks dropped.

    Letters of other scripts are dropped too: names are matched in their Latin forms.
    """
    if text.isascii():
        return text.translate(_MARKS).lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


@lru_cache(maxsize=131072)
def skeleton(word: str) -> str:
    """Transliteration-insensitive key of one word ("Makhmour" -> "makmur")."""
    s = "".join(_WORD.findall(ascii_fold(word)))
    if len(s) <= 2:
        return s
    s = s.replace("x", "kh").replace("c", "k").replace("q", "k")
    s = _DIGRAPH.sub(lambda m: _DIGRAPHS[m.group()], s)
    s = s.translate(_LETTERS)
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
