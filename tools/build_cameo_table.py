"""Rebuild src/polevents/actions/data/cameo.csv from the shared reference tables.

Takes only facts (code, name, Goldstein value, PLOVER event/mode/context) from
../shared/eval/reference; descriptions and examples are not copied. Run by a
developer when the reference changes, never at run time.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "eval" / "reference"
OUTPUT = ROOT / "src" / "polevents" / "actions" / "data" / "cameo.csv"


def quad_class(code: str) -> int:
    root = int(code[:2])
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


def read_plover() -> dict[str, tuple[str, str, str]]:
    mapping: dict[str, tuple[str, str, str]] = {}
    for line in (REFERENCE / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not match:
            continue
        code, rest = match.groups()
        parts = [p.strip() for p in rest.split(",")]
        event = parts[0].upper() if parts and parts[0] else ""
        mode = parts[1] if len(parts) > 1 else ""
        context = parts[2].replace(" ", "") if len(parts) > 2 else ""
        if len(code) == 2 and code in mapping:  # "08: RETREAT" after "08: CONCEDE": keep the first
            continue
        mapping[code] = (event, mode, context)
    return mapping


def main() -> int:
    plover = read_plover()
    rows = []
    with open(REFERENCE / "cameo-codes.csv", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            # PLOVER folds CAMEO's appeals (02) into REQUEST, as it does demands (10).
            key = "10" + code[2:] if code.startswith("02") else code
            event, mode, context = plover.get(key) or plover.get(key[:3]) or plover.get(key[:2]) or ("", "", "")
            if key not in plover and key[:3] in plover:
                mode = mode or plover[key[:3]][1]
            rows.append({
                "code": code, "name": row["name"].strip(), "goldstein": float(row["goldstein"]),
                "quad_class": quad_class(code), "plover_event": event, "plover_mode": mode,
                "plover_context": context,
            })
    with open(OUTPUT, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} codes to {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
