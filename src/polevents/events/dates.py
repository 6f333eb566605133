"""When an event happened: date expressions resolved against the publication date and the tense.

"Tuesday" in a past-tense clause of an article published on Wednesday 6 June
2012 is 2012-06-05; in a future-tense clause it is 2012-06-12. Each resolution
says how precise it is (day, week, month, year). Rules first; dateparser only
for explicit dates the rules do not read. Nothing falls back silently to the
publication date: the caller records precision "published" in that case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span, Token

from polevents.datelines import MONTHS

WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
                         "sat": 5, "sun": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
                "a few": 3, "couple": 2, "a couple of": 2, "fifteen": 15, "twenty": 20}

PAST, PRESENT, FUTURE = "past", "present", "future"


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: str  # "2012-06-05", "2012-06", "2012"
    precision: str  # day, week, month, year
    text: str
    carried: bool = False  # taken from an earlier sentence the clause continues (`carried_date`)

    @property
    def first_day(self) -> date:
        """The first day of the period the value names."""
        parts = [int(p) for p in self.value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def last_day(self) -> date:
        """The last day of the period the value names (a week runs Monday to Sunday)."""
        first = self.first_day
        if self.precision == "day":
            return first
        if self.precision == "week":
            return first + timedelta(days=6)
        if self.precision == "month":
            year, month = _add_months(first, 1)
            return date(year, month, 1) - timedelta(days=1)
        return date(first.year, 12, 31)


def _day(d: date, text: str) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", text)


def _week(d: date, text: str) -> ResolvedDate:
    monday = d - timedelta(days=d.weekday())
    return ResolvedDate(monday.isoformat(), "week", text)


def _month(year: int, month: int, text: str) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{month:02d}", "month", text)


def _year(year: int, text: str) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}", "year", text)


def _add_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


def _weekday(target: int, published: date, tense: str, modifier: str | None) -> date:
    delta_back = (published.weekday() - target) % 7
    if modifier == "last" or (modifier is None and tense in (PAST, PRESENT)):
        back = delta_back if modifier != "last" or delta_back else 7
        return published - timedelta(days=back)
    if modifier == "next":
        ahead = (target - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    if modifier == "this":
        # "this Friday": the one in the current week, before or after
        return published + timedelta(days=target - published.weekday())
    ahead = (target - published.weekday()) % 7
    return published + timedelta(days=ahead)


def _month_day(month: int, day: int, year: int | None, published: date | None, tense: str) -> date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if tense == FUTURE and candidate < published:
            year += 1
        elif tense != FUTURE and candidate > published + timedelta(days=1):
            year -= 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


_COUNT = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|a few|few|a couple of"
_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b")),
    ("month_day", re.compile(rf"\b{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("ago", re.compile(rf"\b(?P<n>{_COUNT})\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b")),
    ("hence", re.compile(rf"\b(?:in|within)\s+(?P<n>{_COUNT})\s+(?P<unit>day|week|month|year)s?(?:'?\s*time)?\b")),
    ("two_days", re.compile(r"\b(?P<word>the day before yesterday|the day after tomorrow)\b")),
    ("weekend", re.compile(r"\b(?:over|during|at|on)\s+the\s+weekend\b")),
    ("relative_unit", re.compile(r"\b(?P<when>last|past|previous|this|next|coming|earlier this|later this|earlier in the|later in the|early this|late this|earlier last|later next)\s+(?P<unit>week|weekend|month|year)\b")),
    ("weekday", re.compile(r"\b(?:(?P<mod>last|next|this|on|late|early)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")),
    ("simple", re.compile(r"\b(?P<word>today|tonight|yesterday|tomorrow|overnight|this morning|this afternoon|this evening|last night|last evening|earlier today|later today)\b")),
    ("month_year", re.compile(rf"\b{_MONTH_RE}(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?\b")),
    ("year", re.compile(r"\b(?:in|since|during|by|of|until)?\s*(?P<year>(?:19|20)\d\d)\b")),
]
_SIMPLE_OFFSETS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                   "earlier today": 0, "later today": 0, "yesterday": -1, "last night": -1, "last evening": -1,
                   "tomorrow": 1, "overnight": 0}


def resolve_date(text: str, published: date | None, tense: str = PAST) -> ResolvedDate | None:
    """The date a written expression stands for, or None when it cannot be resolved."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    for kind, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if not match:
            continue
        g = match.groupdict()
        if kind == "iso":
            try:
                return _day(date(int(g["year"]), int(g["mnum"]), int(g["day"])), text)
            except ValueError:
                continue
        if kind in ("month_day", "day_month"):
            month = MONTHS.get(g["month"].rstrip("."))
            if month is None:
                continue
            found = _month_day(month, int(g["day"]), int(g["year"]) if g.get("year") else None, published, tense)
            if found:
                return _day(found, text)
            continue
        if kind == "month_year":
            month = MONTHS.get(g["month"].rstrip("."))
            if month is None or (g["month"] == "may" and not g.get("year")):
                continue  # "may" alone is a modal verb
            if g.get("year"):
                return _month(int(g["year"]), month, text)
            if published is None:
                continue
            year = published.year
            if tense == FUTURE and month < published.month:
                year += 1
            elif tense != FUTURE and month > published.month:
                year -= 1
            return _month(year, month, text)
        if kind == "year":
            return _year(int(g["year"]), text)
        if published is None:
            return None  # everything below is relative to the publication date
        if kind == "simple":
            return _day(published + timedelta(days=_SIMPLE_OFFSETS[g["word"]]), text)
        if kind == "weekday":
            modifier = g.get("mod")
            modifier = modifier if modifier in ("last", "next", "this") else None
            return _day(_weekday(WEEKDAYS[g["wd"]], published, tense, modifier), text)
        if kind == "ago":
            n = g["n"]
            count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
            unit = g["unit"]
            if unit == "day":
                return _day(published - timedelta(days=count), text)
            if unit == "week":
                return _week(published - timedelta(weeks=count), text)
            if unit == "month":
                return _month(*_add_months(published, -count), text)
            if unit == "decade":
                return _year(published.year - 10 * count, text)
            return _year(published.year - count, text)
        if kind == "hence":
            if tense != FUTURE:
                continue  # "was settled in two days" is a duration
            n = g["n"]
            count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
            unit = g["unit"]
            if unit == "day":
                return _day(published + timedelta(days=count), text)
            if unit == "week":
                return _week(published + timedelta(weeks=count), text)
            if unit == "month":
                return _month(*_add_months(published, count), text)
            return _year(published.year + count, text)
        if kind == "two_days":
            return _day(published + timedelta(days=-2 if "before" in g["word"] else 2), text)
        if kind == "weekend":
            # the weekend just past in a past-tense clause, the coming one in a future-tense clause
            saturday = published - timedelta(days=published.weekday()) + timedelta(days=5)
            if tense != FUTURE and saturday > published:
                saturday -= timedelta(weeks=1)
            return _week(saturday, text)
        if kind == "relative_unit":
            when, unit = g["when"], g["unit"]
            step = -1 if when in ("last", "past", "previous", "earlier last") else 1 if when in (
                "next", "coming", "later next") else 0
            if unit in ("week", "weekend"):
                anchor = published + timedelta(weeks=step)
                if unit == "weekend":
                    saturday = anchor - timedelta(days=anchor.weekday()) + timedelta(days=5)
                    if step == 0 and tense != FUTURE and saturday > published:
                        saturday -= timedelta(weeks=1)
                    return _week(saturday, text)
                return _week(anchor, text)
            if unit == "month":
                return _month(*_add_months(published, step), text)
            return _year(published.year + step, text)
    return None


# ----- the date of an event's clause ---------------------------------------------------------------
# Clause boundaries when looking for a clause's own date.
# "since resuming the presidency earlier this month": the date of a gerund under a preposition (pcomp)
# is the date of that other act, not of the clause's event.
NESTED_CLAUSES = {"ccomp", "relcl", "advcl", "parataxis", "acl", "csubj", "appos", "pcomp"}
SIMPLE_DATE_WORDS = {"today", "yesterday", "tomorrow", "tonight", "overnight"}


def clause_tokens(verb: Token, noun: Token | None = None) -> list[Token]:
    """The tokens of the verb's own clause (and of its event noun), nested clauses left out."""
    out = []
    stack = list(verb.children) + ([noun] if noun is not None else [])
    seen = set()
    while stack:
        token = stack.pop()
        if token.i in seen:
            continue
        seen.add(token.i)
        if _reduced_participle(token, verb):
            # "fired missiles at bases housing troops early on Wednesday": the parser often hangs the
            # main clause's time on a participle that only describes its object
            stack.extend(c for c in token.children if c.dep_ in ("prep", "npadvmod", "advmod"))
            continue
        if token.dep_ in NESTED_CLAUSES or (token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass")):
            # another verb is another clause: "arrived ... since resuming the presidency earlier this month"
            continue
        out.append(token)
        stack.extend(token.children)
    return sorted(out, key=lambda t: t.i)


def _reduced_participle(token: Token, verb: Token) -> bool:
    """A participle hanging directly from the verb, with no subject or subordinator of its own."""
    return (token.head.i == verb.i and token.dep_ == "advcl" and token.tag_ in ("VBG", "VBN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in token.children))


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun phrase hangs from, directly or through a preposition ("among leaders")."""
    current = noun
    for _ in range(3):
        head = current.head
        if head == current:
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        if current.dep_ in ("pobj", "prep", "conj", "appos"):
            current = head
            continue
        return None
    return None


def clause_chain(verb: Token, statement_verbs: frozenset[str] | set[str] = frozenset()) -> list[Token]:
    """The verb, then the verbs whose date it shares: its conjunction head, its governor, the verb of
    saying that reports it ("told reporters Tuesday that China opposes ..."), and for a participle
    describing a noun, the noun's verb ("On Wednesday, Putin will be among leaders attending ...")."""
    chain = [verb]
    current = verb
    for _ in range(3):
        head = current.head
        if current.dep_ == "acl" and current.tag_ == "VBG":
            governing = _governing_verb(head)
            if governing is None:
                break
            current = governing
            chain.append(current)
            continue
        if head.pos_ not in ("VERB", "AUX") or head == current:
            break
        if current.dep_ in ("conj", "xcomp") or (current.dep_ == "ccomp" and head.lemma_.lower() in statement_verbs):
            current = head
            chain.append(current)
        else:
            break
    return chain


def date_expressions(tokens: list[Token]) -> list[str]:
    """Date phrases among a clause's tokens: NER DATE entities and the simple day words."""
    out = []
    seen_ents = set()
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.ent_type_ == "DATE":
            # the entity's extent from the IOB tags around the token (doc.ents is rebuilt on every access)
            doc = token.doc
            start = token.i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            if start in seen_ents:
                continue
            end = token.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            seen_ents.add(start)
            # only the entity's words that belong to this clause: the tagger may join "Wednesday, days"
            # across two clauses ("early on Wednesday, days after a strike killed ...")
            words = [t for t in doc[start:end] if t.i in inside]
            if words:
                out.append(doc[words[0].i:words[-1].i + 1].text)
        elif token.lower_ in SIMPLE_DATE_WORDS:
            out.append(token.text)
    return out


def own_date(verb: Token, noun: Token | None, published: date | None, tense: str,
             statement_verbs: frozenset[str] | set[str] = frozenset()) -> ResolvedDate | None:
    """The date written in the event's clause (or in the clause that carries it), resolved."""
    for head in clause_chain(verb, statement_verbs):
        for text in date_expressions(clause_tokens(head, noun if head == verb else None)):
            resolved = resolve_date(text, published, tense)
            if resolved:
                return resolved
    return None


def clause_date(verb: Token, noun: Token | None, published: date | None, tense: str,
                statement_verbs: frozenset[str] | set[str] = frozenset(), *, carry: bool = True) -> ResolvedDate | None:
    """The event's date: its clause's own, else (with `carry`) the date of the narrative it continues."""
    found = own_date(verb, noun, published, tense, statement_verbs)
    if found is None and carry:
        found = carried_date(verb, published, tense, statement_verbs)
    return found


# ----- a date carried from sentence to sentence ----------------------------------------------------
# A sentence without a date of its own continues the time of the sentence before it only where the
# text supports it (see `carried_date`). Adverbs that move the time away from the narrative's:
TIME_SHIFT_WORDS = {"previously", "earlier", "already", "once", "formerly", "long", "repeatedly", "often",
                    "recently", "ever", "before", "originally", "initially", "frequently", "usually", "never",
                    "still", "since", "ago", "always", "regularly", "traditionally"}
MAX_CARRY = 3  # sentences a date may travel back over


def verb_tense(verb: Token) -> str:
    """Past, present or future, from the verb's tag and auxiliaries ("will meet", "met", "has met")."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll", "wo") for a in auxes):
        return FUTURE
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or any(a.lemma_ == "have" for a in auxes):
        return PAST
    if verb.tag_ in ("VBZ", "VBP", "VBG") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return PRESENT
    return PAST


def _perfect(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def _main_line(verb: Token, statement_verbs: frozenset[str] | set[str]) -> Token | None:
    """The sentence root the verb hangs from by conjunction, xcomp or reported speech, else None."""
    current = verb
    for _ in range(6):
        if current.dep_ == "ROOT":
            return current
        head = current.head
        if current.dep_ in ("conj", "xcomp") or (current.dep_ == "ccomp" and head.lemma_.lower() in statement_verbs):
            current = head
            continue
        return None
    return None


def _time_shifted(verb: Token) -> bool:
    """The clause says its own, other time: an adverb like "previously", or a date phrase left unresolved."""
    for child in verb.children:
        if child.dep_ in ("advmod", "npadvmod") and child.lower_ in TIME_SHIFT_WORDS:
            return True
        if child.ent_type_ == "DATE" and child.dep_ in ("npadvmod", "advmod", "tmod"):
            return True
        if child.dep_ == "prep" and any(g.ent_type_ == "DATE" for g in child.children if g.dep_ == "pobj"):
            return True
    return False


def _continues(verb: Token, tense: str) -> bool:
    """A clause that can continue the narrative's time: past (or future) simple, with no time of its own."""
    return tense in (PAST, FUTURE) and not _perfect(verb) and not _time_shifted(verb) \
        and not any(c.dep_ == "neg" for c in verb.children)


def _paragraph_break(before: Span, after: Span) -> bool:
    """A line break between two sentences (the blank line may be a whitespace token of either)."""
    last = next((t for t in reversed(before) if not t.is_space), None)
    first = next((t for t in after if not t.is_space), None)
    if last is None or first is None:
        return True
    # the characters between the two tokens, without rebuilding the whole document's text
    return "\n" in before.doc[last.i:first.i].text_with_ws[len(last.text):]


def _previous_sentence(sentence: Span) -> Span | None:
    doc = sentence.doc
    if sentence.start == 0:
        return None
    return doc[sentence.start - 1].sent


def _sentence_time(sentence: Span, published: date | None, statement_verbs: frozenset[str] | set[str],
                   depth: int) -> ResolvedDate | None:
    """The time a sentence's main clause is set at: its own date, or (continuing) the one before it."""
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX") or not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
        return None  # a heading, a by-line, "Published: June 6, 2012": no narrative
    tense = verb_tense(root)
    own = own_date(root, None, published, tense, statement_verbs)
    if own is not None:
        return own
    if depth >= MAX_CARRY or not _continues(root, tense):
        return None
    previous = _previous_sentence(sentence)
    if previous is None:
        return None
    # a paragraph continues another's time only from an explicit date (see carried_date)
    crossing = _paragraph_break(previous, sentence)
    found = _sentence_time(previous, published, statement_verbs, MAX_CARRY if crossing else depth + 1)
    return found if found is not None and _fits(found, tense, published) else None


def _fits(found: ResolvedDate, tense: str, published: date | None) -> bool:
    """A past clause continues a time before publication, a future clause one after it."""
    if published is None:
        return True
    if tense == FUTURE:
        return found.last_day >= published
    return found.first_day <= published


def carried_date(verb: Token, published: date | None, tense: str,
                 statement_verbs: frozenset[str] | set[str] = frozenset()) -> ResolvedDate | None:
    """The date an undated clause inherits from the sentence before it, where the text supports it.

    News tells a story in order: "The leaders met Tuesday. Putin arrived in Beijing ... He later sat
    down for talks" -- the arrival and the talks are Tuesday's. The rule:

    - the event's verb is on its sentence's main line (the root, or joined to it by a conjunction,
      an xcomp or reported speech), not in a relative or adverbial clause;
    - the clause is past or future simple: a perfect ("have repeatedly defied"), a present
      ("opposes"), a negation, or a time adverb of its own ("previously", "long", "in the past")
      speaks of another time;
    - the previous sentence gives the date, its own or carried the same way, at most MAX_CARRY
      sentences back; across a paragraph break only an explicitly dated sentence carries;
    - the date agrees with the tense (a past clause takes a date not after publication).
    """
    sentence = verb.sent
    root = _main_line(verb, statement_verbs)
    if root is None or not _continues(verb, tense) or (root is not verb and not _continues(root, verb_tense(root))):
        return None
    previous = _previous_sentence(sentence)
    if previous is None:
        return None
    # across a paragraph break only the previous sentence's own date (depth MAX_CARRY: no further carry)
    crossing = _paragraph_break(previous, sentence)
    found = _sentence_time(previous, published, statement_verbs, MAX_CARRY if crossing else 1)
    if found is None or not _fits(found, tense, published):
        return None
    return ResolvedDate(found.value, found.precision, found.text, carried=True)
