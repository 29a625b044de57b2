"""The sandbox venue state survives a restart from its JSON file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox_env import INST, T0, book, make_venue, of_type, submit

from argonaut.adapters.sandbox import SandboxVenue, VenueOrderAccepted, VenueOrderFilled, load_state
from argonaut.model.enums import OrderSide
from argonaut.testkit.orders import limit_order, market_order

BOOK = book(bids=[("99.5", "5.000")], asks=[("100.0", "5.000")])


def test_round_trip_keeps_orders_positions_balances_and_ids(tmp_path: Path):
    path = tmp_path / "venue.json"
    first = make_venue(state_file=str(path))
    first.process(BOOK)
    submit(first, market_order(INST, quantity="2.000"))
    submit(first, limit_order(INST, price="99.0", client_order_id="O-2"))
    assert path.exists()
    assert not (tmp_path / ".venue.json.tmp").exists()

    second = make_venue(state_file=str(path))
    assert [(o.client_order_id, o.venue_order_id, o.status) for o in second.orders.values()] == [
        (o.client_order_id, o.venue_order_id, o.status) for o in first.orders.values()
    ]
    assert [o.client_order_id for o in second.open_orders()] == ["O-2"]
    assert second.ledger.totals() == first.ledger.totals()
    assert second.ledger.positions == first.ledger.positions
    assert [f.trade_id for f in second.fills] == ["SIM-T1"]

    second.process(BOOK)
    out = submit(second, market_order(INST, side=OrderSide.SELL, client_order_id="O-3"))
    assert of_type(out, VenueOrderAccepted)[0].venue_order_id == "SIM-3"
    assert of_type(out, VenueOrderFilled)[0].trade_id == "SIM-T2"
    # The restored resting order still works against the new book.
    out = second.process(book(bids=[("98.0", "1.000")], asks=[("98.5", "3.000")], ts=T0 + 5))
    assert [(f.client_order_id, str(f.last_px)) for f in of_type(out, VenueOrderFilled)] == [
        ("O-2", "99.0")
    ]


def test_restored_reports_equal_the_originals(tmp_path: Path):
    path = tmp_path / "venue.json"
    first = make_venue(state_file=str(path))
    first.process(BOOK)
    submit(first, market_order(INST, quantity="1.000"))
    second = make_venue(state_file=str(path))

    def strip(venue: SandboxVenue) -> list[object]:
        reports = venue.order_status_reports(ts_init=T0)
        return [(r.venue_order_id, r.order_status, r.filled_qty, r.avg_px) for r in reports]

    assert strip(second) == strip(first)
    assert [p.quantity for p in second.position_reports(ts_init=T0)] == [
        p.quantity for p in first.position_reports(ts_init=T0)
    ]


def test_corrupt_state_file_raises_a_clear_error(tmp_path: Path):
    path = tmp_path / "venue.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not a valid venue state"):
        load_state(path)
    with pytest.raises(ValueError, match="not a valid venue state"):
        make_venue(state_file=str(path))
