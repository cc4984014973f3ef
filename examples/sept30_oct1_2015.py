"""Build the 30 September - 1 October 2015 dataset: one article, encoded as timeline events.

The article ("Russia and US to Hold Talks on Syria Airstrikes", published 1 October 2015) is
the only ground truth; `docs/article-to-events.md` maps each of its sentences to the ids below.
Run this module to rewrite ``examples/data/sept30_oct1_2015.jsonl``; a test checks that the
file and `build()` agree.

How times were chosen (nothing here is more precise than the article):

- `occurred`: "Wednesday" / "September 30" is the whole day in Damascus, where the strikes
  fell. Statements the article does not date are placed in the two days the article covers
  (`UNDATED`, 30 September - 1 October, whole days), in the zone of the speaker's capital,
  because none can precede the strikes it reacts to or follow the article; standing positions
  ("have insisted", "has backed") held throughout those days, so they get the same window.
- `reported`: every report reached the public through the article, so every event is
  reported on its publication day, 1 October 2015, at day precision in UTC (the article
  names no outlet or zone).
- The US was informed "an hour before" the strikes: a time relative to the strike event,
  which a projection resolves against the strike's day.

Stances follow one rule: claims (`PropositionKind.CLAIM`) are supported or disputed,
policies are supported or opposed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum

from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Codes,
    Event,
    NotificationGiven,
    Proposition,
    PropositionKind,
    Qualifier,
    Quantity,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    When,
)
from timeline.serialization import dump_jsonl

DATA_FILE = Path(__file__).parent / "data" / "sept30_oct1_2015.jsonl"
TITLE = "Russia and US to Hold Talks on Syria Airstrikes"

DAMASCUS = "Asia/Damascus"
MOSCOW = "Europe/Moscow"
WASHINGTON = "America/New_York"
PARIS = "Europe/Paris"
BRUSSELS = "Europe/Brussels"

PUBLISHED = When.on("2015-10-01", tz="UTC", phrase="the article's publication day")
"""Knowledge time of every report: the article's day (it gives no hour)."""


def undated(zone: str, phrase: str) -> When:
    """Return the two days the article covers, for something it reports without a date."""
    return When.between(
        pendulum.date(2015, 9, 30), pendulum.date(2015, 10, 1), tz=zone, phrase=phrase
    )


# -- actors ----------------------------------------------------------------------------------

RUSSIA = Actor("russia", "Russia", ActorKind.STATE)
US = Actor("us", "United States", ActorKind.STATE)
FRANCE = Actor("france", "France", ActorKind.STATE)
US_ALLIES = Actor("us-allies", "Allies of the United States", ActorKind.OTHER)
NATO = Actor("nato", "NATO", ActorKind.ALLIANCE)
RU_MOD = Actor("ru-mod", "Russian defence ministry", ActorKind.GOVERNMENT, speaks_for="russia")
RU_AIR_FORCE = Actor("ru-air-force", "Russian air force", ActorKind.MILITARY)
RU_MILITARY = Actor("ru-military", "Russian military", ActorKind.MILITARY, speaks_for="russia")
US_MILITARY = Actor("us-military", "US military", ActorKind.MILITARY, speaks_for="us")
LAVROV = Actor(
    "lavrov", "Sergei Lavrov", ActorKind.PERSON, speaks_for="russia", role="Foreign Minister"
)
KERRY = Actor(
    "kerry",
    "John Kerry",
    ActorKind.PERSON,
    speaks_for="us",
    role="top US diplomat, Lavrov's counterpart",
)
LE_DRIAN = Actor(
    "le-drian",
    "Jean-Yves Le Drian",
    ActorKind.PERSON,
    speaks_for="france",
    role="Defence Minister",
    # France itself takes no part in the article's events: name it here.
    principal_name="France",
)
PUTIN = Actor("putin", "Vladimir Putin", ActorKind.PERSON, speaks_for="russia", role="President")
ACTIVISTS = Actor(
    "syrian-opposition-activists", "Syrian opposition activists", ActorKind.CIVIL_SOCIETY
)

# -- sources ---------------------------------------------------------------------------------

SRC_RU_MOD = Source("Russian defence ministry", SourceKind.MILITARY, actor="ru-mod")
SRC_US = Source("US government", SourceKind.GOVERNMENT, actor="us")
SRC_US_ALLIES = Source("Allies of the United States", SourceKind.GOVERNMENT, actor="us-allies")
SRC_RUSSIA = Source("Russian government", SourceKind.GOVERNMENT, actor="russia")
SRC_NATO = Source("NATO", SourceKind.ORGANISATION, actor="nato")
SRC_NYT = Source("The New York Times", SourceKind.MEDIA)
SRC_WSJ = Source("The Wall Street Journal", SourceKind.MEDIA)
SRC_ACTIVISTS = Source(
    "Syrian opposition activists", SourceKind.ACTIVISTS, actor="syrian-opposition-activists"
)


def official(actor: Actor, quote: str | None = None) -> Source:
    """Return a named official as the source of their own words."""
    return Source(actor.name, SourceKind.OFFICIAL, quote=quote, actor=actor.id)


# -- propositions ----------------------------------------------------------------------------

TARGETED_ISIS = Proposition(
    "strikes-targeted-isis", "The Russian air strikes of 30 September 2015 targeted ISIS"
)
HIT_CIVILIAN_AREAS = Proposition(
    "strikes-hit-civilian-areas",
    "The Russian air strikes hit civilian infrastructure or areas nearby",
)
TARGETED_MILITANTS = Proposition(
    "strikes-targeted-islamist-militants",
    "The Russian air strikes targeted Islamist militants who have taken over large parts of "
    "Syria and Iraq",
)
RUSSIA_COORDINATED = Proposition(
    "russia-coordinated-with-us-led-forces",
    "Russia co-ordinated its strikes with the US-led forces against ISIS",
)
ASSAD_SHOULD_LEAVE = Proposition(
    "assad-should-leave-office",
    "President Bashar al-Assad should leave office",
    PropositionKind.POLICY,
)
CHANNELS_NEEDED = Proposition(
    "channels-of-communication-needed",
    "Russia and the US need channels of communication to avoid unintended incidents in Syria",
    PropositionKind.POLICY,
)
SUPPORT_SYRIAN_ARMY = Proposition(
    "support-syrian-army-against-terrorists",
    "Russia should support the Syrian army in its fight with terrorist groups",
    PropositionKind.POLICY,
)
ASSAD_TALKS_WITH_OPPOSITION = Proposition(
    "assad-should-talk-with-opposition",
    "Assad should talk with the Syrian opposition about a political settlement",
    PropositionKind.POLICY,
)

STRIKE_CODES = Codes(cameo="195", plover="ASSAULT", acled="Explosions/Remote violence")
WEDNESDAY = When.on("2015-09-30", tz=DAMASCUS, phrase="Wednesday, September 30")


def strikes() -> list[Event]:
    """Return the strike, casualty and notification reports."""
    return [
        StrikeReported(
            id="strikes-ru-mod",
            occurred=When.on("2015-09-30", tz=DAMASCUS, phrase="on September 30"),
            reported=PUBLISHED,
            sources=(SRC_RU_MOD,),
            codes=STRIKE_CODES,
            summary="Russian defence officials say their aircraft carried out about 20 missions "
            "against ISIS, hitting military equipment, communication facilities, arms depots, "
            "ammunition and fuel supplies",
            actor=RU_AIR_FORCE,
            missions=Quantity.about(20),
            targets=(
                "ISIS military equipment",
                "communication facilities",
                "arms depots",
                "ammunition and fuel supplies",
            ),
            region="Syria",
        ),
        StrikeReported(
            id="strikes-nyt-wsj",
            occurred=WEDNESDAY,
            reported=PUBLISHED,
            sources=(SRC_NYT, SRC_WSJ),
            codes=STRIKE_CODES,
            summary="The New York Times and the Wall Street Journal report that US-backed "
            "rebels were targeted by Russia",
            actor=RU_AIR_FORCE,
            targets=("US-backed rebels",),
            region="Syria",
        ),
        StrikeReported(
            id="strikes-activists",
            occurred=WEDNESDAY,
            reported=PUBLISHED,
            sources=(SRC_ACTIVISTS,),
            codes=STRIKE_CODES,
            summary="Syrian opposition activists say Russian warplanes hit towns including "
            "Zafaraneh, Rastan and Talbiseh",
            actor=RU_AIR_FORCE,
            places=("Zafaraneh", "Rastan", "Talbiseh"),
            region="Syria",
        ),
        CasualtiesReported(
            id="casualties-activists",
            occurred=WEDNESDAY,
            reported=PUBLISHED,
            sources=(SRC_ACTIVISTS,),
            summary="Activists say the Russian strikes killed at least 36 civilians, a number "
            "of them children",
            killed=Quantity.at_least(36),
            among="civilians",
            places=("Zafaraneh", "Rastan", "Talbiseh"),
            cause="strikes-activists",
            detail="a number of them children",
        ),
        StrikeReported(
            id="us-campaign",
            occurred=undated(DAMASCUS, "is targeting (an ongoing campaign; no start given)"),
            reported=PUBLISHED,
            sources=(SRC_US,),
            codes=STRIKE_CODES,
            summary="The US is targeting ISIS with air strikes in both Syria and Iraq",
            actor=US,
            targets=("ISIS",),
            region="Syria and Iraq",
        ),
        NotificationGiven(
            id="us-informed",
            occurred=When.relative(
                to="strikes-ru-mod",
                offset=pendulum.duration(hours=-1),
                phrase="only an hour before they took place",
            ),
            reported=PUBLISHED,
            sources=(SRC_US,),
            summary="The US says it was informed of Wednesday's air strikes only an hour "
            "before they took place",
            notifier=RUSSIA,
            recipient=US,
            about="strikes-ru-mod",
            lead_time=pendulum.duration(hours=1),
            content="Wednesday's air strikes",
        ),
    ]


def talks() -> list[Event]:
    """Return the announcement of military talks and what the diplomats said about them."""
    return [
        TalksAnnounced(
            id="talks-announced",
            occurred=undated(WASHINGTON, "the countries' top diplomats say"),
            reported=PUBLISHED,
            sources=(official(LAVROV), official(KERRY, "as soon as possible")),
            codes=Codes(cameo="036"),
            summary="Russia and US military will hold talks as soon as possible to avoid "
            "clashing in Syria, maybe as early as October 1",
            talks="ru-us-military-talks",
            parties=(RU_MILITARY, US_MILITARY),
            topic="avoid clashing in Syria",
            scheduled=When.on(
                "2015-10-01",
                tz=WASHINGTON,
                qualifier=Qualifier.UNCERTAIN,
                phrase="“as soon as possible,” maybe as early as October 1",
            ),
            announced_by=(LAVROV, KERRY),
        ),
        StatementMade(
            id="lavrov-channels",
            occurred=undated(MOSCOW, "said"),
            reported=PUBLISHED,
            sources=(official(LAVROV),),
            summary="Lavrov says there is a need for channels of communication to avoid "
            "unintended incidents",
            speaker=LAVROV,
            quote="establish channels of communication to avoid any unintended incidents",
            stances=(StanceOn(CHANNELS_NEEDED, Stance.SUPPORTS),),
        ),
        StatementMade(
            id="kerry-talks",
            occurred=undated(WASHINGTON, "said"),
            reported=PUBLISHED,
            sources=(official(KERRY),),
            summary="Kerry says talks will be held as soon as possible, maybe as early as "
            "October 1",
            speaker=KERRY,
            quote="as soon as possible",
            stances=(StanceOn(CHANNELS_NEEDED, Stance.SUPPORTS),),
        ),
    ]


def statements() -> list[Event]:
    """Return the statements and claims about the strikes, and the positions on Assad."""
    return [
        StatementMade(
            id="ru-mod-targets",
            occurred=undated(MOSCOW, "Russian defense officials say"),
            reported=PUBLISHED,
            sources=(SRC_RU_MOD,),
            summary="The Russian defence ministry says the air force targeted ISIS and did not "
            "hit civilian infrastructure or areas nearby",
            speaker=RU_MOD,
            stances=(
                StanceOn(TARGETED_ISIS, Stance.SUPPORTS),
                StanceOn(HIT_CIVILIAN_AREAS, Stance.DISPUTES),
            ),
        ),
        StatementMade(
            id="us-fears",
            occurred=undated(WASHINGTON, "expressed fears"),
            reported=PUBLISHED,
            sources=(SRC_US,),
            summary="The US fears the targets were non-ISIS opponents of Assad, Russia's ally",
            speaker=US,
            stances=(StanceOn(TARGETED_ISIS, Stance.DISPUTES),),
        ),
        StatementMade(
            id="nato-coordination",
            occurred=undated(BRUSSELS, "NATO said"),
            reported=PUBLISHED,
            sources=(SRC_NATO,),
            summary="NATO says there had been little co-ordination by Russia with US-led "
            "forces against ISIS",
            speaker=NATO,
            stances=(StanceOn(RUSSIA_COORDINATED, Stance.DISPUTES),),
        ),
        StatementMade(
            id="kerry-concern",
            occurred=undated(WASHINGTON, "John Kerry added"),
            reported=PUBLISHED,
            sources=(official(KERRY),),
            summary="Kerry says the concern is that the strikes were not targeting ISIS",
            speaker=KERRY,
            # The article's own typographic apostrophes are kept: a quote is verbatim.
            quote="It’s one thing to be targeting Isil, but the concern, obviously, is that "  # noqa: RUF001
            "this is not what was happening.",
            stances=(StanceOn(TARGETED_ISIS, Stance.DISPUTES),),
        ),
        StatementMade(
            id="le-drian-lawmakers",
            occurred=undated(PARIS, "told French lawmakers"),
            reported=PUBLISHED,
            sources=(official(LE_DRIAN),),
            summary="Le Drian tells French lawmakers the strikes did not hit Islamic State",
            speaker=LE_DRIAN,
            quote="Curiously, they didn’t hit Islamic State. I will let you draw a certain "  # noqa: RUF001
            "number of conclusions yourselves.",
            stances=(StanceOn(TARGETED_ISIS, Stance.DISPUTES),),
            audience="French lawmakers",
        ),
        StatementMade(
            id="us-assad",
            occurred=undated(WASHINGTON, "have insisted"),
            reported=PUBLISHED,
            sources=(SRC_US,),
            summary="The US has insisted that Assad should leave office",
            speaker=US,
            stances=(StanceOn(ASSAD_SHOULD_LEAVE, Stance.SUPPORTS),),
        ),
        StatementMade(
            id="us-allies-assad",
            occurred=undated(WASHINGTON, "have insisted"),
            reported=PUBLISHED,
            sources=(SRC_US_ALLIES,),
            summary="The allies of the US have insisted that Assad should leave office",
            speaker=US_ALLIES,
            stances=(StanceOn(ASSAD_SHOULD_LEAVE, Stance.SUPPORTS),),
        ),
        StatementMade(
            id="russia-assad",
            occurred=undated(MOSCOW, "has backed him remaining in power"),
            reported=PUBLISHED,
            sources=(SRC_RUSSIA,),
            summary="Russia has backed Assad remaining in power",
            speaker=RUSSIA,
            stances=(StanceOn(ASSAD_SHOULD_LEAVE, Stance.OPPOSES),),
        ),
        StatementMade(
            id="activists-no-isis",
            occurred=undated(DAMASCUS, "activists said"),
            reported=PUBLISHED,
            sources=(SRC_ACTIVISTS,),
            summary="Activists say none of the areas targeted was controlled by ISIS",
            speaker=ACTIVISTS,
            stances=(
                StanceOn(TARGETED_ISIS, Stance.DISPUTES),
                StanceOn(HIT_CIVILIAN_AREAS, Stance.SUPPORTS),
            ),
        ),
        StatementMade(
            id="putin-militants",
            occurred=undated(MOSCOW, "in a TV address"),
            reported=PUBLISHED,
            sources=(official(PUTIN),),
            summary="Putin says the air strikes were targeting Islamist militants, including "
            "Russian citizens, who have taken over large parts of Syria and Iraq",
            speaker=PUTIN,
            stances=(StanceOn(TARGETED_MILITANTS, Stance.SUPPORTS),),
            medium="TV address",
        ),
        StatementMade(
            id="putin-return",
            occurred=undated(MOSCOW, "in a TV address"),
            reported=PUBLISHED,
            sources=(official(PUTIN),),
            summary="Putin says militants who succeed in Syria will come to Russia too",
            speaker=PUTIN,
            quote="If they [militants] succeed in Syria, they will return to their home "
            "country, and they will come to Russia, too",
            medium="TV address",
        ),
        StatementMade(
            id="putin-syrian-army",
            occurred=undated(MOSCOW, "he added"),
            reported=PUBLISHED,
            sources=(official(PUTIN),),
            summary="Putin says Russia would be supporting the Syrian army in its fight with "
            "terrorist groups",
            speaker=PUTIN,
            quote="supporting the Syrian army purely in its legitimate fight with terrorist groups",
            stances=(StanceOn(SUPPORT_SYRIAN_ARMY, Stance.SUPPORTS),),
            medium="TV address",
        ),
        StatementMade(
            id="putin-settlement",
            occurred=undated(MOSCOW, "also said"),
            reported=PUBLISHED,
            sources=(official(PUTIN),),
            summary="Putin expects Assad to talk with the 'healthy' Syrian opposition about a "
            "political settlement",
            speaker=PUTIN,
            quote="healthy",
            stances=(StanceOn(ASSAD_TALKS_WITH_OPPOSITION, Stance.SUPPORTS),),
            medium="TV address",
        ),
    ]


def build() -> list[Event]:
    """Return every event of the dataset, in the order the article reports them."""
    by_id = {event.id: event for event in [*strikes(), *talks(), *statements()]}
    return [by_id[event_id] for event_id in ARTICLE_ORDER]


ARTICLE_ORDER = (
    "talks-announced",
    "strikes-ru-mod",
    "us-fears",
    "us-campaign",
    "nato-coordination",
    "us-informed",
    "strikes-nyt-wsj",
    "lavrov-channels",
    "kerry-talks",
    "kerry-concern",
    "le-drian-lawmakers",
    "us-assad",
    "us-allies-assad",
    "russia-assad",
    "ru-mod-targets",
    "strikes-activists",
    "casualties-activists",
    "activists-no-isis",
    "putin-militants",
    "putin-return",
    "putin-syrian-army",
    "putin-settlement",
)
"""Event ids in the order the article first reports them (the dataset file's order)."""


def write(path: Path = DATA_FILE) -> int:
    """Write the dataset as JSON Lines to `path`; return how many events were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        return dump_jsonl(build(), stream)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_FILE
    print(f"wrote {write(target)} events to {target}")
