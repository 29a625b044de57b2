"""What `argonaut run` prints about a node: connections, reconciliation, status, summary.

Everything is read through the node's public API (`connection_table`,
`reconciliation_results`, `kernel.cache`, `kernel.portfolio`, `runner.channels`), on the
node's own event loop, between two of its turns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argonaut.live.node import LiveNode
from argonaut.model.enums import OrderStatus
from argonaut.model.identifiers import Venue
from argonaut.model.values import Currency, Money


def _money(amounts: dict[Currency, Money]) -> str:
    """``+1.23 USDT`` per currency (two decimals: a display, not the books)."""
    if not amounts:
        return "0.00"
    ordered = sorted(amounts.items(), key=lambda item: item[0].code)
    return ", ".join(f"{m.as_decimal():+,.2f} {c.code}" for c, m in ordered)


def _sum_by_currency(parts: Iterable[dict[Currency, Money]]) -> dict[Currency, Money]:
    total: dict[Currency, Money] = {}
    for part in parts:
        for currency, amount in part.items():
            held = total.get(currency)
            total[currency] = amount if held is None else held + amount
    return total


class NodeStatus:
    """Formats the state of one node; `line()` also measures events per second."""

    def __init__(self, node: LiveNode) -> None:
        self.node = node
        self._last_events = 0
        self._last_time: float | None = None

    # -- figures ---------------------------------------------------------------------

    @property
    def venues(self) -> list[Venue]:
        """The venues of the cached instruments, sorted."""
        return sorted({i.id.venue for i in self.node.kernel.cache.instruments()})

    def events_processed(self) -> int:
        """Messages handed to the node so far (every channel, plus inline market data)."""
        runner = self.node.runner
        return sum(s.sent_count for s in runner.channels.stats().values()) + runner.inline_count

    def realized(self) -> dict[Currency, Money]:
        """Realized PnL over every venue, by currency."""
        portfolio = self.node.kernel.portfolio
        return _sum_by_currency(portfolio.realized_pnls(v) for v in self.venues)

    def unrealized(self) -> dict[Currency, Money]:
        """Unrealized PnL over every venue, by currency (positions without a price left out)."""
        portfolio = self.node.kernel.portfolio
        return _sum_by_currency(portfolio.unrealized_pnls(v) for v in self.venues)

    def positions(self) -> str:
        """Open positions as ``INSTRUMENT SIDE QTY`` (``flat`` when none)."""
        parts = [
            f"{p.instrument_id.symbol} {p.side.value} {p.quantity}"
            for p in self.node.kernel.cache.positions_open()
        ]
        return ", ".join(sorted(parts)) or "flat"

    # -- lines -----------------------------------------------------------------------

    def line(self, now: float, elapsed: float) -> str:
        """One status line; events per second since the previous line (or the start)."""
        events = self.events_processed()
        since = self._last_time
        span = now - since if since is not None else elapsed
        rate = (events - self._last_events) / span if span > 0 else 0.0
        self._last_events, self._last_time = events, now
        cache = self.node.kernel.cache
        line = (
            f"[{elapsed:6.1f}s] positions: {self.positions()} | realized: "
            f"{_money(self.realized())} | unrealized: {_money(self.unrealized())} | "
            f"open orders: {cache.orders_open_count()} | events/s: {rate:,.0f}"
        )
        return line + self.database()

    def database(self) -> str:
        """The cache database writer's queue depth and write lag ('' without a database)."""
        writer = self.node.persistence
        if writer is None:
            return ""
        text = f" | db queue: {writer.queue_depth:,} lag: {writer.write_lag() * 1000:,.1f} ms"
        if writer.retrying:
            text += " (retrying)"
        return text

    def reconciliation(self) -> list[str]:
        """What startup reconciliation found and did, one line per execution client."""
        results: list[Any] = self.node.reconciliation_results
        if not results:
            enabled = self.node.config.exec_engine.reconciliation
            return ["Reconciliation: " + ("nothing to reconcile" if enabled else "disabled")]
        lines = []
        for result in results:
            found = (
                f"the venue reported {result.order_reports} order(s), "
                f"{result.fill_reports} fill(s), {result.position_reports} position(s)"
            )
            lines.append(f"Reconciliation {result.summary()}")
            lines.append(f"  {found}; {_did(result)}")
        return lines

    def restored(self) -> str:
        """What the cache holds at startup (restored from the database, then reconciled)."""
        cache = self.node.kernel.cache
        return (
            f"State: {cache.orders_total_count()} order(s) ({cache.orders_open_count()} open), "
            f"{cache.positions_total_count()} position(s) ({cache.positions_open_count()} open)"
        )

    def summary(self, elapsed: float) -> list[str]:
        """The final summary, printed after the node stopped."""
        cache = self.node.kernel.cache
        orders = cache.orders()
        filled = sum(1 for o in orders if o.status is OrderStatus.FILLED)
        lines = [
            f"Summary after {elapsed:.1f}s",
            f"  orders: {len(orders)} ({filled} filled, {cache.orders_open_count()} still open)",
            (
                f"  positions: {self.positions()} ({cache.positions_total_count()} in all, "
                f"{cache.positions_closed_count()} closed)"
            ),
            f"  realized PnL: {_money(self.realized())}",
            f"  unrealized PnL: {_money(self.unrealized())}",
        ]
        portfolio = self.node.kernel.portfolio
        for venue in self.venues:
            account = portfolio.account(venue)
            if account is not None:
                balances = ", ".join(
                    f"{b.total.as_decimal()} {b.total.currency.code}"
                    for b in account.balances().values()
                )
                lines.append(f"  account {account.id}: {balances}")
        lines.append(f"  events processed: {self.events_processed():,}")
        still_open = cache.orders_open_count()
        if still_open:
            lines.append(
                f"  {still_open} order(s) still working at the venue: the next run "
                "reconciles them and their strategy takes them over"
            )
        return lines


def _did(result: Any) -> str:
    if not result.events and not result.external_orders:
        return "the local state already matched: nothing to do"
    did = ", ".join(f"{n} {kind}" for kind, n in sorted(result.events.items()))
    external = len(result.external_orders)
    if external:
        did = f"{did}, " if did else ""
        did += f"{external} external order(s) registered"
    return f"applied {did}"


__all__ = ["NodeStatus"]
