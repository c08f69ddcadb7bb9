"""The headless command line: tables, JSON, and one-line errors with exit status 2."""

import json

from kitchen.cli import main


def test_simulate_parallelism_json_prints_the_seed_numbers(capsys):
    assert main(["simulate", "parallelism", "--json"]) == 0
    panes = json.loads(capsys.readouterr().out)["panes"]
    assert [p["utilization"] for p in panes] == [1.0, 0.125, 0.5]
    assert {"model", "io", "kernel_threads", "makespan_ms", "cpu_busy_ms", "kernel_memory_peak_kib",
            "threads_created", "threads_refused", "tasks_completed", "response_ms", "cpu_share",
            "deadlocked", "tasks"} <= set(panes[0])
    assert panes[0]["tasks"][0] == {"name": "chop #1", "index": 0, "start_ms": 0.0, "finish_ms": 3970.0,
                                    "state": "finished"}


def test_simulate_prints_a_table_by_default(capsys):
    assert main(["simulate", "parallelism", "--until", "100"]) == 0
    out = capsys.readouterr().out
    assert "many-to-one" in out and "utilization" in out


def test_bad_scenario_file_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[machine]\ncores = 0\n[[panes]]\nmodel = "one-to-one"\n'
                   '[[tasks]]\nname = "a"\nsteps = ["cpu 1"]\n')
    assert main(["simulate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml" in err and "machine.cores" in err


def test_unknown_lesson_lists_the_lessons(capsys):
    assert main(["simulate", "no-such-lesson"]) == 2
    assert "parallelism" in capsys.readouterr().err


def test_bad_argument_is_one_line_and_exit_2(capsys):
    try:
        main(["simulate", "parallelism", "--until", "soon"])
    except SystemExit as done:
        assert done.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--until" in err
