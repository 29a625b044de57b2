"""A node trading on the sandbox venue, for the crash-recovery test (run as a script).

    python crash_node.py trade DATA_DIR SEED   # trade until killed (prints RUNNING)
    python crash_node.py check DATA_DIR        # restart, reconcile, print CHECK {json}

Both modes build the same node: trader CRASH-001, SQLite cache database and ownership
journal under DATA_DIR (write-ahead ownership on, the default), the sandbox venue SIM
with its state file there too, startup reconciliation on. The venue state is saved
every millisecond and venue messages become visible after at least 5 ms, so whatever
the node has seen of the venue is in the venue's file when the process is killed: the
venue behaves like a real one that outlives the node.

``trade``: the strategy `Churner` places market and limit orders on BTC quotes and
cancels resting ones, at random (seeded), until the parent sends SIGKILL.
``check``: the strategy does not trade; once startup reconciliation is done the
script compares the node with the venue and prints what it found as one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from argonaut.adapters.sandbox.factory import SandboxClientFactory
from argonaut.common.logging import LoggingConfig
from argonaut.live.config import DatabaseConfig, LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode
from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import InstrumentId, StrategyId, Venue
from argonaut.model.values import USDT, Quantity
from argonaut.trading import Strategy, StrategyConfig

BTC = InstrumentId("BTCUSDT-PERP.SIM")
SIM = Venue("SIM")
QTY = Quantity.from_str("0.001")


class Churner(Strategy):
    """Trades BTC at random on quotes (when `trade`), keeping the position small."""

    def __init__(self, trade: bool, seed: int) -> None:
        super().__init__(StrategyConfig(order_id_tag="001", log_events=False, log_commands=False))
        self.trade = trade
        self.rng = random.Random(seed)
        self.quotes = 0

    def on_start(self) -> None:
        self.subscribe_quote_ticks(BTC)
        print("RUNNING", flush=True)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.quotes += 1
        if not self.trade or self.quotes % 3:
            return
        net = sum(p.signed_qty_raw for p in self.cache.positions_open(strategy_id=self.id))
        side = OrderSide.BUY if net <= 0 else OrderSide.SELL
        r = self.rng.random()
        factory = self.factory
        if r < 0.45:
            self.submit_order(factory.market(BTC, side, QTY))
        elif r < 0.85:
            price = tick.bid_price if side is OrderSide.BUY else tick.ask_price
            self.submit_order(factory.limit(BTC, side, QTY, price))
        else:
            self.cancel_all_orders(BTC)


def build(data_dir: Path, trade: bool, seed: int) -> tuple[LiveNode, SandboxClientFactory]:
    config = LiveNodeConfig(
        trader_id="CRASH-001",
        data_dir=str(data_dir),
        database=DatabaseConfig(type="sqlite"),
        timeout_connection=10.0,
        timeout_reconciliation=10.0,
        delay_post_stop=0.2,
        timeout_disconnection=2.0,
        logging=LoggingConfig(log_level="ERROR", log_colors=False),
        exec_engine=LiveExecEngineConfig(reconciliation=True),
    )
    node = LiveNode(config, name="CrashNode")
    k = node.kernel
    factory = SandboxClientFactory()
    venue: dict[str, Any] = {
        "venue": "SIM",
        "instruments": ["BTCUSDT-PERP.SIM"],
        "base_currency": "USDT",
        "latency": {"fixed_ms": 5, "jitter_ms": 3},
        "seed": seed,
        "state_file": str(data_dir / "sandbox-SIM.json"),
        "save_interval_secs": 0.001,
        "market": {"rate": 200.0},
    }
    common: dict[str, Any] = {
        "msgbus": k.msgbus,
        "cache": k.cache,
        "clock": k.clock,
        "uuid_factory": k.uuid_factory,
    }
    node.add_data_client(
        factory.create_data_client("SIM", venue, logger=k.logger("SIM-data"), **common)
    )
    node.add_exec_client(
        factory.create_exec_client("SIM", venue, logger=k.logger("SIM-exec"), **common)
    )
    node.add_strategy(Churner(trade, seed))
    return node, factory


def compare(node: LiveNode, factory: SandboxClientFactory) -> dict[str, Any]:
    """What the restarted node holds against what the venue holds."""
    cache = node.kernel.cache
    venue = factory.exchange("SIM").venue
    owner = StrategyId("Churner-001")
    orders = cache.orders()
    strategies = Counter(str(o.strategy_id) for o in orders)
    venue_orders_unknown = [
        str(coid)
        for coid, sim in venue.orders.items()
        if (o := cache.order(coid)) is None or o.strategy_id != sim.strategy_id
    ]
    order_trade_ids = [t for o in orders for t in o.trade_ids]
    position_trade_ids = [t for p in cache.positions(instrument_id=BTC) for t in p.trade_ids]
    venue_trade_ids = [str(f.trade_id) for f in venue.fills]
    node_net = sum(p.signed_qty_raw for p in cache.positions_open(instrument_id=BTC))
    venue_net = sum(p.signed_raw for p in venue.ledger.positions.values())
    account = cache.account_for_venue(SIM)
    node_total = None if account is None else str(account.balance_total(USDT))
    venue_total = str(venue.ledger.total(USDT))
    return {
        "orders": len(orders),
        "strategies": dict(strategies),
        "owner": str(owner),
        "venue_orders": len(venue.orders),
        "venue_orders_unknown": venue_orders_unknown,
        "order_trade_ids_repeated": len(order_trade_ids) - len(set(order_trade_ids)),
        "position_trade_ids_repeated": len(position_trade_ids) - len(set(position_trade_ids)),
        "node_trade_ids_not_at_venue": sorted(
            set(map(str, order_trade_ids)) - set(venue_trade_ids)
        ),
        "venue_fills": len(venue_trade_ids),
        "node_fills": len(order_trade_ids),
        "node_net_raw": node_net,
        "venue_net_raw": venue_net,
        "node_total": node_total,
        "venue_total": venue_total,
        "duplicate_fills_dropped": node.kernel.exec_engine.duplicate_fill_count,
    }


async def trade(data_dir: Path, seed: int) -> None:
    node, _ = build(data_dir, True, seed)
    await node.run()  # until SIGKILL


async def check(data_dir: Path) -> None:
    node, factory = build(data_dir, False, 0)
    await node.start()
    await asyncio.sleep(0.5)  # let reports and account updates settle
    result = compare(node, factory)
    await node.stop()
    print("CHECK " + json.dumps(result), flush=True)


def main(argv: list[str]) -> int:
    mode, data_dir = argv[0], Path(argv[1])
    if mode == "trade":
        asyncio.run(trade(data_dir, int(argv[2])))
    else:
        asyncio.run(check(data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
