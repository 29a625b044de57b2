"""`argonaut run` end to end: the real command in a subprocess, on the sandbox venue.

One module-scoped first run (ended by --duration) leaves its state in a data directory;
a second run on the same directory (ended by SIGTERM) shows the restore and the
reconciliation of what the first run left open.
"""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "argonaut.cli", "run"]


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, timeout: float = 60.0) -> Run:
    done = subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("argonaut-data")


@pytest.fixture(scope="module")
def first_run(data_dir: Path) -> Run:
    return run_cli("--duration", "5", "--status-every", "1", "--data-dir", str(data_dir))


def test_run_with_duration_then_table_status_lines_summary_and_exit_0(first_run: Run) -> None:
    out = first_run.out
    assert first_run.code == 0, first_run.err
    assert re.search(r"\| SIM +\| Data +\| yes", out)
    assert re.search(r"\| SIM +\| Execution +\| yes", out)
    assert "Reconciliation SIM: succeeded" in out
    status = [line for line in out.splitlines() if line.startswith("[")]
    assert len(status) >= 3
    assert all(
        "positions:" in s and "realized:" in s and "open orders:" in s and "events/s:" in s
        for s in status
    )
    assert "Duration of 5s reached: stopping" in out
    assert "Summary after" in out
    assert "Stopped cleanly" in out


def test_run_default_demo_then_orders_fill_within_seconds(first_run: Run) -> None:
    match = re.search(r"orders: (\d+) \((\d+) filled", first_run.out)
    assert match, first_run.out
    assert int(match.group(2)) >= 1
    assert re.search(r"realized PnL: [+-]\d", first_run.out)


def test_run_then_state_kept_in_the_data_dir(first_run: Run, data_dir: Path) -> None:
    assert first_run.code == 0
    names = {p.name for p in data_dir.iterdir()}
    assert "argonaut.sqlite" in names  # the node's cache database
    assert "sandbox-SIM.json" in names  # the venue outlives the node
    assert any(name.endswith(".log") for name in names)


def _read_lines(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)
    lines.put(None)  # end of output


def test_restart_then_state_restored_and_reconciled_and_sigterm_stops_cleanly(
    first_run: Run, data_dir: Path
) -> None:
    assert first_run.code == 0
    first_open = re.search(r"(\d+) order\(s\) still working at the venue", first_run.out)
    seen: list[str] = []
    with subprocess.Popen(
        [*COMMAND, "--status-every", "1", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
        reader.start()
        deadline = time.monotonic() + 30
        try:
            while not any(line.startswith("[") for line in seen):
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                assert line is not None, "".join(seen)
                seen.append(line)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        reader.join(timeout=5)
        err = proc.stderr.read() if proc.stderr else ""
    while not lines.empty():
        rest = lines.get_nowait()
        if rest is not None:
            seen.append(rest)
    out = "".join(seen)
    assert code == 0, err
    restored = re.search(r"State: (\d+) order\(s\) \((\d+) open\), (\d+) position", out)
    assert restored, out
    assert int(restored.group(1)) >= 1  # the first run's orders came back from the database
    assert int(restored.group(3)) >= 1  # and its positions (the fills made at least one)
    if first_open:
        assert int(restored.group(2)) == int(first_open.group(1))
    reported = re.search(r"the venue reported (\d+) order\(s\), (\d+) fill\(s\)", out)
    assert reported, out
    assert int(reported.group(1)) >= 1
    assert int(reported.group(2)) >= 1
    assert "Summary after" in out
    assert "Stopped cleanly" in out


def test_run_when_config_bad_then_clear_error_and_nonzero(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('environment = "BACKTEST"\n[exec_clients.SIM]\nkind = "nowhere"\n')

    result = run_cli("--config", str(config), "--data-dir", str(tmp_path / "d"), timeout=30)

    assert result.code == 2
    assert "invalid config" in result.err
    assert "environment" in result.err
    assert "unknown client kind 'nowhere'" in result.err
    assert result.out == ""


def test_run_when_clients_cannot_connect_then_exit_1_with_the_reason(tmp_path: Path) -> None:
    quotes = tmp_path / "quotes.csv"
    quotes.write_text("ts,bid,ask,bid_size,ask_size\n1,50000.05,50000.1,0.001,0.001\n")
    config = tmp_path / "node.toml"
    config.write_text(
        f"""
timeout_connection = 1.0
delay_post_stop = 0.5
[logging]
log_level = "ERROR"
[data_clients.SIM]
kind = "sandbox"
[data_clients.SIM.config]
instruments = ["BTCUSDT-PERP.SIM"]
[data_clients.SIM.config.market.replay]
instrument = "BTCUSDT-PERP.SIM"
quotes_file = "{quotes}"
[exec_clients.SIM]
kind = "sandbox"
[exec_clients.SIM.config]
instruments = ["BTCUSDT-PERP.SIM"]
"""
    )

    result = run_cli("--config", str(config), "--data-dir", str(tmp_path / "d"), timeout=30)

    assert result.code == 1
    assert "quotes.csv line 2" in result.err  # the cause, from the node's log
    assert "the trader did not start" in result.err
    assert re.search(r"\| SIM +\| Data +\| no", result.out)


def test_restart_after_fills_were_lost_then_reconciliation_applies_them(tmp_path: Path) -> None:
    demo = (Path(__file__).resolve().parents[2] / "examples" / "demo.toml").read_text()
    lossy = tmp_path / "lossy.toml"
    lossy.write_text(demo + "\n[exec_clients.SIM.config.faults]\ndrop_fills = 1.0\n")
    clean = tmp_path / "clean.toml"
    clean.write_text(demo)
    data = str(tmp_path / "data")

    first = run_cli("--config", str(lossy), "--duration", "4", "--data-dir", data)
    second = run_cli("--config", str(clean), "--duration", "1", "--data-dir", data)

    assert first.code == 0, first.err
    assert re.search(r"orders: \d+ \(0 filled", first.out)  # the node never saw a fill
    assert second.code == 0, second.err
    applied = re.search(r"events generated: ([^;]*OrderFilled=(\d+)[^;]*);", second.out)
    assert applied, second.out  # the venue's fills, recovered at startup
    assert int(applied.group(2)) >= 1
    assert "applied" in second.out
