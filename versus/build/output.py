"""The output folder: recover what a killed build left."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def recover_output(out: Path) -> list[str]:
    """Tidy up after a build that was killed while writing ``out`` (call before reading the previous site).

    A killed build leaves its temporary sibling folder (``.<out>.tmp-*``) and, if it died between the
    two renames of the swap, the previous site set aside as ``.<out>.old-<pid>`` with ``out`` missing:
    that previous site is put back, every other leftover is deleted.  Returns what was done, for tests.
    Builds into the same folder must not run at the same time (the publish workflow queues them).
    """
    out = Path(out).resolve()
    done: list[str] = []
    try:
        parent = out.parent
        if not parent.is_dir():
            return done
        olds = sorted(parent.glob(f".{out.name}.old-*"))
        if not out.exists() and len(olds) == 1 and olds[0].is_dir():
            os.replace(olds[0], out)
            done.append(f"restored {out} from {olds[0].name}")
            olds = []
        for stale in sorted(parent.glob(f".{out.name}.tmp-*")) + olds:
            shutil.rmtree(stale, ignore_errors=True)
            done.append(f"removed {stale.name}")
    except OSError:
        pass  # best effort: the build itself reports an output folder it cannot write
    return done
