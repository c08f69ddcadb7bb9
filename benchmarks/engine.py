"""Engine speed against bare SimPy, and a 10 000-request stream on many-to-one nonblocking.

Prints one JSON object. Targets (issue 2): the engine at least half as fast as a
bare SimPy round robin of the same workload (time slices per second), and the
10 000-task stream simulated for 10 s in under 10 s of wall time on 2 cores.

    python benchmarks/engine.py [--tasks 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the engine package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import simpy  # noqa: E402

from engine.run import ScenarioRun  # noqa: E402
from engine.scenario import scenario_from_dict  # noqa: E402

CORES, SLICE_MS, WORK_MS = 8, 10, 1000


def bare_simpy_round_robin(tasks: int) -> float:
    """The same workload as a textbook SimPy model: each task queues for a core, one slice at a time."""
    env = simpy.Environment()
    cores = simpy.Resource(env, capacity=CORES)

    def task(left: float):
        while left > 0:
            with cores.request() as turn:
                yield turn
                burst = min(SLICE_MS, left)
                yield env.timeout(burst)
                left -= burst

    for _ in range(tasks):
        env.process(task(WORK_MS))
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def engine_one_to_one(tasks: int) -> float:
    """The parallelism lesson scaled up, one-to-one pane, through the whole engine and its Timeline."""
    scenario = scenario_from_dict({
        "title": "bench", "duration_ms": 1e9,
        "machine": {"cores": CORES, "time_slice_ms": SLICE_MS},
        "panes": [{"model": "one-to-one"}],
        "tasks": [{"name": "chop", "count": tasks, "steps": [f"cpu {WORK_MS}"]}],
    })
    started = time.perf_counter()
    ScenarioRun(scenario).run_to_end()
    return time.perf_counter() - started


def event_loop_stream() -> dict:
    """10 000 requests arriving every ms on a many-to-one nonblocking process, 10 s simulated."""
    scenario = scenario_from_dict({
        "title": "stream", "duration_ms": 10_000,
        "machine": {"cores": 8, "time_slice_ms": 10},
        "panes": [{"model": "many-to-one", "io": "nonblocking"}],
        "tasks": [{"name": "request", "count": 10_000, "arrivals": {"every_ms": 1},
                   "steps": ["cpu 0.2", "io exp 20", "cpu 0.3"]}],
    })
    started = time.perf_counter()
    run = ScenarioRun(scenario).run_to_end()
    wall = time.perf_counter() - started
    return {"wall_s": round(wall, 3), "events": len(run.panes[0].timeline.events),
            "completed": run.panes[0].timeline.head.completed, "target_wall_s": 10}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    slices = args.tasks * WORK_MS // SLICE_MS
    bare = min(bare_simpy_round_robin(args.tasks) for _ in range(2))
    ours = min(engine_one_to_one(args.tasks) for _ in range(2))
    print(json.dumps({
        "workload": {"tasks": args.tasks, "cores": CORES, "slice_ms": SLICE_MS, "time_slices": slices},
        "bare_simpy_slices_per_s": round(slices / bare),
        "engine_slices_per_s": round(slices / ours),
        "engine_vs_bare_ratio": round(bare / ours, 3),
        "target_ratio": 0.5,
        "stream_10k_many_to_one_nonblocking": event_loop_stream(),
    }, indent=2))


if __name__ == "__main__":
    main()
