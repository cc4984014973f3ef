"""The hash chain's recipe, pinned against a plain reading of its documentation."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from timeline.hashing import GENESIS, chain_hash, chain_hasher


def _reference(  # noqa: PLR0917 - the recipe's fields, in order
    previous: str,
    position: int,
    event_id: str,
    event_type: str,
    schema_version: int,
    recorded_at_us: int,
    payload: bytes,
) -> str:
    digest = hashlib.sha256()
    for part in (
        b"timeline-chain-v1",
        previous.encode("ascii"),
        str(position).encode("ascii"),
        event_id.encode("utf-8"),
        event_type.encode("utf-8"),
        str(schema_version).encode("ascii"),
        str(recorded_at_us).encode("ascii"),
        payload,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


hashes = st.just(GENESIS) | st.text("0123456789abcdef", min_size=64, max_size=64)


@given(
    hashes,
    st.integers(1, 10**12),
    st.text(min_size=1),
    st.text(min_size=1),
    st.integers(1, 1000),
    st.integers(-(10**17), 10**17),
    st.binary(),
)
def test_both_forms_follow_the_documented_recipe(  # noqa: PLR0917 - the recipe's fields
    previous: str,
    position: int,
    event_id: str,
    event_type: str,
    schema_version: int,
    recorded_at_us: int,
    payload: bytes,
) -> None:
    """`chain_hash` and `chain_hasher` give the bytes-for-bytes recipe's digest."""
    expected = _reference(
        previous, position, event_id, event_type, schema_version, recorded_at_us, payload
    )
    keyword = chain_hash(
        previous,
        position,
        event_id=event_id,
        event_type=event_type,
        schema_version=schema_version,
        recorded_at_us=recorded_at_us,
        payload=payload,
    )
    step = chain_hasher(recorded_at_us)
    assert keyword == expected
    assert step(previous, position, event_id, event_type, schema_version, payload) == expected
    assert step(previous, position, event_id, event_type, schema_version, payload) == expected


def test_a_known_digest() -> None:
    """A fixed record keeps the digest every stored timeline was written with."""
    assert chain_hash(
        GENESIS,
        1,
        event_id="e-1",
        event_type="strike_reported",
        schema_version=1,
        recorded_at_us=1443607200000000,
        payload=b'{"id":"e-1"}',
    ) == ("05d76bc9c7d7837f6279c1f0c3762396fa223e286afec5f9117c15d7bc3ff38b")
