"""Build a few reports from 30 September 2015, write them as JSON Lines and read them back."""

import datetime as dt
import io

from timeline import (
    Actor,
    ActorKind,
    NotificationGiven,
    Quantity,
    Source,
    SourceKind,
    StrikeReported,
    When,
)
from timeline.serialization import dump_jsonl, load_jsonl

RUSSIA = Actor(id="russia", name="Russia", kind=ActorKind.STATE)
US = Actor(id="us", name="United States", kind=ActorKind.STATE)
WEDNESDAY = When.on("2015-09-30", tz="Asia/Damascus", phrase="Wednesday")
ARTICLE = When.on("2015-10-01", tz="Europe/London")

strike = StrikeReported(
    id="strikes-2015-09-30",
    occurred=WEDNESDAY,
    reported=ARTICLE,
    actor=RUSSIA,
    missions=Quantity.about(20),
    targets=("ISIS",),
    sources=(Source(name="Russian defence ministry", kind=SourceKind.MILITARY),),
)
notice = NotificationGiven(
    id="us-informed",
    occurred=When.relative(
        to=strike.id, offset=dt.timedelta(hours=-1), phrase="an hour before they took place"
    ),
    reported=ARTICLE,
    notifier=RUSSIA,
    recipient=US,
    about=strike.id,
    lead_time=dt.timedelta(hours=1),
    sources=(Source(name="US officials", kind=SourceKind.GOVERNMENT),),
)

buffer = io.StringIO()
dump_jsonl([strike, notice], buffer)
print(buffer.getvalue(), end="")
buffer.seek(0)
events = list(load_jsonl(buffer))
assert events == [strike, notice]
resolved = notice.occurred.resolve(strike.occurred)
print(f"{strike.actor.name} flew {strike.missions} missions on {strike.occurred.to_edtf()}")
print(f"the US was told between {resolved.earliest} and {resolved.latest}")
