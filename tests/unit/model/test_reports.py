from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import (
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    PositionSide,
    TimeInForce,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    TradeId,
    Venue,
    VenueOrderId,
)
from argonaut.model.reports import (
    CLOSED_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    REPORT_TYPES,
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import USDT, Money, Price, Quantity

ACCOUNT = AccountId("SIM-001")
BTCUSDT = InstrumentId("BTCUSDT-PERP.SIM")
ETHUSDT = InstrumentId("ETHUSDT-PERP.SIM")
T0 = 1_700_000_000_000_000_000
_uuids = UUIDFactory(seed=7)


def uuid() -> UUID4:
    return _uuids.generate()


def order_report(
    venue_order_id: str = "V-1",
    *,
    status: OrderStatus = OrderStatus.ACCEPTED,
    qty: str = "1.000",
    filled: str = "0.000",
    ts_last: int = T0,
    account_id: AccountId = ACCOUNT,
    **kwargs: Any,
) -> OrderStatusReport:
    return OrderStatusReport(
        account_id=account_id,
        instrument_id=BTCUSDT,
        venue_order_id=VenueOrderId(venue_order_id),
        order_side=OrderSide.BUY,
        order_type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        order_status=status,
        quantity=Quantity.from_str(qty),
        filled_qty=Quantity.from_str(filled),
        price=Price.from_str("50000.0"),
        ts_accepted=T0,
        ts_last=ts_last,
        ts_init=T0,
        report_id=uuid(),
        **kwargs,
    )


def fill_report(
    venue_order_id: str = "V-1",
    trade_id: str = "T-1",
    *,
    qty: str = "0.100",
    ts_event: int = T0,
    account_id: AccountId = ACCOUNT,
) -> FillReport:
    return FillReport(
        account_id=account_id,
        instrument_id=BTCUSDT,
        venue_order_id=VenueOrderId(venue_order_id),
        trade_id=TradeId(trade_id),
        order_side=OrderSide.BUY,
        last_qty=Quantity.from_str(qty),
        last_px=Price.from_str("50000.0"),
        commission=Money.from_str("0.01 USDT"),
        liquidity_side=LiquiditySide.MAKER,
        ts_event=ts_event,
        ts_init=T0,
        report_id=uuid(),
    )


def position_report(
    side: PositionSide = PositionSide.LONG,
    qty: str = "1.000",
    *,
    instrument_id: InstrumentId = BTCUSDT,
    venue_position_id: PositionId | None = None,
    ts_last: int = T0,
) -> PositionStatusReport:
    return PositionStatusReport(
        account_id=ACCOUNT,
        instrument_id=instrument_id,
        position_side=side,
        quantity=Quantity.from_str(qty),
        avg_px_open=Decimal("50000.25") if side is not PositionSide.FLAT else None,
        venue_position_id=venue_position_id,
        ts_last=ts_last,
        ts_init=T0,
        report_id=uuid(),
    )


def mass_status() -> ExecutionMassStatus:
    return ExecutionMassStatus(
        client_id=ClientId("SIM"),
        account_id=ACCOUNT,
        venue=Venue("SIM"),
        report_id=uuid(),
        ts_init=T0,
    )


def full_mass_status() -> ExecutionMassStatus:
    mass = mass_status()
    mass.add_order_reports([order_report("V-1"), order_report("V-2")])
    mass.add_fill_reports([fill_report("V-1", "T-1"), fill_report("V-1", "T-2")])
    mass.add_position_reports([position_report()])
    return mass


def full_order_report() -> OrderStatusReport:
    return order_report(
        status=OrderStatus.PARTIALLY_FILLED,
        filled="0.400",
        client_order_id=ClientOrderId("O-1"),
        avg_px=Decimal("50000.05"),
        trigger_price=Price.from_str("49000.0"),
        limit_offset=Decimal("0.5"),
        display_qty=Quantity.from_str("0.100"),
        post_only=True,
        cancel_reason="none",
        linked_order_ids=(ClientOrderId("O-2"), ClientOrderId("O-3")),
        parent_order_id=ClientOrderId("O-0"),
        expire_time_ns=T0 + 1,
        venue_position_id=PositionId("P-1"),
        ts_triggered=T0,
    )


REPORT_FACTORIES: dict[type[Any], Callable[[], Any]] = {
    OrderStatusReport: full_order_report,
    FillReport: fill_report,
    PositionStatusReport: lambda: position_report(PositionSide.SHORT, "2.500"),
    ExecutionMassStatus: full_mass_status,
}


# --- order status report -------------------------------------------------------------


def test_order_report_when_partially_filled_then_leaves_qty_is_remainder() -> None:
    report = order_report(status=OrderStatus.PARTIALLY_FILLED, qty="1.000", filled="0.250")
    assert report.leaves_qty == Quantity.from_str("0.750")
    assert report.leaves_qty.precision == 3


def test_order_report_when_venue_reports_overfill_then_leaves_qty_is_zero() -> None:
    report = order_report(status=OrderStatus.FILLED, qty="1.000", filled="1.200")
    assert report.leaves_qty == Quantity.zero(3)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_order_report_is_open_and_is_closed_follow_status(status: OrderStatus) -> None:
    report = order_report(status=status)
    assert report.is_open is (status in OPEN_ORDER_STATUSES)
    assert report.is_closed is (status in CLOSED_ORDER_STATUSES)
    assert not (report.is_open and report.is_closed)


def test_order_report_optional_fields_default_to_none() -> None:
    report = order_report()
    assert report.client_order_id is None
    assert report.avg_px is None
    assert report.ts_triggered is None
    assert report.post_only is False


def test_order_report_is_frozen() -> None:
    report = order_report()
    with pytest.raises(AttributeError):
        report.filled_qty = Quantity.from_str("1.000")  # type: ignore[misc]


# --- position status report ----------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "qty", "signed"),
    [
        (PositionSide.LONG, "1.500", Decimal("1.500")),
        (PositionSide.SHORT, "1.500", Decimal("-1.500")),
        (PositionSide.FLAT, "0.000", Decimal("0")),
    ],
)
def test_position_report_signed_qty_follows_side(
    side: PositionSide, qty: str, signed: Decimal
) -> None:
    report = position_report(side, qty)
    assert report.signed_decimal_qty == signed
    assert report.signed_raw == int(signed * 10**9)
    assert report.is_flat is (side is PositionSide.FLAT)


def test_position_report_when_flat_with_quantity_then_value_error() -> None:
    with pytest.raises(ValueError, match="FLAT report needs quantity 0"):
        position_report(PositionSide.FLAT, "1.000")


@pytest.mark.parametrize("side", [PositionSide.LONG, PositionSide.SHORT])
def test_position_report_when_long_or_short_with_zero_then_value_error(
    side: PositionSide,
) -> None:
    with pytest.raises(ValueError, match="needs a positive quantity"):
        position_report(side, "0.000")


def test_position_report_when_no_position_side_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected LONG, SHORT or FLAT"):
        position_report(PositionSide.NO_POSITION_SIDE, "1.000")


# --- mass status: order reports ------------------------------------------------------


def test_mass_status_when_new_order_reports_then_all_kept_in_order() -> None:
    mass = mass_status()
    dropped = mass.add_order_reports([order_report("V-2"), order_report("V-1")])
    assert dropped == []
    assert list(mass.order_reports) == [VenueOrderId("V-2"), VenueOrderId("V-1")]


def test_mass_status_when_duplicate_order_with_later_ts_last_then_later_kept() -> None:
    mass = mass_status()
    old = order_report("V-1", ts_last=T0)
    new = order_report("V-1", status=OrderStatus.CANCELED, ts_last=T0 + 10)
    mass.add_order_reports([old])
    dropped = mass.add_order_reports([new])
    assert mass.order_reports[VenueOrderId("V-1")] is new
    assert dropped == [old]


def test_mass_status_when_duplicate_order_with_earlier_ts_last_then_held_kept() -> None:
    mass = mass_status()
    held = order_report("V-1", status=OrderStatus.FILLED, filled="1.000", ts_last=T0 + 10)
    stale = order_report("V-1", ts_last=T0)
    dropped = mass.add_order_reports([held, stale])
    assert mass.order_reports[VenueOrderId("V-1")] is held
    assert dropped == [stale]


def test_mass_status_when_same_ts_last_then_larger_filled_then_final_status_wins() -> None:
    mass = mass_status()
    partial = order_report("V-1", status=OrderStatus.PARTIALLY_FILLED, filled="0.500")
    more = order_report("V-1", status=OrderStatus.PARTIALLY_FILLED, filled="0.700")
    canceled = order_report("V-1", status=OrderStatus.CANCELED, filled="0.700")
    dropped = mass.add_order_reports([partial, more, canceled])
    assert mass.order_reports[VenueOrderId("V-1")] is canceled
    assert dropped == [partial, more]


def test_mass_status_when_exact_replay_then_counted_and_first_kept() -> None:
    mass = mass_status()
    first = order_report("V-1")
    replay = msgspec.structs.replace(first, report_id=uuid())
    dropped = mass.add_order_reports([first, replay])
    assert mass.order_reports[VenueOrderId("V-1")] is first
    assert dropped == [replay]


def test_mass_status_when_report_of_other_account_then_value_error() -> None:
    mass = mass_status()
    with pytest.raises(ValueError, match="expected reports of SIM-001 only"):
        mass.add_order_reports([order_report(account_id=AccountId("SIM-002"))])


# --- mass status: fill reports -------------------------------------------------------


def test_mass_status_fills_grouped_by_venue_order_in_arrival_order() -> None:
    mass = mass_status()
    fills = [fill_report("V-1", "T-1"), fill_report("V-2", "T-2"), fill_report("V-1", "T-3")]
    assert mass.add_fill_reports(fills) == []
    assert mass.fill_reports[VenueOrderId("V-1")] == [fills[0], fills[2]]
    assert mass.fill_reports[VenueOrderId("V-2")] == [fills[1]]
    assert mass.fill_count() == 3


def test_mass_status_when_duplicate_trade_id_same_order_then_dropped_first_kept() -> None:
    mass = mass_status()
    first = fill_report("V-1", "T-1", qty="0.100")
    noisy = fill_report("V-1", "T-1", qty="0.200")
    mass.add_fill_reports([first])
    dropped = mass.add_fill_reports([noisy, fill_report("V-1", "T-2")])
    assert dropped == [noisy]
    assert [f.trade_id for f in mass.fill_reports[VenueOrderId("V-1")]] == ["T-1", "T-2"]
    assert mass.fill_reports[VenueOrderId("V-1")][0] is first


def test_mass_status_when_same_trade_id_on_other_order_then_kept() -> None:
    mass = mass_status()
    dropped = mass.add_fill_reports([fill_report("V-1", "T-1"), fill_report("V-2", "T-1")])
    assert dropped == []
    assert mass.fill_count() == 2


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=5)),
        max_size=40,
    ),
    st.integers(min_value=0, max_value=40),
)
def test_mass_status_fill_merge_keeps_unique_trade_ids_per_order(
    keys: list[tuple[int, int]], split: int
) -> None:
    mass = mass_status()
    fills = [fill_report(f"V-{v}", f"T-{t}") for v, t in keys]
    dropped = mass.add_fill_reports(fills[:split]) + mass.add_fill_reports(fills[split:])
    assert mass.fill_count() + len(dropped) == len(fills)
    assert mass.fill_count() == len(set(keys))
    for group in mass.fill_reports.values():
        trade_ids = [f.trade_id for f in group]
        assert len(trade_ids) == len(set(trade_ids))


# --- mass status: position reports ---------------------------------------------------


def test_mass_status_when_netting_position_repeated_then_later_kept() -> None:
    mass = mass_status()
    old = position_report(ts_last=T0)
    new = position_report(PositionSide.SHORT, "0.500", ts_last=T0 + 1)
    dropped = mass.add_position_reports([old, new, position_report(instrument_id=ETHUSDT)])
    assert dropped == [old]
    assert mass.position_reports[BTCUSDT] == [new]
    assert len(mass.position_reports[ETHUSDT]) == 1


def test_mass_status_when_hedging_positions_then_one_per_venue_position_id() -> None:
    mass = mass_status()
    long_leg = position_report(venue_position_id=PositionId("P-1"))
    short_leg = position_report(PositionSide.SHORT, venue_position_id=PositionId("P-2"))
    stale = position_report(venue_position_id=PositionId("P-1"), ts_last=T0 - 1)
    dropped = mass.add_position_reports([long_leg, short_leg, stale])
    assert dropped == [stale]
    assert mass.position_reports[BTCUSDT] == [long_leg, short_leg]


# --- serialization -------------------------------------------------------------------


REPORT_UNION: Any = REPORT_TYPES[0] | REPORT_TYPES[1] | REPORT_TYPES[2] | REPORT_TYPES[3]


def test_every_report_type_has_an_example() -> None:
    assert set(REPORT_FACTORIES) == set(REPORT_TYPES)


@pytest.mark.parametrize("report_type", REPORT_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("codec", [msgspec.json, msgspec.msgpack], ids=["json", "msgpack"])
def test_report_round_trips_through_codec(report_type: type[Any], codec: Any) -> None:
    report = REPORT_FACTORIES[report_type]()
    data = codec.encode(report, enc_hook=enc_hook)
    back = codec.decode(data, type=report_type, dec_hook=dec_hook)
    assert back == report
    assert type(back) is report_type
    union = codec.decode(data, type=REPORT_UNION, dec_hook=dec_hook)
    assert union == report


def test_report_json_when_decoded_then_identifiers_typed_and_avg_px_exact() -> None:
    report = full_order_report()
    back = msgspec.json.decode(
        msgspec.json.encode(report, enc_hook=enc_hook), type=OrderStatusReport, dec_hook=dec_hook
    )
    assert type(back.venue_order_id) is VenueOrderId
    assert back.linked_order_ids == (ClientOrderId("O-2"), ClientOrderId("O-3"))
    assert back.avg_px == Decimal("50000.05")


# --- scale (W3) ----------------------------------------------------------------------


def build_w3_reports() -> tuple[list[OrderStatusReport], list[FillReport]]:
    """Build the W3 workload's 10,000 order reports and 30,000 fill reports."""
    instruments = [InstrumentId(f"SYM{i}USDT-PERP.SIM") for i in range(10)]
    commission = Money.from_str("0.01", USDT)
    report_id = uuid()
    orders: list[OrderStatusReport] = []
    fills: list[FillReport] = []
    status_by_mod = (OrderStatus.ACCEPTED, OrderStatus.CANCELED) + (OrderStatus.FILLED,) * 3
    for j in range(10_000):
        instrument_id = instruments[(j // 5) % 10]
        side = OrderSide.BUY if (j // 50) % 2 == 0 else OrderSide.SELL
        qty = Quantity(5_000_000 * (1 + j % 4), 3)
        price = Price(50_000_000_000_000 + ((j * 7919 % 2001) - 1000) * 100_000_000, 1)
        status = status_by_mod[j % 5]
        ts_accepted = T0 + j * 1_000_000
        filled = status is OrderStatus.FILLED
        venue_order_id = VenueOrderId(f"V-{j}")
        orders.append(
            OrderStatusReport(
                account_id=ACCOUNT,
                instrument_id=instrument_id,
                client_order_id=ClientOrderId(f"C-{j}"),
                venue_order_id=venue_order_id,
                order_side=side,
                order_type=OrderType.LIMIT,
                time_in_force=TimeInForce.GTC,
                order_status=status,
                quantity=qty,
                filled_qty=qty if filled else Quantity(0, 3),
                avg_px=price.as_decimal() if filled else None,
                price=price,
                ts_accepted=ts_accepted,
                ts_last=ts_accepted if j % 5 == 0 else ts_accepted + 500_000,
                ts_init=T0,
                report_id=report_id,
            )
        )
        if filled:
            last_qty = Quantity(qty.raw // 5, 3)
            fills.extend(
                FillReport(
                    account_id=ACCOUNT,
                    instrument_id=instrument_id,
                    venue_order_id=venue_order_id,
                    trade_id=TradeId(f"T-{j}-{m}"),
                    order_side=side,
                    last_qty=last_qty,
                    last_px=price,
                    commission=commission,
                    liquidity_side=LiquiditySide.MAKER,
                    ts_event=ts_accepted + (m + 1) * 100_000,
                    ts_init=T0,
                    report_id=report_id,
                )
                for m in range(5)
            )
    return orders, fills


def test_w3_reports_build_and_merge_into_mass_status() -> None:
    start = time.perf_counter()
    orders, fills = build_w3_reports()
    built = time.perf_counter()
    mass = mass_status()
    assert mass.add_order_reports(orders) == []
    assert mass.add_fill_reports(fills) == []
    merged = time.perf_counter()
    print(
        f"\nW3 reports: built {len(orders) + len(fills):,} in {(built - start) * 1e3:.1f} ms, "
        f"merged in {(merged - built) * 1e3:.1f} ms"
    )
    assert len(mass.order_reports) == 10_000
    assert mass.fill_count() == 30_000
    assert sum(r.is_open for r in orders) == 2_000
    total_raw = sum(f.last_qty.raw for f in fills)
    assert Quantity(total_raw, 3) == Quantity.from_str("75.000")
