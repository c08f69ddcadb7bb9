"""What the lean bundle keeps and drops (packaging/lean.py), on Linux, Windows and macOS file names."""

import pytest

from tests.packaging.conftest import load_script

lean = load_script("lean")


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so",
    "assets/lessons/parallelism.toml",
])
def test_keeps_what_the_app_needs(destination):
    """Platforms for X11, Wayland, Windows, macOS and offscreen, SVG support, Qt's libraries and the assets stay."""
    assert lean.keeps(destination)


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/plugins/imageformats/qtiff.dll",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/translations/qtbase_fr.qm",
])
def test_drops_unused_plugins_and_translations(destination):
    """Embedded-Linux platforms, the GTK theme, unused image formats, TLS, network and translations go."""
    assert not lean.keeps(destination)


def test_drops_libraries_only_dropped_plugins_needed(monkeypatch):
    """A library only the GTK theme plugin links (GTK) goes; one that kept code also links (GLib) stays."""
    links = {"libqgtk3.so": {"libgtk-3.so.0", "libglib-2.0.so.0"}, "libgtk-3.so.0": {"libglib-2.0.so.0"},
             "libqt6gui.so.6": {"libglib-2.0.so.0"}, "libglib-2.0.so.0": set()}
    monkeypatch.setattr(lean, "_needs", lambda entry: links[entry[0].rsplit("/", 1)[-1].lower()])
    kept = [("libQt6Gui.so.6", "", "BINARY"), ("libgtk-3.so.0", "", "BINARY"), ("libglib-2.0.so.0", "", "BINARY")]
    dropped = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "", "BINARY")]
    assert [entry[0] for entry in lean._without_orphans(kept, dropped)] == ["libQt6Gui.so.6", "libglib-2.0.so.0"]


def test_vendored_wheel_libraries_are_not_stripped():
    """auditwheel's patched libraries (numpy.libs/) are left alone: ``strip`` would corrupt them."""
    assert not lean._strippable(("numpy.libs/libscipy_openblas64_-32a4b2a6.so", "", "BINARY"))
    assert lean._strippable(("libpython3.11.so.1.0", "", "BINARY"))
    assert not lean._strippable(("assets/lessons/parallelism.toml", "", "DATA"))



def test_a_dropped_macos_framework_leaves_nothing_behind(monkeypatch):
    """On macOS a framework whose library goes takes its Info.plist and links with it; others stay."""
    network = "PySide6/Qt/lib/QtNetwork.framework"
    analysis = type("Analysis", (), {})()
    analysis.binaries = [(f"{network}/Versions/A/QtNetwork", "", "BINARY"),
                         ("PySide6/Qt/plugins/tls/libqopensslbackend.dylib", "", "BINARY"),
                         ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", "", "BINARY")]
    analysis.datas = [(f"{network}/Resources/Info.plist", "", "DATA"),
                      ("PySide6/Qt/lib/QtCore.framework/Resources/Info.plist", "", "DATA")]
    monkeypatch.setattr(lean, "_needs", lambda entry: {"qtnetwork"} if "tls" in entry[0] else set())
    lean.lean(analysis)
    assert [entry[0] for entry in analysis.binaries] == ["PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore"]
    assert [entry[0] for entry in analysis.datas] == ["PySide6/Qt/lib/QtCore.framework/Resources/Info.plist"]
