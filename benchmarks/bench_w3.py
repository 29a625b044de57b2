"""W3 startup reconciliation scale (WORKLOAD.md "W3"): 10,000 order reports, 30,000 fills.

    .venv/bin/python benchmarks/bench_w3.py            # 3 fresh processes, median figures
    .venv/bin/python benchmarks/bench_w3.py --one      # one run (child), prints RESULT {json}

A run builds a `Kernel` (logging at WARNING, netting OMS) with the 10 instruments
SYM0USDT-PERP.SIM .. SYM9USDT-PERP.SIM (W1 spec) in its cache and the node's
`ExecutionManager`, then builds the mass status as native report objects (outside the
timed region, frozen out of the cyclic GC). As the node does, the portfolio's per-event
updates are suspended during reconciliation (`Portfolio.suspend_event_updates`; the
initialisation after it resumes them). Timed: from the clock read at entry of the
client's `generate_mass_status` to the return of `ExecutionManager.reconcile_client`
with success (``seconds``); then the portfolio initialisation the node runs next
(``seconds_to_start``, cumulative). ``rss_added_mb`` = peak RSS (`ru_maxrss`) after
reconciliation minus the RSS just before it (an upper bound of what it adds).

The run fails loudly unless the result succeeded and the cache ends with 2,000 open,
2,000 canceled and 6,000 filled orders, 30,000 fills, and the expected net positions.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from argonaut.common.logging import LoggingConfig
from argonaut.core.uuid import UUIDFactory
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.execution_manager import ExecutionManager
from argonaut.model.commands.reports import (
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
)
from argonaut.model.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    Symbol,
    TradeId,
    Venue,
    VenueOrderId,
)
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import BTC, USDT, Money, Price, Quantity
from argonaut.system import Kernel, KernelConfig

HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("ARGONAUT_BENCH_RUNS", "3"))
RESULT_PREFIX = "RESULT "
T0 = 1_700_000_000_000_000_000
MS = 1_000_000
N_ORDERS = 10_000
ACCOUNT = AccountId("SIM-001")
VENUE = Venue("SIM")
CLIENT = ClientId("SIM")
pc = time.perf_counter_ns


def instrument(k: int) -> CryptoPerpetual:
    """Return SYM{k}USDT-PERP.SIM with the W1 instrument spec."""
    return CryptoPerpetual(
        id=InstrumentId(f"SYM{k}USDT-PERP.SIM"),
        raw_symbol=Symbol(f"SYM{k}USDT"),
        base_currency=BTC,
        quote_currency=USDT,
        settlement_currency=USDT,
        price_precision=1,
        size_precision=3,
        price_increment=Price.from_str("0.1"),
        size_increment=Quantity.from_str("0.001"),
        min_quantity=Quantity.from_str("0.001"),
        max_quantity=Quantity.from_str("1000"),
        min_price=Price.from_str("0.1"),
        max_price=Price.from_str("1000000"),
        margin_init=Decimal("0.05"),
        margin_maint=Decimal("0.025"),
        ts_event=0,
        ts_init=0,
    )


def build_mass_status(instruments: list[CryptoPerpetual]) -> ExecutionMassStatus:
    """Build the W3 mass status (WORKLOAD.md) as native report objects."""
    uuids = UUIDFactory(seed=3)
    mass = ExecutionMassStatus(
        client_id=CLIENT, account_id=ACCOUNT, venue=VENUE, report_id=uuids.generate(), ts_init=T0
    )
    orders: list[OrderStatusReport] = []
    fills: list[FillReport] = []
    fee = Money.from_str("0.01 USDT")
    for j in range(N_ORDERS):
        iid = instruments[(j // 5) % 10].id
        side = OrderSide.BUY if (j // 50) % 2 == 0 else OrderSide.SELL
        qty = Quantity(5_000_000 * (1 + j % 4), 3)
        price = Price(500_000 + ((j * 7919) % 2001) - 1000, 1)
        kind = j % 5
        ts_accepted = T0 + j * MS
        if kind == 0:
            status, filled, avg, ts_last = OrderStatus.ACCEPTED, 0, None, ts_accepted
        elif kind == 1:
            status, filled, avg, ts_last = OrderStatus.CANCELED, 0, None, ts_accepted + MS // 2
        else:
            status, filled = OrderStatus.FILLED, qty.raw
            avg, ts_last = price.as_decimal(), ts_accepted + MS // 2
        vid = VenueOrderId(f"V-{j}")
        orders.append(
            OrderStatusReport(
                account_id=ACCOUNT,
                instrument_id=iid,
                venue_order_id=vid,
                client_order_id=ClientOrderId(f"C-{j}"),
                order_side=side,
                order_type=OrderType.LIMIT,
                time_in_force=TimeInForce.GTC,
                order_status=status,
                quantity=qty,
                filled_qty=Quantity(filled, 3),
                avg_px=avg,
                price=price,
                ts_accepted=ts_accepted,
                ts_last=ts_last,
                ts_init=T0,
                report_id=uuids.generate(),
            )
        )
        if status is OrderStatus.FILLED:
            part = Quantity(qty.raw // 5, 3)
            fills.extend(
                FillReport(
                    account_id=ACCOUNT,
                    instrument_id=iid,
                    venue_order_id=vid,
                    client_order_id=ClientOrderId(f"C-{j}"),
                    trade_id=TradeId(f"T-{j}-{m}"),
                    order_side=side,
                    last_qty=part,
                    last_px=price,
                    commission=fee,
                    liquidity_side=LiquiditySide.MAKER,
                    ts_event=ts_accepted + (m + 1) * MS // 10,
                    ts_init=T0,
                    report_id=uuids.generate(),
                )
                for m in range(5)
            )
    mass.add_order_reports(orders)
    mass.add_fill_reports(fills)
    return mass


class W3Client:
    """The execution client's report side: hands over the pre-built mass status."""

    def __init__(self, mass: ExecutionMassStatus) -> None:
        self.client_id = CLIENT
        self.venue: Venue | None = VENUE
        self.account_id: AccountId | None = ACCOUNT
        self.mass = mass
        self.t_entry = 0

    async def generate_mass_status(
        self, lookback_mins: int | None = None
    ) -> ExecutionMassStatus | None:
        self.t_entry = pc()
        return self.mass

    async def generate_order_status_report(
        self, command: GenerateOrderStatusReport
    ) -> OrderStatusReport | None:
        return None

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        return []

    async def generate_fill_reports(self, command: GenerateFillReports) -> list[FillReport]:
        return []

    async def generate_position_status_reports(
        self, command: GeneratePositionStatusReports
    ) -> list[PositionStatusReport]:
        return []


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure() -> dict[str, Any]:
    """One run (see the module docstring); raise if the end state is wrong."""
    kernel = Kernel(KernelConfig(logging=LoggingConfig(log_level="WARNING")))
    instruments = [instrument(k) for k in range(10)]
    for inst in instruments:
        kernel.cache.add_instrument(inst)
    manager = ExecutionManager(
        kernel.cache,
        kernel.exec_engine,
        kernel.clock,
        config=LiveExecEngineConfig(),
        logger=kernel.logger("ExecManager"),
        uuid_factory=kernel.uuid_factory,
    )
    t_build = pc()
    mass = build_mass_status(instruments)
    build_s = (pc() - t_build) / 1e9
    client = W3Client(mass)
    manager.register_client(client)
    gc.collect()
    gc.freeze()
    rss_before = _rss_mb()
    kernel.portfolio.suspend_event_updates()  # as the node does during reconciliation
    result = asyncio.run(manager.reconcile_client(client, lookback_mins=None, timeout=None))
    t_done = pc()
    kernel.portfolio.initialize_orders()
    kernel.portfolio.initialize_positions()
    t_start = pc()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _check(kernel, result.success, result.summary())
    return {
        "seconds": (t_done - client.t_entry) / 1e9,
        "seconds_to_start": (t_start - client.t_entry) / 1e9,
        "rss_before_mb": rss_before,
        "rss_peak_mb": peak,
        "rss_added_mb": max(0.0, peak - rss_before),
        "construct_s": build_s,
        "events": result.event_count,
    }


def _check(kernel: Kernel, success: bool, summary: str) -> None:
    cache = kernel.cache
    counts: dict[OrderStatus, int] = {}
    for order in cache.orders():
        counts[order.status] = counts.get(order.status, 0) + 1
    fills = sum(len(o.trade_ids) for o in cache.orders())
    expected = {OrderStatus.ACCEPTED: 2000, OrderStatus.CANCELED: 2000, OrderStatus.FILLED: 6000}
    total_abs = sum(abs(p.signed_qty_raw) for p in cache.positions())
    if not success or counts != expected or fills != 30_000:
        raise SystemExit(f"W3 run invalid: {summary}; {counts}; fills {fills}; {total_abs}")


def child_main() -> int:
    print(RESULT_PREFIX + json.dumps(measure()), flush=True)
    return 0


def run_children(runs: int = RUNS) -> list[dict[str, Any]]:
    """Run `runs` measurements, each in a fresh process; raise if one fails."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    results = []
    for r in range(runs):
        proc = subprocess.run(
            [sys.executable, str(HERE / "bench_w3.py"), "--one"],
            capture_output=True,
            text=True,
            timeout=900,
            env=env,
            check=False,
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_PREFIX)]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(
                f"W3 run {r} failed, exit {proc.returncode}:\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        results.append(json.loads(lines[0][len(RESULT_PREFIX) :]))
    return results


def run() -> Iterator[dict[str, Any]]:
    """Yield the W3 figures: seconds, seconds_to_start, rss_added_mb (medians of runs)."""
    results = run_children()
    for metric, unit in (
        ("seconds", "s"),
        ("seconds_to_start", "s"),
        ("rss_added_mb", "MB"),
        ("construct_s", "s"),
    ):
        values = [r[metric] for r in results]
        yield {
            "bench": "W3",
            "variant": "10k-30k",
            "metric": metric,
            "value": round(statistics.median(values), 3),
            "unit": unit,
            "min": round(min(values), 3),
            "max": round(max(values), 3),
            "runs": len(values),
        }


def main(argv: list[str]) -> int:
    if "--one" in argv:
        return child_main()
    for fig in run():
        print(json.dumps(fig), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
