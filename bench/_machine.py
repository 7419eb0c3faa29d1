"""What machine a benchmark ran on, for docs/benchmarks.md (shared by the bench scripts)."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    return next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )


def memory_total() -> str:
    """MemTotal as /proc/meminfo prints it, e.g. '24584124 kB'."""
    return next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
