"""The build stage: the pipeline as a list of stages over one build context, written atomically.

- :mod:`.stages`: the stages in order (validate, fund facts, content, metrics, pages, render, write);
- :mod:`.context`: the build context, options, result and stage timer;
- :mod:`.jobs`: page jobs and the worker processes; :mod:`.output`: the temporary folder and the swap;
- :mod:`.previous`: the previous build's output; :mod:`.report`: build.json and the end-of-build report;
- :mod:`.uptodate`: the no-change fast path; :mod:`.linkcheck`: every link of a built site resolves.
"""
from __future__ import annotations

_LAZY = {"build": "pipeline", "run_stages": "pipeline", "STAGES": "stages", "BuildContext": "context", "BuildOptions": "context",
         "BuildResult": "context"}


def __getattr__(name: str):
    """``build`` and friends, imported on first use: :mod:`.uptodate` (the no-change fast path) must not
    pay for pandas and the rest of the pipeline."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


__all__ = list(_LAZY)
