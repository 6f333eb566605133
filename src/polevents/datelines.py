"""Reading a news text's own furniture: publication lines and datelines.

"Published: June 6, 2012 (Issue # 1711)" says when the article appeared;
"BEIJING, China —" or "MOSCOW, June 5 (Reuters) -" says where it was filed
(and sometimes when). Both are found near the top of the text, before any
parsing, so they live here and both the document reader and the place
resolver use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

# "June 6, 2012", "6 June 2012", "2012-06-06", "June 6 2012"
_DATE_PATTERNS = [
    re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
]
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|posted|first published|date|updated|last updated)(?:\s+on)?\s*[:\-]?\s*(?P<rest>.{4,80})$",
    re.I | re.M,
)

_DASH = r"(?:—|–|--|-|:)"
_AGENCY = r"\((?P<agency>[A-Za-z][A-Za-z .&/-]{0,30})\)"
# A dateline: an upper-case place, optionally ", Region", optionally ", June 5",
# optionally "(Agency)", then a dash. An agency prefix ("Canadian Press - ") may precede it.
_DATELINE = re.compile(
    rf"""^\s*
    (?:(?P<prefix>[A-Z][A-Za-z.&' ]{{1,40}})\s+{_DASH}\s+)?
    (?P<place>[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+){{0,3}})
    (?:,\s(?P<region>[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){{0,2}}))?
    (?:,\s(?P<date>{_MONTH}\s\d{{1,2}}|\d{{1,2}}\s{_MONTH})(?:,?\s(?P<year>(?:19|20)\d\d))?)?
    \s*(?:{_AGENCY})?
    \s*{_DASH}\s+
    """,
    re.X,
)
# Mixed-case datelines are accepted only with an agency or a date ("Paris, June 5 (AFP) -").
_DATELINE_TITLE = re.compile(
    rf"""^\s*
    (?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}})
    (?:,\s(?P<region>[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){{0,2}}))?
    (?:,\s(?P<date>{_MONTH}\s\d{{1,2}}|\d{{1,2}}\s{_MONTH})(?:,?\s(?P<year>(?:19|20)\d\d))?)?
    \s*(?:{_AGENCY})
    \s*{_DASH}\s+
    """,
    re.X,
)
_NOT_PLACES = {"AP", "AFP", "UPDATE", "BREAKING", "EXCLUSIVE", "ANALYSIS", "OPINION", "UPDATED", "FILE", "PHOTO", "VIDEO"}


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str  # as written, title-cased: "Beijing"
    region: str | None  # "China", "Iraq", None
    month_day: tuple[int, int] | None  # (6, 5) for "June 5"
    agency: str | None
    start: int  # character offsets of the dateline in the text
    end: int
    year: int | None = None  # "MOSCOW, June 5, 2012 -"

    def day(self, published: date | None = None) -> date | None:
        """The filing day the dateline states, its year from the dateline or else the publication date.

        A wire story filed "MOSCOW, Dec. 31" and published on 2 January was filed the year before.
        """
        if self.month_day is None:
            return None
        month, day_of_month = self.month_day
        year = self.year or (published.year if published else None)
        if year is None:
            return None
        try:
            found = date(year, month, day_of_month)
        except ValueError:
            return None
        if self.year is None and published is not None and found > published:
            try:
                found = date(year - 1, month, day_of_month)
            except ValueError:
                return None
        return found


def parse_date_text(text: str) -> date | None:
    """The first full calendar date (day, month and year) written in `text`."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower().rstrip(".")]
            return date(int(parts["year"]), month, int(parts["day"]))
        except (KeyError, ValueError):
            continue
    return None


def published_from_text(text: str, head_chars: int = 2000) -> date | None:
    """The publication date an article states about itself near its top, if any."""
    head = text[:head_chars]
    for match in _PUBLISHED_LINE.finditer(head):
        found = parse_date_text(match.group("rest"))
        if found:
            return found
    return None


def _title_case(words: str) -> str:
    return " ".join(w if not w.isupper() else w.capitalize() for w in words.split())


def find_dateline(text: str, max_paragraphs: int = 6) -> Dateline | None:
    """The dateline at the start of one of the first paragraphs, if there is one."""
    offset = 0
    for index, paragraph in enumerate(text.split("\n")):
        if index >= max_paragraphs + 4:
            break
        stripped = paragraph.strip()
        if len(stripped) > 60:  # datelines open body paragraphs, never stand as short title lines
            match = _DATELINE.match(paragraph) or _DATELINE_TITLE.match(paragraph)
            if match:
                place = match.group("place").strip()
                if place.upper() not in _NOT_PLACES and len(place) > 2:
                    month_day = None
                    if match.group("date"):
                        pieces = match.group("date").replace(".", "").split()
                        if pieces[0].isdigit():
                            pieces.reverse()
                        month = MONTHS.get(pieces[0].lower())
                        if month:
                            month_day = (month, int(pieces[1]))
                    region = match.group("region")
                    return Dateline(
                        place=_title_case(place),
                        region=_title_case(region) if region else None,
                        month_day=month_day,
                        agency=match.groupdict().get("agency"),
                        start=offset + match.start("place"),
                        end=offset + match.end(),
                        year=int(match.group("year")) if match.group("year") else None,
                    )
        offset += len(paragraph) + 1
    return None
