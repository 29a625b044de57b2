from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from argonaut.cli import main
from argonaut.cli.run import resolve_config
from argonaut.common.errors import ConfigError


def test_run_when_config_file_invalid_then_every_problem_named_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text("timeout_connection = -1.0\nbogus = 1\n")

    assert main(["run", "--config", str(path), "--data-dir", str(tmp_path / "d")]) == 2

    captured = capsys.readouterr()
    assert "invalid config" in captured.err
    assert "timeout_connection" in captured.err
    assert "bogus" in captured.err
    assert captured.out == ""  # nothing was started
    assert not (tmp_path / "d").exists()


def test_run_when_config_file_missing_then_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"

    assert main(["run", "--config", str(missing)]) == 2

    assert "nope.toml" in capsys.readouterr().err


def test_run_when_strategy_path_wrong_then_exit_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text('[[strategies]]\npath = "argonaut.examples.nothing:Nope"\n')

    assert main(["run", "--config", str(path)]) == 2

    assert "argonaut.examples.nothing" in capsys.readouterr().err


@pytest.mark.parametrize("duration", ["0", "-3"])
def test_run_when_duration_not_positive_then_exit_2(
    duration: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", f"--duration={duration}"]) == 2
    assert "--duration must be > 0" in capsys.readouterr().err


def test_resolve_config_when_data_dir_given_then_state_and_log_file_go_there() -> None:
    config = resolve_config(None, "/tmp/somewhere")

    assert config.data_dir == "/tmp/somewhere"
    assert config.logging.log_directory == "/tmp/somewhere"
    assert config.logging.log_level_file == "INFO"


def test_resolve_config_when_log_directory_set_then_kept(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text('[logging]\nlog_level_file = "DEBUG"\nlog_directory = "/var/log/x"\n')

    config = resolve_config(str(path), str(tmp_path / "d"))

    assert config.logging.log_directory == "/var/log/x"
    assert config.data_dir == str(tmp_path / "d")


def test_resolve_config_when_data_dir_empty_then_config_error() -> None:
    with pytest.raises(ConfigError, match="--data-dir"):
        resolve_config(None, "")


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


SANDBOX_PAIR = """
[data_clients.SIM]
kind = "sandbox"
[data_clients.SIM.config]
venue = "SIM"
seed = {data_seed}
[exec_clients.SIM]
kind = "sandbox"
[exec_clients.SIM.config]
venue = "SIM"
seed = 1
{exec_extra}
"""


def test_check_when_sandbox_option_unknown_then_problem_names_client_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text(SANDBOX_PAIR.format(data_seed=1, exec_extra="latenzy = 3"))

    assert main(["check", "--config", str(path)]) == 1

    err = capsys.readouterr().err
    assert "exec_clients.SIM.config" in err
    assert "latenzy" in err


def test_check_when_data_and_exec_client_disagree_then_problem_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text(SANDBOX_PAIR.format(data_seed=2, exec_extra=""))

    assert main(["check", "--config", str(path)]) == 1

    assert "disagree on 'seed'" in capsys.readouterr().err


def test_run_when_sandbox_option_bad_then_exit_2_before_creating_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "node.toml"
    path.write_text(SANDBOX_PAIR.format(data_seed=1, exec_extra="latenzy = 3"))

    assert main(["run", "--config", str(path), "--data-dir", str(tmp_path / "d")]) == 2

    assert "latenzy" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_resolve_config_when_data_dir_given_then_sandbox_venue_state_moves_there() -> None:
    config = resolve_config(None, "/tmp/elsewhere")

    for clients in (config.data_clients, config.exec_clients):
        assert clients["SIM"].config["data_dir"] == "/tmp/elsewhere"


def test_resolve_config_when_sandbox_has_state_file_then_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(
        '[exec_clients.SIM]\nkind = "sandbox"\n[exec_clients.SIM.config]\n'
        'state_file = "/var/venue.json"\n'
    )

    config = resolve_config(str(path), str(tmp_path / "d"))

    assert "data_dir" not in config.exec_clients["SIM"].config


def test_resolve_config_when_no_data_dir_option_then_sandbox_uses_the_node_data_dir(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.toml"
    path.write_text('data_dir = "/srv/node"\n[exec_clients.SIM]\nkind = "sandbox"\n')

    config = resolve_config(str(path), None)

    assert config.exec_clients["SIM"].config["data_dir"] == "/srv/node"
