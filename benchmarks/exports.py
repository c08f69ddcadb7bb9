"""Trace export and sweep speed: trace events per second on a 20 000-ticket run, and a 30-value sweep.

Prints one JSON object. The trace streams to disk, so its memory stays flat;
the sweep runs in a process pool (spawned workers), so N workers should
approach N× one worker once the variants outweigh the pool's start-up.

    python benchmarks/exports.py [--tickets 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the engine package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from engine.run import ScenarioRun  # noqa: E402
from engine.scenario import load_scenario, scenario_from_dict  # noqa: E402
from engine.sweep import parse_values, sweep  # noqa: E402
from engine.trace import write_trace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def trace_speed(tickets: int) -> dict:
    """Simulate a stream of short orders in all three models, then time writing its trace."""
    scenario = scenario_from_dict({
        "title": "trace benchmark", "duration_ms": 2000, "machine": {"cores": 8},
        "panes": [{"model": "one-to-one"}, {"model": "many-to-one"}, {"model": "many-to-many", "kernel_threads": 8}],
        "tasks": [{"name": "t", "count": tickets, "steps": ["cpu 2"], "arrivals": {"every_ms": 0.05}}]})
    run = ScenarioRun(scenario).run_to_end()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.json"
        started = time.perf_counter()
        count = write_trace(run, path)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {"engine_events": sum(len(p.timeline.events) for p in run.panes), "trace_events": count,
            "seconds": round(seconds, 3), "trace_events_per_s": round(count / seconds), "megabytes": round(size / 1e6, 1)}


def sweep_speed(workers: int) -> dict:
    """The README's pantry sweep: tasks[0].count over 100..3000 (30 variants)."""
    scenario = load_scenario(ROOT / "docs" / "sweeps" / "pantry.toml")
    values = parse_values("100:3000:100")
    timings = {}
    for pool in sorted({1, workers}):
        started = time.perf_counter()
        sweep(scenario, "tasks[0].count", values, ["kernel_memory_peak_kib"], workers=pool)
        timings[f"workers_{pool}_s"] = round(time.perf_counter() - started, 2)
    return {"variants": len(values), **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps({"trace": trace_speed(args.tickets), "sweep": sweep_speed(args.workers)}, indent=2))


if __name__ == "__main__":
    main()
