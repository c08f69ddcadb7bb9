"""Steps of an order ticket (user thread) and the durations they take.

A step is written by hand in a scenario file as a short string:

    cpu 1000            cook for 1000 ms on a stove (CPU burst)
    io 10               wait 10 ms at the oven (an I/O system call)
    cpu exp 5           duration drawn from an exponential distribution, mean 5 ms
    io uniform 2 8      duration drawn uniformly between 2 and 8 ms
    lock knife          take the mutex named "knife" (wait if someone holds it)
    unlock knife        put the knife back
    fault SIGSEGV       the running user thread raises a synchronous signal
    fork                the process forks (the task's ``child_steps`` run in the child)
    exec                (child steps only) the child replaces its program: inherited knives vanish

This module parses those strings into immutable ``Step`` values and draws
durations from the scenario's seeded random generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIMED_KINDS = ("cpu", "io")
NAMED_KINDS = ("lock", "unlock", "fault")
BARE_KINDS = ("fork", "exec")
STEP_KINDS = TIMED_KINDS + NAMED_KINDS + BARE_KINDS
SIGNALS = ("SIGSEGV", "SIGFPE", "SIGBUS", "SIGILL", "SIGINT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM")
MAX_STEP_MS = 1e9


@dataclass(frozen=True, slots=True)
class Duration:
    """A fixed duration, or a distribution to draw durations from (all in ms)."""

    kind: str  # "fixed" | "exp" | "uniform"
    a: float
    b: float = 0.0

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Draw ``count`` durations; fixed durations use no randomness."""
        if self.kind == "fixed":
            return np.full(count, self.a)
        if self.kind == "exp":
            return rng.exponential(self.a, count)
        return rng.uniform(self.a, self.b, count)

    def __str__(self) -> str:
        if self.kind == "fixed":
            return _number(self.a)
        if self.kind == "exp":
            return f"exp {_number(self.a)}"
        return f"uniform {_number(self.a)} {_number(self.b)}"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a ticket: ``kind`` plus a duration or a name."""

    kind: str
    duration: Duration | None = None
    name: str = ""

    def __str__(self) -> str:
        if self.duration is not None:
            return f"{self.kind} {self.duration}"
        return f"{self.kind} {self.name}".strip()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _parse_ms(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of milliseconds") from None
    if not np.isfinite(value) or value < 0 or value > MAX_STEP_MS:
        raise ValueError(f"{text!r} must be between 0 and {MAX_STEP_MS:.0f} ms")
    return value


def parse_duration(words: list[str]) -> Duration:
    """Parse ``["1000"]``, ``["exp", "5"]`` or ``["uniform", "2", "8"]``."""
    if len(words) == 1:
        return Duration("fixed", _parse_ms(words[0]))
    if len(words) == 2 and words[0] == "exp":
        mean = _parse_ms(words[1])
        if mean <= 0:
            raise ValueError("exp needs a mean above 0 ms")
        return Duration("exp", mean)
    if len(words) == 3 and words[0] == "uniform":
        low, high = _parse_ms(words[1]), _parse_ms(words[2])
        if low > high:
            raise ValueError(f"uniform needs LO <= HI, got {words[1]} > {words[2]}")
        return Duration("uniform", low, high)
    raise ValueError("a duration is MS, 'exp MEAN' or 'uniform LO HI'")


def parse_step(text: object) -> Step:
    """Parse one step string; raise ValueError with a message a user can act on."""
    if isinstance(text, Step):
        return text
    if not isinstance(text, str):
        raise ValueError(f"a step must be a string like 'cpu 10', not {type(text).__name__}")
    words = text.split()
    if not words:
        raise ValueError("empty step")
    kind, rest = words[0], words[1:]
    if kind in TIMED_KINDS:
        return Step(kind, duration=parse_duration(rest))
    if kind in NAMED_KINDS:
        return Step(kind, name=_parse_name(kind, rest))
    if kind in BARE_KINDS:
        if rest:
            raise ValueError(f"'{kind}' takes no arguments")
        return Step(kind)
    raise ValueError(f"unknown step kind {kind!r} (expected one of: {', '.join(STEP_KINDS)})")


def _parse_name(kind: str, rest: list[str]) -> str:
    if len(rest) != 1:
        raise ValueError(f"'{kind}' takes exactly one name, e.g. '{kind} {_example(kind)}'")
    name = rest[0]
    if kind == "fault" and name not in SIGNALS:
        raise ValueError(f"unknown signal {name!r} (expected one of: {', '.join(SIGNALS)})")
    if len(name) > 40:
        raise ValueError("names are at most 40 characters")
    return name


def _example(kind: str) -> str:
    return "SIGSEGV" if kind == "fault" else "knife"
