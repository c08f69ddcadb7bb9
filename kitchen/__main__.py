"""``python -m kitchen`` runs the ``thread-kitchen`` command."""

import sys

from kitchen.cli import main

sys.exit(main())
