"""What a noun phrase refers to: the value passed between the resolver and coreference."""

from __future__ import annotations

from dataclasses import dataclass, field

from polevents.actors.kb import Entity
from polevents.record import Actor


@dataclass(slots=True)
class Mention:
    """What one noun phrase (or a coordination of them) refers to."""

    actors: list[Actor]
    head: int  # token index of the phrase head
    how: str  # kb, composed, person, coref, owner
    is_person: bool = False
    entities: list[Entity | None] = field(default_factory=list)

    @property
    def plural(self) -> bool:
        return len(self.actors) > 1
