"""Load the timeline Hypothesis profile ("fast" unless TIMELINE_HYPOTHESIS_PROFILE says otherwise)."""

from timeline.testing import load_profile

load_profile()
