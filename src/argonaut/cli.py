"""The `argonaut` command line.

argonaut run [--config FILE] [--duration SECONDS]
argonaut config show
argonaut check --config FILE
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
    from argonaut.live.config_io import check_file

    problems = check_file(path)
    if not problems:
        print(f"{path}: OK")
        return 0
    print(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Run the `argonaut` command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="argonaut", description="Argonaut live trading engine")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a live node (the sandbox demo by default)")
    run.add_argument("--config", help="node config file (TOML or JSON)")
    run.add_argument("--duration", type=float, help="stop after this many seconds")
    config = sub.add_parser("config", help="inspect configuration")
    config_sub = config.add_subparsers(dest="action", required=True)
    config_sub.add_parser("show", help="print the effective default config as TOML")
    check = sub.add_parser("check", help="validate a config file and print every problem")
    check.add_argument("--config", required=True, help="node config file (TOML or JSON)")
    args = parser.parse_args(argv)
    if args.command == "config":
        return _config_show()
    if args.command == "check":
        return _check(args.config)
    print(
        "argonaut run: the sandbox venue demo is not built yet (see the open issues); "
        "nothing was run",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
