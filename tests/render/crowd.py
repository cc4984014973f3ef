"""Seeded, varied logs for the label-geometry tests: crowded lanes, long and short labels.

Each log mixes strikes, statements (with stances), casualty counts, incidents and a few
retractions over seven lanes, with point and interval times, many of them minutes apart.
"""

from __future__ import annotations

import random

import pendulum

from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Event,
    IncidentReported,
    Proposition,
    Quantity,
    Retraction,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    When,
)

ZONE = "Europe/Berlin"
START = pendulum.datetime(2024, 3, 1, 6, tz=ZONE)
WIRE = Source("Wire service", SourceKind.MEDIA)

STATES = (
    Actor("north", "Northland", ActorKind.STATE),
    Actor("south", "Republic of the Southern Archipelago and Associated Islands", ActorKind.STATE),
    Actor("east", "Eastmark", ActorKind.STATE),
    Actor("west", "Westria", ActorKind.STATE),
    Actor("un", "United Nations", ActorKind.ORGANISATION),
    Actor("ngo", "Médecins du Monde", ActorKind.CIVIL_SOCIETY),
    Actor("red-cross", "International Committee of the Red Cross", ActorKind.ORGANISATION),
)
WORDS = [
    "ceasefire",
    "talks",
    "convoy",
    "harbour",
    "bridge",
    "shelling",
    "evacuation",
    "corridor",
    "negotiations",
    "humanitarian",
    "reconnaissance",
    "infrastructure",
    "a",
    "of",
    "the",
    "in",
    "on",
    "to",
    "near",
    "at",
    "after",
    "before",
    "Internationalisation",
    "counteroffensive",
    "W",
    "M",
    "minister",
    "spokesperson",
]
CLAIMS = (
    Proposition("bridge-destroyed", "The bridge was destroyed"),
    Proposition("corridor-open", "The corridor is open"),
    Proposition("talks-serious", "The talks are serious"),
)


def _phrase(rng: random.Random) -> str:
    length = rng.choice([1, 2, 3, 6, 12, 25, 40])
    return " ".join(rng.choice(WORDS) for _ in range(length))


def _when(rng: random.Random, at: pendulum.DateTime) -> When:
    shape = rng.random()
    if shape < 0.55:
        return When.exact(at)
    if shape < 0.8:
        return When.between(at, at.add(minutes=rng.choice([20, 90, 240, 720])))
    return When.on(at.date(), tz=ZONE)


def _event(rng: random.Random, index: int, at: pendulum.DateTime) -> Event:
    actor = rng.choice(STATES)
    occurred = _when(rng, at)
    reported = When.exact(at.add(minutes=rng.randint(5, 300)))
    common = {"id": f"e{index}", "occurred": occurred, "reported": reported, "sources": (WIRE,)}
    kind = rng.random()
    if kind < 0.3:
        return StatementMade(
            **common,
            speaker=actor,
            quote=_phrase(rng),
            stances=tuple(
                StanceOn(claim, rng.choice([Stance.SUPPORTS, Stance.DISPUTES]))
                for claim in rng.sample(CLAIMS, rng.randint(0, 2))
            ),
        )
    if kind < 0.55:
        return StrikeReported(**common, actor=actor, targets=(_phrase(rng),))
    if kind < 0.7:
        return CasualtiesReported(
            **common, killed=Quantity.at_least(rng.randint(1, 90)), among=_phrase(rng)
        )
    return IncidentReported(**common, kind=_phrase(rng), actors=(actor,))


def crowd(count: int, seed: int = 7) -> list[Event]:
    """Return `count` varied events over three days, in clusters of reports minutes apart."""
    rng = random.Random(seed)
    centres = [START.add(minutes=rng.randint(0, 72 * 60)) for _ in range(max(3, count // 8))]
    events: list[Event] = []
    for index in range(count):
        at = rng.choice(centres).add(minutes=rng.randint(0, 45))
        if events and rng.random() < 0.04:
            target = rng.choice(events)
            events.append(
                Retraction(
                    id=f"e{index}",
                    occurred=When.exact(at),
                    reported=When.exact(at),
                    sources=(WIRE,),
                    retracts=target.id,
                    reason=_phrase(rng),
                )
            )
            continue
        events.append(_event(rng, index, at))
    return events
