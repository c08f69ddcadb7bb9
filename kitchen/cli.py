"""The ``thread-kitchen`` command: open the window, or run a scenario headless.

    thread-kitchen [--open LESSON_OR_FILE] [--quit-after MS]
                                           open the app (on the last lesson; at first parallelism)
    thread-kitchen --smoke-test            check that the window works (prints one line; exit 0 = OK)
    thread-kitchen simulate LESSON_OR_FILE [--until MS] [--seed N] [--json] [--csv DIR_OR_PREFIX]
    thread-kitchen trace LESSON_OR_FILE [-o run.json] [--pane N] [--until MS]
    thread-kitchen sweep LESSON_OR_FILE --vary PATH=START:STOP:STEP [--metric NAME ...] [-o FILE] [--plot FILE.png]
    thread-kitchen shot LESSON_OR_FILE (--at MS | --step N) -o FILE.png [--size 1600x900] [--presenter]

Bad input (a missing file, a broken scenario, a bad number) prints one line
naming what is wrong and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sys
from pathlib import Path

import engine
from engine.assets import resolve_scenario
from engine.run import ScenarioRun
from engine.scenario import ScenarioError, load_scenario
from engine.summary import scenario_summary
from kitchen import argtypes, experiments
from kitchen.shot import parse_size

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr and exit status 2."""

    def error(self, message: str) -> None:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="thread-kitchen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"thread-kitchen {engine.__version__}")
    parser.add_argument("--open", metavar="LESSON_OR_FILE", help="open this lesson or scenario file")
    parser.add_argument("--quit-after", type=argtypes.milliseconds, metavar="MS",
                        help="close the window after MS real milliseconds (for smoke tests)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="play the default lesson briefly, check frames were drawn, print one line, exit")
    parser.add_argument("--first-paint", action="store_true",
                        help="print when the window first painted (seconds since the epoch) and exit (benchmarks)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    simulate = commands.add_parser("simulate", help="run a lesson or scenario file headless and report")
    simulate.add_argument("scenario", help="a lesson name (e.g. parallelism) or a scenario .toml file")
    simulate.add_argument("--until", type=argtypes.milliseconds, help="stop at this simulated time (ms)")
    simulate.add_argument("--seed", type=argtypes.seed, help="override the scenario's random seed")
    simulate.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    simulate.add_argument("--csv", metavar="DIR_OR_PREFIX", help="also write each pane's metric series as CSV")
    simulate.set_defaults(handler=run_simulate)
    shot = commands.add_parser("shot", help="save a PNG of the window at a simulated time (offscreen)")
    shot.add_argument("scenario", help="a lesson name (e.g. parallelism) or a scenario .toml file")
    moment = shot.add_mutually_exclusive_group(required=True)
    moment.add_argument("--at", type=argtypes.time_ms, metavar="MS", help="simulated time to show (ms)")
    moment.add_argument("--step", type=argtypes.step_number, metavar="N", help="show the guided lesson at step N")
    shot.add_argument("--presenter", action="store_true", help="presenter mode's large type and thick lines")
    shot.add_argument("-o", "--output", required=True, metavar="FILE.png", help="where to write the PNG")
    shot.add_argument("--size", type=parse_size, default=(1600, 900), metavar="WxH",
                      help="window size in pixels (default 1600x900)")
    shot.set_defaults(handler=run_shot)
    experiments.add_commands(commands)
    return parser


def load(name_or_path: str):
    """Load a lesson or scenario file (raises ScenarioError with a readable message)."""
    return load_scenario(resolve_scenario(name_or_path))


def run_simulate(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    run = ScenarioRun(scenario, seed=args.seed)
    run.advance(args.until if args.until is not None else math.inf)
    summary = scenario_summary(run)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        print(format_table(summary))
    if getattr(args, "csv", None):
        return experiments.write_simulate_csv(run, args)
    return 0


def format_table(summary: dict) -> str:
    """A readable table: one column per pane."""
    rows = [
        ("model", lambda p: p["label"]),
        ("I/O", lambda p: p["io"]),
        ("kernel threads (peak)", lambda p: p["kernel_threads"]),
        ("makespan ms", lambda p: "not finished" if p["makespan_ms"] is None else f"{p['makespan_ms']:g}"),
        ("utilization", lambda p: f"{p['utilization']:.1%}"),
        ("CPU busy ms", lambda p: f"{p['cpu_busy_ms']:g}"),
        ("kernel memory peak KiB", lambda p: p["kernel_memory_peak_kib"]),
        ("threads created / refused", lambda p: f"{p['threads_created']} / {p['threads_refused']}"),
        ("tasks completed", lambda p: p["tasks_completed"]),
        ("response p50 ms", lambda p: "-" if p["response_ms"]["p50"] is None else f"{p['response_ms']['p50']:g}"),
        ("deadlocked", lambda p: "yes" if p["deadlocked"] else "no"),
    ]
    table = [[label, *(str(cell(pane)) for pane in summary["panes"])] for label, cell in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [f"{summary['title']} ({summary['cores']} stoves)"]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table]
    return "\n".join(lines)


def run_window(args: argparse.Namespace) -> int:
    """Open the desktop window (Qt is imported only here, so headless commands start fast)."""
    if args.open is not None:
        load(args.open)
    if args.smoke_test or args.first_paint:
        from kitchen import smoke

        return smoke.run_smoke_test() if args.smoke_test else smoke.report_first_paint(args.open)
    from kitchen.app import run_app

    return run_app(args.open, args.quit_after)


def run_shot(args: argparse.Namespace) -> int:
    """Render the window offscreen at ``--at`` (or a lesson's ``--step``) and save it as a PNG."""
    from kitchen.shot import save_shot

    load(args.scenario)
    problem = save_shot(args.scenario, args.at, Path(args.output), args.size, args.presenter, args.step)
    if problem:
        print(f"thread-kitchen: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(args.output)
    return 0


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen app's sweep workers run here and exit (PyInstaller)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", run_window)
    try:
        return handler(args)
    except ScenarioError as error:
        print(f"thread-kitchen: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
