"""Spot typed text that looks like personal data, so a front end can warn without keeping it."""

from __future__ import annotations

import re

PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "nir": re.compile(
        # French NIR (sex, year, month, department, commune, order, optional key), spaces allowed,
        # and the Belgian national register number (yy.mm.dd-nnn.cc).
        r"\b[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?(?:\d{2}|2[AaBb])"
        r"[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?\b"
        r"|\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b"
    ),
    "phone": re.compile(
        # International (+33 6…, 0032 4…) or national (06 12 34 56 78, 0470 12 34 56).
        r"(?:\+|\b00)\d{2,3}[\s.-]?(?:\(0\))?\d(?:[\s.-]?\d){7,10}\b"
        r"|\b0\d(?:[\s.-]?\d{2}){4}\b|\b0\d{3}(?:[\s.-]?\d{2}){3}\b"
    ),
    "birthdate": re.compile(
        r"\bn[ée]e?s?\s+(?:le|en)\b"
        r"|\b(?:date\s+de\s+naissance|ddn)\b"
        r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b",
        re.IGNORECASE,
    ),
    "address": re.compile(
        # A number then a street word, a street word then a capitalised name, or a postcode
        # then a capitalised town.
        r"(?i:\b\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e"
        r"|impasse|place|route|quai|cours|square|chauss[ée]e|r[ée]sidence|lotissement)\b)"
        r"|\b(?i:rue|avenue|boulevard|chauss[ée]e|impasse|all[ée]e)\s+"
        r"(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')?[A-ZÀ-Ý]"
        r"|\b\d{4,5}\s+[A-ZÀ-Ý][a-zà-ÿ]+"
    ),
    "name": re.compile(
        r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle)\s+[A-ZÀ-Ý][\w'-]+"
    ),
}
"""What each kind of personal data looks like; kinds are keys of `texts.PERSONAL_DATA_KINDS`."""


def personal_data_kinds(text: str) -> tuple[str, ...]:
    """The kinds of personal data the text seems to contain, in a fixed order (may be empty)."""
    found: list[str] = []
    remaining = text
    for kind, pattern in PATTERNS.items():
        if pattern.search(remaining):
            found.append(kind)
            remaining = pattern.sub(" ", remaining)  # a NIR is not also a phone number
    return tuple(found)
