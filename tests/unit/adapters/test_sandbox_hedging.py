"""The sandbox venue under HEDGING: positions per venue position id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sandbox_env import INST, T0, book, make_venue, of_type

from argonaut.adapters.sandbox import (
    SandboxVenue,
    VenueAccountUpdate,
    VenueMessage,
    VenueOrderFilled,
    VenueOrderRejected,
)
from argonaut.model.enums import OmsType, OrderSide, PositionSide
from argonaut.model.orders import Order
from argonaut.testkit.commands import submit_order
from argonaut.testkit.orders import market_order

DEEP = book(bids=[("99.0", "50.000")], asks=[("100.0", "50.000")])


def hedging(**overrides: Any) -> SandboxVenue:
    venue = make_venue(oms_type=OmsType.HEDGING, **overrides)
    venue.process(DEEP)
    return venue


def send(venue: SandboxVenue, order: Order, position_id: str | None = None) -> list[VenueMessage]:
    return venue.execute(submit_order(order, position_id=position_id), T0)


def positions(venue: SandboxVenue) -> dict[str | None, tuple[PositionSide, str]]:
    return {
        r.venue_position_id: (r.position_side, str(r.quantity))
        for r in venue.position_reports(ts_init=T0)
    }


def test_hedging_when_orders_name_no_position_then_each_opens_its_own() -> None:
    venue = hedging()
    out = send(venue, market_order(INST, quantity="2.000", client_order_id="O-1"))
    out += send(venue, market_order(INST, quantity="1.000", client_order_id="O-2"))
    out += send(
        venue, market_order(INST, side=OrderSide.SELL, quantity="3.000", client_order_id="O-3")
    )

    fills = of_type(out, VenueOrderFilled)
    assert [f.venue_position_id for f in fills] == ["SIM-P1", "SIM-P2", "SIM-P3"]
    assert positions(venue) == {
        "SIM-P1": (PositionSide.LONG, "2.000"),
        "SIM-P2": (PositionSide.LONG, "1.000"),
        "SIM-P3": (PositionSide.SHORT, "3.000"),
    }
    reports = venue.fill_reports(ts_init=T0)
    assert [r.venue_position_id for r in reports] == ["SIM-P1", "SIM-P2", "SIM-P3"]


def test_hedging_when_order_names_position_then_only_that_position_changes() -> None:
    venue = hedging()
    send(venue, market_order(INST, quantity="2.000", client_order_id="O-1"))
    send(venue, market_order(INST, quantity="1.000", client_order_id="O-2"))
    close = market_order(
        INST, side=OrderSide.SELL, quantity="2.000", client_order_id="O-3", reduce_only=True
    )
    out = send(venue, close, position_id="SIM-P1")

    assert [f.venue_position_id for f in of_type(out, VenueOrderFilled)] == ["SIM-P1"]
    assert positions(venue) == {
        "SIM-P1": (PositionSide.FLAT, "0.000"),
        "SIM-P2": (PositionSide.LONG, "1.000"),
    }
    assert venue.orders["O-3"].position_id == "SIM-P1"


def test_hedging_when_reduce_only_without_position_or_past_it_then_refused_or_capped() -> None:
    venue = hedging()
    send(venue, market_order(INST, quantity="1.000", client_order_id="O-1"))
    loose = market_order(
        INST, side=OrderSide.SELL, quantity="1.000", client_order_id="O-2", reduce_only=True
    )
    out = send(venue, loose)
    (rejected,) = of_type(out, VenueOrderRejected)
    assert "a HEDGING reduce-only order needs a position id" in rejected.reason

    big = market_order(
        INST, side=OrderSide.SELL, quantity="5.000", client_order_id="O-3", reduce_only=True
    )
    out = send(venue, big, position_id="SIM-P1")
    assert [str(f.last_qty) for f in of_type(out, VenueOrderFilled)] == ["1.000"]
    assert positions(venue) == {"SIM-P1": (PositionSide.FLAT, "0.000")}


def test_hedging_margin_when_two_positions_then_both_count() -> None:
    netting = make_venue()
    netting.process(DEEP)
    netting.execute(submit_order(market_order(INST, quantity="3.000")), T0)
    venue = hedging()
    send(venue, market_order(INST, quantity="2.000", client_order_id="O-1"))
    send(venue, market_order(INST, quantity="1.000", client_order_id="O-2"))

    def maintenance(v: SandboxVenue) -> str:
        (margin,) = v.account_update(T0).margins
        return str(margin.maintenance)

    assert maintenance(venue) == maintenance(netting) != "0.00000000 USDT"


def test_netting_when_order_names_position_then_ignored() -> None:
    venue = make_venue()
    venue.process(DEEP)
    out = venue.execute(submit_order(market_order(INST), position_id="SIM-P9"), T0)
    assert [f.venue_position_id for f in of_type(out, VenueOrderFilled)] == [None]
    assert positions(venue) == {None: (PositionSide.LONG, "1.000")}
    assert of_type(out, VenueAccountUpdate)


def test_hedging_when_restored_from_state_then_positions_and_id_counter_continue(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "venue.json")
    first = hedging(state_file=path)
    send(first, market_order(INST, quantity="2.000", client_order_id="O-1"))
    send(first, market_order(INST, quantity="1.000", client_order_id="O-2"))

    second = hedging(state_file=path)
    out = send(second, market_order(INST, client_order_id="O-3"))
    out += send(
        second,
        market_order(INST, side=OrderSide.SELL, client_order_id="O-4", reduce_only=True),
        position_id="SIM-P2",
    )

    assert [f.venue_position_id for f in of_type(out, VenueOrderFilled)] == ["SIM-P3", "SIM-P2"]
    assert positions(second) == {
        "SIM-P1": (PositionSide.LONG, "2.000"),
        "SIM-P2": (PositionSide.FLAT, "0.000"),
        "SIM-P3": (PositionSide.LONG, "1.000"),
    }


def test_restore_when_state_of_other_oms_type_then_refused_naming_both(tmp_path: Path) -> None:
    path = str(tmp_path / "venue.json")
    send(hedging(state_file=path), market_order(INST))
    with pytest.raises(ValueError, match="holds HEDGING positions, but the venue is configured"):
        make_venue(state_file=path)


def test_venue_config_when_oms_unspecified_then_refused() -> None:
    with pytest.raises(ValueError, match="expected NETTING or HEDGING"):
        make_venue(oms_type=OmsType.UNSPECIFIED)
