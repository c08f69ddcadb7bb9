"""The exports and experiments commands: ``trace``, ``sweep`` and ``simulate --csv``.

    thread-kitchen trace LESSON_OR_FILE [-o run.json] [--pane N] [--until MS] [--seed N]
    thread-kitchen sweep LESSON_OR_FILE --vary PATH=START:STOP:STEP [--metric NAME ...]
                         [-o FILE.csv|FILE.json] [--plot FILE.png] [--workers N]
    thread-kitchen simulate LESSON_OR_FILE --csv DIR_OR_PREFIX

Panes are numbered from 1 (the leftmost kitchen) on the command line and in
the files; paths into the scenario count from 0 like the scenario file's lists
(``panes[2]`` is the third pane). Qt is imported only when a sweep plot is
asked for, so these commands start fast.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from pathlib import Path

from engine.assets import resolve_scenario
from engine.metrics_csv import write_metrics_csv
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario
from engine.sweep import DEFAULT_METRICS, SweepResult, check_metrics, parse_vary, sweep
from engine.trace import write_trace
from kitchen import argtypes

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def add_commands(commands) -> None:
    """Add ``trace`` and ``sweep`` to the CLI's subcommands ."""
    trace = commands.add_parser("trace", help="write a Perfetto / chrome://tracing trace of a run (JSON)")
    trace.add_argument("scenario", help="a lesson name (e.g. parallelism) or a scenario .toml file")
    trace.add_argument("-o", "--output", metavar="FILE.json", help="where to write it (default: NAME-trace.json)")
    trace.add_argument("--pane", type=argtypes.count, metavar="N", help="only pane N (1 = the leftmost kitchen)")
    trace.add_argument("--until", type=argtypes.milliseconds, metavar="MS", help="stop at this simulated time (ms)")
    trace.add_argument("--seed", type=argtypes.seed, help="override the scenario's random seed")
    trace.set_defaults(handler=run_trace)
    vary = commands.add_parser("sweep", help="rerun a scenario for a range of one setting and tabulate metrics")
    vary.add_argument("scenario", help="a lesson name (e.g. parallelism) or a scenario .toml file")
    vary.add_argument("--vary", required=True, metavar="PATH=START:STOP:STEP",
                      help="e.g. tasks[0].count=100:3000:100, panes[2].kernel_threads=1:16:1, machine.cores=1:16:1")
    vary.add_argument("--metric", action="append", metavar="NAME",
                      help=f"a summary metric (repeatable; default: {', '.join(DEFAULT_METRICS)})")
    vary.add_argument("-o", "--output", metavar="FILE.csv|FILE.json", help="write the table as CSV or JSON")
    vary.add_argument("--plot", metavar="FILE.png", help="draw each metric against the value (one PNG per metric)")
    vary.add_argument("--workers", type=argtypes.count, metavar="N", help="processes to use (default: all cores)")
    vary.set_defaults(handler=run_sweep)


def _load(name_or_path: str):
    return load_scenario(resolve_scenario(name_or_path))


def _stem(name_or_path: str) -> str:
    return Path(name_or_path).stem


def _cannot_write(path, error: OSError) -> int:
    print(f"thread-kitchen: cannot write {path}: {error.strerror or error}", file=sys.stderr)
    return EXIT_BAD_INPUT


def write_simulate_csv(run: ScenarioRun, args: argparse.Namespace) -> int:
    """``simulate --csv``: write each pane's metric series and list the files on stderr."""
    try:
        paths = write_metrics_csv(run, args.csv, _stem(args.scenario))
    except OSError as error:
        return _cannot_write(args.csv, error)
    for path in paths:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def run_trace(args: argparse.Namespace) -> int:
    """Simulate (to the end, or ``--until``) and write the trace."""
    scenario = _load(args.scenario)
    if args.pane is not None and args.pane > len(scenario.panes):
        raise ScenarioError(f"--pane {args.pane}: the scenario has {len(scenario.panes)} panes (1 to "
                            f"{len(scenario.panes)})")
    run = ScenarioRun(scenario, seed=args.seed)
    run.advance(args.until if args.until is not None else math.inf)
    output = Path(args.output or f"{_stem(args.scenario)}-trace.json")
    try:
        count = write_trace(run, output, None if args.pane is None else [args.pane - 1])
    except OSError as error:
        return _cannot_write(output, error)
    print(f"wrote {count:,} trace events to {output}: open it at ui.perfetto.dev (Open trace file) "
          f"or in chrome://tracing")
    return 0


def _check_output(name: str | None, suffixes: tuple[str, ...], option: str) -> None:
    if name is not None and Path(name).suffix.lower() not in suffixes:
        raise ScenarioError(f"{option} {name}: use a file name ending in {' or '.join(suffixes)}")


def run_sweep(args: argparse.Namespace) -> int:
    """Run the sweep in a process pool, print the table, and write the file and plots asked for."""
    scenario = _load(args.scenario)
    path, values = parse_vary(args.vary)
    metrics = check_metrics(scenario, args.metric or DEFAULT_METRICS)
    _check_output(args.output, (".csv", ".json"), "-o")
    _check_output(args.plot, (".png",), "--plot")
    started = time.perf_counter()
    try:
        results = sweep(scenario, path, values, metrics, args.workers, on_result=_progress(len(values)))
    except KeyboardInterrupt:
        print("thread-kitchen: sweep interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    rows = sweep_rows(results)
    print(f"{scenario.title}: {path} over {len(values)} values in {time.perf_counter() - started:.1f} s")
    print(format_sweep_table(rows, metrics))
    return _write_sweep_outputs(args, scenario, path, rows, metrics)


def _progress(total: int):
    """A callback printing ``done/total`` on an interactive stderr."""
    done = [0]

    def report(_result: SweepResult) -> None:
        done[0] += 1
        if sys.stderr.isatty():
            print(f"\r{done[0]}/{total} variants done", end="\n" if done[0] == total else "", file=sys.stderr)
    return report


def sweep_rows(results: list[SweepResult]) -> list[dict]:
    """One row per (value, pane): ``{"value", "pane", "label", metric: value, ...}``."""
    return [{"value": result.value, **pane} for result in results for pane in result.panes]


def format_sweep_table(rows: list[dict], metrics: list[str]) -> str:
    """A plain aligned table of the rows."""
    columns = ["value", "pane", "label", *metrics]
    cells = [columns] + [["-" if row[c] is None else f"{row[c]:g}" if isinstance(row[c], float) else str(row[c])
                          for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells)


def write_sweep_table(rows: list[dict], metrics: list[str], output: str | Path, path: str, title: str) -> None:
    """The table as CSV (header row, empty cell = no value) or JSON (with the path and metrics)."""
    output = Path(output)
    if output.suffix.lower() == ".json":
        document = {"scenario": title, "path": path, "metrics": metrics, "rows": rows}
        output.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        return
    with open(output, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, ["value", "pane", "label", *metrics])
        writer.writeheader()
        writer.writerows(rows)


def _write_sweep_outputs(args, scenario, path: str, rows: list[dict], metrics: list[str]) -> int:
    target = args.output
    try:
        if args.output:
            write_sweep_table(rows, metrics, args.output, path, scenario.title)
            print(f"wrote {args.output}", file=sys.stderr)
        if args.plot:
            from kitchen.sweep_plot import save_sweep_plots

            target = args.plot
            for written in save_sweep_plots(rows, metrics, args.plot, path, scenario):
                print(f"wrote {written}", file=sys.stderr)
    except OSError as error:
        return _cannot_write(target, error)
    return 0
