import json

import pytest
from seating_factories import instance_data

from gilde.seating.cli import main


def test_generate_solve_and_check_work_together(tmp_path, capsys):
    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    assert (
        main(
            [
                "generate",
                "--guests",
                "50",
                "--tables",
                "5",
                "--rounds",
                "2",
                "--seed",
                "4",
                "-o",
                str(instance),
            ]
        )
        == 0
    )
    assert main(["solve", str(instance), "--time-limit", "2", "--heuristic", "-o", str(plan)]) == 0
    summary = capsys.readouterr().out
    assert "feasible" in summary and "objective" in summary
    assert main(["check", str(instance), str(plan)]) == 0
    data = json.loads(plan.read_text())
    assert data["feasible"] and len(data["rounds"]) == 2


def test_small_events_get_a_proven_optimum(tmp_path, capsys):
    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    main(["generate", "--guests", "12", "--tables", "2", "--seed", "1", "-o", str(instance)])
    assert main(["solve", str(instance), "--time-limit", "20", "-o", str(plan)]) == 0
    assert "optimal" in capsys.readouterr().out
    assert json.loads(plan.read_text())["optimal"]


def test_check_fails_a_plan_that_breaks_a_rule(tmp_path, capsys):
    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    instance.write_text(json.dumps(instance_data(["a", "b"], {"t1": 1, "t2": 1})))
    plan.write_text(json.dumps({"rounds": [{"tables": {"t1": ["a", "b"]}}]}))
    assert main(["check", str(instance), str(plan)]) == 1
    assert "seats 2 guests but has 1 seats" in capsys.readouterr().out


def test_bad_input_gives_one_line_and_exit_code_2(tmp_path, capsys):
    instance = tmp_path / "i.json"
    instance.write_text(json.dumps(instance_data(["a"], {"t1": 1}, {("a", "ghost"): 1})))
    assert main(["solve", str(instance), "-o", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "seating: pairs[0] refers to unknown guest 'ghost'"


def test_a_missing_file_is_an_input_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.json"), str(tmp_path / "p.json")]) == 2
    assert "cannot read instance file" in capsys.readouterr().err


def test_invalid_json_is_an_input_error(tmp_path, capsys):
    instance = tmp_path / "i.json"
    instance.write_text("{not json")
    assert main(["solve", str(instance), "-o", str(tmp_path / "p.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_the_time_limit_counts_from_the_given_start_and_workers_are_taken(tmp_path, capsys):
    import time

    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    main(["generate", "--guests", "40", "--tables", "4", "--seed", "2", "-o", str(instance)])
    # Started 10 s ago with a limit of 2 s: no time is left, so the greedy start is the plan.
    args = ["solve", str(instance), "--time-limit", "2", "--workers", "1", "-o", str(plan)]
    assert main(args, started=time.perf_counter() - 10) == 0
    data = json.loads(plan.read_text())
    assert data["feasible"] and data["seconds"] >= 10
    with pytest.raises(SystemExit) as refused:
        main(["solve", str(instance), "--workers", "0", "-o", str(plan)])
    assert refused.value.code == 2
    assert "--workers: must be at least 1, not 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--time-limit", "inf", "--time-limit: must be more than 0 and finite, not inf"),
        ("--time-limit", "nan", "--time-limit: must be more than 0 and finite, not nan"),
        ("--time-limit", "ten", "--time-limit: must be a number of seconds, not 'ten'"),
        ("--workers", "two", "--workers: must be a whole number, not 'two'"),
        ("--seed", "-5", "--seed: must be at least 0, not -5"),
        ("--seed", "1.5", "--seed: must be a whole number, not '1.5'"),
        ("--iterations", "0", "--iterations: must be at least 1, not 0"),
    ],
)
def test_a_bad_option_is_refused_with_what_it_must_be(tmp_path, capsys, option, value, message):
    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    main(["generate", "--guests", "20", "--tables", "2", "--seed", "2", "-o", str(instance)])
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:
        main(["solve", str(instance), option, value, "-o", str(plan)])
    assert refused.value.code == 2
    assert message in capsys.readouterr().err
    assert not plan.exists()


def test_generate_refuses_a_negative_seed(tmp_path, capsys):
    instance = tmp_path / "i.json"
    with pytest.raises(SystemExit) as refused:
        main(["generate", "--guests", "20", "--tables", "2", "--seed", "-1", "-o", str(instance)])
    assert refused.value.code == 2
    assert "--seed: must be at least 0, not -1" in capsys.readouterr().err
    assert not instance.exists()


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path, capsys):
    instance = tmp_path / "i.json"
    instance.write_bytes(b'{"guests": [{"id": "\xff"}]}')
    assert main(["solve", str(instance), "-o", str(tmp_path / "p.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_a_limit_shorter_than_loading_the_search_answers_with_the_greedy_start(tmp_path):
    import subprocess
    import sys

    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    main(["generate", "--guests", "300", "--tables", "30", "--seed", "3", "-o", str(instance)])
    # A fresh process: the compiled search (Numba) is not even imported when it cannot run.
    probe = (
        "import sys; from gilde.seating.cli import main;"
        f" code = main(['solve', {str(instance)!r}, '-o', {str(plan)!r}, '--time-limit', '0.5']);"
        " assert code == 0, code; assert 'numba' not in sys.modules, 'numba was imported'"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
    assert main(["check", str(instance), str(plan)]) == 0
