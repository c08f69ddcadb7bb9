"""Build the Thread Kitchen desktop app and its archive:  ``python packaging/build.py``

1. renders the app icon (``assets/icons/thread-kitchen.svg``) to PNGs of 16–512
   pixels, a Windows ``.ico`` and a macOS ``.icns`` (Qt, offscreen);
2. freezes the app with PyInstaller (``packaging/thread-kitchen.spec``) into
   ``dist/thread-kitchen/`` (one folder; ``thread-kitchen`` opens the window and
   runs the headless commands; Windows adds ``thread-kitchen-cli.exe`` for the
   terminal); on macOS also ``dist/Thread Kitchen.app``;
3. packs ``dist/thread-kitchen-VERSION-OS-ARCH.tar.gz`` (``.zip`` on Windows):
   the app folder (on macOS the ``.app``) and, on Linux, the ``.desktop``
   entry, the icons and ``install-desktop-entry.sh``;
4. prints the bundle's size, the archive's size and the build time.

Needs the ``package`` extra (``pip install -e '.[package]'``). ``--dist`` and
``--work`` move the output and scratch folders (default ``dist/`` and ``build/``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "thread-kitchen.spec"
ICON_SVG = ROOT / "assets" / "icons" / "thread-kitchen.svg"
LINUX_EXTRAS = [ROOT / "packaging" / "thread-kitchen.desktop", ROOT / "packaging" / "install-desktop-entry.sh"]
APP = "thread-kitchen"
MAC_APP = "Thread Kitchen.app"  # what macOS users open; the spec builds it beside the folder
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICON_FILES = {"thread-kitchen.ico": 256, "thread-kitchen.icns": 512}  # executable icons (Windows, macOS)


def version() -> str:
    """The package version (``engine.__version__``), read without importing the engine."""
    for line in (ROOT / "engine" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("engine/__init__.py has no __version__")


def archive_stem() -> str:
    """``thread-kitchen-VERSION-OS-ARCH`` for the machine building it, e.g. ``...-0.1.0-linux-x86_64``."""
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, platform.system().lower())
    machine = {"amd64": "x86_64"}.get(platform.machine().lower(), platform.machine().lower())
    return f"{APP}-{version()}-{system}-{machine}"


def render_icons(folder: Path) -> Path:
    """Render the SVG icon to ``folder/hicolor/NxN/apps/thread-kitchen.png`` (and .ico, .icns); return folder."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # rendering needs no screen
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # Qt paints only with an application object
    renderer = QSvgRenderer(str(ICON_SVG), app)
    scalable = folder / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON_SVG, scalable / ICON_SVG.name)
    for size in ICON_SIZES:
        _save(_render(renderer, size), folder / "hicolor" / f"{size}x{size}" / "apps" / f"{APP}.png")
    for name, size in ICON_FILES.items():
        _save(_render(renderer, size), folder / name)
    return folder


def _render(renderer, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def _save(image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"build: cannot write {path} (no Qt image plugin for {path.suffix}?)")


def freeze(dist: Path, work: Path, icons: Path) -> Path:
    """Run PyInstaller on the spec; return the one-folder app."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC), "--", "--icons", str(icons)]
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / APP


def pack(app_dir: Path, icons: Path, dist: Path) -> Path:
    """Write the versioned archive: the app folder (macOS: the .app) plus, on Linux, the desktop entry and icons."""
    stem = archive_stem()
    members = [(app_dir.parent / MAC_APP, MAC_APP)] if sys.platform == "darwin" else [(app_dir, APP)]
    if sys.platform.startswith("linux"):
        members += [(path, path.name) for path in LINUX_EXTRAS] + [(icons / "hicolor", "icons/hicolor")]
    if sys.platform == "win32":
        return _zip(dist / f"{stem}.zip", stem, app_dir)
    archive = dist / f"{stem}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        for source, name in members:
            tar.add(source, arcname=f"{stem}/{name}")
    return archive


def _zip(archive: Path, stem: str, app_dir: Path) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(app_dir.rglob("*")):
            out.write(path, f"{stem}/{APP}/{path.relative_to(app_dir).as_posix()}")
    return archive


def folder_bytes(folder: Path) -> int:
    """Bytes in the files under ``folder`` (symlinks not followed, so nothing counts twice)."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch folder (default: build/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    icons = render_icons(args.work.resolve() / "icons")
    app_dir = freeze(args.dist.resolve(), args.work.resolve(), icons)
    archive = pack(app_dir, icons, args.dist.resolve())
    print(f"bundle:  {app_dir}  {megabytes(folder_bytes(app_dir))}")
    print(f"archive: {archive}  {megabytes(archive.stat().st_size)}")
    print(f"built in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
