"""Scoring coded events against gold-standard codings, so users can measure polevents on their own data.

The rules are those of the project's evaluation (../shared/eval/README.md):
events are matched per document, by key and never by sentence. A gold event is
found when an unused predicted event of the same document has

- lenient: the same CAMEO root (or, for gold events that carry only a PLOVER
  type, the same PLOVER type) and the same source and target keys, where a key
  is the country (the first three letters of the actor code) or, for
  international codes (IGO..., NGO..., MNC...), the first six letters; a gold
  key of bare "IGO" matches any IGO code;
- strict: the same 3-digit CAMEO code and identical actor codes.

Required gold events are matched first; gold events marked `required: false`
are never missed and never wrong. Every unmatched prediction is a false
positive.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INTERNATIONAL_PREFIXES = ("IGO", "NGO", "MNC")
# PLOVER 0.5 names used by older gold files, and what they are called now
PLOVER_OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT",
                    "YIELD": "CONCEDE"}


def _code_of(actor: Any) -> str | None:
    if isinstance(actor, dict):
        actor = actor.get("code") or actor.get("cameo")
    text = str(actor).strip().upper() if actor else ""
    return text or None


def _key(code: str) -> str:
    return code[:6] if code.startswith(INTERNATIONAL_PREFIXES) else code[:3]


def _actor_matches(gold: str | None, predicted: str | None, strict: bool) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if strict:
        return gold == predicted
    return predicted.startswith(_key(gold))


def _cameo_options(event: dict) -> list[str]:
    raw = event.get("cameo")
    if isinstance(raw, dict):
        raw = raw.get("code")
    values = list(raw) if isinstance(raw, list) else [raw]
    values += list(event.get("cameo_any") or [])
    return [str(v).strip() for v in values if v]


def _plover(event: dict) -> str | None:
    raw = event.get("plover")
    if isinstance(raw, dict):
        raw = raw.get("event") or raw.get("type")
    if not raw:
        return None
    name = str(raw).strip().upper()
    return PLOVER_OLD_NAMES.get(name, name)


def _action_matches(gold: dict, predicted: dict, strict: bool) -> bool:
    gold_codes = _cameo_options(gold)
    if not gold_codes:
        wanted = _plover(gold)
        return wanted is not None and _plover(predicted) == wanted
    predicted_codes = _cameo_options(predicted)
    if not predicted_codes:
        return False
    code = predicted_codes[0]
    if strict:
        return any(len(g) >= 3 and code[:3] == g[:3] for g in gold_codes)
    return any(code[:2] == g[:2] for g in gold_codes)


def matches(gold: dict, predicted: dict, strict: bool) -> bool:
    return (
        _actor_matches(_code_of(gold.get("source")), _code_of(predicted.get("source")), strict)
        and _actor_matches(_code_of(gold.get("target")), _code_of(predicted.get("target")), strict)
        and _action_matches(gold, predicted, strict)
    )


def root_of(event: dict) -> str:
    options = _cameo_options(event)
    if options:
        return options[0][:2]
    return _plover(event) or "?"


@dataclass
class Score:
    mode: str
    documents: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dates: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    per_root: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    missed: list[tuple[str, dict]] = field(default_factory=list)
    extra: list[tuple[str, dict]] = field(default_factory=list)
    confusions: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float | None:
        return self.dates["exact"] / self.dates["with_date"] if self.dates["with_date"] else None

    @property
    def location_accuracy(self) -> float | None:
        return self.places["exact"] / self.places["with_location"] if self.places["with_location"] else None

    def summary(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "documents": self.documents, "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "date_accuracy": None if self.date_accuracy is None else round(self.date_accuracy, 4),
            "location_accuracy": None if self.location_accuracy is None else round(self.location_accuracy, 4),
            "per_root": {k: dict(v) for k, v in sorted(self.per_root.items())},
        }


def _predicted_date(event: dict) -> str:
    value = event.get("date")
    if isinstance(value, dict):
        value = value.get("value") or value.get("date")
    return str(value) if value else ""


def _predicted_place(event: dict) -> str | None:
    value = event.get("location")
    if isinstance(value, dict):
        value = value.get("country")
    return str(value).upper() if value else None


def _describe(event: dict) -> str:
    code = (_cameo_options(event) or [_plover(event) or "?"])[0]
    return f"{_code_of(event.get('source')) or '-'} {code} {_code_of(event.get('target')) or '-'}"


def score(gold_documents: Iterable[dict], predictions: Iterable[dict], strict: bool) -> Score:
    result = Score("strict" if strict else "lenient")
    by_document: dict[str, list[dict]] = defaultdict(list)
    for event in predictions:
        by_document[str(event.get("doc_id"))].append(event)
    for document in gold_documents:
        result.documents += 1
        doc_id = str(document.get("doc_id") or document.get("id"))
        predicted = by_document.get(doc_id, [])
        used: set[int] = set()
        golds = sorted(document.get("events") or [], key=lambda g: not g.get("required", True))
        missed_here = []
        for gold in golds:
            required = gold.get("required", True)
            hit = next((i for i, p in enumerate(predicted) if i not in used and matches(gold, p, strict)), None)
            if hit is None:
                if required:
                    result.fn += 1
                    result.per_root[root_of(gold)]["fn"] += 1
                    result.missed.append((doc_id, gold))
                    missed_here.append(gold)
                continue
            used.add(hit)
            if required:
                result.tp += 1
                result.per_root[root_of(gold)]["tp"] += 1
            if gold.get("date"):
                result.dates["with_date"] += 1
                got = _predicted_date(predicted[hit])
                wanted = str(gold["date"])
                result.dates["exact"] += got.startswith(wanted) if len(wanted) < 10 else got == wanted
            if gold.get("location"):
                result.places["with_location"] += 1
                result.places["exact"] += _predicted_place(predicted[hit]) == str(gold["location"]).upper()
        extras = [p for i, p in enumerate(predicted) if i not in used]
        # gold coded in PLOVER types only: count the extras under their PLOVER type too
        plover_only = bool(golds) and not any(_cameo_options(g) for g in golds)
        for event in extras:
            result.fp += 1
            label = (_plover(event) or "?") if plover_only else root_of(event)
            result.per_root[label]["fp"] += 1
            result.extra.append((doc_id, event))
        # the most frequent kinds of error: what was expected, what came instead (in the same document)
        for gold in missed_here:
            instead = extras[0] if extras else None
            result.confusions[(_describe(gold), _describe(instead) if instead else "nothing")] += 1
    return result


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def format_report(lenient: Score, strict: Score, top: int = 10) -> str:
    lines = []
    for s in (lenient, strict):
        date = "-" if s.date_accuracy is None else f"{s.date_accuracy:.3f}"
        place = "-" if s.location_accuracy is None else f"{s.location_accuracy:.3f}"
        lines.append(f"{s.mode:8} docs={s.documents} tp={s.tp} fp={s.fp} fn={s.fn} P={s.precision:.3f} "
                     f"R={s.recall:.3f} F1={s.f1:.3f} date_acc={date} loc_acc={place}")
    lines.append("")
    # a CAMEO root ("19") or, for PLOVER-typed gold, a type ("ASSAULT"): one column wide enough for either
    width = max([4, *(len(root) for root in lenient.per_root)])
    lines.append(f"per root (lenient):  {'root':>{width}}   tp   fp   fn     P     R    F1")
    for root, counts in sorted(lenient.per_root.items()):
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{'':21}{root:>{width}} {tp:4} {fp:4} {fn:4} {p:5.2f} {r:5.2f} {f:5.2f}")
    if lenient.confusions:
        lines.append("")
        lines.append("most frequent errors (lenient): expected -> found instead in the same document")
        for (wanted, got), count in lenient.confusions.most_common(top):
            lines.append(f"  {count:3}x  {wanted:28} -> {got}")
    return "\n".join(lines)
