"""How an event reads, as a value (`Reading`), and the words every reading shares.

This module sits below `timeline.events`, so an event class can say how it reads (a
``reading(self) -> Reading`` method) without importing `timeline.labels`, which reads every
other event from its description. `who` is the one way a participant is named, a missing one
included ("unidentified attacker"): labels, the situation's items and the console all use it.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from timeline.model import Actor

__all__ = ["Reading", "given", "joined", "line", "names", "type_words", "who"]


@attrs.frozen
class Reading:
    """How one event reads.

    The built-in types' readings and the default one name, in the `label` and the `details`
    together, every participant, place and figure the event holds (`timeline.description`);
    the label alone does unless it is the event's summary. A type's own reading should too, so
    that every output names the same ones.

    Attributes:
        label: one plain-language line ("Strikes by Russia · hit Homs (per Russian defence
            ministry)").
        headline: a shorter title, for a card or a chart mark; the label when not given.
        details: further lines, for a card body or a tooltip.
    """

    label: str
    headline: str | None = None
    details: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The headline, or the label when the event gives none."""
        return self.headline or self.label


def who(actor: Actor | None, role: str) -> str:
    """Return how a participant in `role` is named: its name, or "unidentified <role>"."""
    return actor.name if actor is not None else f"unidentified {role.replace('_', ' ')}"


def names(actors: Iterable[Actor]) -> str:
    """Return the actors' names, comma-separated."""
    return ", ".join(actor.name for actor in actors)


def joined(values: Iterable[object]) -> str:
    """Return the values as text, comma-separated (places by name, figures as "20 killed")."""
    return ", ".join(map(str, values))


def given(text: str | None) -> str | None:
    """Return `text` when it says something (not None, not only spaces), else None."""
    return text if text is not None and text.strip() else None


def line(*texts: str | None, sep: str = " · ") -> str:
    """Return the texts that say something, joined by `sep`."""
    return sep.join(text for text in texts if text is not None and text.strip())


def type_words(type_name: str) -> str:
    """Return a registered type name in words ("myorg.spill_reported": "Spill reported")."""
    words = type_name.rsplit(".", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]
