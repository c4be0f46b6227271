"""Benchmark commands: one per capability, printing the figures the README quotes."""

import multiprocessing
import resource
import sys
from pathlib import Path

# ../shared/data beside the checkout: the development sets the benchmarks read by default.
SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, the memory figure every benchmark reports."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def children_peak_rss_mb() -> float:
    """The summed peak resident memory of this process's live worker processes (Linux; 0 elsewhere)."""
    total_kib = 0
    for child in multiprocessing.active_children():
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            continue
        total_kib += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return total_kib / 1024
