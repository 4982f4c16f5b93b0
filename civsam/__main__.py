"""`python -m civsam`: the command line (see civsam.cli)."""

import sys

from civsam.cli import main

sys.exit(main())
