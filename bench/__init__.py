"""The benchmark suite behind ``borderatlas bench``: one reproducible run, one table.

It measures the product from outside and ships beside it, not in it (``mapapp`` never imports
it). Every measured step runs in a fresh Python process (``python -m bench STEP PARAMS OUT``),
so loading is cold and each step's peak resident memory is its own. The parent process only
starts steps and collects their figures; every figure of a report comes from the same run, and
every ratio is ours divided by the baseline measured in that run.

- :mod:`bench.config`: what a run measures (the full run, ``--quick``).
- :mod:`bench.targets`: every target the bench checks, in one table.
- :mod:`bench.steps`: the measured steps, one module per group.
- :mod:`bench.synthetic`: the synthetic events of the scale runs.
- :mod:`bench.measure`: clocks, memory (from ``/proc``) and the machine.
- :mod:`bench.process`: a step in its own process, both sides of it.
- :mod:`bench.figures`: step results turned into the report's figures.
- :mod:`bench.report`: the figures as a table, Markdown or JSON.
- :mod:`bench.runner`: the whole run, step after step.

Targets are reported with ✓/✗, never asserted: tests check correctness, the bench measures.
This module imports nothing, so a step process loads only what its step needs.
"""
