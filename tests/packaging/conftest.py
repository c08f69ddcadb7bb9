"""Packaging test setup: the packaging scripts as modules, and one frozen build shared by the session."""

import importlib.util
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_script(name: str):
    """Import ``packaging/NAME.py`` (packaging/ is not a package: that name belongs to PyPI's ``packaging``)."""
    spec = importlib.util.spec_from_file_location(f"thread_kitchen_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Frozen:
    """Where the session's build put things."""

    app: Path  # dist/thread-kitchen (the one-folder app)
    archive: Path  # dist/thread-kitchen-VERSION-OS-ARCH.tar.gz
    unpacked: Path  # the archive unpacked, as a user would: .../thread-kitchen-VERSION-OS-ARCH/
    build_output: str


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Frozen:
    """Build the app once with ``packaging/build.py`` (about half a minute) and unpack its archive."""
    scratch = tmp_path_factory.mktemp("frozen")
    dist, work = scratch / "dist", scratch / "build"
    done = subprocess.run([sys.executable, str(PACKAGING / "build.py"), "--dist", str(dist), "--work", str(work)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr[-4000:]}"
    archive = next(dist.glob("thread-kitchen-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(scratch / "unpacked", filter="tar")
    unpacked = scratch / "unpacked" / archive.name.removesuffix(".tar.gz")
    return Frozen(dist / "thread-kitchen", archive, unpacked, done.stdout)
