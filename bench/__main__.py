"""``python -m bench STEP PARAMS_JSON OUT_JSON``: run one step in this fresh process."""

import sys

from bench.process import run_child

run_child(sys.argv[1:])
