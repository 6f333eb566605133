"""Writing events for people (a table) and for programs (JSON lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from polevents.record import Event

TABLE_MODALITIES = ("asserted", "future")  # negated and hypothetical events are left out of the table


def write_jsonl(events: Iterable[Event | dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for event in events:
        record = event.to_dict() if isinstance(event, Event) else event
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _actor_label(actor: dict | None) -> str:
    if not actor:
        return "-"
    code = actor.get("code") or "?"
    name = actor.get("name") or actor.get("text") or ""
    return f"{code} ({name})" if name and name != code else code


def _context(record: dict, width: int = 90) -> str:
    """The trigger in its sentence, shortened around the trigger and marked with [brackets]."""
    sentence = record.get("evidence") or ""
    span = record.get("trigger_span")
    start_of_sentence = (record.get("span") or [0])[0]
    if span:
        a, b = span[0] - start_of_sentence, span[1] - start_of_sentence
    else:
        a = sentence.find(record.get("trigger") or "")
        b = a + len(record.get("trigger") or "")
    if 0 <= a < b <= len(sentence):
        sentence = f"{sentence[:a]}[{sentence[a:b]}]{sentence[b:]}"
        a += 1
    if len(sentence) > width:
        left = max(0, a - width // 3)
        sentence = ("…" if left else "") + sentence[left:left + width] + "…"
    return " ".join(sentence.split())


def table_rows(events: Iterable[Event | dict[str, Any]], include_all: bool = False) -> list[list[str]]:
    rows = []
    for event in events:
        record = event.to_dict() if isinstance(event, Event) else event
        if not include_all and record.get("modality") not in TABLE_MODALITIES:
            continue
        place = record.get("location") or {}
        action = f"{record['cameo']} {record['cameo_name']}"
        if record.get("modality") != "asserted":
            action += f" ({record['modality']})"
        rows.append([
            record.get("date") or (f"~{record['published']}" if record.get("published") else "?"),
            _actor_label(record.get("source")),
            action,
            _actor_label(record.get("target")),
            place.get("name") or "-",
            _context(record),
        ])
    return rows


def write_table(events: Iterable[Event | dict[str, Any]], stream: IO[str], include_all: bool = False,
                title: str | None = None, width: int | None = None) -> int:
    """One line per event: date, source, action, target, place, and the trigger in its sentence."""
    import shutil

    rows = table_rows(events, include_all)
    if not rows:
        return 0
    width = width or max(120, shutil.get_terminal_size((160, 24)).columns)
    caps = [11, 24, 32, 24, 14]
    sizes = [min(cap, max(len(r[i]) for r in rows)) for i, cap in enumerate(caps)]

    def cell(text: str, size: int) -> str:
        return (text if len(text) <= size else text[: size - 1] + "…").ljust(size)

    if title:
        stream.write(f"# {title}\n")
    for row in rows:
        line = "  ".join(cell(row[i], sizes[i]) for i in range(5))
        room = max(20, width - len(line) - 2)
        evidence = row[5] if len(row[5]) <= room else row[5][: room - 1] + "…"
        stream.write(f"{line}  {evidence}\n")
    return len(rows)
