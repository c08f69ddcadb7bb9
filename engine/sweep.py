"""Parameter sweeps: rerun a scenario for each value of one setting and collect summary metrics.

A sweep varies one field given by a path into the scenario (``machine.cores``,
``panes[2].kernel_threads``, ``tasks[0].count``, ``neighbors[0].threads``).
Every variant is validated exactly like a scenario file, so a bad path or value
is a ``ScenarioError`` naming the path. The variants run headless in a process
pool (spawned, so it is safe next to a GUI), the results stream back through a
callback as they finish, and setting the ``cancel`` event stops the sweep: no
further variant starts, and the call returns at once.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from engine.run import ScenarioRun
from engine.scenario import Scenario, ScenarioError, scenario_from_dict
from engine.summary import scenario_summary

MAX_VALUES = 1000
POLL_S = 0.05
PANE_METRICS = ("utilization", "cpu_busy_ms", "makespan_ms", "end_ms", "kernel_threads", "kernel_memory_peak_kib",
                "threads_created", "threads_refused", "tasks_completed", "context_switch_ms", "deadlocked",
                "response_ms.mean", "response_ms.p50", "response_ms.p95")
DEFAULT_METRICS = ("utilization", "kernel_memory_peak_kib", "threads_refused", "makespan_ms")
_PATH = re.compile(r"[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*")
_TOKEN = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


@dataclass(frozen=True)
class SweepResult:
    """One variant's outcome: the value it used and, per pane, the chosen metrics (None = no value)."""

    index: int
    value: float | int
    panes: tuple[dict, ...]  # {"pane": 1, "label": "one-to-one", metric: value, ...}
    seconds: float


def parse_values(text: str) -> list[float | int]:
    """``START:STOP:STEP`` (STOP included), ``A,B,C`` or one number; whole numbers stay ints."""
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ScenarioError(f"{text!r}: a range is START:STOP:STEP, e.g. 100:3000:100")
        start, stop, step = (_number(part, text) for part in parts)
        if step == 0 or (stop - start) * step < 0:
            raise ScenarioError(f"{text!r}: STEP must be non-zero and lead from START to STOP")
        count = int((stop - start) / step) + 1
        values = [start + step * index for index in range(min(count, MAX_VALUES + 1))]
    else:
        values = [_number(part, text) for part in text.split(",")]
    if len(values) > MAX_VALUES:
        raise ScenarioError(f"{text!r}: more than {MAX_VALUES} values; a sweep has at most {MAX_VALUES}")
    return [int(v) if v == v.to_integral_value() else float(v) for v in values]


def _number(part: str, text: str) -> Decimal:
    try:
        value = Decimal(part.strip())
    except InvalidOperation:
        raise ScenarioError(f"{text!r}: {part.strip()!r} is not a number") from None
    if not value.is_finite():
        raise ScenarioError(f"{text!r}: {part.strip()!r} is not a finite number")
    return value


def parse_vary(text: str) -> tuple[str, list[float | int]]:
    """``PATH=VALUES``, e.g. ``tasks[0].count=100:3000:100`` → (path, values)."""
    path, equals, values = text.partition("=")
    if not equals or not path.strip():
        raise ScenarioError(f"{text!r}: write PATH=START:STOP:STEP, e.g. tasks[0].count=100:3000:100")
    return _checked_path(path.strip()), parse_values(values)


def _checked_path(path: str) -> str:
    if not _PATH.fullmatch(path):
        raise ScenarioError(f"{path}: not a path like machine.cores, tasks[0].count or panes[2].kernel_threads")
    return path


def _keys(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _TOKEN.findall(_checked_path(path))]


def _replaced(node, keys: list[str | int], value, path: str, where: str):
    """A copy of ``node`` (model, list) with the value at ``keys`` replaced; models become dicts."""
    if not keys:
        return value
    key, rest = keys[0], keys[1:]
    if isinstance(node, BaseModel) and isinstance(key, str):
        if key not in type(node).model_fields:
            fields = ", ".join(type(node).model_fields)
            raise ScenarioError(f"{path}: {where or 'the scenario'} has no {key!r} (it has: {fields})")
        fields = dict(node)
        fields[key] = _replaced(fields[key], rest, value, path, f"{where}.{key}" if where else key)
        return fields
    if isinstance(node, list) and isinstance(key, int):
        if key >= len(node):
            raise ScenarioError(f"{path}: {where} has {len(node)} entr{'y' if len(node) == 1 else 'ies'} "
                                f"(indexes start at 0)")
        items = list(node)
        items[key] = _replaced(items[key], rest, value, path, f"{where}[{key}]")
        return items
    if isinstance(node, list):
        raise ScenarioError(f"{path}: {where} is a list: pick an entry, e.g. {where}[0]")
    if isinstance(node, BaseModel):
        raise ScenarioError(f"{path}: {where} is a table, not a list")
    raise ScenarioError(f"{path}: {where} is a value ({node!r}), not a table")


def with_value(scenario: Scenario, path: str, value) -> Scenario:
    """The scenario with the field at ``path`` set to ``value``, validated like a scenario file."""
    data = _replaced(scenario, _keys(path), value, path, "")
    return scenario_from_dict(data, source=f"{path}={value}")


def available_metrics(scenario: Scenario) -> list[str]:
    """Metric names a sweep of this scenario can report (summary keys, dotted for nested ones)."""
    processes = ["ours", *(neighbor.name for neighbor in scenario.neighbors)]
    return [*PANE_METRICS, *(f"cpu_share.{name}" for name in processes)]


def check_metrics(scenario: Scenario, metrics: Sequence[str]) -> list[str]:
    """The metrics, or a ScenarioError naming the unknown one and listing the known ones."""
    known = available_metrics(scenario)
    for name in metrics:
        if name not in known:
            raise ScenarioError(f"metric {name!r} is unknown (known: {', '.join(known)})")
    return list(metrics)


def metric_value(pane: dict, name: str) -> float | int | None:
    """A metric of one pane's summary; booleans count as 0/1, and a missing value is None."""
    value = pane
    for key in name.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, bool):
        return int(value)
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def run_variant(scenario: Scenario, metrics: Sequence[str]) -> tuple[tuple[dict, ...], float]:
    """Run one variant headless to its end; per pane, the chosen metrics (runs in a worker process)."""
    started = time.perf_counter()
    summary = scenario_summary(ScenarioRun(scenario).run_to_end())
    panes = tuple({"pane": number, "label": pane["label"], **{m: metric_value(pane, m) for m in metrics}}
                  for number, pane in enumerate(summary["panes"], start=1))
    return panes, time.perf_counter() - started


def sweep(scenario: Scenario, path: str, values: Sequence, metrics: Sequence[str] = DEFAULT_METRICS,
          workers: int | None = None, on_result: Callable[[SweepResult], None] | None = None,
          cancel=None) -> list[SweepResult]:
    """Run a variant per value in a process pool; results (sorted by value order) of the variants that ran.

    ``on_result`` is called in the calling thread as each variant finishes (in
    finishing order). ``cancel`` is anything with ``is_set()`` (a threading.Event):
    once set, no new variant starts and the call returns without waiting.
    """
    variants = [with_value(scenario, path, value) for value in values]
    metrics = check_metrics(scenario, metrics)
    workers = max(1, min(workers or os.cpu_count() or 1, len(variants)))
    results: list[SweepResult] = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        _drain(pool, variants, list(values), metrics, workers, results, on_result, cancel)
    finally:
        pool.shutdown(wait=not _cancelled(cancel), cancel_futures=True)
    return sorted(results, key=lambda result: result.index)


def _cancelled(cancel) -> bool:
    return cancel is not None and cancel.is_set()


def _drain(pool: ProcessPoolExecutor, variants: list[Scenario], values: list, metrics: list[str], workers: int,
           results: list[SweepResult], on_result, cancel) -> None:
    """Keep at most ``workers`` variants in flight, so cancelling never leaves a queue behind."""
    running: dict[Future, int] = {}
    upcoming = iter(range(len(variants)))
    while True:
        while len(running) < workers and not _cancelled(cancel) and (index := next(upcoming, None)) is not None:
            running[pool.submit(run_variant, variants[index], metrics)] = index
        if not running or _cancelled(cancel):
            return
        done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in done:
            index = running.pop(future)
            panes, seconds = future.result()
            results.append(SweepResult(index, values[index], panes, seconds))
            if on_result is not None:
                on_result(results[-1])
