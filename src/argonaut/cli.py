"""The `argonaut` command line."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run the `argonaut` command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="argonaut", description="Argonaut live trading engine")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a live node (the sandbox demo by default)")
    run.add_argument("--config", help="node config file (TOML or JSON)")
    run.add_argument("--duration", type=float, help="stop after this many seconds")
    args = parser.parse_args(argv)
    if args.command == "run":
        print(
            "argonaut run: the live node is not built yet (see the open issues); nothing was run",
            file=sys.stderr,
        )
        return 2
    return 1  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
