"""Cache orders: every index after every order event, duplicates, venue ids, determinism."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from test_cache_stubs import (
    BTC_PERP,
    ETH_PERP,
    OTHER_STRATEGY,
    OTHER_VENUE_PERP,
    STRATEGY,
    accept,
    apply,
    event,
    fill,
    make_order,
)

from argonaut.cache import Cache
from argonaut.model.enums import OrderSide, OrderStatus, OrderType, TriggerType
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderEmulated,
    OrderEvent,
    OrderPendingCancel,
    OrderReleased,
    OrderSubmitted,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    ExecAlgorithmId,
    PositionId,
    Venue,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity

SIM = Venue("SIM")
OTHER = Venue("OTHER")


def assert_indexes(
    cache: Cache,
    order: Order,
    *,
    open_: bool,
    closed: bool,
    inflight: bool,
    emulated: bool,
) -> None:
    """Check every index the cache keeps about `order` against the expected status sets."""
    coid = order.client_order_id
    side = order.side
    other_side = OrderSide.SELL if side is OrderSide.BUY else OrderSide.BUY
    assert cache.check_integrity() == []
    assert cache.order(coid) is order
    assert cache.order_exists(coid)
    # Status predicates and status sets, unfiltered and through every filter.
    expected = {"open": open_, "closed": closed, "inflight": inflight, "emulated": emulated}
    predicates: dict[str, Callable[[ClientOrderId], bool]] = {
        "open": cache.is_order_open,
        "closed": cache.is_order_closed,
        "inflight": cache.is_order_inflight,
        "emulated": cache.is_order_emulated,
    }
    queries = {
        "open": (cache.client_order_ids_open, cache.orders_open, cache.orders_open_count),
        "closed": (cache.client_order_ids_closed, cache.orders_closed, cache.orders_closed_count),
        "inflight": (
            cache.client_order_ids_inflight,
            cache.orders_inflight,
            cache.orders_inflight_count,
        ),
        "emulated": (
            cache.client_order_ids_emulated,
            cache.orders_emulated,
            cache.orders_emulated_count,
        ),
        "all": (cache.client_order_ids, cache.orders, cache.orders_total_count),
    }
    expected["all"] = True
    for name, want in expected.items():
        if name in predicates:
            assert predicates[name](coid) is want, name
        ids_of, orders_of, count_of = queries[name]
        for filters in (
            {},
            {"venue": SIM},
            {"instrument_id": order.instrument_id},
            {"strategy_id": order.strategy_id},
            {"side": side},
            {"venue": SIM, "instrument_id": order.instrument_id, "strategy_id": STRATEGY},
        ):
            ids = ids_of(**filters)
            assert (coid in ids) is want, (name, filters)
            assert (order in orders_of(**filters)) is want, (name, filters)
            assert count_of(**filters) == len(ids), (name, filters)
        # Filters that exclude the order never list it.
        for filters in ({"venue": OTHER}, {"strategy_id": OTHER_STRATEGY}, {"side": other_side}):
            assert coid not in ids_of(**filters), (name, filters)
    # Venue order id maps.
    voi = order.venue_order_id
    assert cache.venue_order_id(coid) == voi
    if voi is not None:
        assert cache.client_order_id(voi) == coid
    assert cache.strategy_id_for_order(coid) == order.strategy_id


def test_add_order_then_initialized_order_indexed_by_identity_only() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order, client_id=ClientId("SIM"))
    assert_indexes(cache, order, open_=False, closed=False, inflight=False, emulated=False)
    assert cache.client_id(order.client_order_id) == ClientId("SIM")
    assert cache.position_id(order.client_order_id) is None


def test_order_lifecycle_to_filled_then_every_index_follows_each_event() -> None:
    cache = Cache()
    order = make_order("O-1", qty="1.000")
    cache.add_order(order)
    script: list[tuple[OrderEvent, OrderStatus, dict[str, bool]]] = [
        (
            event(order, OrderSubmitted, 2),
            OrderStatus.SUBMITTED,
            {"open_": False, "closed": False, "inflight": True, "emulated": False},
        ),
        (
            event(order, OrderAccepted, 3),
            OrderStatus.ACCEPTED,
            {"open_": True, "closed": False, "inflight": False, "emulated": False},
        ),
        (
            fill(order, "0.400", ts=4, trade_id="T-1"),
            OrderStatus.PARTIALLY_FILLED,
            {"open_": True, "closed": False, "inflight": False, "emulated": False},
        ),
        (
            fill(order, "0.600", ts=5, trade_id="T-2"),
            OrderStatus.FILLED,
            {"open_": False, "closed": True, "inflight": False, "emulated": False},
        ),
    ]
    for evt, status, flags in script:
        apply(cache, order, evt)
        assert order.status is status
        assert_indexes(cache, order, **flags)
    assert cache.venue_order_id(order.client_order_id) == VenueOrderId("V-O-1")


def test_order_lifecycle_pending_cancel_to_canceled_then_every_index_follows() -> None:
    cache = Cache()
    order = make_order("O-2", side=OrderSide.SELL)
    cache.add_order(order)
    script: list[tuple[type[OrderEvent], OrderStatus, dict[str, bool]]] = [
        (
            OrderSubmitted,
            OrderStatus.SUBMITTED,
            {"open_": False, "closed": False, "inflight": True, "emulated": False},
        ),
        (
            OrderAccepted,
            OrderStatus.ACCEPTED,
            {"open_": True, "closed": False, "inflight": False, "emulated": False},
        ),
        (
            OrderPendingCancel,
            OrderStatus.PENDING_CANCEL,
            {"open_": True, "closed": False, "inflight": True, "emulated": False},
        ),
        (
            OrderCanceled,
            OrderStatus.CANCELED,
            {"open_": False, "closed": True, "inflight": False, "emulated": False},
        ),
    ]
    for ts, (kind, status, flags) in enumerate(script, start=2):
        apply(cache, order, event(order, kind, ts))
        assert order.status is status
        assert_indexes(cache, order, **flags)


def test_emulated_order_then_in_emulated_index_until_released() -> None:
    cache = Cache()
    order = make_order("O-3", emulation_trigger=TriggerType.DEFAULT)
    cache.add_order(order)
    apply(cache, order, event(order, OrderEmulated, 2))
    assert_indexes(cache, order, open_=False, closed=False, inflight=False, emulated=True)
    released = event(order, OrderReleased, 3, released_price=Price.from_str("100.0"))
    apply(cache, order, released)
    assert_indexes(cache, order, open_=False, closed=False, inflight=False, emulated=False)
    apply(cache, order, event(order, OrderSubmitted, 4))
    assert_indexes(cache, order, open_=False, closed=False, inflight=True, emulated=False)


def test_late_fill_after_cancel_then_order_moves_back_from_closed_to_open() -> None:
    cache = Cache()
    order = make_order("O-4", qty="1.000")
    cache.add_order(order)
    accept(cache, order)
    apply(cache, order, event(order, OrderCanceled, 4))
    assert_indexes(cache, order, open_=False, closed=True, inflight=False, emulated=False)
    apply(cache, order, fill(order, "0.500", ts=5))
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert_indexes(cache, order, open_=True, closed=False, inflight=False, emulated=False)


def test_two_orders_then_indexes_separate_them() -> None:
    cache = Cache()
    a = make_order("A", instrument_id=BTC_PERP)
    b = make_order("B", instrument_id=OTHER_VENUE_PERP, strategy_id=OTHER_STRATEGY)
    cache.add_order(a)
    cache.add_order(b)
    accept(cache, a)
    assert cache.client_order_ids(venue=SIM) == [a.client_order_id]
    assert cache.client_order_ids(venue=OTHER) == [b.client_order_id]
    assert cache.client_order_ids(strategy_id=OTHER_STRATEGY) == [b.client_order_id]
    assert cache.client_order_ids_open() == [a.client_order_id]
    assert cache.client_order_ids_open(venue=OTHER) == []
    assert cache.orders(instrument_id=ETH_PERP) == []
    assert cache.orders_total_count() == 2
    assert cache.orders_total_count(venue=SIM) == 1


# -- refusals ---------------------------------------------------------------------------


def test_add_order_when_client_order_id_cached_then_refused() -> None:
    cache = Cache()
    cache.add_order(make_order("O-1"))
    duplicate = make_order("O-1")
    with pytest.raises(ValueError, match="client order id O-1 is already in the cache"):
        cache.add_order(duplicate)
    assert cache.order(ClientOrderId("O-1")) is not duplicate


def test_add_order_with_override_then_replaced_in_place() -> None:
    cache = Cache()
    first = make_order("O-1")
    cache.add_order(first)
    cache.add_order(make_order("O-2"))
    replacement = first.transform(OrderType.MARKET)
    cache.add_order(replacement, override=True)
    assert cache.order(ClientOrderId("O-1")) is replacement
    assert cache.client_order_ids() == [ClientOrderId("O-1"), ClientOrderId("O-2")]
    assert cache.check_integrity() == []


def test_update_order_when_not_cached_then_refused() -> None:
    with pytest.raises(ValueError, match="order O-9 is not in the cache: call add_order first"):
        Cache().update_order(make_order("O-9"))


def test_add_venue_order_id_when_order_has_another_then_refused_unless_overwrite() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    cache.add_venue_order_id(order.client_order_id, VenueOrderId("V-1"))
    cache.add_venue_order_id(order.client_order_id, VenueOrderId("V-1"))  # same: fine
    with pytest.raises(ValueError, match="already mapped to venue order id V-1, not V-2"):
        cache.add_venue_order_id(order.client_order_id, VenueOrderId("V-2"))
    cache.add_venue_order_id(order.client_order_id, VenueOrderId("V-2"), overwrite=True)
    assert cache.venue_order_id(order.client_order_id) == VenueOrderId("V-2")
    assert cache.client_order_id(VenueOrderId("V-2")) == order.client_order_id


def test_add_venue_order_id_when_id_belongs_to_another_order_then_refused() -> None:
    cache = Cache()
    a, b = make_order("A"), make_order("B")
    cache.add_order(a)
    cache.add_order(b)
    cache.add_venue_order_id(a.client_order_id, VenueOrderId("V-1"))
    with pytest.raises(ValueError, match="venue order id V-1 already belongs to order A"):
        cache.add_venue_order_id(b.client_order_id, VenueOrderId("V-1"))
    cache.add_venue_order_id(b.client_order_id, VenueOrderId("V-1"), overwrite=True)
    assert cache.client_order_id(VenueOrderId("V-1")) == b.client_order_id
    assert cache.venue_order_id(a.client_order_id) is None
    assert cache.check_integrity() == []


def test_add_venue_order_id_when_order_not_cached_then_refused() -> None:
    with pytest.raises(ValueError, match="order X is not in the cache"):
        Cache().add_venue_order_id(ClientOrderId("X"), VenueOrderId("V-1"))


def test_cancel_replace_then_new_venue_order_id_mapped_and_old_kept_as_alias() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    accept(cache, order)
    updated = event(
        order,
        OrderUpdated,
        5,
        quantity=Quantity.from_str("2.000"),
        venue_order_id=VenueOrderId("V-NEW"),
    )
    apply(cache, order, updated)
    assert cache.venue_order_id(order.client_order_id) == VenueOrderId("V-NEW")
    assert cache.client_order_id(VenueOrderId("V-NEW")) == order.client_order_id
    assert cache.client_order_id(VenueOrderId("V-O-1")) == order.client_order_id
    assert cache.check_integrity() == []


def test_update_order_when_venue_id_owned_by_other_order_then_left_unmapped_and_reported() -> None:
    cache = Cache()
    a, b = make_order("A"), make_order("B")
    cache.add_order(a)
    cache.add_order(b)
    cache.add_venue_order_id(a.client_order_id, VenueOrderId("V-B"))
    accept(cache, b)  # B's accept carries venue order id V-B
    assert cache.client_order_id(VenueOrderId("V-B")) == a.client_order_id
    assert cache.is_order_open(b.client_order_id)
    assert any("venue order id V-B" in p for p in cache.check_integrity())


# -- links -------------------------------------------------------------------------------


def test_add_order_with_position_id_then_linked_both_ways() -> None:
    cache = Cache()
    pid = PositionId("BTCUSDT-PERP.SIM-S-001")
    a, b = make_order("A"), make_order("B")
    cache.add_order(a, position_id=pid)
    cache.add_order(b)
    cache.add_position_id(pid, SIM, b.client_order_id, STRATEGY)
    assert cache.position_id(a.client_order_id) == pid
    assert cache.orders_for_position(pid) == [a, b]
    assert cache.check_integrity() == []


def test_add_order_when_position_owned_by_other_strategy_then_refused_before_any_change() -> None:
    cache = Cache()
    pid = PositionId("P-1")
    cache.add_order(make_order("A"), position_id=pid)
    other = make_order("B", strategy_id=OTHER_STRATEGY)
    with pytest.raises(ValueError, match="cannot join position P-1 of strategy S-001"):
        cache.add_order(other, position_id=pid)
    assert not cache.order_exists(other.client_order_id)
    assert cache.check_integrity() == []


def test_exec_algorithm_orders_then_found_by_algorithm_and_spawn() -> None:
    cache = Cache()
    twap = ExecAlgorithmId("TWAP")
    primary = make_order("P", exec_algorithm_id=twap, exec_spawn_id=ClientOrderId("P"))
    child = make_order(
        "P-E1", exec_algorithm_id=twap, exec_spawn_id=ClientOrderId("P"), side=OrderSide.BUY
    )
    plain = make_order("X")
    for order in (primary, plain, child):
        cache.add_order(order)
    assert cache.orders_for_exec_algorithm(twap) == [primary, child]
    assert cache.orders_for_exec_algorithm(twap, side=OrderSide.SELL) == []
    assert cache.orders_for_exec_algorithm(ExecAlgorithmId("VWAP")) == []
    assert cache.orders_for_exec_spawn(ClientOrderId("P")) == [primary, child]
    assert cache.check_integrity() == []


# -- determinism -------------------------------------------------------------------------


def test_query_results_come_in_add_order_whatever_the_event_order() -> None:
    cache = Cache()
    orders = [make_order(f"O-{i:02d}") for i in range(30)]
    for order in orders:
        cache.add_order(order)
    shuffled = orders[:]
    random.Random(7).shuffle(shuffled)
    for order in shuffled:  # orders become open in a scrambled order
        accept(cache, order)
    expected = [o.client_order_id for o in orders]
    assert cache.client_order_ids_open() == expected
    assert cache.client_order_ids_open(instrument_id=BTC_PERP, strategy_id=STRATEGY) == expected
    assert [o.client_order_id for o in cache.orders_open(venue=SIM)] == expected


def test_same_script_twice_then_identical_results() -> None:
    def run() -> list[list[ClientOrderId]]:
        cache = Cache()
        orders = [
            make_order(f"O-{i}", instrument_id=(BTC_PERP, ETH_PERP)[i % 2]) for i in range(12)
        ]
        for order in orders:
            cache.add_order(order)
        for order in reversed(orders[::3]):
            accept(cache, order)
        for order in orders[::6]:
            apply(cache, order, event(order, OrderCanceled, 9))
        return [
            cache.client_order_ids_open(),
            cache.client_order_ids_closed(),
            cache.client_order_ids(instrument_id=ETH_PERP),
        ]

    assert run() == run()
