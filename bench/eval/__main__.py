"""`python -m bench.eval`: the whole evaluation (what `make eval` runs)."""

import sys

from bench.eval.run import main

sys.exit(main())
