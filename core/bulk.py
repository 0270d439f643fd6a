"""Helpers for the few code paths that build hundreds of thousands of small objects at once.

`gc_paused()`: the cyclic garbage collector stays off while the block runs. A national allowance
run builds some two million tuples (rows read, facts, lines, rows written) that all live until
the run ends; each of Python's collections walks every one of them again, which took half of
the CPU time of reading a national run's memberships. None of these objects forms a cycle that
matters: reference counting frees them as usual, and the collector, back on afterwards, finds
whatever cycles the block left.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():  # already paused by an enclosing block (or by the caller)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
