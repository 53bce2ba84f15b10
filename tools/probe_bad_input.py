"""Command line of the bad-input probe; the probe and its documentation are in tools/probe/.

    PYTHONPATH=<repo> python -m tools.probe_bad_input [-v] [--only NAME]
"""

import sys

from tools.probe.judge import main

if __name__ == "__main__":
    sys.exit(main())
