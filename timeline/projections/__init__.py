"""Projections: the situation and every actor's position as of any valid and knowledge time.

The rules of the three clocks (what counts at ``at=``, what is known at ``known_at=`` and by
``known_by=``, uncertain times, corrections, retractions, relative times) live in
`timeline.projections.knowledge`.
"""

from timeline.errors import DiffError, ProjectionError, QueryError
from timeline.projections.base import Projection, Query, project
from timeline.projections.checkpoints import TimeMachine
from timeline.projections.collector import paused_collection
from timeline.projections.diff import Change, Diff, diff
from timeline.projections.knowledge import Fact, PossibleRevision, Unresolved
from timeline.projections.positions import Position, Positions, StanceRecord
from timeline.projections.situation import (
    Casualties,
    Dispute,
    Notification,
    Situation,
    Strike,
    Talks,
    TalksStatus,
    positions,
    situation,
)

__all__ = [
    "Casualties",
    "Change",
    "Diff",
    "DiffError",
    "Dispute",
    "Fact",
    "Notification",
    "Position",
    "Positions",
    "PossibleRevision",
    "Projection",
    "ProjectionError",
    "Query",
    "QueryError",
    "Situation",
    "StanceRecord",
    "Strike",
    "Talks",
    "TalksStatus",
    "TimeMachine",
    "Unresolved",
    "diff",
    "paused_collection",
    "positions",
    "project",
    "situation",
]
