"""Run every fuzz target for a set time from our own seed inputs and report executions and findings.

    python fuzz/run.py [--seconds N] [TARGET ...]

Seeds are inputs we wrote (test fixtures and the sample corpus); what libFuzzer adds goes to
var/fuzz/corpus/TARGET, a crashing input to var/fuzz/TARGET-crash-*. Exit 1 when a target crashed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TEXTS = [ROOT / "corpus" / "dumps", FIXTURES / "dump"]
SEEDS = {
    "html": [FIXTURES / "html", FIXTURES / "failures"],
    "dump": [FIXTURES / "dump", ROOT / "corpus" / "dumps"],
    "feed": [FIXTURES / "ingest", ROOT / "corpus" / "feeds"],
    "jsonl": [FIXTURES / "ingest", ROOT / "corpus" / "exports"],
    "json": [FIXTURES / "ingest"],
    "csv": [FIXTURES / "ingest", ROOT / "corpus" / "exports"],
    "file": [FIXTURES / "ingest", FIXTURES / "html", ROOT / "corpus" / "warc"],
    "warc": [ROOT / "corpus" / "warc"],
    "encoding": [FIXTURES / "ingest", FIXTURES / "html"],
    "listing": [ROOT / "corpus" / "feeds", FIXTURES / "ingest"],
    "entities": TEXTS,
    "quotes": TEXTS,
    "timex": TEXTS,
    "techniques": TEXTS,
}
WORK = ROOT / "var" / "fuzz"


def run(target: str, seconds: int) -> tuple[int, float, bool]:
    """Executions, seconds taken, and whether the target crashed."""
    corpus = WORK / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(ROOT / "fuzz" / "targets.py"), target, f"-max_total_time={seconds}",
               "-print_final_stats=1", "-timeout=60", "-rss_limit_mb=4096", "-max_len=65536",
               f"-artifact_prefix={WORK}/{target}-", str(corpus), *map(str, SEEDS[target])]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    took = time.monotonic() - started
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", result.stderr)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
    return int(executed.group(1)) if executed else 0, took, result.returncode != 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="time per target")
    parser.add_argument("targets", nargs="*", default=list(SEEDS))
    args = parser.parse_args()
    crashed = []
    print("| target | executions | seconds | executions/s | result |\n|---|---:|---:|---:|---|")
    for target in args.targets:
        executions, took, crash = run(target, args.seconds)
        result = "CRASH" if crash else "nothing found"
        print(f"| {target} | {executions} | {took:.0f} | {executions / took:.1f} | {result} |", flush=True)
        crashed += [target] if crash else []
    sys.exit(f"crashed: {', '.join(crashed)} (inputs in {WORK})" if crashed else 0)


if __name__ == "__main__":
    main()
