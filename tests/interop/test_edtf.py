"""EDTF in and out, checked against the `edtf` package and the specification's examples."""

from __future__ import annotations

import datetime as dt

import edtf
import pendulum
import pytest
from edtf.appsettings import SEASON_L2_MONTHS_RANGE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests._profile import examples
from timeline import InvalidTimeError, Qualifier, When
from timeline._calendar import OPEN_EARLIEST, OPEN_LATEST
from timeline._when_formats import SEASON_MONTHS
from timeline.testing import strategies as ts
from timeline.when import Bound, Precision, WhenKind

from .edtf_examples import INVALID, LEVEL_0, LEVEL_1, LEVEL_2, OPEN

# Each case parses in the `edtf` package (about 50 ms): 400 and 100 in CI, 2,000 and 200 thorough.
MANY = settings(
    max_examples=examples(400, 2000), deadline=None, suppress_health_check=list(HealthCheck)
)
SOME = settings(
    max_examples=examples(100, 200), deadline=None, suppress_health_check=list(HealthCheck)
)
ZONES = st.sampled_from(["UTC", "Asia/Damascus", "America/New_York", "Asia/Kathmandu"])


def _first_and_last_day(when: When) -> tuple[str, str]:
    """Return a When's first and last local day as ISO dates, "open" for an open end."""
    first = OPEN if when.start_bound is not Bound.KNOWN else when.earliest.date().isoformat()
    last_instant = when.latest
    # A period (of any unit: a day, an hour) ends just before its `latest` instant.
    if not when.is_instant and (
        when.kind is WhenKind.PERIOD
        or when.precision in (Precision.YEAR, Precision.MONTH, Precision.DAY)
        or when.season is not None
    ):
        last_instant = last_instant.subtract(microseconds=1)
    last = OPEN if when.end_bound is not Bound.KNOWN else last_instant.date().isoformat()
    return first, last


def _edtf_days(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day the `edtf` package gives `text` (None when infinite)."""
    parsed = edtf.parse_edtf(text)
    days = [
        None if isinstance(bound, float) else dt.date(*bound[:3])
        for bound in (parsed.lower_strict(), parsed.upper_strict())
    ]
    return days[0], days[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    LEVEL_0 + LEVEL_1 + LEVEL_2,
    ids=[t for t, _ in LEVEL_0 + LEVEL_1 + LEVEL_2],
)
def test_spec_examples_parse_with_their_bounds_or_say_why_not(
    text: str, expected: tuple[str, str] | str
) -> None:
    """Each example of the specification is read with its bounds, or refused with a reason."""
    if isinstance(expected, str):
        with pytest.raises(InvalidTimeError, match=expected):
            When.from_edtf(text, tz="UTC")
        return
    zone = "UTC" if "T" not in text or text.endswith("Z") or "+" not in text else "Etc/GMT-5"
    when = When.from_edtf(text, tz=zone)
    assert _first_and_last_day(when) == expected
    assert When.from_edtf(when.to_edtf(), tz=zone) == when


@pytest.mark.parametrize("text", INVALID)
def test_what_the_spec_rejects_is_refused(text: str) -> None:
    """Strings the specification does not allow raise InvalidTimeError naming them."""
    with pytest.raises(InvalidTimeError, match="EDTF"):
        When.from_edtf(text, tz="UTC")


def test_an_interval_that_ends_before_it_starts_is_refused() -> None:
    """'2020/2019' is not a zero-length interval: it ends before it starts."""
    with pytest.raises(InvalidTimeError, match="ends before it starts"):
        When.from_edtf("2020/2019", tz="UTC")


def test_qualifiers_stay_with_their_end() -> None:
    """A qualifier on one end of an interval stays on that end only."""
    when = When.from_edtf("1984~/2004-06", tz="UTC")
    assert (when.qualifier, when.end_qualifier) == (Qualifier.APPROXIMATE, Qualifier.NONE)
    assert (when.precision, when.end_precision) == (Precision.YEAR, Precision.MONTH)
    assert when.to_edtf() == "1984~/2004-06"
    assert When.from_edtf("1984/2004-06~", tz="UTC").to_edtf() == "1984/2004-06~"
    assert When.from_edtf("1984?/2004%", tz="UTC").to_edtf() == "1984?/2004%"


def test_open_and_unknown_ends() -> None:
    """'Since 2011' is an interval with an open end, as far as a When reaches."""
    since = When.from_edtf("2011/..", tz="Asia/Damascus")
    assert since.end_bound is Bound.OPEN
    assert since.earliest == pendulum.datetime(2011, 1, 1, tz="Asia/Damascus")
    assert since.latest == OPEN_LATEST
    assert since == When.since(When.from_edtf("2011", tz="Asia/Damascus"))
    assert str(since) == "since 2011 Asia/Damascus"
    unknown = When.from_edtf("/2006", tz="UTC")
    assert unknown.start_bound is Bound.UNKNOWN
    assert unknown.earliest == OPEN_EARLIEST
    assert unknown.to_edtf() == "/2006"


def test_seasons_are_the_months_the_edtf_package_gives() -> None:
    """Every season, quarter, quadrimester and semester code covers the same months."""
    assert {code: tuple(months) for code, months in SEASON_L2_MONTHS_RANGE.items()} == (
        SEASON_MONTHS
    )
    spring = When.from_edtf("2001-21", tz="UTC")
    assert spring.season == 21
    assert str(spring) == "spring 2001 UTC"


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (When.about(pendulum.datetime(2015, 9, 30, 10, tz="UTC"), dt.timedelta(hours=1)), "give"),
        (
            When.exact(pendulum.datetime(2015, 9, 30, 10, tz="UTC"), qualifier=Qualifier.UNCERTAIN),
            "date-times",
        ),
        (When.exact(pendulum.datetime(2015, 9, 30, 10, 0, 0, 5, tz="UTC")), "whole seconds"),
        (When.within(pendulum.datetime(2015, 9, 30, 10, tz="UTC"), Precision.HOUR), "hour"),
        (
            When.between(
                pendulum.datetime(2015, 9, 30, 10, tz="UTC"),
                pendulum.datetime(2015, 9, 30, 11, tz="UTC"),
            ),
            "join dates",
        ),
    ],
)
def test_what_edtf_cannot_say_raises_unless_lossy(when: When, reason: str) -> None:
    """A time EDTF cannot say exactly raises, naming why; lossy=True gives its dates."""
    with pytest.raises(InvalidTimeError, match=reason):
        when.to_edtf()
    assert when.to_edtf(lossy=True).startswith("2015-09-30")


def _agree_on_bounds(when: When, text: str, *, exact: bool) -> None:
    first, last = _edtf_days(text)
    ours_first, ours_last = _first_and_last_day(when)
    if exact:
        assert (first.isoformat() if first else OPEN) == ours_first or when.is_open
        assert (last.isoformat() if last else OPEN) == ours_last or when.is_open
    else:
        assert first is not None
        assert last is not None
        assert first.isoformat() <= ours_first
        assert last.isoformat() >= ours_last


@MANY
@given(ts.whens(zone=ZONES))
@example(When.on("2015-10-01", tz="Asia/Damascus", qualifier=Qualifier.UNCERTAIN))
def test_every_time_gives_edtf_the_edtf_package_accepts(when: When) -> None:
    """Every When's EDTF parses in the `edtf` package, reads back and agrees on bounds.

    A time EDTF can say exactly reads back equal; any other raises, and its lossy form
    holds all of it.
    """
    try:
        text = when.to_edtf()
    except InvalidTimeError as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        assert "EDTF cannot express" in problem
        text = when.to_edtf(lossy=True)
        back = When.from_edtf(text, tz=when.zone)
        assert back.earliest <= when.earliest
        assert back.latest >= when.latest
        _agree_on_bounds(when, text, exact=False)
    else:
        assert When.from_edtf(text, tz=when.zone, phrase=when.phrase) == when
        _agree_on_bounds(when, text, exact=True)


@st.composite
def _edtf_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1000, 2999))
    form = draw(st.sampled_from(["y", "ym", "ymd", "season", "masked"]))
    mark = draw(st.sampled_from(["", "?", "~", "%"]))
    if form == "y":
        return f"{year:04d}{mark}"
    month = draw(st.integers(1, 12))
    if form == "ym":
        return f"{year:04d}-{month:02d}{mark}"
    if form == "ymd":
        return f"{year:04d}-{month:02d}-{draw(st.integers(1, 28)):02d}{mark}"
    if form == "season":
        return f"{year:04d}-{draw(st.integers(21, 41))}"
    return f"{year // 10:03d}X{mark}"


@st.composite
def _edtf_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(_edtf_dates())
    plain = _edtf_dates().filter(
        lambda t: "X" not in t and t[5:7] < "13" if "-" in t else "X" not in t
    )
    lower = draw(st.sampled_from(["", ".."]) | plain)
    upper = draw(st.sampled_from(["", ".."]) | plain)
    if lower in ("", "..") and upper in ("", ".."):
        upper = draw(plain)
    return f"{lower}/{upper}"


@SOME
@given(_edtf_texts(), ZONES)
def test_edtf_read_in_prints_back_the_same(text: str, zone: str) -> None:
    """Any EDTF date or interval a When holds prints back as the same string."""
    try:
        when = When.from_edtf(text, tz=zone)
    except InvalidTimeError as exc:
        problem = str(exc)
        assert (
            "ends before it starts" in problem or "not a real date" in problem
        )  # a drawn interval may be inverted
        return
    assert when.to_edtf() == text.replace("?1", "1")
    assert When.from_edtf(when.to_edtf(), tz=zone) == when
    _agree_on_bounds(when, text, exact=True)


def test_when_and_its_text_forms_do_not_import_each_other() -> None:
    """`timeline.when` and `timeline._when_formats` share `timeline._calendar`, not a cycle."""
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import timeline  # noqa: PLC0415

    package = Path(timeline.__file__).parent

    def imported(name: str) -> set[str]:
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        return found

    assert not {"timeline.when"} & imported("_when_formats.py")
    assert "timeline._when_formats" in imported("when.py")
