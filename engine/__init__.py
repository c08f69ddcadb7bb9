"""Thread Kitchen's simulation engine: pure Python and SimPy, never Qt.

Scenario files go in (``engine.scenario``), a Timeline per pane comes out
(``engine.run``, ``engine.timeline``), and ``engine.summary`` reports the numbers.
"""

__version__ = "0.1.0"
