"""Shared test configuration: the Hypothesis profile comes from TIMELINE_HYPOTHESIS_PROFILE."""

from timeline.testing import load_profile

load_profile()
