"""The CAMEO codebook as data: names, Goldstein values, QuadClass and the PLOVER mapping.

Loaded once from `data/cameo.csv` (built from the public CAMEO and
CAMEO-to-PLOVER tables by tools/build_cameo_table.py), then overlaid with
`data/plover_conventions.csv`: the few codes whose PLOVER type in PLOVER's own
gold-standard records differs from the 2021 draft table, each with its reason.
Delete a row there to get the table's type back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_event: str | None
    plover_mode: str | None
    plover_context: str | None

    @property
    def root(self) -> str:
        return self.code[:2]

    def plover(self) -> dict[str, str | None]:
        return {"event": self.plover_event, "mode": self.plover_mode, "context": self.plover_context}


@lru_cache(maxsize=1)
def codebook() -> dict[str, Code]:
    text = (resources.files("polevents.actions") / "data" / "cameo.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(text.splitlines()):
        table[row["code"]] = Code(
            code=row["code"],
            name=row["name"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover_event=row["plover_event"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
    conventions = (resources.files("polevents.actions") / "data" / "plover_conventions.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(conventions.splitlines()):
        code = table[row["code"]]
        table[code.code] = replace(code, plover_event=row["plover_event"] or code.plover_event,
                                   plover_mode=row["plover_mode"] or code.plover_mode)
    return table


def lookup(code: str) -> Code:
    """The codebook entry for a CAMEO code; raises KeyError with the code when it does not exist."""
    table = codebook()
    if code not in table:
        raise KeyError(f"{code!r} is not a CAMEO event code")
    return table[code]


def root_name(root: str) -> str:
    return codebook()[root].name.title() if root in codebook() else root
