"""Text normalisation shared by indexing and answering: scripts, languages and forms for matching."""

from __future__ import annotations

import re
import unicodedata

_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian-Urdu (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
# Arabic and Persian forms of yeh and kaf, and other presentation variants, to one form for matching.
_ARABIC_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u06c1"})


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian/Urdu digits written as ASCII digits."""
    return text.translate(_DIGITS)


def normalize_for_matching(text: str) -> str:
    """A form of ``text`` for comparing words and figures: NFKC, ASCII digits, one form of Arabic-script letters."""
    return unicodedata.normalize("NFKC", text).translate(_DIGITS).translate(_ARABIC_FORMS)


def arabic_script_share(text: str) -> float:
    """The share of the letters of ``text`` that are in Arabic script (Urdu, Pashto, Dari, Arabic)."""
    letters = _LETTER_RE.findall(text[:5000])
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _ARABIC_SCRIPT_RE.match(ch)) / len(letters)


def is_arabic_script(text: str) -> bool:
    """True when most of the letters of ``text`` are in Arabic script."""
    return arabic_script_share(text) > 0.3
