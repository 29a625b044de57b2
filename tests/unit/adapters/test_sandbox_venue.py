"""The sandbox venue: ids, expiry, reduce-only, accounts, positions, latency, reports."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from sandbox_env import IID, INST, T0, book, kinds, make_venue, of_type, quote, submit

from argonaut.adapters.sandbox import (
    LatencyModel,
    SandboxVenueConfig,
    VenueAccountUpdate,
    VenueMessage,
    VenueOrderAccepted,
    VenueOrderCanceled,
    VenueOrderExpired,
    VenueOrderFilled,
    VenueOrderRejected,
)
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.data import QuoteTick
from argonaut.model.enums import AccountType, OrderSide, OrderStatus, PositionSide, TimeInForce
from argonaut.model.identifiers import ClientId, Venue
from argonaut.model.values import BTC, USDT, Money, Price, Quantity
from argonaut.testkit.commands import cancel_all_orders, query_account
from argonaut.testkit.instruments import ethusdt_perp
from argonaut.testkit.orders import limit_order, market_order

BOOK = book(
    bids=[("99.5", "1.000"), ("99.0", "2.000")],
    asks=[("100.0", "1.000"), ("100.5", "1.000"), ("101.0", "5.000")],
)
MS = 1_000_000


def _balance(msgs: list[VenueMessage]) -> VenueAccountUpdate:
    return of_type(msgs, VenueAccountUpdate)[-1]


def test_venue_order_ids_and_trade_ids_are_sequential():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="2.000"))
    out += submit(venue, limit_order(INST, price="99.0", client_order_id="O-2"))
    assert [m.venue_order_id for m in of_type(out, VenueOrderAccepted)] == ["SIM-1", "SIM-2"]
    assert [m.trade_id for m in of_type(out, VenueOrderFilled)] == ["SIM-T1", "SIM-T2"]


def test_duplicate_client_order_id_and_off_tick_price_are_rejected():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, limit_order(INST, price="99.0"))
    out = submit(venue, limit_order(INST, price="99.0"))
    assert "already used" in of_type(out, VenueOrderRejected)[0].reason
    out = submit(venue, limit_order(INST, price=Price.from_str("99.05"), client_order_id="O-2"))
    assert "tick size" in of_type(out, VenueOrderRejected)[0].reason


def test_gtd_order_expires_at_its_expire_time():
    venue = make_venue()
    venue.process(BOOK)
    submit(
        venue,
        limit_order(INST, price="99.0", time_in_force=TimeInForce.GTD, expire_time_ns=T0 + 1000),
    )
    assert venue.advance_time(T0 + 999) == []
    out = venue.advance_time(T0 + 1000)
    assert kinds(out) == ["VenueOrderExpired", "VenueAccountUpdate"]
    assert venue.orders[of_type(out, VenueOrderExpired)[0].client_order_id].status is (
        OrderStatus.EXPIRED
    )


def test_day_order_expires_at_next_utc_midnight_by_default():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, limit_order(INST, price="99.0", time_in_force=TimeInForce.DAY))
    midnight = 1_700_006_400_000_000_000  # T0 is 2023-11-14T22:13:20Z
    assert venue.advance_time(midnight - 1) == []
    assert kinds(venue.advance_time(midnight))[0] == "VenueOrderExpired"


def test_day_order_expires_at_configured_session_end():
    venue = make_venue(session_end_ns=21 * 3600 * 10**9)  # 21:00 UTC, already past at T0
    venue.process(BOOK)
    submit(venue, limit_order(INST, price="99.0", time_in_force=TimeInForce.DAY))
    assert venue.open_orders()[0].expire_at_ns == 1_700_082_000_000_000_000


def test_reduce_only_refused_when_it_would_open_or_increase():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_order(INST, side=OrderSide.SELL, reduce_only=True))
    assert "reduce-only" in of_type(out, VenueOrderRejected)[0].reason
    submit(venue, market_order(INST, quantity="1.000", client_order_id="O-2"))
    out = submit(venue, market_order(INST, reduce_only=True, client_order_id="O-3"))
    assert "reduce-only" in of_type(out, VenueOrderRejected)[0].reason


def test_reduce_only_fill_is_capped_at_the_position():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, market_order(INST, quantity="1.000"))
    venue.process(book(bids=[("99.5", "5.000")], asks=[("100.0", "5.000")], ts=T0 + 1))
    out = submit(
        venue,
        market_order(
            INST, side=OrderSide.SELL, quantity="3.000", reduce_only=True, client_order_id="O-2"
        ),
        ts=T0 + 2,
    )
    assert [f.last_qty for f in of_type(out, VenueOrderFilled)] == [Quantity.from_str("1.000")]
    assert len(of_type(out, VenueOrderCanceled)) == 1
    [pos] = venue.position_reports(ts_init=T0)
    assert pos.position_side is PositionSide.FLAT


def test_margin_account_netting_position_flips_with_pnl_and_fees():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, market_order(INST, quantity="1.000"))  # long 1 @ 100.0, fee 0.04
    venue.process(book(bids=[("99.5", "5.000")], asks=[("100.0", "5.000")], ts=T0 + 1))
    out = submit(
        venue, market_order(INST, side=OrderSide.SELL, quantity="3.000", client_order_id="O-2")
    )
    # one fill 3 @ 99.5: closes 1 (PnL -0.5), opens short 2; fee 3 * 99.5 * 4 bp = 0.1194
    update = _balance(out)
    [balance] = update.balances
    assert balance.total == Money.from_str("999999.3406 USDT")
    assert balance.locked == Money.from_str("4.975 USDT")  # 2 * 99.5 * 2.5 %
    assert balance.free == Money.from_str("999994.3656 USDT")
    [margin] = update.margins
    assert margin.maintenance == Money.from_str("4.975 USDT")
    [pos] = venue.position_reports(ts_init=T0)
    assert pos.position_side is PositionSide.SHORT
    assert pos.quantity == Quantity.from_str("2.000")
    assert pos.avg_px_open == Decimal("99.5")


def test_resting_order_locks_initial_margin_and_cancel_releases_it():
    venue = make_venue()
    venue.process(BOOK)
    order = limit_order(INST, quantity="2.000", price="99.0")
    out = submit(venue, order)
    assert _balance(out).balances[0].locked == Money.from_str("9.9 USDT")  # 2 * 99 * 5 %
    out = venue.execute(cancel_all_orders(INST), T0 + 1)
    assert kinds(out) == ["VenueOrderCanceled", "VenueAccountUpdate"]
    assert _balance(out).balances[0].locked == Money.from_str("0 USDT")


def test_cancel_all_orders_of_one_side():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, limit_order(INST, price="99.0"))
    submit(venue, limit_order(INST, side=OrderSide.SELL, price="101.5", client_order_id="O-2"))
    out = venue.execute(cancel_all_orders(INST, order_side=OrderSide.BUY), T0 + 1)
    assert [m.client_order_id for m in of_type(out, VenueOrderCanceled)] == ["O-1"]
    assert [o.client_order_id for o in venue.open_orders()] == ["O-2"]


def test_order_needing_more_margin_than_free_is_rejected():
    venue = make_venue(starting_balances=(Money.from_str("10 USDT"),))
    venue.process(BOOK)
    assert kinds(submit(venue, limit_order(INST, price="99.0")))[0] == "VenueOrderAccepted"
    out = submit(venue, limit_order(INST, quantity="2.000", price="99.0", client_order_id="O-2"))
    assert "insufficient balance" in of_type(out, VenueOrderRejected)[0].reason


def test_cash_account_buy_pays_quote_and_receives_base():
    venue = make_venue(
        account_type=AccountType.CASH, starting_balances=(Money.from_str("1000 USDT"),)
    )
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="1.000"))
    totals = {b.currency.code: b.total for b in _balance(out).balances}
    assert totals == {"USDT": Money.from_str("899.96 USDT"), "BTC": Money.from_str("1 BTC")}
    out = submit(
        venue,
        limit_order(
            INST, side=OrderSide.SELL, quantity="2.000", price="101.5", client_order_id="O-2"
        ),
    )
    assert "insufficient balance" in of_type(out, VenueOrderRejected)[0].reason
    assert venue.ledger.total(BTC) == Money.from_str("1 BTC")
    assert venue.ledger.total(USDT) == Money.from_str("899.96 USDT")


def test_fee_override_replaces_instrument_rates():
    venue = make_venue(taker_fee=Decimal("0.001"))
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="1.000"))
    assert of_type(out, VenueOrderFilled)[0].commission == Money.from_str("0.1 USDT")


def test_latency_fixed_plus_seeded_jitter_is_deterministic_and_fifo():
    def run() -> list[int]:
        venue = make_venue(latency=LatencyModel(fixed_ms=5, jitter_ms=3), seed=7)
        venue.process(BOOK)
        out = submit(venue, limit_order(INST, price="99.0"))
        out += venue.execute(query_account(), T0 - 10 * MS)  # earlier ts: still not before
        return [m.ts_visible for m in out]

    first = run()
    assert first == run()
    assert all(T0 + 5 * MS <= ts <= T0 + 8 * MS for ts in first[:2])
    assert first == sorted(first)


def test_account_update_follows_every_change_and_query_account():
    venue = make_venue()
    venue.process(BOOK)
    assert kinds(submit(venue, limit_order(INST, price="99.0")))[-1] == "VenueAccountUpdate"
    assert kinds(venue.execute(query_account(), T0)) == ["VenueAccountUpdate"]


def test_reports_open_only_vs_all_and_fills_since():
    venue = make_venue(instruments=(INST, ethusdt_perp()))
    venue.process(BOOK)
    submit(venue, market_order(INST, quantity="1.000"), ts=T0)
    venue.process(book(bids=[("99.5", "5.000")], asks=[("100.0", "5.000")], ts=T0 + 10))
    submit(venue, market_order(INST, quantity="1.000", client_order_id="O-2"), ts=T0 + 10)
    submit(venue, limit_order(INST, price="99.0", client_order_id="O-3"), ts=T0 + 20)
    all_reports = venue.order_status_reports(ts_init=T0 + 30)
    assert [r.client_order_id for r in all_reports] == ["O-1", "O-2", "O-3"]
    open_reports = venue.order_status_reports(ts_init=T0 + 30, open_only=True)
    assert [r.client_order_id for r in open_reports] == ["O-3"]
    assert open_reports[0].order_status is OrderStatus.ACCEPTED
    assert venue.order_status_reports(ts_init=T0, instrument_id=ethusdt_perp().id) == []
    fills = venue.fill_reports(ts_init=T0 + 30, since_ns=T0 + 5)
    assert [(f.trade_id, f.client_order_id) for f in fills] == [("SIM-T2", "O-2")]
    status = venue.mass_status(ClientId("SIM"), ts_init=T0 + 30)
    assert len(status.order_reports) == 3
    assert status.fill_count() == 2
    assert status.position_reports[IID][0].quantity == Quantity.from_str("2.000")


def test_venue_messages_round_trip_through_msgspec_json():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="2.000"))
    data = msgspec.json.encode(out, enc_hook=enc_hook)
    assert msgspec.json.decode(data, type=list[VenueMessage], dec_hook=dec_hook) == out


def test_config_refuses_instrument_of_another_venue():
    with pytest.raises(ValueError, match="not on venue"):
        SandboxVenueConfig(
            venue=Venue("OTHER"),
            instruments=(INST,),
            starting_balances=(Money.from_str("1 USDT"),),
        )


def test_market_data_for_unknown_instrument_is_refused():
    venue = make_venue()
    q = quote("1.0", "1.1")
    eth_quote = QuoteTick(
        ethusdt_perp().id, q.bid_price, q.ask_price, q.bid_size, q.ask_size, T0, T0
    )
    with pytest.raises(ValueError, match="expected one of"):
        venue.process(eth_quote)
