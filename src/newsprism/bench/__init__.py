"""Benchmark commands: one per capability, printing the figures the README quotes."""

from pathlib import Path

# ../shared/data beside the checkout: the development sets the benchmarks read by default.
SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
