"""Layer `cli`: the `argonaut` command line (a top layer: it may import every layer).

argonaut run [--config FILE] [--duration SECONDS] [--data-dir DIR] [--status-every SECONDS]
argonaut config show
argonaut check --config FILE

`run` lives in `argonaut.cli.run`, what it prints in `argonaut.cli.status`.
"""

from __future__ import annotations

import argparse
import sys


def _config_show() -> int:
    from argonaut.live.config import default_config
    from argonaut.live.config_io import dump_toml

    sys.stdout.write(dump_toml(default_config()))
    return 0


def _check(path: str) -> int:
    from argonaut.cli.checks import client_config_problems
    from argonaut.live.config_io import check_file, load_config

    problems = check_file(path)
    if not problems:
        problems = client_config_problems(load_config(path))
    if not problems:
        print(f"{path}: OK")
        return 0
    print(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="argonaut", description="Argonaut live trading engine")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="run a live node (the sandbox demo by default)",
        description="Run a live node until Ctrl-C, SIGTERM or the end of --duration. "
        "Exit code 0 after a graceful stop, 1 when the node could not start, 2 for a bad "
        "config.",
    )
    run.add_argument("--config", help="node config file (TOML or JSON); default: the demo")
    run.add_argument("--duration", type=float, help="stop after this many seconds")
    run.add_argument(
        "--data-dir", help="directory of the node's state (overrides the config's data_dir)"
    )
    run.add_argument(
        "--status-every",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds between status lines (default 5)",
    )
    config = sub.add_parser("config", help="inspect configuration")
    config_sub = config.add_subparsers(dest="action", required=True)
    config_sub.add_parser("show", help="print the effective default config as TOML")
    check = sub.add_parser("check", help="validate a config file and print every problem")
    check.add_argument("--config", required=True, help="node config file (TOML or JSON)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `argonaut` command line and return its exit code."""
    args = _parser().parse_args(argv)
    if args.command == "config":
        return _config_show()
    if args.command == "check":
        return _check(args.config)
    from argonaut.cli.run import run

    return run(
        config_path=args.config,
        duration=args.duration,
        data_dir=args.data_dir,
        status_every=args.status_every,
    )


__all__ = ["main"]
