"""Benchmark commands: one per capability, printing the figures the README quotes."""
