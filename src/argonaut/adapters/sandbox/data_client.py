"""`SandboxDataClient`: the live data client of the sandbox venue.

On connect it attaches to the venue's `SandboxExchange` and puts the venue's
instruments into the engine (and so the cache). It streams only what is subscribed:
quotes, trades and book deltas per instrument, and EXTERNAL time bars, which the venue
aggregates from its own trades (LAST) or quotes (BID, ASK, MID); INTERNAL bars are the
data engine's own aggregation of those. Instrument requests are answered from the
venue, quote and trade requests from a bounded history of recent updates (`history`
per instrument).

When the venue drops the connection (fault injection) the client disconnects, retries
with backoff until the venue takes it again, then re-subscribes everything it had.
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import partial
from typing import Any

from argonaut.adapters.sandbox.link import ExchangeProvider, SandboxLink
from argonaut.adapters.sandbox.marketdata import GeneratedData
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.clients.data import LiveDataClient
from argonaut.live.timesource import TimeSource
from argonaut.model.commands import data as cmds
from argonaut.model.data import Bar, BarType, QuoteTick, TradeTick
from argonaut.model.identifiers import InstrumentId

__all__ = ["SandboxDataClient"]


class SandboxDataClient(SandboxLink, LiveDataClient):
    """Market data from a `SandboxExchange` (see the module docstring)."""

    def __init__(
        self,
        client_id: str,
        *,
        exchange: ExchangeProvider,
        venue: str,
        msgbus: MessageBus,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger | None = None,
        time_source: TimeSource | None = None,
        reconnect_delay_secs: float = 0.5,
        history: int = 1_000,
    ) -> None:
        super().__init__(
            client_id,
            msgbus=msgbus,
            clock=clock,
            venue=venue,
            logger=logger,
            time_source=time_source,
        )
        self._init_link(exchange, reconnect_delay_secs)
        self._uuids = uuid_factory
        self._quotes: set[InstrumentId] = set()
        self._trades: set[InstrumentId] = set()
        self._deltas: set[InstrumentId] = set()
        self._bars: set[BarType] = set()
        recent: partial[deque[Any]] = partial(deque, maxlen=history)  # per instrument
        self._recent_quotes: defaultdict[InstrumentId, deque[QuoteTick]] = defaultdict(recent)
        self._recent_trades: defaultdict[InstrumentId, deque[TradeTick]] = defaultdict(recent)

    # -- connection ----------------------------------------------------------------------

    async def _connect(self) -> None:
        exchange = self._provider()
        exchange.attach_data(self)
        self.exchange = exchange
        for instrument in exchange.instruments:
            self._handle_data(instrument)
        self.connect_count += 1

    async def _disconnect(self) -> None:
        # The venue forgets a connection's subscriptions when it closes.
        self._quotes.clear()
        self._trades.clear()
        self._deltas.clear()
        exchange = self.exchange
        if exchange is not None:
            for bar_type in self._bars:
                exchange.unsubscribe_bars(bar_type)
        self._bars.clear()

    async def _on_reconnected(self) -> None:
        await super()._on_reconnected()
        self._log.info(f"Reconnected; re-subscribed {len(self.subscriptions)} streams")

    # -- streaming (hot path) ------------------------------------------------------------

    def on_market_data(self, data: GeneratedData | Bar) -> None:
        """Hand one venue update to the engine when it is subscribed."""
        kind = type(data)
        if kind is QuoteTick:
            iid = data.instrument_id
            self._recent_quotes[iid].append(data)  # type: ignore[arg-type]
            if iid in self._quotes:
                self._sink(data)
        elif kind is TradeTick:
            iid = data.instrument_id
            self._recent_trades[iid].append(data)  # type: ignore[arg-type]
            if iid in self._trades:
                self._sink(data)
        elif kind is Bar:
            if data.bar_type in self._bars:  # type: ignore[union-attr]
                self._sink(data)
        elif data.instrument_id in self._deltas:
            self._sink(data)

    # -- subscriptions -------------------------------------------------------------------

    def _known(self, instrument_id: InstrumentId, what: str) -> bool:
        exchange = self.exchange
        if exchange is not None and exchange.instrument(instrument_id) is not None:
            return True
        self._log.warning(f"Cannot subscribe to {what} of {instrument_id}: not traded here")
        return False

    async def _subscribe_quote_ticks(self, command: cmds.SubscribeQuoteTicks) -> None:
        if self._known(command.instrument_id, "quotes"):
            self._quotes.add(command.instrument_id)

    async def _unsubscribe_quote_ticks(self, command: cmds.UnsubscribeQuoteTicks) -> None:
        self._quotes.discard(command.instrument_id)

    async def _subscribe_trade_ticks(self, command: cmds.SubscribeTradeTicks) -> None:
        if self._known(command.instrument_id, "trades"):
            self._trades.add(command.instrument_id)

    async def _unsubscribe_trade_ticks(self, command: cmds.UnsubscribeTradeTicks) -> None:
        self._trades.discard(command.instrument_id)

    async def _subscribe_order_book_deltas(self, command: cmds.SubscribeBookDeltas) -> None:
        if self._known(command.instrument_id, "book deltas"):
            self._deltas.add(command.instrument_id)

    async def _unsubscribe_order_book_deltas(self, command: cmds.UnsubscribeBookDeltas) -> None:
        self._deltas.discard(command.instrument_id)

    async def _subscribe_bars(self, command: cmds.SubscribeBars) -> None:
        bar_type = BarType.from_str(command.bar_type)
        exchange = self.exchange
        if not bar_type.is_externally_aggregated() or exchange is None:
            self._log.warning(
                f"Cannot subscribe to bars {bar_type}: the sandbox venue streams EXTERNAL "
                "bar types (INTERNAL ones are built by the data engine)"
            )
            return
        try:
            exchange.subscribe_bars(bar_type)
        except ValueError as exc:
            self._log.warning(f"Cannot subscribe to bars: {exc}")
            return
        self._bars.add(bar_type)

    async def _unsubscribe_bars(self, command: cmds.UnsubscribeBars) -> None:
        bar_type = BarType.from_str(command.bar_type)
        self._bars.discard(bar_type)
        if self.exchange is not None:
            self.exchange.unsubscribe_bars(bar_type)

    async def _subscribe_instruments(self, command: cmds.SubscribeInstruments) -> None:
        """Instruments are static on the sandbox: the connect already sent them."""

    async def _unsubscribe_instruments(self, command: cmds.UnsubscribeInstruments) -> None:
        """Nothing to stop (see `_subscribe_instruments`)."""

    async def _subscribe_instrument(self, command: cmds.SubscribeInstrument) -> None:
        """Instruments are static on the sandbox: the connect already sent it."""

    async def _unsubscribe_instrument(self, command: cmds.UnsubscribeInstrument) -> None:
        """Nothing to stop (see `_subscribe_instrument`)."""

    @property
    def streaming(self) -> dict[str, set[InstrumentId]]:
        """What the venue currently streams to this client, by kind."""
        return {
            "quotes": set(self._quotes),
            "trades": set(self._trades),
            "deltas": set(self._deltas),
        }

    @property
    def streaming_bars(self) -> set[BarType]:
        """The bar types the venue currently streams to this client."""
        return set(self._bars)

    # -- requests ------------------------------------------------------------------------

    async def _request_instrument(self, request: cmds.RequestInstrument) -> None:
        exchange = self.exchange
        found = exchange.instrument(request.instrument_id) if exchange is not None else None
        self._respond(request, "Instrument", () if found is None else (found,))

    async def _request_instruments(self, request: cmds.RequestInstruments) -> None:
        exchange = self.exchange
        items = tuple(exchange.instruments) if exchange is not None else ()
        self._respond(request, "Instrument", items)

    async def _request_quote_ticks(self, request: cmds.RequestQuoteTicks) -> None:
        recent = self._recent_quotes.get(request.instrument_id, ())
        self._respond(request, "QuoteTick", self._window(list(recent), request))

    async def _request_trade_ticks(self, request: cmds.RequestTradeTicks) -> None:
        recent = self._recent_trades.get(request.instrument_id, ())
        self._respond(request, "TradeTick", self._window(list(recent), request))

    @staticmethod
    def _window(items: list[Any], request: cmds.RequestCommand) -> tuple[Any, ...]:
        start, end = request.start_ns, request.end_ns
        out = [
            d
            for d in items
            if (start is None or d.ts_event >= start) and (end is None or d.ts_event <= end)
        ]
        if request.limit:
            out = out[-request.limit :]
        return tuple(out)

    def _respond(self, request: cmds.RequestCommand, data_type: str, data: tuple[Any, ...]) -> None:
        self._handle_response(
            cmds.DataResponse(
                correlation_id=request.request_id,
                data_type=data_type,
                data=data,
                response_id=self._uuids.generate(),
                ts_init=self._clock.timestamp_ns(),
                client_id=self.client_id,
                venue=self.venue,
                start_ns=request.start_ns,
                end_ns=request.end_ns,
            )
        )
