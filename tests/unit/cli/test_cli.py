from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from argonaut.cli import main


def test_run_when_demo_not_built_then_one_line_and_nonzero(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not built yet" in err


def test_config_show_then_valid_toml_of_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["environment"] == "SANDBOX"
    assert "SIM" in data["exec_clients"]


def test_check_when_config_valid_then_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["config", "show"])
    path = tmp_path / "node.toml"
    path.write_text(capsys.readouterr().out)
    assert main(["check", "--config", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_when_config_bad_then_each_problem_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text('environment = "BACKTEST"\ntimeout_connection = -1.0\nbogus = 1\n')
    assert main(["check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert "environment" in err
    assert "timeout_connection" in err
    assert "bogus" in err
