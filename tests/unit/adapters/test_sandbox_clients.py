from __future__ import annotations

import json
from pathlib import Path

import pytest
from sandbox_live_env import clients, replayed_quotes, settle

from argonaut.live.clients.errors import TransientVenueError
from argonaut.model.book_data import OrderBookDeltas
from argonaut.model.commands import DataResponse
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
)
from argonaut.model.identifiers import InstrumentId
from argonaut.model.instruments import CryptoPerpetual
from argonaut.model.values import Quantity
from argonaut.testkit.commands import (
    cancel_order,
    generate_order_status_report,
    request_quotes,
    submit_order,
    subscribe_book_deltas,
    subscribe_quotes,
    subscribe_trades,
    unsubscribe_quotes,
)
from argonaut.testkit.instruments import btcusdt_perp
from argonaut.testkit.orders import limit_order, market_order
from argonaut.testkit.virtual_time import run_virtual

BTC = InstrumentId("BTCUSDT-PERP.SIM")
INST = btcusdt_perp()


# -- data client -----------------------------------------------------------------------


def test_data_connect_then_instruments_sent_and_nothing_streamed_unsubscribed() -> None:
    async def scenario() -> list[object]:
        env = clients()
        await env.connect()
        await settle(1.0)
        await env.disconnect()
        return env.items

    items = run_virtual(scenario())
    assert [type(i) for i in items] == [CryptoPerpetual]
    assert items[0].id == BTC  # type: ignore[attr-defined]


def test_data_when_quotes_subscribed_then_streamed_at_rate_until_unsubscribed() -> None:
    async def scenario() -> tuple[int, int, int]:
        env = clients(market={"rate": 20, "trade_probability": 1.0})
        await env.connect(subscribe_quotes(INST))
        await settle(1.0)
        quotes = env.count(QuoteTick)
        env.data.unsubscribe(unsubscribe_quotes(INST))
        await settle(0.001)
        quotes = env.count(QuoteTick)
        await settle(1.0)
        after = env.count(QuoteTick)
        trades = env.count(TradeTick)
        await env.disconnect()
        return quotes, after, trades

    quotes, after, trades = run_virtual(scenario())
    assert 19 <= quotes <= 22
    assert after == quotes
    assert trades == 0


def test_data_when_trades_and_deltas_subscribed_then_each_streamed() -> None:
    async def scenario() -> tuple[int, int, int]:
        env = clients(market={"rate": 10, "trade_probability": 1.0})
        await env.connect(subscribe_trades(INST), subscribe_book_deltas(INST))
        await settle(1.0)
        await env.disconnect()
        return (
            env.count(TradeTick),
            env.count(OrderBookDeltas),
            env.count(QuoteTick),
        )

    trades, deltas, quotes = run_virtual(scenario())
    assert trades >= 9
    assert deltas >= 9
    assert quotes == 0


def test_data_when_quotes_requested_then_recent_history_answered() -> None:
    async def scenario() -> list[DataResponse]:
        env = clients()
        await env.connect()
        await settle(1.0)
        env.data.request(request_quotes(INST, start_ns=None, end_ns=None, limit=3))
        await settle(0.01)
        await env.disconnect()
        return env.responses

    (response,) = run_virtual(scenario())
    assert response.data_type == "QuoteTick"
    assert len(response.data) == 3


def test_data_when_venue_disconnects_then_reconnects_and_resubscribes() -> None:
    async def scenario() -> tuple[bool, int, int, int, dict[str, set[InstrumentId]]]:
        env = clients(reconnect_delay_secs=0.5)
        await env.connect(subscribe_quotes(INST))
        await settle(0.5)
        env.exchange.disconnect(2.0)
        await settle(0.1)
        down = env.data.is_connected
        still_none = await env.arriving(QuoteTick, 1.5)
        resumed = still_none + await env.arriving(QuoteTick, 3.0)
        streaming = env.data.streaming
        await env.disconnect()
        return down, still_none, resumed, env.data.reconnect_count, streaming

    down, still_none, resumed, reconnects, streaming = run_virtual(scenario())
    assert down is False
    assert still_none == 0
    assert resumed > 10
    assert reconnects == 1
    assert streaming["quotes"] == {BTC}


def test_data_when_gapped_then_hidden_while_venue_moves_and_when_frozen_then_silent() -> None:
    async def scenario() -> tuple[int, int, int]:
        env = clients(market={"rate": 10})
        await env.connect(subscribe_quotes(INST))
        await settle(0.05)
        env.exchange.gap_data(1.0)
        gapped = await env.arriving(QuoteTick, 0.9)
        await settle(0.2)
        env.exchange.freeze_data(1.0)
        frozen = await env.arriving(QuoteTick, 0.9)
        after = frozen + await env.arriving(QuoteTick, 1.0)
        await env.disconnect()
        return gapped, frozen, after

    gapped, frozen, after = run_virtual(scenario())
    assert gapped == 0
    assert frozen == 0
    assert after >= 8


# -- execution client ------------------------------------------------------------------


def test_exec_connect_then_account_state_reported() -> None:
    async def scenario() -> list[object]:
        env = clients()
        await env.connect()
        await env.disconnect()
        return env.events

    (state,) = run_virtual(scenario())
    assert isinstance(state, AccountState)
    assert state.is_reported
    assert str(state.balances[0].total) == "100000.00000000 USDT"


def test_exec_when_market_order_then_submitted_accepted_filled_after_latency() -> None:
    async def scenario() -> tuple[list[type], int, int]:
        env = clients()
        await env.connect()
        await settle(0.5)
        env.execution.submit_order(submit_order(market_order(INST, quantity="0.010")))
        await settle(0.5)
        await env.disconnect()
        accepted = env.of(OrderAccepted)[0]
        return (
            [type(e) for e in env.events],
            accepted.ts_init - accepted.ts_event,
            len(env.of(AccountState)),
        )

    kinds, latency, states = run_virtual(scenario())
    assert kinds[:3] == [AccountState, OrderSubmitted, OrderAccepted]
    assert OrderFilled in kinds
    assert latency == 5_000_000
    assert states >= 2  # on connect and after the fill


def test_exec_when_reject_injected_then_order_rejected() -> None:
    async def scenario() -> list[OrderRejected]:
        env = clients()
        await env.connect()
        env.exchange.faults.reject_next(reason="venue busy")
        env.execution.submit_order(submit_order(limit_order(INST, price="40000.0")))
        await settle(0.1)
        await env.disconnect()
        return env.of(OrderRejected)

    (rejected,) = run_virtual(scenario())
    assert rejected.reason == "venue busy"


def test_exec_when_ack_dropped_then_no_accepted_but_report_shows_accepted() -> None:
    async def scenario() -> tuple[int, OrderStatus | None]:
        env = clients()
        await env.connect()
        env.exchange.faults.drop_next("ack")
        order = limit_order(INST, price="40000.0", quantity="0.010")
        env.execution.submit_order(submit_order(order))
        await settle(0.1)
        report = await env.execution.generate_order_status_report(
            generate_order_status_report(order)
        )
        await env.disconnect()
        return len(env.of(OrderAccepted)), None if report is None else report.order_status

    accepted, status = run_virtual(scenario())
    assert accepted == 0
    assert status is OrderStatus.ACCEPTED


def test_exec_when_fill_duplicated_then_same_trade_id_twice() -> None:
    async def scenario() -> list[OrderFilled]:
        env = clients(market={"rate": 10, "book_depth": 5})
        await env.connect()
        await settle(0.5)
        env.exchange.faults.duplicate_next("fill")
        env.execution.submit_order(submit_order(market_order(INST, quantity="0.001")))
        await settle(0.1)
        await env.disconnect()
        return env.of(OrderFilled)

    fills = run_virtual(scenario())
    assert len(fills) == 2
    assert fills[0].trade_id == fills[1].trade_id


def test_exec_when_fill_delayed_then_delivered_late() -> None:
    async def scenario() -> int:
        env = clients()
        await env.connect()
        await settle(0.5)
        env.exchange.faults.delay_next("fill", 2.0)
        env.execution.submit_order(submit_order(market_order(INST, quantity="0.001")))
        await settle(1.0)
        early = len(env.of(OrderFilled))
        await settle(1.5)
        await env.disconnect()
        return early * 10 + len(env.of(OrderFilled))

    assert run_virtual(scenario()) == 1


def test_exec_when_venue_cancels_then_order_canceled_and_cancel_of_closed_rejected() -> None:
    async def scenario() -> tuple[int, int]:
        env = clients()
        await env.connect()
        order = limit_order(INST, price="40000.0", quantity="0.010")
        env.execution.submit_order(submit_order(order))
        await settle(0.1)
        env.exchange.cancel_order(order.client_order_id)
        await settle(0.1)
        env.execution.cancel_order(cancel_order(order))
        await settle(0.1)
        await env.disconnect()
        return len(env.of(OrderCanceled)), len(env.of(OrderCancelRejected))

    assert run_virtual(scenario()) == (1, 1)


def test_exec_reports_when_traded_then_mass_status_has_order_fill_position() -> None:
    async def scenario() -> tuple[int, int, list[str]]:
        env = clients()
        await env.connect()
        await settle(0.5)
        env.execution.submit_order(submit_order(market_order(INST, quantity="0.002")))
        await settle(0.1)
        mass = await env.execution.generate_mass_status(lookback_mins=60)
        await env.disconnect()
        assert mass is not None
        positions = [str(p.quantity) for ps in mass.position_reports.values() for p in ps]
        return len(mass.order_reports), len(mass.fill_reports), positions

    orders, fills, quantities = run_virtual(scenario())
    assert orders == 1
    assert fills == 1
    assert quantities == ["0.002"]


def test_exec_reports_when_disconnected_then_transient_error() -> None:
    async def scenario() -> None:
        env = clients()
        await env.connect()
        env.exchange.disconnect(5.0)
        with pytest.raises(TransientVenueError):
            await env.execution.generate_order_status_report(
                generate_order_status_report(limit_order(INST))
            )
        assert await env.execution.generate_mass_status() is None
        await env.disconnect()

    run_virtual(scenario())


def test_exec_when_disconnected_then_submit_rejected_not_connected() -> None:
    async def scenario() -> list[OrderRejected]:
        env = clients()
        await env.connect()
        env.exchange.disconnect(5.0)
        await settle(0.01)
        env.execution.submit_order(submit_order(limit_order(INST, price="40000.0")))
        await settle(0.01)
        await env.disconnect()
        return env.of(OrderRejected)

    (rejected,) = run_virtual(scenario())
    assert "not connected" in rejected.reason


# -- venue lifecycle -------------------------------------------------------------------


def test_exchange_when_data_dir_then_state_saved_and_restored_by_next_venue(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "not" / "yet"  # created on the first save

    async def first() -> None:
        env = clients(data_dir=str(data_dir))
        await env.connect()
        env.execution.submit_order(
            submit_order(limit_order(INST, price="40000.0", quantity="0.010"))
        )
        await settle(0.1)
        await env.disconnect()
        assert not env.exchange.is_running

    async def second() -> tuple[list[str], Quantity]:
        env = clients(data_dir=str(data_dir))
        await env.connect()
        orders = [str(o.client_order_id) for o in env.exchange.venue.open_orders()]
        qty = env.exchange.venue.open_orders()[0].quantity
        await env.disconnect()
        return orders, qty

    run_virtual(first())
    saved = json.loads((data_dir / "sandbox-SIM.json").read_text())
    assert saved["venue"] == "SIM"
    orders, qty = run_virtual(second())
    assert orders == ["O-1"]
    assert str(qty) == "0.010"


def test_exchange_when_replay_then_file_played_at_speed_on_node_clock(tmp_path: Path) -> None:
    csv = tmp_path / "quotes.csv"
    csv.write_text(
        "ts,bid,ask,bid_size,ask_size\n"
        "1000000000,50000.0,50000.5,1.000,1.000\n"
        "3000000000,50001.0,50001.5,1.000,1.000\n"
        "5000000000,50002.0,50002.5,1.000,1.000\n"
    )

    replay = {"instrument": "BTCUSDT-PERP.SIM", "quotes_file": str(csv), "speed": 2.0}
    played = run_virtual(replayed_quotes(replay))
    # The first quote plays when the venue starts, before the subscription lands.
    assert played == [(1_000_000_000, "50001.0"), (2_000_000_000, "50002.0")]


def test_exec_when_sell_market_order_then_filled_as_sell() -> None:
    async def scenario() -> OrderSide:
        env = clients()
        await env.connect()
        await settle(0.5)
        env.execution.submit_order(
            submit_order(market_order(INST, side=OrderSide.SELL, quantity="0.001"))
        )
        await settle(0.1)
        await env.disconnect()
        return env.of(OrderFilled)[0].order_side

    assert run_virtual(scenario()) is OrderSide.SELL


def test_exchange_when_state_changes_then_saved_within_interval_not_per_change(
    tmp_path: Path,
) -> None:
    state = tmp_path / "venue.json"

    async def scenario() -> tuple[int, int]:
        env = clients(state_file=str(state), save_interval_secs=1.0)
        await env.connect()
        await settle(1.5)
        for n in range(3):
            order = limit_order(INST, price="40000.0", client_order_id=f"O-{n}")
            env.execution.submit_order(submit_order(order))
        await settle(0.1)
        early = len(json.loads(state.read_text())["orders"]) if state.exists() else 0
        await settle(1.0)
        late = len(json.loads(state.read_text())["orders"])
        await env.disconnect()
        return early, late

    assert run_virtual(scenario()) == (0, 3)


def test_exchange_when_replay_file_bad_then_connect_fails_naming_line(tmp_path: Path) -> None:
    csv = tmp_path / "quotes.csv"
    csv.write_text("ts,bid,ask,bid_size,ask_size\n1,50000.05,50000.5,1.000,1.000\n")

    async def scenario() -> None:
        env = clients(
            market={"replay": {"instrument": "BTCUSDT-PERP.SIM", "quotes_file": str(csv)}}
        )
        with pytest.raises(ValueError, match="line 2"):
            await env.data.connect()
        assert not env.data.is_connected

    run_virtual(scenario())


def test_exchange_when_node_leaves_during_outage_then_venue_stops_and_reopens() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        env = clients()
        await env.connect()
        env.exchange.disconnect(60.0)
        await settle(0.1)
        await env.disconnect()
        stopped = not env.exchange.is_running
        await env.connect()  # a new session: the venue is reachable again
        running = env.exchange.is_running and env.execution.is_connected
        await env.disconnect()
        return stopped, running, env.exchange.is_up

    assert run_virtual(scenario()) == (True, True, True)
