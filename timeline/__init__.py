"""timeline: event-sourced timelines of unfolding news."""
