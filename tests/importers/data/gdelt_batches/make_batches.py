"""Write GDELT 2.0 15-minute batches from ../gdelt_events.tsv, as GDELT publishes them.

Each quarter hour has ``<stamp>.export.CSV`` (the events added then) and
``<stamp>.mentions.CSV`` (the articles seen then): each mentions file mentions events of its
own quarter hour, of earlier ones, and of events published before these files begin (ids
481999...), as real files do. Run: ``python tests/importers/data/gdelt_batches/make_batches.py``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTLETS = ("reuters.com", "bbc.co.uk", "tass.com", "aljazeera.com", "lemonde.fr")


def _mention(gid: str, added: str, seen: str, n: int) -> str:
    outlet = OUTLETS[n % len(OUTLETS)]
    columns = [gid, added, seen, "1", outlet, f"https://{outlet}/story/{gid}/{n}", str(n % 5 + 1)]
    columns += ["10", "88", "40", "1", str(50 + n % 50), str(1000 + n), "-3.5", "", ""]
    return "\t".join(columns)


def main() -> None:
    rows = [
        line.split("\t") for line in (HERE.parent / "gdelt_events.tsv").read_text().splitlines()
    ]
    events: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        events[row[59]].append("\t".join(row))
    stamps = sorted(events)
    mentions: dict[str, list[str]] = defaultdict(list)
    n = 0
    for index, stamp in enumerate(stamps):
        # this quarter's events, and every earlier one, are mentioned now and in the next two
        for later in stamps[index : index + 3]:
            for row in rows:
                if row[59] <= stamp:
                    n += 1
                    mentions[later].append(_mention(row[0], row[59], later, n))
        n += 1
        mentions[stamp].append(_mention(f"4819999{index:02d}", "20150929120000", stamp, n))
    for stamp in stamps:
        (HERE / f"{stamp}.export.CSV").write_text("\n".join(events[stamp]) + "\n")
        (HERE / f"{stamp}.mentions.CSV").write_text("\n".join(mentions[stamp]) + "\n")


if __name__ == "__main__":
    main()
