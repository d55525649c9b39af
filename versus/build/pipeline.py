"""``build()``: the stages of :mod:`.stages` in order over one build context."""
from __future__ import annotations

from pathlib import Path

from .context import BuildContext, BuildOptions, BuildResult
from .outdir import Lock
from .output import recover_output
from .plan import expand_rules
from .stages import STAGES


def build(cfg, md, out: Path, **options) -> BuildResult:
    """Build the whole site into ``out``: the :data:`~versus.build.stages.STAGES` in order over one
    :class:`BuildContext`.  Options (:class:`BuildOptions`): ``as_of``, ``funds_path``, ``quiet``,
    ``previous`` (an earlier build's output, for what changed; default ``out``), ``freshness`` (a live
    build's report: the banner), ``content_dir``, ``check_only`` (``--check``: nothing written) and
    ``inputs_sha256`` (recorded in build.json for the no-change fast path).

    One build at a time writes ``out``: the build holds its lock (:class:`~versus.build.outdir.Lock`,
    re-entrant: the command line takes it before loading data)."""
    opts = BuildOptions(**options)
    ctx = BuildContext(expand_rules(cfg, opts.funds_path), md, out, opts)  # the rules' pairs, if not yet added
    if ctx.check_only:
        return run_stages(ctx).finish()
    with Lock(out):
        return run_stages(ctx).finish()


def run_stages(ctx: BuildContext, upto: str | None = None) -> BuildContext:
    """Run the stages over ``ctx`` in order, through the stage named ``upto`` (default: all; ``write`` is
    left out under ``check_only``), and return it: the preview keeps it to rebuild single pages.  The
    temporary output folder is removed if a stage fails."""
    if not ctx.check_only:
        recover_output(ctx.out)  # what a killed build left: its temporary folder, or the previous site set aside
    try:
        for name, stage in STAGES:
            if name == "write" and ctx.check_only:
                break
            with ctx.progress.stage(name):
                stage(ctx)
            if name == upto:
                break
    except BaseException:
        if ctx.output is not None:
            ctx.output.discard()  # also after an error inside a worker: the pool has stopped when it reaches here
        raise
    return ctx

