"""The build stage: the pipeline, stage by stage, written atomically; the report; the no-change fast path."""
from __future__ import annotations

from .pipeline import BuildResult, build

__all__ = ["BuildResult", "build"]
