"""`argonaut run`: build a live node from a config (the embedded demo by default), run it
and report what it does.

Output, in order: the client connection table, what startup found (state restored and
reconciled), a status line every `status_every` seconds, and a final summary once the
node has stopped (Ctrl-C, SIGTERM, or the end of `--duration`). Exit codes: 0 after a
graceful stop; 1 when the node could not start or its clients did not connect; 2 for
a bad config or bad arguments (nothing was started).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import TextIO

import msgspec

from argonaut.cli.checks import client_config_problems
from argonaut.cli.status import NodeStatus
from argonaut.common.errors import ConfigError
from argonaut.live.clients.factories import ClientFactoryRegistry
from argonaut.live.config import ClientConfig, LiveNodeConfig, default_config
from argonaut.live.config_io import load_config
from argonaut.live.node import LiveNode, NodeError
from argonaut.live.state import NodeState

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2

_POLL_SECS = 0.05


def resolve_config(path: str | None, data_dir: str | None) -> LiveNodeConfig:
    """Load `path` (None: the embedded default) and apply `data_dir`.

    The data directory holds the node's state (the SQLite database by default); a log
    file configured without a directory goes there too. Raise `ConfigError`.
    """
    config = default_config() if path is None else load_config(path)
    if data_dir is not None:
        if not data_dir:
            raise ConfigError("--data-dir must not be empty")
        config = msgspec.structs.replace(config, data_dir=data_dir)
    config = _sandbox_state_in(config, override=data_dir is not None)
    logging = config.logging
    if logging.log_level_file is not None and logging.log_directory is None:
        logging = msgspec.structs.replace(logging, log_directory=config.data_dir)
        config = msgspec.structs.replace(config, logging=logging)
    return config


def _sandbox_state_in(config: LiveNodeConfig, *, override: bool) -> LiveNodeConfig:
    """Keep the sandbox venue's state file in the node's data directory: give every
    ``sandbox`` client without a `state_file` the node's `data_dir` (only where it has
    none, unless `override`: ``--data-dir`` moves everything)."""
    changed: dict[str, dict[str, ClientConfig]] = {}
    for field in ("data_clients", "exec_clients"):
        clients: dict[str, ClientConfig] = dict(getattr(config, field))
        for name, client in clients.items():
            options = client.config
            if client.kind != "sandbox" or "state_file" in options:
                continue
            if override or "data_dir" not in options:
                options = {**options, "data_dir": config.data_dir}
                clients[name] = msgspec.structs.replace(client, config=options)
        changed[field] = clients
    return msgspec.structs.replace(config, **changed)


def client_factories() -> ClientFactoryRegistry:
    """The client kinds `argonaut run` knows: the sandbox venue."""
    from argonaut.adapters.sandbox.factory import SandboxClientFactory

    registry = ClientFactoryRegistry()
    registry.register("sandbox", SandboxClientFactory())
    return registry


def build(config: LiveNodeConfig) -> LiveNode:
    """Check the clients' options, create the data directory and build the node; raise
    `ConfigError` (before anything is created when the clients' options are wrong)."""
    problems = client_config_problems(config)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(f"{count}\n" + "\n".join(problems))
    try:
        Path(config.data_dir).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"cannot create data_dir {config.data_dir}: {e.strerror or e}") from e
    return LiveNode.build("argonaut", config, factories=client_factories())


def run(
    *,
    config_path: str | None = None,
    duration: float | None = None,
    data_dir: str | None = None,
    status_every: float = 5.0,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run a node until a signal or the end of `duration`; return the exit code."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if duration is not None and not duration > 0:
        print(f"argonaut run: --duration must be > 0 seconds, found {duration}", file=err)
        return EXIT_CONFIG
    if not status_every > 0:
        print(f"argonaut run: --status-every must be > 0, found {status_every}", file=err)
        return EXIT_CONFIG
    try:
        config = resolve_config(config_path, data_dir)
        node = build(config)
    except ConfigError as e:
        where = config_path or "the default config"
        print(f"argonaut run: invalid config ({where}): {e}", file=err)
        return EXIT_CONFIG
    source = config_path or "embedded default config"
    print(f"Argonaut {config.environment.name} node {config.trader_id} ({source})", file=out)
    print(f"State directory: {Path(config.data_dir).resolve()}", file=out)
    try:
        return asyncio.run(_drive(node, duration, status_every, out, err))
    except KeyboardInterrupt:  # a second Ctrl-C while the node was shutting down
        print("argonaut run: interrupted during shutdown", file=err)
        return EXIT_FAILED


async def _drive(
    node: LiveNode, duration: float | None, status_every: float, out: TextIO, err: TextIO
) -> int:
    handle = node.handle()
    status = NodeStatus(node)
    task = asyncio.ensure_future(node.run())
    started = time.monotonic()
    while not task.done() and handle.state in (NodeState.IDLE, NodeState.STARTING):
        await asyncio.wait({task}, timeout=_POLL_SECS)
    code = EXIT_OK
    if handle.state is NodeState.RUNNING:
        print(node.connection_table(), file=out)
        if node.kernel.trader.is_running:
            print(status.restored(), file=out)
            for line in status.reconciliation():
                print(line, file=out)
        else:
            print(
                "argonaut run: the trader did not start (clients not connected or a stop "
                "was requested during startup); stopping",
                file=err,
            )
            code = EXIT_FAILED
            handle.stop()
        out.flush()
    ran_from = time.monotonic()
    deadline = None if duration is None else ran_from + duration
    next_line = ran_from + status_every
    stopping = False
    while not task.done():
        now = time.monotonic()
        wake = next_line if deadline is None or stopping else min(next_line, deadline)
        await asyncio.wait({task}, timeout=max(0.0, wake - now))
        now = time.monotonic()
        if task.done():
            break
        if deadline is not None and not stopping and now >= deadline:
            stopping = True
            print(f"Duration of {duration:g}s reached: stopping", file=out)
            handle.stop()
        if now >= next_line:
            if handle.state is NodeState.RUNNING:
                print(status.line(now, now - ran_from), file=out)
                out.flush()
            next_line += status_every
    try:
        task.result()
    except NodeError as e:
        print(f"argonaut run: {e}", file=err)
        return EXIT_FAILED
    except Exception as e:  # a bug, not a user error: say so and fail
        print(f"argonaut run: the node failed: {type(e).__name__}: {e}", file=err)
        return EXIT_FAILED
    for line in status.summary(time.monotonic() - started):
        print(line, file=out)
    if code == EXIT_OK:
        print(
            f"Stopped cleanly. Run again to continue from the state in {node.config.data_dir}",
            file=out,
        )
    out.flush()
    return code


__all__ = ["EXIT_CONFIG", "EXIT_FAILED", "EXIT_OK", "build", "resolve_config", "run"]
