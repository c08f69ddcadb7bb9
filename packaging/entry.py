"""Entry point of the frozen app (both executables): start a worker process, or run the ``thread-kitchen`` CLI.

Parameter sweeps run their variants in "spawn" worker processes; in a frozen
app each worker is this executable again, and ``freeze_support`` turns it
into a worker instead of a second copy of the app.
"""

import multiprocessing
import sys

from kitchen.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
