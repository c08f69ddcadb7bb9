"""The trace, sweep and simulate --csv commands: files written, one-line errors, no Qt unless plotting."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from kitchen.cli import main

ROOT = Path(__file__).resolve().parents[2]
PANTRY = str(ROOT / "docs" / "sweeps" / "pantry.toml")


def _one_line_error(capsys, *words) -> None:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and all(word in err for word in words), err


def test_trace_writes_a_perfetto_file_for_one_pane(tmp_path, capsys):
    """--pane 2 keeps only the many-to-one kitchen; the message says how to open the file."""
    out = tmp_path / "run.json"
    assert main(["trace", "parallelism", "-o", str(out), "--pane", "2", "--until", "500"]) == 0
    assert "ui.perfetto.dev" in capsys.readouterr().out
    events = json.loads(out.read_text())["traceEvents"]
    assert {e["pid"] for e in events} == {2}
    assert max(e["ts"] + e["dur"] for e in events if e["ph"] == "X") <= 500_000


def test_trace_of_a_pane_that_does_not_exist_is_one_line_and_exit_2(tmp_path, capsys):
    """The lesson has three panes: --pane 4 is refused before anything runs."""
    assert main(["trace", "parallelism", "-o", str(tmp_path / "x.json"), "--pane", "4"]) == 2
    _one_line_error(capsys, "--pane 4", "3 panes")
    assert not (tmp_path / "x.json").exists()


def test_trace_to_a_folder_that_does_not_exist_is_one_line_and_exit_2(tmp_path, capsys):
    """An unwritable output names the file."""
    assert main(["trace", "parallelism", "--until", "50", "-o", str(tmp_path / "nowhere" / "run.json")]) == 2
    _one_line_error(capsys, "cannot write", "run.json")


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def test_simulate_csv_writes_each_panes_metric_series(tmp_path, capsys):
    """One file per pane in the folder; the last row is the end, with every order completed."""
    assert main(["simulate", "parallelism", "--csv", str(tmp_path)]) == 0
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["parallelism-pane1-one-to-one.csv", "parallelism-pane2-many-to-one.csv",
                     "parallelism-pane3-many-to-many.csv"]
    one, many, mn = (_read_csv(tmp_path / name) for name in sorted(names))
    assert list(one[0]) == ["t_ms", "busy_stoves", "utilization", "kernel_memory_kib", "tasks_completed"]
    assert [max(float(row["utilization"]) for row in rows) for rows in (one, many, mn)] == [1.0, 0.125, 0.5]
    assert one[0] == {"t_ms": "0", "busy_stoves": "8", "utilization": "1", "kernel_memory_kib": str(32 * 64),
                      "tasks_completed": "0"}
    assert (one[-1]["t_ms"], one[-1]["tasks_completed"]) == ("4000", "32")
    assert many[-1]["t_ms"] == "5000"  # the lesson's duration: one chef cannot finish 32 s of cooking


def test_simulate_csv_with_a_prefix(tmp_path):
    """A path that is not a folder is a file-name prefix."""
    assert main(["simulate", "parallelism", "--until", "100", "--csv", str(tmp_path / "run")]) == 0
    assert (tmp_path / "run-pane2-many-to-one.csv").exists()


def test_sweep_writes_csv_and_json_tables(tmp_path, capsys):
    """tasks[0].count over 1279..1281: the table shows the first refusal at 1281."""
    table = tmp_path / "pantry.csv"
    args = ["sweep", PANTRY, "--vary", "tasks[0].count=1279:1281:1", "--metric", "threads_refused", "--workers", "2"]
    assert main([*args, "-o", str(table)]) == 0
    rows = _read_csv(table)
    assert [(r["value"], r["pane"], r["label"], r["threads_refused"]) for r in rows if r["pane"] == "1"] == [
        ("1279", "1", "one-to-one", "0"), ("1280", "1", "one-to-one", "0"), ("1281", "1", "one-to-one", "1")]
    assert "1281   1     one-to-one    1" in capsys.readouterr().out
    assert main([*args, "-o", str(tmp_path / "pantry.json")]) == 0
    document = json.loads((tmp_path / "pantry.json").read_text())
    assert document["path"] == "tasks[0].count" and len(document["rows"]) == 6


def test_sweep_bad_input_is_one_line_and_exit_2(capsys):
    """A bad path, value, metric or output name: one line naming it, status 2."""
    base = ["sweep", PANTRY, "--workers", "1"]
    assert main([*base, "--vary", "machine.corez=1:2:1"]) == 2
    _one_line_error(capsys, "machine.corez")
    assert main([*base, "--vary", "machine.cores=0:2:1"]) == 2
    _one_line_error(capsys, "machine.cores=0")
    assert main([*base, "--vary", "machine.cores=1:2:1", "--metric", "speed"]) == 2
    _one_line_error(capsys, "metric 'speed' is unknown")
    assert main([*base, "--vary", "machine.cores=1:2:1", "-o", "table.xlsx"]) == 2
    _one_line_error(capsys, "table.xlsx", ".csv or .json")


def test_simulate_with_csv_never_imports_qt(tmp_path):
    """The headless commands start without PySide6 or pyqtgraph."""
    code = ("import sys; from kitchen.cli import main; "
            f"assert main(['simulate', 'parallelism', '--until', '50', '--csv', {str(tmp_path)!r}]) == 0; "
            "assert main(['trace', 'parallelism', '--until', '50', '-o', "
            f"{str(tmp_path / 'run.json')!r}]) == 0; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
