"""Thread Kitchen's desktop window: plays an engine Timeline with PySide6 and pyqtgraph.

Importing this package does not import Qt, so the headless CLI starts fast.
"""
