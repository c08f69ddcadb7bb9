"""The speed control: a logarithmic slider of simulated milliseconds per real second, and time labels."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QWidget

from kitchen.palette import grouped

SLIDER_STEPS = 1000


def format_ms(ms: float) -> str:
    """A simulated time or speed for people: ``0.25 ms``, ``12.5 ms``, ``1 234 ms``."""
    if math.isinf(ms):
        return "∞"
    ms = round(ms, 2)
    if abs(ms) < 10:
        return f"{ms:.2f} ms"
    if abs(ms) < 100:
        return f"{ms:.1f} ms"
    return f"{grouped(round(ms))} ms"


def format_speed(ms_per_s: float) -> str:
    """A speed for people: ``5 ms/s``, ``2.5 ms/s``, ``20 ms/s``, ``1 234 ms/s`` (no needless decimals)."""
    if ms_per_s < 10:
        return f"{round(ms_per_s, 2):g} ms/s"
    return f"{grouped(round(ms_per_s))} ms/s"


class SpeedControl(QWidget):
    """``Speed: [----o----] 200 ms/s``; emits ``changed(ms_per_s)`` when the user moves the slider."""

    changed = Signal(float)

    def __init__(self, low: float, high: float, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._low, self._high = math.log10(low), math.log10(high)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setMinimumWidth(160)
        self.slider.setMaximumWidth(280)
        self.slider.setToolTip("Simulated milliseconds per real second (+ / - to double or halve)")
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(self.value_label.fontMetrics().horizontalAdvance("100 000 ms/s") + 8)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(QLabel("Speed:"))
        layout.addWidget(self.slider)
        layout.addWidget(self.value_label)
        self.set_speed(value)
        self.slider.valueChanged.connect(self._on_slider)

    def speed_at(self, position: int) -> float:
        """The speed a slider position stands for (log scale)."""
        return 10 ** (self._low + (self._high - self._low) * position / SLIDER_STEPS)

    def set_speed(self, ms_per_s: float) -> None:
        """Show a speed without emitting ``changed``."""
        position = round((math.log10(ms_per_s) - self._low) / (self._high - self._low) * SLIDER_STEPS)
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.value_label.setText(format_speed(ms_per_s))

    def _on_slider(self, position: int) -> None:
        speed = round(self.speed_at(position), 3)
        self.value_label.setText(format_speed(speed))
        self.changed.emit(speed)
