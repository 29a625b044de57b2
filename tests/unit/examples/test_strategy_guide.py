"""The worked example of docs/writing-a-strategy.md runs as written, with the real
engines: its code blocks are executed and exercised here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import examples_env
from examples_env import Env

from argonaut.model.enums import OrderSide

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "writing-a-strategy.md"


def _guide_namespace() -> dict[str, Any]:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {"make_env": examples_env.make_env, "OrderSide": OrderSide}
    for block in blocks[:3]:  # the config, the strategy, the test
        exec(compile(block, str(GUIDE), "exec"), namespace)
    return namespace


def test_guide_test_passes_as_written() -> None:
    namespace = _guide_namespace()

    namespace["test_dip_of_ten_ticks_then_limit_buy_at_the_bid"]()


def test_guide_strategy_when_position_opens_then_reduce_only_take_profit_above() -> None:
    ns = _guide_namespace()
    strategy = ns["DipBuyer"](ns["DipBuyerConfig"](order_id_tag="007"))
    env: Env = examples_env.make_env(strategy)
    env.quote("50001.0", "50001.1")
    env.quote("50000.0", "50000.1")
    [entry] = env.open_orders(strategy)

    env.venue.fill(entry.client_order_id)

    [take_profit] = env.open_orders(strategy)
    assert take_profit.side is OrderSide.SELL
    assert take_profit.is_reduce_only
    assert str(take_profit.price) == "50000.5"  # 5 ticks above the fill
    env.quote("49990.0", "49990.1")  # another dip while the position is open: no entry
    assert len(env.open_orders(strategy)) == 1
