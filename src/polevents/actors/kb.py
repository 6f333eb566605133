"""The actor knowledge base: who is who, loaded once from YAML data files.

The format is documented in docs/knowledge-base.md. Built-in files live in
`polevents/actors/data/`; user files given with `--actors` are merged over
them (same `code`/`id` replaces, new entries are added).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster on the big people file
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

SECTIONS = ("countries", "regions", "igos", "groups", "people", "sectors")
BUILTIN_FILES = ("countries.yaml", "regions.yaml", "igos.yaml", "groups.yaml", "people.yaml", "people_1980_1999.yaml",
                 "sectors.yaml")


class KnowledgeBaseError(ValueError):
    """A data file that cannot be used, with the file and line that says why."""


def parse_date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise KnowledgeBaseError(f"{where}: {text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    since: date | None
    until: date | None
    title: str | None = None

    def covers(self, when: date | None) -> bool:
        if when is None:
            return self.until is None
        return (self.since is None or self.since <= when) and (self.until is None or when < self.until)


@dataclass(slots=True)
class Entity:
    """One knowledge-base entry of any kind."""

    kind: str  # country, region, igo, group, person
    id: str
    name: str
    code: str | None
    country: str | None = None
    sector: str | None = None
    roles: tuple[Role, ...] = ()
    parent: str | None = None
    members: tuple[tuple[str, date | None, date | None], ...] = ()
    source: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def kb_id(self) -> str:
        return f"{self.kind}:{self.id}"

    def role_at(self, when: date | None) -> Role | None:
        """The role held at `when` (the latest starting one when several overlap); None when out of office.

        Without a date, a person is taken in their latest office: an undated story about "Obama" is
        about the president, not the private citizen.
        """
        if when is None and self.kind == "person" and self.roles:
            return max(self.roles, key=lambda r: r.since or date.min)
        current = [r for r in self.roles if r.covers(when)]
        if not current:
            return None
        return max(current, key=lambda r: r.since or date.min)

    def code_at(self, when: date | None) -> str | None:
        role = self.role_at(when)
        if role:
            return role.code
        if self.kind == "person":
            # a person with no office at that date is a political elite of their country
            return f"{self.country}ELI" if self.country else None
        return self.code

    def members_at(self, when: date | None) -> list[str]:
        return [c for c, since, until in self.members
                if (when is None and until is None)
                or (when is not None and (since is None or since <= when) and (until is None or when < until))]


# How a surface form refers to its entity.
NAME, ADJECTIVE, DEMONYM, CAPITAL, GOVERNMENT, LEGISLATURE, MILITARY = (
    "name", "adjective", "demonym", "capital", "government", "legislature", "military",
)
METONYM_SECTOR = {CAPITAL: "GOV", GOVERNMENT: "GOV", LEGISLATURE: "LEG", MILITARY: "MIL"}


@dataclass(frozen=True, slots=True)
class Alias:
    entity: Entity
    form: str  # one of NAME, ADJECTIVE, ...


class _LineLoader(_Loader):  # type: ignore[misc,valid-type]
    """A YAML loader that records the line of each mapping, for error messages."""


def _construct_mapping(loader: yaml.Loader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark else name
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise KnowledgeBaseError(f"{where}: not valid YAML ({problem})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{name}: expected a mapping with sections {', '.join(SECTIONS)}")
    unknown = [k for k in data if k not in SECTIONS and k != "__line__"]
    if unknown:
        raise KnowledgeBaseError(
            f"{name}, line {data.get('__line__', 1)}: unknown section {unknown[0]!r} "
            f"(expected one of {', '.join(SECTIONS)})"
        )
    return data


def _strings(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise KnowledgeBaseError(f"{where}: {key!r} must be a string or a list of strings")


def _roles(entry: dict, where: str) -> tuple[Role, ...]:
    roles = []
    for raw in entry.get("roles") or []:
        if not isinstance(raw, dict) or not raw.get("code"):
            raise KnowledgeBaseError(f"{where}: each role needs a 'code' (e.g. {{code: RUSGOV, since: 2012-05-07}})")
        line = raw.get("__line__", "?")
        role = Role(
            code=str(raw["code"]).upper(),
            since=parse_date(raw.get("since"), f"{where.split(',')[0]}, line {line}"),
            until=parse_date(raw.get("until"), f"{where.split(',')[0]}, line {line}"),
            title=raw.get("title"),
        )
        if role.since and role.until and role.until < role.since:
            raise KnowledgeBaseError(f"{where.split(',')[0]}, line {line}: role ends before it starts")
        roles.append(role)
    return tuple(roles)


class KnowledgeBase:
    """Entities by id and the surface forms that name them."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}  # by kb_id
        self.sector_nouns: dict[str, str] = {}  # lemma phrase -> sector
        self.generic_nouns: dict[str, str] = {}  # "spokesman" -> default sector
        self.sector_labels: dict[str, str] = {}  # "MIL" -> "military"
        self.held_nouns: set[str] = set()  # "base", "camp": of whoever holds them, as targets only
        self.abroad_nouns: set[str] = set()  # "embassy": a state's presence abroad, never of the place by default
        self.sources: list[str] = []
        self._aliases: dict[str, list[Alias]] | None = None

    # ----- loading -------------------------------------------------------------------------------
    def load(self, data: dict[str, Any], name: str) -> None:
        self._aliases = None
        self.sources.append(name)
        for entry in self._entries(data, "countries", name):
            where = f"{name}, line {entry.get('__line__', '?')}"
            code = str(entry.get("code") or "").upper()
            if len(code) != 3 or not code.isalpha():
                raise KnowledgeBaseError(f"{where}: a country needs a 3-letter 'code' (ISO 3166-1 alpha-3)")
            self._put(Entity("country", code, entry.get("name") or code, code, country=code,
                             source=entry.get("source"), data=self._clean(entry, where)))
        for entry in self._entries(data, "regions", name):
            where = f"{name}, line {entry.get('__line__', '?')}"
            code = str(entry.get("code") or "").upper()
            if not code:
                raise KnowledgeBaseError(f"{where}: a region needs a 'code'")
            self._put(Entity("region", code, entry.get("name") or code, code, source=entry.get("source"),
                             data=self._clean(entry, where)))
        for entry in self._entries(data, "igos", name):
            where = f"{name}, line {entry.get('__line__', '?')}"
            if not entry.get("id") or not entry.get("code"):
                raise KnowledgeBaseError(f"{where}: an organisation needs an 'id' and a 'code'")
            members = []
            for member in entry.get("members") or []:
                if isinstance(member, str):
                    members.append((member.upper(), None, None))
                elif isinstance(member, dict) and member.get("country"):
                    line = f"{name}, line {member.get('__line__', '?')}"
                    members.append((str(member["country"]).upper(), parse_date(member.get("since"), line),
                                    parse_date(member.get("until"), line)))
                else:
                    raise KnowledgeBaseError(f"{where}: each member needs a 'country'")
            self._put(Entity("igo", str(entry["id"]), entry.get("name") or str(entry["id"]),
                             str(entry["code"]).upper(), parent=entry.get("parent"), members=tuple(members),
                             sector="IGO", source=entry.get("source"), data=self._clean(entry, where)))
        for kind, section in (("group", "groups"), ("person", "people")):
            for entry in self._entries(data, section, name):
                where = f"{name}, line {entry.get('__line__', '?')}"
                if not entry.get("id"):
                    raise KnowledgeBaseError(f"{where}: each entry in {section!r} needs an 'id'")
                if kind == "group" and not entry.get("code"):
                    raise KnowledgeBaseError(f"{where}: a group needs a 'code' (e.g. AFGREB)")
                country = str(entry["country"]).upper() if entry.get("country") else None
                code = str(entry["code"]).upper() if entry.get("code") else None
                self._put(Entity(kind, str(entry["id"]), entry.get("name") or str(entry["id"]), code,
                                 country=country, sector=entry.get("sector"), roles=_roles(entry, where),
                                 source=entry.get("source"), data=self._clean(entry, where)))
        sectors = data.get("sectors")
        if sectors is not None:
            if not isinstance(sectors, dict):
                raise KnowledgeBaseError(f"{name}: 'sectors' must map a sector code to a list of nouns")
            for sector, nouns in sectors.items():
                if sector == "__line__":
                    continue
                if sector == "labels":
                    if not isinstance(nouns, dict):
                        raise KnowledgeBaseError(f"{name}: 'sectors.labels' must map a sector code to a label")
                    self.sector_labels.update({str(k).upper(): str(v) for k, v in nouns.items() if k != "__line__"})
                    continue
                if sector == "abroad":
                    self.abroad_nouns.update(n.lower() for n in _strings(nouns, f"{name}, sectors.abroad", sector))
                    continue
                if sector == "held":
                    held = {n.lower() for n in _strings(nouns, f"{name}, sectors.held", sector)}
                    self.held_nouns.update(held)
                    self.generic_nouns.update({n: None for n in held if n not in self.generic_nouns})
                    continue
                if sector == "generic":
                    if not isinstance(nouns, dict):
                        raise KnowledgeBaseError(f"{name}: 'sectors.generic' must map a noun to a sector")
                    self.generic_nouns.update({k.lower(): v for k, v in nouns.items() if k != "__line__"})
                    continue
                for noun in _strings(nouns, f"{name}, sector {sector}", sector):
                    self.sector_nouns[noun.lower()] = str(sector).upper()

    @staticmethod
    def _entries(data: dict, section: str, name: str) -> list[dict]:
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise KnowledgeBaseError(f"{name}: {section!r} must be a list of entries")
        for entry in entries:
            if not isinstance(entry, dict):
                raise KnowledgeBaseError(f"{name}: every entry in {section!r} must be a mapping, got {entry!r:.60}")
        return entries

    @staticmethod
    def _clean(entry: dict, where: str) -> dict:
        for key in ("names", "aliases", "abbreviations", "adjectives", "demonyms", "capital_aliases",
                    "government", "legislature", "military"):
            _strings(entry.get(key), where, key)
        return entry

    def _put(self, entity: Entity) -> None:
        self.entities[entity.kb_id] = entity

    # ----- lookup --------------------------------------------------------------------------------
    @property
    def aliases(self) -> dict[str, list[Alias]]:
        """Surface form -> what it may name. Built on first use, after all files are merged."""
        if self._aliases is None:
            index: dict[str, list[Alias]] = defaultdict(list)

            def add(form_text: str, entity: Entity, form: str) -> None:
                form_text = form_text.strip()
                if form_text.lower().startswith("the "):
                    form_text = form_text[4:]
                if form_text and all(a.entity is not entity or a.form != form for a in index[form_text]):
                    index[form_text].append(Alias(entity, form))

            for entity in self.entities.values():
                d = entity.data
                if entity.kind in ("country", "region"):
                    for text in [entity.name, *_strings(d.get("names"), "", ""), *_strings(d.get("abbreviations"), "", "")]:
                        add(text, entity, NAME)
                    for text in _strings(d.get("adjectives"), "", ""):
                        add(text, entity, ADJECTIVE)
                    for text in _strings(d.get("demonyms"), "", ""):
                        add(text, entity, DEMONYM)
                    for text in [*_strings(d.get("capital"), "", ""), *_strings(d.get("capital_aliases"), "", "")]:
                        add(text, entity, CAPITAL)
                    for key, form in (("government", GOVERNMENT), ("legislature", LEGISLATURE), ("military", MILITARY)):
                        for text in _strings(d.get(key), "", ""):
                            add(text, entity, form)
                else:
                    for text in [entity.name, *_strings(d.get("aliases"), "", "")]:
                        add(text, entity, NAME)
            self._aliases = dict(index)
        return self._aliases

    def lookup(self, text: str) -> list[Alias]:
        text = text.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        return self.aliases.get(text, [])

    def get(self, kb_id: str) -> Entity | None:
        return self.entities.get(kb_id)

    def country(self, code: str | None) -> Entity | None:
        return self.entities.get(f"country:{code}") if code else None



def builtin_data_files() -> list[tuple[str, str]]:
    folder = resources.files("polevents.actors") / "data"
    files = []
    for name in BUILTIN_FILES:
        resource = folder / name
        if resource.is_file():
            files.append((f"polevents/actors/data/{name}", resource.read_text(encoding="utf-8")))
    return files


def load_knowledge_base(user_files: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The built-in knowledge base with the user's files merged over it, in order."""
    return _load(tuple(str(Path(p)) for p in user_files))


@lru_cache(maxsize=8)
def _load(user_files: tuple[str, ...]) -> KnowledgeBase:
    kb = KnowledgeBase()
    for name, text in builtin_data_files():
        kb.load(read_yaml(text, name), name)
    for path in user_files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KnowledgeBaseError(f"{path}: no such actors file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise KnowledgeBaseError(f"{path}: cannot read it ({error})") from None
        kb.load(read_yaml(text, path), path)
    return kb
