"""The build stage: the pipeline as a list of stages over one build context, written atomically.

- :mod:`.stages`: the stages in order (validate, fund facts, content, metrics, pages, render, write);
- :mod:`.context`: the build context, options, result and stage timer;
- :mod:`.jobs`: page jobs and the worker processes; :mod:`.output`: the temporary folder and the swap;
- :mod:`.previous`: the previous build's output; :mod:`.report`: build.json and the end-of-build report;
- :mod:`.uptodate`: the no-change fast path; :mod:`.linkcheck`: every link of a built site resolves.
"""
from __future__ import annotations

from pathlib import Path

from .context import BuildContext, BuildOptions, BuildResult
from .output import recover_output
from .stages import STAGES


def build(cfg, md, out: Path, **options) -> BuildResult:
    """Build the whole site into ``out``: the :data:`~versus.build.stages.STAGES` in order over one
    :class:`BuildContext`.  Options (:class:`BuildOptions`): ``as_of``, ``funds_path``, ``quiet``,
    ``previous`` (an earlier build's output, for what changed; default ``out``), ``freshness`` (a live
    build's report: the banner), ``content_dir``, ``check_only`` (``--check``: nothing written) and
    ``inputs_sha256`` (recorded in build.json for the no-change fast path)."""
    ctx = BuildContext(cfg, md, out, BuildOptions(**options))
    if not ctx.check_only:
        recover_output(out)  # what a killed build left: its temporary folder, or the previous site set aside
    try:
        for name, stage in STAGES:
            if name == "write" and ctx.check_only:
                break
            with ctx.progress.stage(name):
                stage(ctx)
    except BaseException:
        if ctx.output is not None:
            ctx.output.discard()  # also after an error inside a worker: the pool has stopped when it reaches here
        raise
    return ctx.finish()


__all__ = ["BuildContext", "BuildOptions", "BuildResult", "STAGES", "build"]
