"""Persistent collections behave like their mutable models and never change once made."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from timeline.projections.persistent import Chain, PMap


class _Collide:
    """A key whose hash collides with every other, to reach the trie's buckets."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        return 7

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Collide) and other.n == self.n


@given(st.lists(st.tuples(st.integers(-50, 50), st.integers())))
def test_pmap_matches_a_dict_and_keeps_old_versions(pairs: list[tuple[int, int]]) -> None:
    """Every PMap version holds what a dict held at that point."""
    versions: list[tuple[PMap[int, int], dict[int, int]]] = [(PMap(), {})]
    for key, value in pairs:
        pmap, model = versions[-1]
        versions.append((pmap.set(key, value), {**model, key: value}))
    for pmap, model in versions:
        assert dict(pmap.items()) == model
        assert len(pmap) == len(model)
        assert all(pmap.get(k) == v for k, v in model.items())


def test_pmap_handles_full_hash_collisions() -> None:
    """Keys with equal hashes are all kept and replaced by key."""
    pmap: PMap[_Collide, int] = PMap()
    for n in range(5):
        pmap = pmap.set(_Collide(n), n)
    pmap = pmap.set(_Collide(2), 20)
    assert len(pmap) == 5
    assert pmap.get(_Collide(2)) == 20
    assert pmap.get(_Collide(9)) is None


@given(st.lists(st.integers()), st.integers(0, 20), st.lists(st.integers()))
def test_chain_branches_leave_older_chains_alone(
    first: list[int], cut: int, second: list[int]
) -> None:
    """Appending to an older chain copies; neither branch sees the other's items."""
    chains = [Chain[int]()]
    for item in first:
        chains.append(chains[-1].append(item))
    base = chains[min(cut, len(first))]
    branch = base
    for item in second:
        branch = branch.append(item)
    assert chains[-1].to_tuple() == tuple(first)
    assert branch.to_tuple() == tuple(first[: len(base)]) + tuple(second)
    assert list(base) == first[: len(base)]


@given(st.lists(st.integers()), st.integers(0, 20), st.lists(st.lists(st.integers())))
def test_chain_extend_equals_appending_each_item(
    first: list[int], cut: int, runs: list[list[int]]
) -> None:
    """`extend` adds a run of items as `append` one by one would, branching alike."""
    chains = [Chain[int]()]
    for item in first:
        chains.append(chains[-1].append(item))
    base = chains[min(cut, len(first))]
    extended = appended = base
    for run in runs:
        extended = extended.extend(run)
        for item in run:
            appended = appended.append(item)
    assert extended.to_tuple() == appended.to_tuple()
    assert chains[-1].to_tuple() == tuple(first)
    assert base.extend([]) is base
