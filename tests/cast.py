"""The people, states and sources of 30 September 2015, shared by the tests' small stories.

The example dataset (`examples/sept30_oct1_2015.py`) holds the full cast; the tests keep
their own few so that a change to the dataset cannot change what a test asserts.
"""

from __future__ import annotations

from timeline import Actor, ActorKind, Proposition, Source, SourceKind

DAMASCUS = "Asia/Damascus"

RUSSIA = Actor("russia", "Russia", ActorKind.STATE)
US = Actor("us", "United States", ActorKind.STATE)
FRANCE = Actor("france", "France", ActorKind.STATE)
AIR_FORCE = Actor("ru-air-force", "Russian air force", ActorKind.MILITARY, speaks_for="russia")
MOD = Actor("ru-mod", "Russian defence ministry", ActorKind.GOVERNMENT, speaks_for="russia")
PUTIN = Actor("putin", "Vladimir Putin", ActorKind.PERSON, speaks_for="russia")
LAVROV = Actor("lavrov", "Sergei Lavrov", ActorKind.PERSON, speaks_for="russia")
KERRY = Actor("kerry", "John Kerry", ActorKind.PERSON, speaks_for="us")
LE_DRIAN = Actor("le-drian", "Jean-Yves Le Drian", ActorKind.PERSON, speaks_for="france")
ACTIVISTS = Actor("activists", "Syrian opposition activists", ActorKind.CIVIL_SOCIETY)

TARGETED_ISIS = Proposition("strikes-targeted-isis", "The 30 September strikes targeted ISIS")

BBC = Source("BBC News", SourceKind.MEDIA, url="https://www.bbc.co.uk/news/world-middle-east")
