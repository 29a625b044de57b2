from __future__ import annotations

import itertools
from dataclasses import dataclass

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argonaut.model.book import (
    BookLevel,
    InvalidBookOperation,
    OrderBook,
    OwnBookOrder,
    OwnOrderBook,
)
from argonaut.model.book_data import (
    F_LAST,
    F_SNAPSHOT,
    BookOrder,
    OrderBookDelta,
    OrderBookDeltas,
    OrderBookDepth10,
)
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import (
    BookAction,
    BookType,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
)
from argonaut.model.identifiers import ClientOrderId, InstrumentId, TraderId
from argonaut.model.values import Price, Quantity

IID = InstrumentId("BTCUSDT-PERP.SIM")
OTHER = InstrumentId("ETHUSDT-PERP.SIM")
BUY = OrderSide.BUY
SELL = OrderSide.SELL


def px(value: str) -> Price:
    return Price.from_str(value)


def qty(value: str) -> Quantity:
    return Quantity.from_str(value)


def bid(price: str, size: str, order_id: int = 0) -> BookOrder:
    return BookOrder(side=BUY, price=px(price), size=qty(size), order_id=order_id)


def ask(price: str, size: str, order_id: int = 0) -> BookOrder:
    return BookOrder(side=SELL, price=px(price), size=qty(size), order_id=order_id)


def delta(
    action: BookAction,
    order: BookOrder,
    *,
    sequence: int = 0,
    flags: int = 0,
    instrument_id: InstrumentId = IID,
) -> OrderBookDelta:
    return OrderBookDelta(
        instrument_id=instrument_id,
        action=action,
        order=order,
        flags=flags,
        sequence=sequence,
        ts_event=sequence * 10,
        ts_init=sequence * 10 + 1,
    )


def levels(book_side: list[BookLevel]) -> list[tuple[str, str]]:
    return [(str(lv.price), str(lv.size())) for lv in book_side]


def l2_book(*orders: BookOrder) -> OrderBook:
    book = OrderBook(IID, BookType.L2_MBP)
    for order in orders:
        book.add(order)
    return book


def ladder_book() -> OrderBook:
    """Asks 100.0 x1, 100.5 x2, 101.0 x3; bids 99.5 x1, 99.0 x2, 98.5 x3."""
    return l2_book(
        ask("100.0", "1"),
        ask("100.5", "2"),
        ask("101.0", "3"),
        bid("99.5", "1"),
        bid("99.0", "2"),
        bid("98.5", "3"),
    )


@dataclass(frozen=True)
class Quote:
    instrument_id: InstrumentId
    bid_price: Price
    ask_price: Price
    bid_size: Quantity
    ask_size: Quantity
    ts_event: int


@dataclass(frozen=True)
class Trade:
    instrument_id: InstrumentId
    price: Price
    size: Quantity
    ts_event: int


# -- Construction and empty book -----------------------------------------------------------


def test_new_book_when_empty_then_queries_return_none() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    assert book.best_bid_price() is None
    assert book.best_ask_price() is None
    assert book.best_bid_size() is None
    assert book.best_ask_size() is None
    assert book.spread() is None
    assert book.midpoint() is None
    assert not book.is_crossed()
    assert book.bids() == []
    assert book.asks() == []
    assert (book.sequence, book.ts_last, book.update_count) == (0, 0, 0)


def test_new_book_when_book_type_not_enum_then_type_error() -> None:
    with pytest.raises(TypeError, match="BookType"):
        OrderBook(IID, "L2_MBP")  # type: ignore[arg-type]


# -- L2 ------------------------------------------------------------------------------------


def test_add_when_l2_then_levels_sorted_best_first() -> None:
    book = ladder_book()
    assert levels(book.bids()) == [("99.5", "1"), ("99.0", "2"), ("98.5", "3")]
    assert levels(book.asks()) == [("100.0", "1"), ("100.5", "2"), ("101.0", "3")]
    assert book.best_bid_price() == px("99.5")
    assert book.best_ask_price() == px("100.0")
    assert book.best_bid_size() == qty("1")
    assert book.best_ask_size() == qty("1")


def test_add_when_l2_same_price_then_one_level_with_latest_size() -> None:
    book = l2_book(bid("100", "1", order_id=1), bid("100", "5", order_id=2))
    assert levels(book.bids()) == [("100", "5")]
    assert book.bids()[0].count() == 1


def test_update_when_l2_then_level_size_replaced() -> None:
    book = ladder_book()
    book.update(ask("100.5", "7"))
    assert levels(book.asks())[1] == ("100.5", "7")


def test_update_when_l2_zero_size_then_level_removed() -> None:
    book = ladder_book()
    book.update(bid("99.5", "0"))
    assert book.best_bid_price() == px("99.0")


def test_update_when_level_missing_then_level_added() -> None:
    book = ladder_book()
    book.update(bid("99.7", "4"))
    assert book.best_bid_price() == px("99.7")


def test_delete_when_l2_then_level_removed_whatever_order_id() -> None:
    book = ladder_book()
    book.delete(ask("100.0", "0", order_id=999))
    assert book.best_ask_price() == px("100.5")
    assert len(book.asks()) == 2


def test_delete_when_level_missing_then_book_unchanged_and_counted() -> None:
    book = ladder_book()
    before = book.update_count
    book.delete(ask("150", "1"))
    assert levels(book.asks()) == [("100.0", "1"), ("100.5", "2"), ("101.0", "3")]
    assert book.update_count == before + 1


def test_add_when_no_order_side_then_value_error() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    order = BookOrder(side=OrderSide.NO_ORDER_SIDE, price=px("1"), size=qty("1"))
    with pytest.raises(ValueError, match="expected BUY"):
        book.add(order)


def test_clear_when_called_then_both_sides_empty() -> None:
    book = ladder_book()
    book.clear(sequence=5, ts_event=50)
    assert book.bids() == []
    assert book.asks() == []
    assert (book.sequence, book.ts_last) == (5, 50)


def test_clear_bids_and_clear_asks_when_called_then_only_that_side_empty() -> None:
    book = ladder_book()
    book.clear_bids()
    assert book.bids() == []
    assert len(book.asks()) == 3
    book.clear_asks()
    assert book.asks() == []


def test_depth_when_n_given_then_best_n_levels_of_side() -> None:
    book = ladder_book()
    assert levels(book.depth(BUY, 2)) == [("99.5", "1"), ("99.0", "2")]
    assert levels(book.depth(SELL, 10)) == levels(book.asks())
    assert book.depth(SELL, 0) == []


def test_level_at_when_price_present_then_level_else_none() -> None:
    book = ladder_book()
    level = book.level_at(SELL, px("100.5"))
    assert level is not None
    assert level.size() == qty("2")
    assert book.level_at(SELL, px("100.6")) is None


def test_spread_and_midpoint_when_both_sides_then_computed() -> None:
    book = ladder_book()
    assert book.spread() == px("0.5")
    assert book.midpoint() == 99.75


# -- L3 ------------------------------------------------------------------------------------


def test_add_when_l3_same_price_then_orders_fifo_and_size_summed() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    for oid, size in ((1, "1"), (2, "2"), (3, "3")):
        book.add(bid("100", size, order_id=oid))
    (level,) = book.bids()
    assert [o.order_id for o in level.orders()] == [1, 2, 3]
    assert level.first().order_id == 1
    assert level.size() == qty("6")
    assert level.count() == 3


def test_update_when_l3_same_price_then_order_keeps_queue_place() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    for oid in (1, 2, 3):
        book.add(ask("101", "1", order_id=oid))
    book.update(ask("101", "5", order_id=1))
    (level,) = book.asks()
    assert [o.order_id for o in level.orders()] == [1, 2, 3]
    assert level.size() == qty("7")


def test_update_when_l3_new_price_then_order_moves_to_back_of_new_level() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    book.add(ask("101", "1", order_id=1))
    book.add(ask("102", "1", order_id=2))
    book.add(ask("101", "1", order_id=3))
    book.update(ask("102", "4", order_id=1))
    asks = book.asks()
    assert [o.order_id for o in asks[0].orders()] == [3]
    assert [o.order_id for o in asks[1].orders()] == [2, 1]
    assert asks[1].size() == qty("5")


def test_add_when_l3_order_id_already_resting_then_treated_as_update() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    book.add(bid("100", "1", order_id=1))
    book.add(bid("100", "3", order_id=1))
    (level,) = book.bids()
    assert level.count() == 1
    assert level.size() == qty("3")


def test_delete_when_l3_then_only_that_order_removed_and_empty_level_dropped() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    book.add(bid("100", "1", order_id=1))
    book.add(bid("100", "2", order_id=2))
    book.add(bid("99", "2", order_id=3))
    book.delete(bid("100", "0", order_id=1))
    assert [o.order_id for o in book.bids()[0].orders()] == [2]
    book.delete(bid("100", "0", order_id=2))
    assert book.best_bid_price() == px("99")


def test_delete_when_l3_order_missing_then_no_op() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    book.add(bid("100", "1", order_id=1))
    book.delete(bid("100", "1", order_id=2))
    assert book.best_bid_size() == qty("1")


def test_update_when_l3_order_missing_then_added() -> None:
    book = OrderBook(IID, BookType.L3_MBO)
    book.update(ask("100", "2", order_id=9))
    assert book.best_ask_size() == qty("2")


# -- L1 ------------------------------------------------------------------------------------


def test_add_when_l1_then_invalid_book_operation() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    with pytest.raises(InvalidBookOperation, match="update_quote_tick"):
        book.add(bid("100", "1"))
    assert issubclass(InvalidBookOperation, ValueError)


def test_update_when_l1_then_top_of_side_replaced() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    book.update(bid("100", "1"))
    book.update(bid("99", "2"))
    assert levels(book.bids()) == [("99", "2")]


def test_update_quote_tick_when_l1_then_top_of_book_set() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    book.update(bid("90", "9"))
    book.update_quote_tick(Quote(IID, px("100.0"), px("100.5"), qty("3"), qty("4"), 77))
    assert levels(book.bids()) == [("100.0", "3")]
    assert levels(book.asks()) == [("100.5", "4")]
    assert book.ts_last == 77


def test_update_quote_tick_when_zero_size_then_that_side_empty() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    book.update_quote_tick(Quote(IID, px("100.0"), px("100.5"), qty("0"), qty("4"), 1))
    assert book.bids() == []
    assert book.best_ask_price() == px("100.5")


def test_update_trade_tick_when_l1_then_both_sides_at_trade_price() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    book.update_trade_tick(Trade(IID, px("100.25"), qty("2"), 5))
    assert book.best_bid_price() == book.best_ask_price() == px("100.25")
    assert book.best_bid_size() == qty("2")
    assert book.spread() == px("0")


@pytest.mark.parametrize("book_type", [BookType.L2_MBP, BookType.L3_MBO])
def test_update_quote_tick_when_not_l1_then_invalid_book_operation(book_type: BookType) -> None:
    book = OrderBook(IID, book_type)
    with pytest.raises(InvalidBookOperation, match="L1_MBP"):
        book.update_quote_tick(Quote(IID, px("1"), px("2"), qty("1"), qty("1"), 1))
    with pytest.raises(InvalidBookOperation, match="L1_MBP"):
        book.update_trade_tick(Trade(IID, px("1"), qty("1"), 1))


def test_update_quote_tick_when_other_instrument_then_value_error() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM.*BTCUSDT-PERP\.SIM"):
        book.update_quote_tick(Quote(OTHER, px("1"), px("2"), qty("1"), qty("1"), 1))


def test_apply_depth_when_l1_then_only_top_level_kept() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    book.apply_depth(depth10())
    assert levels(book.bids()) == [("100.0", "1")]
    assert levels(book.asks()) == [("101.0", "2")]


# -- Deltas, snapshots, depth --------------------------------------------------------------


def test_apply_delta_when_actions_applied_then_book_and_counters_follow() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    book.apply_delta(delta(BookAction.ADD, bid("100", "1"), sequence=1))
    book.apply_delta(delta(BookAction.ADD, ask("101", "2"), sequence=2))
    book.apply_delta(delta(BookAction.UPDATE, bid("100", "3"), sequence=3))
    book.apply_delta(delta(BookAction.DELETE, ask("101", "0"), sequence=4))
    assert levels(book.bids()) == [("100", "3")]
    assert book.asks() == []
    assert (book.sequence, book.ts_last, book.update_count) == (4, 40, 4)


def test_apply_delta_when_level_emptied_then_level_removed() -> None:
    book = ladder_book()
    book.apply_delta(delta(BookAction.UPDATE, bid("99.5", "0"), sequence=1))
    assert [str(lv.price) for lv in book.bids()] == ["99.0", "98.5"]


def test_apply_delta_when_clear_then_book_empty() -> None:
    book = ladder_book()
    book.apply_delta(OrderBookDelta.clear(IID, sequence=3, ts_event=30, ts_init=31))
    assert book.bids() == []
    assert book.asks() == []
    assert book.sequence == 3


def test_apply_delta_when_other_instrument_then_value_error_naming_both_ids() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM.*BTCUSDT-PERP\.SIM"):
        book.apply_delta(delta(BookAction.ADD, bid("1", "1"), instrument_id=OTHER))
    assert book.update_count == 0


def test_apply_delta_when_l1_add_then_invalid_book_operation() -> None:
    book = OrderBook(IID, BookType.L1_MBP)
    with pytest.raises(InvalidBookOperation):
        book.apply_delta(delta(BookAction.ADD, bid("1", "1")))


def test_apply_deltas_when_snapshot_then_book_replaced() -> None:
    book = ladder_book()
    snapshot = OrderBookDeltas.from_deltas(
        [
            OrderBookDelta.clear(IID, sequence=10, ts_event=100, ts_init=101),
            delta(BookAction.ADD, bid("50", "1"), sequence=11, flags=F_SNAPSHOT),
            delta(BookAction.ADD, bid("49", "2"), sequence=12, flags=F_SNAPSHOT),
            delta(BookAction.ADD, ask("51", "3"), sequence=13, flags=F_SNAPSHOT | F_LAST),
        ]
    )
    book.apply_deltas(snapshot)
    assert levels(book.bids()) == [("50", "1"), ("49", "2")]
    assert levels(book.asks()) == [("51", "3")]
    assert (book.sequence, book.ts_last) == (13, 130)


def test_apply_deltas_when_other_instrument_then_value_error() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    batch = OrderBookDeltas.from_deltas([delta(BookAction.ADD, bid("1", "1"), instrument_id=OTHER)])
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM.*BTCUSDT-PERP\.SIM"):
        book.apply_deltas(batch)


def depth10(instrument_id: InstrumentId = IID) -> OrderBookDepth10:
    bids = (bid("100.0", "1"), bid("99.0", "2"), bid("98.0", "0"))
    asks = (ask("101.0", "2"), ask("102.0", "3"))
    return OrderBookDepth10(
        instrument_id=instrument_id,
        bids=bids,
        asks=asks,
        bid_counts=(1, 2, 0),
        ask_counts=(1, 4),
        flags=F_SNAPSHOT | F_LAST,
        sequence=42,
        ts_event=420,
        ts_init=421,
    )


@pytest.mark.parametrize("book_type", [BookType.L2_MBP, BookType.L3_MBO])
def test_apply_depth_when_applied_then_book_replaced_and_zero_levels_skipped(
    book_type: BookType,
) -> None:
    book = OrderBook(IID, book_type)
    book.update(bid("100.5", "9", order_id=1))
    book.update(ask("500", "9", order_id=2))
    book.apply_depth(depth10())
    assert levels(book.bids()) == [("100.0", "1"), ("99.0", "2")]
    assert levels(book.asks()) == [("101.0", "2"), ("102.0", "3")]
    assert (book.sequence, book.ts_last) == (42, 420)


def test_apply_depth_when_other_instrument_then_value_error() -> None:
    book = OrderBook(IID, BookType.L2_MBP)
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM.*BTCUSDT-PERP\.SIM"):
        book.apply_depth(depth10(OTHER))


# -- Crossed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bid_px", "ask_px", "crossed"),
    [("100", "101", False), ("101", "101", True), ("102", "101", True)],
)
def test_is_crossed_when_best_bid_at_or_above_best_ask_then_true(
    bid_px: str, ask_px: str, crossed: bool
) -> None:
    assert l2_book(bid(bid_px, "1"), ask(ask_px, "1")).is_crossed() is crossed


def test_is_crossed_when_one_side_empty_then_false() -> None:
    assert not l2_book(bid("100", "1")).is_crossed()


# -- Simulated fills and liquidity ---------------------------------------------------------


def test_simulate_fills_when_buy_without_limit_then_walks_asks() -> None:
    fills = ladder_book().simulate_fills(BUY, qty("4"))
    assert [(str(p), str(q)) for p, q in fills] == [("100.0", "1"), ("100.5", "2"), ("101.0", "1")]


def test_simulate_fills_when_buy_with_limit_then_stops_at_limit() -> None:
    fills = ladder_book().simulate_fills(BUY, qty("5"), px("100.5"))
    assert [(str(p), str(q)) for p, q in fills] == [("100.0", "1"), ("100.5", "2")]


def test_simulate_fills_when_sell_with_limit_then_walks_bids_down_to_limit() -> None:
    fills = ladder_book().simulate_fills(SELL, qty("2.5"), px("99.0"))
    assert [(str(p), str(q)) for p, q in fills] == [("99.5", "1.0"), ("99.0", "1.5")]


def test_simulate_fills_when_quantity_exceeds_book_then_partial_fills() -> None:
    fills = ladder_book().simulate_fills(SELL, qty("100"))
    assert sum(q.raw for _, q in fills) == qty("6").raw


def test_simulate_fills_when_limit_better_than_best_then_no_fills() -> None:
    assert ladder_book().simulate_fills(BUY, qty("1"), px("99.9")) == []


def test_simulate_fills_when_zero_quantity_then_no_fills() -> None:
    assert ladder_book().simulate_fills(BUY, qty("0")) == []


def test_get_avg_px_for_quantity_when_spanning_levels_then_volume_weighted() -> None:
    # (100.0 * 1 + 100.5 * 2 + 101.0 * 1) / 4 = 100.5
    assert ladder_book().get_avg_px_for_quantity(qty("4"), BUY) == 100.5
    # (99.5 * 1 + 99.0 * 1) / 2 = 99.25
    assert ladder_book().get_avg_px_for_quantity(qty("2"), SELL) == 99.25


def test_get_avg_px_for_quantity_when_no_liquidity_then_none() -> None:
    assert OrderBook(IID, BookType.L2_MBP).get_avg_px_for_quantity(qty("1"), BUY) is None


def test_get_quantity_for_price_when_buy_then_asks_at_or_below_price() -> None:
    book = ladder_book()
    assert book.get_quantity_for_price(px("100.5"), BUY) == qty("3")
    assert book.get_quantity_for_price(px("99.9"), BUY) == qty("0")
    assert book.get_quantity_for_price(px("99.0"), SELL) == qty("3")


def test_simulate_fills_when_no_order_side_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected BUY"):
        ladder_book().simulate_fills(OrderSide.NO_ORDER_SIDE, qty("1"))


# -- Display -------------------------------------------------------------------------------


def test_pprint_when_called_then_asks_above_bids_limited_to_n() -> None:
    text = ladder_book().pprint(2)
    lines = text.splitlines()
    assert lines[0].startswith("OrderBook BTCUSDT-PERP.SIM L2_MBP")
    prices = [line.split("|")[1].strip() for line in lines[2:]]
    assert prices == ["100.5", "100.0", "99.5", "99.0"]


# -- Property: random operations match a naive reference model ----------------------------

_op = st.tuples(
    st.sampled_from(["add", "update", "delete"]),
    st.sampled_from([BUY, SELL]),
    st.integers(1, 30),  # price in ticks of 0.5
    st.integers(0, 4),  # size
    st.integers(1, 12),  # order id
)


def _order(side: OrderSide, tick: int, size: int, order_id: int) -> BookOrder:
    return BookOrder(
        side=side,
        price=Price(tick * 500_000_000, 1),
        size=Quantity.from_int(size),
        order_id=order_id,
    )


def _reference(
    book_type: BookType, ops: list[tuple[str, OrderSide, int, int, int]]
) -> dict[OrderSide, list[tuple[int, list[tuple[int, int]]]]]:
    """Replay `ops` on a plain dict: key -> (price_raw, size_raw, order_id), in queue order."""
    mbp = book_type is BookType.L2_MBP
    resting: dict[tuple[OrderSide, int], tuple[int, int, int]] = {}
    for action, side, tick, size, oid in ops:
        order = _order(side, tick, size, oid)
        key = (side, order.price.raw if mbp else oid)
        if action == "delete" or order.size.raw == 0:
            resting.pop(key, None)
        elif key in resting and resting[key][0] == order.price.raw:
            resting[key] = (order.price.raw, order.size.raw, oid)  # keeps queue place
        else:
            resting.pop(key, None)
            resting[key] = (order.price.raw, order.size.raw, oid)  # back of the queue
    result: dict[OrderSide, list[tuple[int, list[tuple[int, int]]]]] = {}
    for side in (BUY, SELL):
        prices = sorted(
            {p for (s, _), (p, _, _) in resting.items() if s is side}, reverse=side is BUY
        )
        result[side] = [
            (p, [(sz, oid) for (s, _), (pp, sz, oid) in resting.items() if s is side and pp == p])
            for p in prices
        ]
    return result


@pytest.mark.parametrize("book_type", [BookType.L2_MBP, BookType.L3_MBO])
@settings(max_examples=200, deadline=None)
@given(ops=st.lists(_op, max_size=80))
def test_random_operations_when_applied_then_sides_sorted_and_match_reference(
    book_type: BookType, ops: list[tuple[str, OrderSide, int, int, int]]
) -> None:
    book = OrderBook(IID, book_type)
    for seq, (action, side, tick, size, oid) in enumerate(ops, start=1):
        order = _order(side, tick, size, oid)
        getattr(book, action)(order, sequence=seq, ts_event=seq)

    bid_prices = [lv.price.raw for lv in book.bids()]
    ask_prices = [lv.price.raw for lv in book.asks()]
    assert all(a > b for a, b in itertools.pairwise(bid_prices))
    assert all(a < b for a, b in itertools.pairwise(ask_prices))

    expected = _reference(book_type, ops)
    for side, got in ((BUY, book.bids()), (SELL, book.asks())):
        actual = [(lv.price.raw, [(o.size.raw, o.order_id) for o in lv.orders()]) for lv in got]
        assert actual == expected[side]
        for lv in got:
            assert lv.size_raw == sum(o.size.raw for o in lv.orders())
            assert lv.size_raw > 0
    assert book.update_count == len(ops)
    assert book.sequence == len(ops)


# -- OwnOrderBook --------------------------------------------------------------------------

TRADER = TraderId("TRADER-001")


def own(
    coid: str,
    side: OrderSide,
    price: str,
    size: str,
    status: OrderStatus = OrderStatus.ACCEPTED,
    ts: int = 1,
) -> OwnBookOrder:
    return OwnBookOrder(
        trader_id=TRADER,
        client_order_id=ClientOrderId(coid),
        side=side,
        price=px(price),
        size=qty(size),
        order_type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        status=status,
        ts_last=ts,
        ts_init=ts,
    )


def own_book() -> OwnOrderBook:
    book = OwnOrderBook(IID)
    book.add(own("O-1", BUY, "100", "1"))
    book.add(own("O-2", BUY, "101", "2"))
    book.add(own("O-3", BUY, "100", "3"))
    book.add(own("O-4", SELL, "103", "1"))
    book.add(own("O-5", SELL, "102", "2"))
    return book


def test_own_book_when_orders_added_then_maps_best_first_fifo_within_level() -> None:
    book = own_book()
    bids = book.bids_as_map()
    assert list(bids) == [px("101"), px("100")]
    assert [o.client_order_id for o in bids[px("100")]] == ["O-1", "O-3"]
    assert list(book.asks_as_map()) == [px("102"), px("103")]
    assert book.bid_quantity() == {px("101"): qty("2"), px("100"): qty("4")}
    assert book.ask_quantity() == {px("102"): qty("2"), px("103"): qty("1")}
    assert book.client_order_ids() == ["O-1", "O-2", "O-3", "O-4", "O-5"]
    assert len(book) == 5
    assert ClientOrderId("O-3") in book


def test_own_book_add_when_duplicate_id_then_value_error() -> None:
    book = own_book()
    with pytest.raises(ValueError, match="already in the own book"):
        book.add(own("O-1", BUY, "99", "1"))


def test_own_book_add_when_closed_status_then_value_error() -> None:
    with pytest.raises(ValueError, match="only open orders"):
        OwnOrderBook(IID).add(own("O-1", BUY, "99", "1", OrderStatus.FILLED))


def test_own_book_update_when_price_changes_then_order_moves_level() -> None:
    book = own_book()
    book.update(own("O-1", BUY, "101", "5", OrderStatus.PARTIALLY_FILLED, ts=9))
    assert book.bid_quantity() == {px("101"): qty("7"), px("100"): qty("3")}
    assert book.get(ClientOrderId("O-1")) == own(
        "O-1", BUY, "101", "5", OrderStatus.PARTIALLY_FILLED, ts=9
    )
    assert book.ts_last == 9


def test_own_book_update_when_status_closed_then_order_removed() -> None:
    book = own_book()
    book.update(own("O-5", SELL, "102", "2", OrderStatus.CANCELED))
    assert list(book.asks_as_map()) == [px("103")]
    assert ClientOrderId("O-5") not in book


def test_own_book_update_when_unknown_then_added() -> None:
    book = OwnOrderBook(IID)
    book.update(own("O-9", SELL, "1", "1"))
    assert book.client_order_ids() == ["O-9"]


def test_own_book_delete_when_present_then_removed_else_false() -> None:
    book = own_book()
    assert book.delete(ClientOrderId("O-2"))
    assert book.delete(own("O-4", SELL, "103", "1"))
    assert not book.delete(ClientOrderId("O-2"))
    assert list(book.bids_as_map()) == [px("100")]
    assert list(book.asks_as_map()) == [px("102")]


def test_own_book_audit_open_orders_when_ids_closed_then_removed_and_returned() -> None:
    book = own_book()
    removed = book.audit_open_orders({ClientOrderId("O-2"), ClientOrderId("O-5")})
    assert removed == ["O-1", "O-3", "O-4"]
    assert book.client_order_ids() == ["O-2", "O-5"]
    assert book.bid_quantity() == {px("101"): qty("2")}
    assert book.audit_open_orders({ClientOrderId("O-2"), ClientOrderId("O-5")}) == []


def test_own_book_clear_when_called_then_empty() -> None:
    book = own_book()
    book.clear()
    assert len(book) == 0
    assert book.bids_as_map() == {}
    assert book.asks_as_map() == {}


def test_own_book_order_when_round_tripped_then_equal() -> None:
    order = own("O-1", BUY, "100.5", "0.25")
    data = msgspec.json.encode(order, enc_hook=enc_hook)
    assert msgspec.json.decode(data, type=OwnBookOrder, dec_hook=dec_hook) == order
    packed = msgspec.msgpack.encode(order, enc_hook=enc_hook)
    assert msgspec.msgpack.decode(packed, type=OwnBookOrder, dec_hook=dec_hook) == order
