"""``python -m timeline``: the `timeline` command (see `timeline.cli`)."""

import sys

from timeline.cli import main

sys.exit(main())
