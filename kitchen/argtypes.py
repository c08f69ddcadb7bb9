"""Argument types for the ``thread-kitchen`` command: numbers checked with a message naming the problem."""

from __future__ import annotations

import argparse
import math
from typing import Callable


def milliseconds(text: str) -> float:
    """A positive, finite number of simulated milliseconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of milliseconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of milliseconds")
    return value


def time_ms(text: str) -> float:
    """A moment in simulated time: 0 or a positive number of milliseconds."""
    if text.strip() in ("0", "0.0"):
        return 0.0
    return milliseconds(text)


def whole_number(minimum: int, noun: str = "a whole number") -> Callable[[str], int]:
    """A parser for whole numbers of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be {minimum} or more")
        return value
    return parse


seed = whole_number(0)
count = whole_number(1)
step_number = whole_number(1, "a step number")
