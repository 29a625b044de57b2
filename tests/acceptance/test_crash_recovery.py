"""Crash recovery end to end: a node trading on the sandbox venue is killed with SIGKILL
at random moments and restarted on the same database (see `crash_node.py`).

For each seed: trade and get killed three times (each run resumes on what the last
left), then restart without trading and compare with the venue after startup
reconciliation: every order belongs to its original strategy (none EXTERNAL, every
venue order known with its owner), no trade id applied twice, and the position and the
balance equal the venue's. (With write-ahead ownership turned off the same runs
regularly end with orders adopted as EXTERNAL: the window between a submit reaching the
venue and its order being committed is a few milliseconds.)
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "crash_node.py"
SEEDS = [11, 23, 37]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }


def _trade_and_kill(data_dir: Path, seed: int, delay: float) -> None:
    """Start trading; SIGKILL the process `delay` seconds after its strategy started."""
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "trade", str(data_dir), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or line.startswith("RUNNING"):
                break
        if not line.startswith("RUNNING"):
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise AssertionError(
                f"trading node did not start (exit {proc.returncode}):\n{err[-3000:]}"
            )
        time.sleep(delay)
        assert proc.poll() is None, "the trading node exited by itself"
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _check(data_dir: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "check", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(),
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("CHECK ")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(f"check run failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[0][len("CHECK ") :])
    return result


@pytest.mark.parametrize("seed", SEEDS)
def test_sigkill_at_random_moments_then_restart_keeps_ownership_and_matches_venue(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(3):
        _trade_and_kill(tmp_path, seed, rng.uniform(0.3, 1.5))
        seed += 1000  # the next run trades differently
    result = _check(tmp_path)
    assert result["orders"] > 0, result
    assert result["strategies"] == {result["owner"]: result["orders"]}, result  # none EXTERNAL
    assert result["venue_orders_unknown"] == [], result
    assert result["order_trade_ids_repeated"] == 0, result
    assert result["position_trade_ids_repeated"] == 0, result
    assert result["node_trade_ids_not_at_venue"] == [], result
    assert result["node_net_raw"] == result["venue_net_raw"], result
    assert result["node_total"] == result["venue_total"], result
