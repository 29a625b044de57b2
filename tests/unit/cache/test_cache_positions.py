"""Cache positions and accounts: indexes, snapshots, links to orders."""

from __future__ import annotations

import pytest
from test_cache_stubs import (
    ACCOUNT,
    BTC_PERP,
    ETH_PERP,
    OTHER_STRATEGY,
    STRATEGY,
    accept,
    account_state,
    apply,
    cash_account,
    fill,
    make_order,
    open_position,
    perp,
)

from argonaut.cache import Cache
from argonaut.model.enums import OmsType, OrderSide, PositionSide
from argonaut.model.identifiers import AccountId, PositionId, Venue
from argonaut.model.position import Position

SIM = Venue("SIM")
NETTING_ID = PositionId(f"{BTC_PERP}-{STRATEGY}")


def _close(cache: Cache, position: Position, coid: str, ts: int = 8) -> None:
    closer = make_order(coid, side=OrderSide.SELL, instrument_id=position.instrument_id)
    cache.add_order(closer, position_id=position.id)
    accept(cache, closer, ts=ts - 2)
    f = fill(closer, "1.000", ts=ts, position_id=position.id)
    apply(cache, closer, f)
    position.apply(f)
    cache.update_position(position)


def test_add_position_then_indexed_and_linked_to_opening_order() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order, position_id=NETTING_ID)
    accept(cache, order)
    position = open_position(cache, order, NETTING_ID)
    assert cache.position(NETTING_ID) is position
    assert cache.position_exists(NETTING_ID)
    assert cache.position_for_order(order.client_order_id) is position
    assert cache.oms_type_for_position(NETTING_ID) is OmsType.NETTING
    assert cache.is_position_open(NETTING_ID)
    assert not cache.is_position_closed(NETTING_ID)
    for filters in ({}, {"venue": SIM}, {"instrument_id": BTC_PERP}, {"strategy_id": STRATEGY}):
        assert cache.positions(**filters) == [position]
        assert cache.positions_open(**filters) == [position]
        assert cache.positions_closed(**filters) == []
    assert cache.positions(side=PositionSide.LONG) == [position]
    assert cache.positions(side=PositionSide.SHORT) == []
    assert cache.positions(venue=Venue("OTHER")) == []
    assert cache.positions(instrument_id=ETH_PERP) == []
    assert cache.positions_open_count() == 1
    assert cache.positions_total_count() == 1
    assert cache.check_integrity() == []


def test_update_position_when_closed_then_moves_to_closed_index() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order, position_id=NETTING_ID)
    accept(cache, order)
    position = open_position(cache, order, NETTING_ID)
    _close(cache, position, "O-2")
    assert position.is_closed
    assert cache.position_open_ids() == []
    assert cache.position_closed_ids() == [NETTING_ID]
    assert cache.positions_closed(side=PositionSide.FLAT) == [position]
    assert cache.positions_closed_count() == 1
    assert cache.positions_open_count() == 0
    assert [o.client_order_id for o in cache.orders_for_position(NETTING_ID)] == ["O-1", "O-2"]
    assert cache.check_integrity() == []


def test_add_position_when_id_cached_then_refused() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    accept(cache, order)
    position = open_position(cache, order, NETTING_ID)
    with pytest.raises(ValueError, match="is already in the cache: call update_position"):
        cache.add_position(position, OmsType.NETTING)


def test_add_position_when_oms_unspecified_then_refused() -> None:
    order = make_order("O-1")
    position = Position(perp(), fill(order, "1.000", position_id=PositionId("P-1")))
    with pytest.raises(ValueError, match="expected the OMS in effect, NETTING or HEDGING"):
        Cache().add_position(position, OmsType.UNSPECIFIED)


def test_update_position_when_not_cached_then_refused() -> None:
    order = make_order("O-1")
    position = Position(perp(), fill(order, "1.000", position_id=PositionId("P-1")))
    with pytest.raises(ValueError, match="position P-1 is not in the cache"):
        Cache().update_position(position)


def test_add_position_id_when_position_owned_by_other_strategy_then_refused() -> None:
    cache = Cache()
    cache.add_position_id(PositionId("P-1"), SIM, make_order("A").client_order_id, STRATEGY)
    with pytest.raises(ValueError, match="position P-1 belongs to strategy S-001, not S-002"):
        cache.add_position_id(
            PositionId("P-1"), SIM, make_order("B").client_order_id, OTHER_STRATEGY
        )


def test_hedging_flip_relinks_order_then_listed_under_both_positions() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order, position_id=PositionId("P-1"))
    cache.add_position_id(PositionId("P-2"), SIM, order.client_order_id, STRATEGY)
    assert cache.position_id(order.client_order_id) == PositionId("P-2")
    assert cache.orders_for_position(PositionId("P-1")) == [order]
    assert cache.orders_for_position(PositionId("P-2")) == [order]
    assert cache.check_integrity() == []
    assert cache.purge_order(order.client_order_id)
    assert cache.orders_for_position(PositionId("P-1")) == []
    assert cache.orders_for_position(PositionId("P-2")) == []
    assert cache.check_integrity() == []


def test_snapshot_position_then_snapshots_kept_oldest_first() -> None:
    cache = Cache()
    order = make_order("O-1")
    cache.add_order(order)
    accept(cache, order)
    position = open_position(cache, order, NETTING_ID)
    cache.snapshot_position(position)
    _close(cache, position, "O-2")
    cache.snapshot_position(position)
    snapshots = cache.position_snapshots(NETTING_ID)
    assert [s.side for s in snapshots] == [PositionSide.LONG, PositionSide.FLAT]
    assert cache.position_snapshots() == snapshots
    assert cache.position_snapshots(PositionId("P-X")) == []


def test_positions_then_results_in_add_order() -> None:
    cache = Cache()
    ids = [PositionId(f"P-{i}") for i in (3, 1, 2)]
    positions = []
    for i, pid in enumerate(ids):
        order = make_order(f"O-{i}")
        cache.add_order(order)
        accept(cache, order)
        positions.append(open_position(cache, order, pid))
    for position in reversed(positions):  # close in reverse order
        _close(cache, position, f"C-{position.id}")
    assert cache.position_closed_ids() == ids
    assert cache.position_ids(strategy_id=STRATEGY) == ids


# -- accounts ----------------------------------------------------------------------------


def test_add_account_then_found_by_id_and_venue() -> None:
    cache = Cache()
    account = cash_account()
    cache.add_account(account)
    assert cache.account(ACCOUNT) is account
    assert cache.account_for_venue(SIM) is account
    assert cache.account_id(SIM) == ACCOUNT
    assert cache.accounts() == [account]
    assert cache.account_for_venue(Venue("OTHER")) is None
    assert cache.account(AccountId("SIM-999")) is None


def test_add_account_when_cached_then_refused_and_update_keeps_history() -> None:
    cache = Cache()
    account = cash_account()
    cache.add_account(account)
    with pytest.raises(ValueError, match="account SIM-001 is already in the cache"):
        cache.add_account(account)
    account.apply(account_state("900 USDT", 2))
    cache.update_account(account)
    assert cache.account(ACCOUNT) is account
    assert account.event_count == 2


def test_update_account_when_not_cached_then_refused() -> None:
    with pytest.raises(ValueError, match="call add_account first"):
        Cache().update_account(cash_account())
