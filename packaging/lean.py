"""What the frozen Thread Kitchen leaves out, so the one-folder bundle stays lean.

Imported by ``thread-kitchen.spec`` and by the startup benchmark's minimal
window (``minimal-window.spec``), so both bundles are built with the same
excludes and the startup ratio compares the apps, not the packaging.

What goes:

* ``EXCLUDED_MODULES``: Python packages never imported by the app (optional
  pyqtgraph backends, unused Qt bindings, development tools).
* ``KEPT_PLUGINS``: the Qt plugins kept, by folder; every other plugin folder
  and every plugin not listed is dropped (names without ``lib`` and suffix,
  so the same table works on Linux, Windows and macOS).
* the shared libraries only the dropped plugins needed (found from their
  link-time dependencies), and Qt's translations (the app's text is English).

``stripped`` then removes symbol tables from the Linux binaries (Python's own
library alone shrinks from 23 to 6 MB).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path, PurePath

# pyqtgraph 0.14 imports QtOpenGL and QtOpenGLWidgets unconditionally (PlotCurveItem), so they stay.
UNUSED_QT_MODULES = [
    "QtNetwork", "QtDBus", "QtQml", "QtQuick", "QtQuickWidgets",
    "QtQuickControls2", "QtQuickTest", "QtPdf", "QtPdfWidgets", "QtWebEngineCore", "QtWebEngineWidgets",
    "QtWebEngineQuick", "QtWebChannel", "QtWebSockets", "Qt3DCore", "Qt3DRender", "Qt3DInput",
    "Qt3DLogic", "Qt3DExtras", "Qt3DAnimation", "QtMultimedia", "QtMultimediaWidgets", "QtCharts",
    "QtDataVisualization", "QtGraphs", "QtTest", "QtSql", "QtXml", "QtConcurrent", "QtHelp",
    "QtDesigner", "QtUiTools", "QtPrintSupport", "QtBluetooth", "QtPositioning", "QtLocation",
    "QtSerialPort", "QtSensors", "QtTextToSpeech", "QtRemoteObjects", "QtStateMachine", "QtScxml",
]

EXCLUDED_MODULES = [
    *(f"PySide6.{module}" for module in UNUSED_QT_MODULES),
    # other Qt bindings (pyqtgraph looks for them)
    "PyQt5", "PyQt6", "PySide2", "shiboken2",
    # pyqtgraph's optional backends and extras
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter", "OpenGL", "OpenGL_accelerate",
    "cupy", "numba", "h5py", "jupyter_rfb", "colorcet", "metaarray",
    # heavy libraries the app never uses (pydantic offers rich for debug printing)
    "matplotlib", "scipy", "pandas", "PIL", "IPython", "ipykernel", "jedi",
    "rich", "pygments", "markdown_it", "mdurl",
    # the app never goes online: no TLS, so no OpenSSL (hashlib falls back to its built-in hashes)
    "ssl", "_ssl", "_hashlib",
    # development tools and the standard library's GUI/test kits
    "tkinter", "_tkinter", "unittest", "doctest", "pdb", "readline", "lib2to3", "idlelib",
    "setuptools", "pkg_resources", "pip", "distutils", "_distutils_hack", "pytest", "hypothesis",
    "PyInstaller",
]

ALL = None  # keep every plugin in the folder
KEPT_PLUGINS: dict[str, set[str] | None] = {
    # offscreen for CI and --smoke-test; X11 and Wayland on Linux; the native one elsewhere
    "platforms": {"qoffscreen", "qxcb", "qwayland", "qwindows", "qcocoa"},
    "platforminputcontexts": ALL,  # compose keys and input methods (typing in the scenario editor)
    "platformthemes": {"qxdgdesktopportal"},  # native file dialogs; the GTK theme pulls in GTK
    "xcbglintegrations": ALL,
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": ALL,
    "iconengines": {"qsvgicon"},  # the app's icons are SVG
    "imageformats": {"qsvg"},  # PNG is built into QtGui
    "styles": ALL,  # Windows and macOS native styles
}


def _base_name(file_name: str) -> str:
    """``libqxcb.so`` / ``qxcb.dll`` / ``libQt6Core.so.6`` → ``qxcb`` / ``qxcb`` / ``Qt6Core``."""
    stem = file_name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keeps(destination: str) -> bool:
    """Whether a collected file (its path inside the bundle) belongs in the lean bundle."""
    parts = PurePath(destination).parts
    if parts[0] == "PySide6" and "translations" in parts:
        return False
    if parts[0] == "PySide6" and "plugins" in parts[:-1]:
        folder = parts[parts.index("plugins") + 1]
        wanted = KEPT_PLUGINS.get(folder, ())
        return wanted is ALL or _base_name(parts[-1]) in wanted
    return True


def _needs(entry: tuple) -> set[str]:
    """File names of the shared libraries a collected binary links against."""
    from PyInstaller.depend.bindepend import get_imports

    return {PurePath(name).name.lower() for name, _ in get_imports(entry[1])}


def _reachable(starts: set[str], binaries: dict[str, tuple]) -> set[str]:
    """Names of the collected libraries reachable from ``starts`` (link-time dependencies)."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        name = stack.pop()
        if name in binaries and name not in seen:
            seen.add(name)
            stack.extend(_needs(binaries[name]))
    return seen


def _without_orphans(kept: list, dropped: list) -> list:
    """``kept`` without the libraries only ``dropped`` binaries needed (collected as their dependencies)."""
    by_name = {PurePath(entry[0]).name.lower(): entry for entry in kept}
    orphans = _reachable(set().union(*map(_needs, dropped)), by_name)
    roots = {name for name in by_name if name not in orphans}
    orphans -= _reachable(roots, by_name)
    return [entry for entry in kept if PurePath(entry[0]).name.lower() not in orphans]


def lean(analysis) -> None:
    """Drop the unwanted Qt plugins and translations from a PyInstaller Analysis, and what only they needed."""
    before = {entry[0] for entry in analysis.binaries}
    dropped = [entry for entry in analysis.binaries if not keeps(entry[0])]
    analysis.binaries = _without_orphans([entry for entry in analysis.binaries if keeps(entry[0])], dropped)
    removed = before - {entry[0] for entry in analysis.binaries}
    analysis.datas = [entry for entry in analysis.datas if keeps(entry[0]) and not _left_behind(entry, removed)]


def _left_behind(entry: tuple, removed: set[str]) -> bool:
    """A link to a removed library, or a file of a macOS framework (``QtNetwork.framework/``) whose library went."""
    if entry[2] == "SYMLINK" and entry[1] in removed:
        return True
    frameworks = {name.split(".framework/")[0] + ".framework/" for name in removed if ".framework/" in name}
    return any(entry[0].startswith(framework) for framework in frameworks)


def _strippable(entry: tuple) -> bool:
    """Binaries worth stripping: not auditwheel's vendored libraries (``numpy.libs/``), whose patched
    ELF headers ``strip`` corrupts ("ELF load command address/offset not page-aligned")."""
    return entry[2] in {"BINARY", "EXTENSION"} and not any(
        part.endswith(".libs") for part in PurePath(entry[0]).parts[:-1])


def stripped(binaries: list, workdir: str) -> list:
    """Linux: ``binaries`` with symbol tables stripped (copies cached in ``workdir``).

    PyInstaller's own ``strip=True`` strips every binary, including the vendored
    libraries that it breaks, so the spec strips here instead.
    """
    strip = shutil.which("strip")
    if strip is None or not sys.platform.startswith("linux"):
        return binaries
    return [_stripped_copy(entry, Path(workdir), strip) if _strippable(entry) else entry for entry in binaries]


def _stripped_copy(entry: tuple, workdir: Path, strip: str) -> tuple:
    destination, source, kind = entry
    copy = workdir / "stripped" / destination
    if not copy.exists() or copy.stat().st_mtime < Path(source).stat().st_mtime:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        copy.chmod(0o755)
        subprocess.run([strip, str(copy)], check=True)
    return destination, str(copy), kind
