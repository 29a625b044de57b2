"""Cache maintenance: purges, integrity check, residuals, own book audit, reset, state."""

from __future__ import annotations

import pytest
from test_cache_stubs import (
    ACCOUNT,
    BTC_PERP,
    STRATEGY,
    accept,
    account_state,
    apply,
    cash_account,
    event,
    fill,
    make_order,
    open_position,
    perp,
    quote,
)

from argonaut.cache import Cache, CacheConfig
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.model.enums import ContingencyType, OrderSide
from argonaut.model.events.order import OrderCanceled, OrderPendingCancel, OrderSubmitted
from argonaut.model.identifiers import ClientOrderId, PositionId, Venue, VenueOrderId
from argonaut.model.orders import Order
from argonaut.model.position import Position

SIM = Venue("SIM")
S = NANOS_PER_SECOND


def _filled(cache: Cache, coid: str, ts: int, position_id: PositionId | None = None) -> Order:
    order = make_order(coid)
    cache.add_order(order, position_id=position_id)
    accept(cache, order, ts=ts - 2)
    apply(cache, order, fill(order, "1.000", ts=ts, position_id=position_id))
    return order


def _canceled(cache: Cache, coid: str, ts: int, **overrides: object) -> Order:
    order = make_order(coid, **overrides)  # type: ignore[arg-type]
    cache.add_order(order)
    accept(cache, order, ts=ts - 2)
    apply(cache, order, event(order, OrderCanceled, ts))
    return order


# -- purging orders ----------------------------------------------------------------------


def test_purge_closed_orders_then_only_those_closed_longer_than_buffer_ago() -> None:
    cache = Cache()
    old = _canceled(cache, "OLD", ts=10)
    recent = _canceled(cache, "RECENT", ts=10 + 5 * S)
    working = make_order("WORKING")
    cache.add_order(working)
    accept(cache, working)
    assert cache.purge_closed_orders(ts_now=10 + 9 * S, buffer_secs=10) == []
    assert cache.purge_closed_orders(ts_now=10 + 10 * S, buffer_secs=10) == [old.client_order_id]
    assert not cache.order_exists(old.client_order_id)
    assert cache.order_exists(recent.client_order_id)
    assert cache.client_order_id(VenueOrderId("V-OLD")) is None
    assert cache.venue_order_id(old.client_order_id) is None
    assert old.client_order_id not in cache.client_order_ids(venue=SIM)
    assert cache.check_integrity() == []
    assert cache.purge_closed_orders(ts_now=10 + 100 * S) == [recent.client_order_id]
    assert cache.client_order_ids() == [working.client_order_id]
    assert cache.check_integrity() == []


def test_purge_closed_orders_when_position_open_then_kept_until_position_closes() -> None:
    cache = Cache()
    pid = PositionId("P-1")
    opener = make_order("OPEN-1")
    cache.add_order(opener, position_id=pid)
    accept(cache, opener)
    position = open_position(cache, opener, pid, ts=5)
    assert opener.is_closed
    assert cache.purge_closed_orders(ts_now=10**15) == []
    closer = make_order("CLOSE-1", side=OrderSide.SELL)
    cache.add_order(closer, position_id=pid)
    accept(cache, closer, ts=6)
    f = fill(closer, "1.000", ts=8, position_id=pid)
    apply(cache, closer, f)
    position.apply(f)
    cache.update_position(position)
    assert cache.purge_closed_orders(ts_now=10**15) == [
        opener.client_order_id,
        closer.client_order_id,
    ]
    assert cache.orders_for_position(pid) == []
    assert cache.position(pid) is position
    assert cache.check_integrity() == []


def test_purge_closed_orders_when_linked_order_still_open_then_kept() -> None:
    cache = Cache()
    links = (ClientOrderId("TP"), ClientOrderId("SL"))
    tp = _canceled(cache, "TP", ts=5, contingency_type=ContingencyType.OCO, linked_order_ids=links)
    sl = make_order("SL", contingency_type=ContingencyType.OCO, linked_order_ids=links)
    cache.add_order(sl)
    accept(cache, sl)
    assert cache.purge_closed_orders(ts_now=10**15) == []
    apply(cache, sl, event(sl, OrderCanceled, 9))
    assert cache.purge_closed_orders(ts_now=10**15) == [tp.client_order_id, sl.client_order_id]


def test_purge_closed_orders_when_negative_buffer_then_refused() -> None:
    with pytest.raises(ValueError, match="buffer_secs must be >= 0 seconds"):
        Cache().purge_closed_orders(ts_now=0, buffer_secs=-1)


# -- purging positions -------------------------------------------------------------------


def _closed_position(cache: Cache, pid: PositionId, ts_close: int) -> Position:
    opener = make_order(f"{pid}-O")
    cache.add_order(opener, position_id=pid)
    accept(cache, opener)
    position = open_position(cache, opener, pid, ts=5)
    closer = make_order(f"{pid}-C", side=OrderSide.SELL)
    cache.add_order(closer, position_id=pid)
    accept(cache, closer, ts=6)
    f = fill(closer, "1.000", ts=ts_close, position_id=pid)
    apply(cache, closer, f)
    position.apply(f)
    cache.update_position(position)
    return position


def test_purge_closed_positions_then_only_those_closed_longer_than_buffer_ago() -> None:
    cache = Cache()
    old = _closed_position(cache, PositionId("P-OLD"), ts_close=10)
    recent = _closed_position(cache, PositionId("P-NEW"), ts_close=10 + 5 * S)
    cache.snapshot_position(old)
    assert cache.purge_closed_positions(ts_now=10 + 9 * S, buffer_secs=10) == []
    assert cache.purge_closed_positions(ts_now=10 + 10 * S, buffer_secs=10) == [old.id]
    assert cache.position(old.id) is None
    assert cache.position_snapshots(old.id) == []
    assert cache.position_id(ClientOrderId("P-OLD-O")) is None
    assert cache.position(recent.id) is recent
    assert cache.check_integrity() == []


def test_purge_closed_positions_when_an_order_still_works_then_kept() -> None:
    cache = Cache()
    position = _closed_position(cache, PositionId("P-1"), ts_close=10)
    resting = make_order("RESTING")
    cache.add_order(resting, position_id=position.id)
    accept(cache, resting)
    assert cache.purge_closed_positions(ts_now=10**15) == []
    apply(cache, resting, event(resting, OrderCanceled, 20))
    assert cache.purge_closed_positions(ts_now=10**15) == [position.id]


def test_open_position_never_purged() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    accept(cache, order)
    open_position(cache, order, PositionId("P-1"))
    assert cache.purge_closed_positions(ts_now=10**15) == []
    assert cache.positions_open_count() == 1


# -- purging account events --------------------------------------------------------------


def test_purge_account_events_then_old_states_dropped_and_latest_kept() -> None:
    cache = Cache()
    account = cash_account(ts=1 * S)
    for i in (2, 3, 4):
        account.apply(account_state(f"{1000 - i} USDT", i * S))
    cache.add_account(account)
    assert cache.purge_account_events(ts_now=5 * S, lookback_secs=2.5) == 2
    assert [e.ts_event for e in account.events] == [3 * S, 4 * S]
    assert cache.purge_account_events(ts_now=100 * S, lookback_secs=0) == 1
    assert [e.ts_event for e in account.events] == [4 * S]
    assert cache.purge_account_events(ts_now=100 * S, lookback_secs=0) == 0
    assert cache.account(ACCOUNT) is account


# -- integrity ---------------------------------------------------------------------------


def _consistent_cache() -> tuple[Cache, Order]:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order, position_id=PositionId("P-1"))
    accept(cache, order)
    cache.add_account(cash_account())
    assert cache.check_integrity() == []
    return cache, order


def test_check_integrity_when_status_index_corrupted_then_reported() -> None:
    cache, order = _consistent_cache()
    cache._index_orders_open.pop(order.client_order_id)
    cache._index_orders_closed[order.client_order_id] = None
    problems = cache.check_integrity()
    assert "order O-1 is not in the open index but its status is ACCEPTED" in problems
    assert "order O-1 is in the closed index but its status is ACCEPTED" in problems


def test_check_integrity_when_index_lists_unknown_order_then_reported() -> None:
    cache, _ = _consistent_cache()
    ghost = ClientOrderId("GHOST")
    cache._index_venue_orders[SIM][ghost] = None
    cache._index_orders_inflight[ghost] = None
    cache._index_venue_order_ids[VenueOrderId("V-GHOST")] = ghost
    problems = cache.check_integrity()
    assert "venue index SIM lists order GHOST, not cached" in problems
    assert "in-flight index lists order GHOST, which is not cached" in problems
    assert "venue order id V-GHOST maps to order GHOST, not cached" in problems


def test_check_integrity_when_order_missing_from_identity_index_then_reported() -> None:
    cache, order = _consistent_cache()
    cache._index_strategy_orders[STRATEGY].pop(order.client_order_id)
    cache._index_position_orders.pop(PositionId("P-1"))
    problems = cache.check_integrity()
    assert f"order O-1 is missing from the strategy index {STRATEGY}" in problems
    assert "order O-1 is linked to position P-1, which omits it" in problems


def test_check_integrity_when_position_index_corrupted_then_reported() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    accept(cache, order)
    position = open_position(cache, order, PositionId("P-1"))
    cache._index_positions_open.pop(position.id)
    cache._index_instrument_positions[BTC_PERP][PositionId("P-X")] = None
    problems = cache.check_integrity()
    assert any(p.startswith("position P-1 is LONG but indexed as") for p in problems)
    assert f"instrument index {BTC_PERP} lists position P-X, not cached" in problems


# -- residuals and own books -------------------------------------------------------------


def test_check_residuals_then_open_and_inflight_orders_and_open_positions_listed() -> None:
    cache = Cache()
    assert cache.check_residuals() == []
    working = make_order("WORKING")
    cache.add_order(working)
    accept(cache, working)
    submitted = make_order("SUBMITTED")
    cache.add_order(submitted)
    apply(cache, submitted, event(submitted, OrderSubmitted, 2))
    filled = make_order("FILLED")
    cache.add_order(filled)
    accept(cache, filled)
    open_position(cache, filled, PositionId("P-1"))
    residuals = cache.check_residuals()
    assert len(residuals) == 3
    assert residuals[0].startswith("residual open order")
    assert "WORKING" in residuals[0]
    assert residuals[1].startswith("residual in-flight order")
    assert "SUBMITTED" in residuals[1]
    assert residuals[2].startswith("residual open position")
    assert "P-1" in residuals[2]


def test_audit_own_order_books_then_orders_no_longer_working_removed() -> None:
    cache = Cache()
    resting = make_order("RESTING")
    missed = make_order("MISSED", price="99.0")
    cancelling = make_order("CANCELLING", side=OrderSide.SELL, price="101.0")
    for order in (resting, missed, cancelling):
        cache.add_order(order)
        accept(cache, order)
        cache.update_own_order_book(order)
    apply(cache, cancelling, event(cancelling, OrderPendingCancel, 5))
    cache.update_own_order_book(cancelling)
    apply(cache, missed, event(missed, OrderCanceled, 6))  # own book not told: a missed update
    book = cache.own_order_book(BTC_PERP)
    assert book is not None
    assert len(book) == 3
    assert cache.audit_own_order_books() == [missed.client_order_id]
    assert book.client_order_ids() == [resting.client_order_id, cancelling.client_order_id]
    assert cache.audit_own_order_books() == []


def test_update_own_order_book_when_order_closes_then_removed() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    cache.update_own_order_book(order)  # INITIALIZED: not resting
    book = cache.own_order_book(BTC_PERP)
    assert book is not None
    assert len(book) == 0
    accept(cache, order)
    cache.update_own_order_book(order)
    assert book.client_order_ids() == [order.client_order_id]
    apply(cache, order, event(order, OrderCanceled, 9))
    cache.update_own_order_book(order)
    assert len(book) == 0


# -- state, reset, stats -----------------------------------------------------------------


def test_general_and_actor_state_then_stored_as_copies() -> None:
    cache = Cache()
    cache.add("key", b"value")
    assert cache.get("key") == b"value"
    assert cache.get("missing") is None
    assert cache.general_keys() == ["key"]
    state = {"count": b"3"}
    cache.update_actor_state("MyActor-001", state)
    state["count"] = b"4"
    saved = cache.actor_state("MyActor-001")
    assert saved == {"count": b"3"}
    assert cache.actor_state("Other-001") is None
    with pytest.raises(TypeError, match="must be bytes"):
        cache.add("key", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must map str to bytes"):
        cache.update_actor_state("MyActor-001", {"count": 3})  # type: ignore[dict-item]


@pytest.mark.parametrize("drop", [True, False])
def test_reset_then_everything_cleared_and_instruments_kept_unless_configured(drop: bool) -> None:
    cache = Cache(CacheConfig(drop_instruments_on_reset=drop))
    cache.add_instrument(perp())
    cache.add_quote_tick(quote("100.0", "100.1"))
    _filled(cache, "O-1", ts=5)
    cache.add("key", b"v")
    cache.reset()
    stats = cache.stats()
    assert stats["orders"] == 0
    assert stats["quote_ticks"] == 0
    assert stats["general"] == 0
    assert (cache.instrument(BTC_PERP) is None) is drop
    cache.dispose()
    assert cache.instrument(BTC_PERP) is None
    assert cache.currency("USDT") is None


def test_stats_then_counts_by_kind() -> None:
    cache = Cache()
    cache.add_instrument(perp())
    cache.add_quote_tick(quote("100.0", "100.1", ts=1))
    cache.add_quote_tick(quote("100.0", "100.1", ts=2))
    _filled(cache, "O-1", ts=5)
    working = make_order("O-2")
    cache.add_order(working)
    accept(cache, working)
    stats = cache.stats()
    assert stats["instruments"] == 1
    assert stats["currencies"] == 2
    assert stats["quote_ticks"] == 2
    assert stats["orders"] == 2
    assert stats["orders_open"] == 1
    assert stats["orders_closed"] == 1
