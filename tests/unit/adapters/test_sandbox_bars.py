"""EXTERNAL time bars aggregated by the sandbox venue from its own trades and quotes."""

from __future__ import annotations

from sandbox_live_env import clients, settle

from argonaut.model.commands import data as cmds
from argonaut.model.data import Bar, BarType, QuoteTick, TradeTick
from argonaut.testkit.commands import (
    data_command,
    subscribe_bars,
    subscribe_quotes,
    subscribe_trades,
)
from argonaut.testkit.instruments import btcusdt_perp
from argonaut.testkit.virtual_time import run_virtual

INST = btcusdt_perp()
LAST = "BTCUSDT-PERP.SIM-1-SECOND-LAST-EXTERNAL"
MID = "BTCUSDT-PERP.SIM-1-SECOND-MID-EXTERNAL"
SECOND = 1_000_000_000


def test_last_bars_when_subscribed_then_built_venue_side_from_the_venue_trades() -> None:
    async def scenario() -> tuple[list[Bar], list[TradeTick]]:
        env = clients(market={"rate": 10, "trade_probability": 1.0})
        await env.connect(subscribe_trades(INST), subscribe_bars(LAST))
        await settle(4.5)
        await env.disconnect()
        return env.data_of(Bar), env.data_of(TradeTick)

    bars, trades = run_virtual(scenario())
    assert len(bars) >= 4
    assert all(str(b.bar_type) == LAST and b.ts_event % SECOND == 0 for b in bars)
    for bar in bars[1:]:  # the first bar began before the subscriptions
        inside = [t for t in trades if bar.ts_event - SECOND < t.ts_event <= bar.ts_event]
        assert len(inside) == 10
        assert bar.volume.raw == sum(t.size.raw for t in inside)
        assert bar.high == max(t.price for t in inside)
        assert bar.low == min(t.price for t in inside)
        assert bar.close == inside[-1].price


def test_mid_bars_when_unsubscribed_then_venue_stops_aggregating() -> None:
    async def scenario() -> tuple[int, int, list[BarType], set[BarType]]:
        env = clients(market={"rate": 10})
        await env.connect(subscribe_quotes(INST), subscribe_bars(MID))
        await settle(2.5)
        streaming = env.exchange.bar_types
        env.data.unsubscribe(data_command(cmds.UnsubscribeBars, bar_type=MID))
        await settle(0.001)
        before = env.count(Bar)
        await settle(2.0)
        after = env.count(Bar)
        left = env.exchange.bar_types
        await env.disconnect()
        return before, after, streaming + left, env.data.streaming_bars

    before, after, types, streaming = run_virtual(scenario())
    assert before >= 2
    assert after == before
    assert [str(t) for t in types] == [MID]  # aggregated while subscribed, not after
    assert streaming == set()


def test_bars_when_internal_unsupported_or_unknown_then_not_streamed() -> None:
    async def scenario() -> tuple[int, list[BarType], set[BarType], int]:
        env = clients(market={"rate": 10, "trade_probability": 1.0})
        await env.connect()
        for bar_type in (
            "BTCUSDT-PERP.SIM-1-SECOND-LAST-INTERNAL",  # the data engine builds these
            "BTCUSDT-PERP.SIM-100-TICK-LAST-EXTERNAL",  # not a time bar
            "ETHUSDT-PERP.SIM-1-SECOND-LAST-EXTERNAL",  # not traded on this venue
        ):
            env.data.subscribe(subscribe_bars(bar_type))
        env.data.subscribe(subscribe_quotes(INST))
        await settle(2.5)
        await env.disconnect()
        return (
            env.count(Bar),
            env.exchange.bar_types,
            env.data.streaming_bars,
            env.count(QuoteTick),
        )

    bars, types, streaming, quotes = run_virtual(scenario())
    assert quotes > 20  # the feed ran
    assert (bars, types, streaming) == (0, [], set())


def test_bars_when_venue_disconnects_then_resubscribed_and_resume() -> None:
    async def scenario() -> tuple[int, int, set[BarType], int]:
        env = clients(market={"rate": 10, "trade_probability": 1.0}, reconnect_delay_secs=0.5)
        await env.connect(subscribe_bars(LAST))
        await settle(2.1)
        env.exchange.disconnect(2.0)
        during = await env.arriving(Bar, 1.5)
        resumed = during + await env.arriving(Bar, 4.0)
        streaming = env.data.streaming_bars
        count = len(env.exchange.bar_types)
        await env.disconnect()
        return during, resumed, streaming, count

    during, resumed, streaming, count = run_virtual(scenario())
    assert during == 0
    assert resumed >= 2
    assert {str(t) for t in streaming} == {LAST}
    assert count == 1  # one aggregator again, not one per connection
