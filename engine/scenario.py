"""Scenario files: the machine, the panes (threading models) and the orders, validated.

A scenario is TOML written by lecturers and students. ``load_scenario`` turns a
file into a validated ``Scenario`` or raises ``ScenarioError`` whose message
names the file, the field (``tasks[2].steps[0]``) and what is wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from engine.lesson import Lesson
from engine.steps import SIGNALS, Step, parse_step

MAX_TASKS = 1_000_000
MAX_CORES = 1024
MAX_MS = 1e9
MODELS = ("one-to-one", "many-to-one", "many-to-many")
IO_POLICIES = ("blocking", "nonblocking", "activations")
MAX_FORKS = 64  # fork() children per pane


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is meant for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


StepText = Annotated[Step, BeforeValidator(parse_step)]
Milliseconds = Annotated[float, Field(ge=0, le=MAX_MS)]
SignalName = Literal[SIGNALS]


class Machine(_Strict):
    """The shared hardware and kernel: stoves (cores), the kitchen manager's rules, the pantry."""

    cores: int = Field(8, ge=1, le=MAX_CORES)
    time_slice_ms: Milliseconds = 10
    context_switch_ms: Milliseconds = 0
    kernel_thread_kib: int = Field(64, ge=1, le=1_048_576)
    memory_budget_mib: float = Field(80, gt=0, le=1_048_576)
    scheduler: Literal["round-robin", "priority"] = "round-robin"
    priority_inheritance: bool = False


class Pane(_Strict):
    """One kitchen: the studied process run under one threading model."""

    model: Literal["one-to-one", "many-to-one", "many-to-many"]
    io: Literal["blocking", "nonblocking", "activations"] = "blocking"
    kernel_threads: int | None = Field(None, ge=1, le=100_000)
    label: str = Field("", max_length=60)
    priority: int = Field(0, ge=0, le=99)
    scope: Literal["pcs", "scs"] | None = None
    priority_inheritance: bool | None = None
    atfork: bool = False

    @model_validator(mode="after")
    def _kernel_threads_fit_model(self) -> Pane:
        if self.model == "one-to-one" and self.kernel_threads is not None:
            raise ValueError("kernel_threads: one-to-one creates one kernel thread per user thread; remove it")
        if self.model == "one-to-one" and self.io != "blocking":
            raise ValueError("io: one-to-one always blocks only the calling thread; use io = \"blocking\"")
        if self.model == "many-to-one" and self.kernel_threads not in (None, 1):
            raise ValueError("kernel_threads: many-to-one has exactly one kernel thread")
        return self

    @model_validator(mode="after")
    def _scope_fits_model(self) -> Pane:
        if self.model == "one-to-one" and self.scope == "pcs":
            raise ValueError('scope: one-to-one threads are all kernel threads, so they compete system-wide; '
                             'use "scs" or remove it')
        if self.model == "many-to-one" and self.scope == "scs":
            raise ValueError('scope: many-to-one threads share one kernel thread, so they compete only inside '
                             'the process ("pcs"); use many-to-many for "scs"')
        if self.model == "many-to-many" and self.scope == "scs" and self.kernel_threads is not None:
            raise ValueError('kernel_threads: with scope = "scs" every user thread is bound to its own kernel '
                             'thread; remove kernel_threads')
        if self.model == "many-to-many" and self.scope == "scs" and self.io != "blocking":
            raise ValueError('io: with scope = "scs" a user thread blocks only its own kernel thread; '
                             'use io = "blocking"')
        return self

    @property
    def contention_scope(self) -> str:
        """"scs" if every user thread competes for the stoves as its own chef (bound), else "pcs"."""
        if self.scope is not None:
            return self.scope
        return "scs" if self.model == "one-to-one" else "pcs"

    @property
    def base_kernel_threads(self) -> int:
        """How many kernel threads the process starts with (one-to-one and scs: none until tasks arrive)."""
        if self.contention_scope == "scs":
            return 0
        if self.model == "many-to-many":
            return self.kernel_threads or 4
        return 1 if self.model == "many-to-one" else 0


class Arrivals(_Strict):
    """When the ``count`` instances of a task arrive: evenly spaced or as a Poisson stream."""

    every_ms: float | None = Field(None, gt=0, le=MAX_MS)
    rate_per_s: float | None = Field(None, gt=0, le=1e7)

    @model_validator(mode="after")
    def _exactly_one(self) -> Arrivals:
        if (self.every_ms is None) == (self.rate_per_s is None):
            raise ValueError("give exactly one of every_ms or rate_per_s")
        return self


class TaskSpec(_Strict):
    """Order tickets (user threads) of the studied process."""

    name: str = Field(min_length=1, max_length=40)
    count: int = Field(1, ge=1, le=MAX_TASKS)
    start_ms: Milliseconds = 0
    priority: int = Field(0, ge=0, le=99)
    steps: list[StepText] = Field(min_length=1, max_length=1000)
    arrivals: Arrivals | None = None
    masks: list[SignalName] = Field(default_factory=list, max_length=len(SIGNALS))
    child_steps: list[StepText] | None = Field(None, min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _locks_balance(self) -> TaskSpec:
        check_lock_balance(self.steps)
        check_fork_steps(self.steps, self.child_steps)
        return self

    @property
    def forks(self) -> int:
        """How many times each ticket of this task calls fork()."""
        return sum(step.kind == "fork" for step in self.steps)


class Neighbor(_Strict):
    """Another process on the same machine (the bakery next door), competing for the stoves."""

    name: str = Field(min_length=1, max_length=40)
    threads: int = Field(1, ge=1, le=100_000)
    model: Literal["one-to-one", "many-to-one", "many-to-many"] = "one-to-one"
    kernel_threads: int | None = Field(None, ge=1, le=100_000)
    priority: int = Field(0, ge=0, le=99)
    start_ms: Milliseconds = 0
    steps: list[StepText] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _locks_balance(self) -> Neighbor:
        check_lock_balance(self.steps)
        for index, step in enumerate(self.steps):
            if step.kind in ("fork", "exec"):
                raise ValueError(f"steps[{index}]: neighbours cannot '{step.kind}' (only the studied process's "
                                 "tasks can)")
        return self


class LockSpec(_Strict):
    """A knife declared up front: shared by every process of the pane, and/or with its own inheritance."""

    name: str = Field(min_length=1, max_length=40, pattern=r"^\S+$")
    shared: bool = False
    priority_inheritance: bool | None = None


class SignalSpec(_Strict):
    """A fire alarm from outside at a set time: to the whole process, or to one task's ticket."""

    at_ms: Milliseconds
    signal: SignalName
    to: str = Field("process", min_length=1, max_length=60)


class Scenario(_Strict):
    """A whole scenario file: every pane gets the same machine, orders and seed."""

    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=4000)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    duration_ms: float = Field(5000, gt=0, le=MAX_MS)
    machine: Machine = Machine()
    panes: list[Pane] = Field(min_length=1, max_length=6)
    tasks: list[TaskSpec] = Field(min_length=1, max_length=1000)
    neighbors: list[Neighbor] = Field(default_factory=list, max_length=16)
    locks: list[LockSpec] = Field(default_factory=list, max_length=100)
    signals: list[SignalSpec] = Field(default_factory=list, max_length=1000)
    signal_handlers: dict[SignalName, Milliseconds] = Field(default_factory=dict)
    lesson: Lesson | None = None

    @model_validator(mode="after")
    def _not_absurd(self) -> Scenario:
        total = sum(task.count for task in self.tasks)
        if total > MAX_TASKS:
            raise ValueError(f"tasks: {total:,} tickets in all; at most {MAX_TASKS:,} are allowed")
        if self.lesson is not None:
            self.lesson.check_fits(len(self.panes), self.duration_ms)
        return self

    @model_validator(mode="after")
    def _locks_signals_and_forks_fit(self) -> Scenario:
        names = [lock.name for lock in self.locks]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValueError(f"locks[{index}].name: {name!r} is declared twice")
        for index, signal in enumerate(self.signals):
            if signal_target(self, signal.to) is None:
                raise ValueError(f"signals[{index}].to: {signal.to!r} is not \"process\", a task name or a "
                                 f"ticket like \"{self.tasks[0].name} #1\"")
        children = sum(task.count * task.forks for task in self.tasks)
        if children > MAX_FORKS:
            raise ValueError(f"tasks: {children} fork() children in all; at most {MAX_FORKS} are allowed")
        shared = {lock.name for lock in self.locks if lock.shared}
        for index, task in enumerate(self.tasks):
            check_child_locks(task, shared, f"tasks[{index}]")
        return self

    @property
    def shared_locks(self) -> frozenset[str]:
        """Names of the knives every process of a pane shares (process-shared mutexes)."""
        return frozenset(lock.name for lock in self.locks if lock.shared)


def signal_target(scenario: Scenario, to: str) -> tuple[str, int | None] | None:
    """Resolve a signal's ``to``: ("process", None), (task, None) for its first live ticket, or (task, n)."""
    if to == "process":
        return to, None
    name, _, number = to.partition(" #")
    for task in scenario.tasks:
        if task.name == to:
            return task.name, None
        if task.name == name and number.isdigit() and 1 <= int(number) <= task.count:
            return task.name, int(number)
    return None


def check_lock_balance(steps: list[Step], held: tuple[str, ...] = (), field: str = "steps") -> None:
    """Reject unlocking a lock the task does not hold, re-locking one it holds, or ending with one held."""
    held = list(held)
    for index, step in enumerate(steps):
        if step.kind == "lock" and step.name in held:
            raise ValueError(f"{field}[{index}]: '{step}' while already holding {step.name!r} (self-deadlock)")
        if step.kind == "lock":
            held.append(step.name)
        if step.kind == "unlock" and step.name not in held:
            raise ValueError(f"{field}[{index}]: '{step}' but the task does not hold {step.name!r}")
        if step.kind == "unlock":
            held.remove(step.name)
        if step.kind == "exec":
            held.clear()
    if held:
        raise ValueError(f"{field}: the task ends while holding {', '.join(map(repr, held))}; add 'unlock'")


def check_fork_steps(steps: list[Step], child_steps: list[Step] | None) -> None:
    """A task that forks says what its child does; only the child may exec, and it cannot fork again."""
    kinds = [step.kind for step in steps]
    if "exec" in kinds:
        raise ValueError(f"steps[{kinds.index('exec')}]: 'exec' belongs in child_steps (after fork)")
    if "fork" in kinds and child_steps is None:
        raise ValueError("child_steps: the task forks; say what the child does, e.g. child_steps = [\"cpu 5\"]")
    if "fork" not in kinds and child_steps is not None:
        raise ValueError("child_steps: the task has no 'fork' step")
    for index, step in enumerate(child_steps or []):
        if step.kind == "fork":
            raise ValueError(f"child_steps[{index}]: a child cannot fork again")


def held_at_forks(steps: list[Step], shared: frozenset[str] | set[str]) -> list[tuple[str, ...]]:
    """For each fork step, the private knives the forking ticket holds (the child's thread holds them too)."""
    held: list[str] = []
    at_forks = []
    for step in steps:
        if step.kind == "lock" and step.name not in shared:
            held.append(step.name)
        elif step.kind == "unlock" and step.name in held:
            held.remove(step.name)
        elif step.kind == "fork":
            at_forks.append(tuple(held))
    return at_forks


def check_child_locks(task: TaskSpec, shared: set[str], where: str) -> None:
    """The child starts holding the private knives its parent ticket held at fork(); it must release them."""
    for held in dict.fromkeys(held_at_forks(task.steps, shared)):
        check_lock_balance(task.child_steps, held, f"{where}.child_steps")


def _where(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith("function-"):
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _describe(error: dict) -> str:
    loc = tuple(part for part in error["loc"] if part not in ("function-before[parse_step(), Step]",))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling)"
    elif error["type"] == "missing":
        message = "required but missing"
    return f"{_where(loc)}: {message}" if loc else message


def scenario_from_dict(data: dict, source: str = "<scenario>") -> Scenario:
    """Validate parsed TOML; raise ScenarioError naming ``source`` and each bad field."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        lines = [_describe(item) for item in error.errors(include_url=False)]
        shown = "; ".join(lines[:3]) + (f" (and {len(lines) - 3} more)" if len(lines) > 3 else "")
        raise ScenarioError(f"{source}: {shown}") from None


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: not valid TOML: {error}") from None
    return scenario_from_dict(data, source)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}: cannot read the file: {error}") from None
    return parse_scenario(text, str(path))
