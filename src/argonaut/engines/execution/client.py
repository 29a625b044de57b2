"""`ExecutionClient`: the synchronous side of an execution client, as the engine sees it.

The engine calls one method per trading command; the client talks to its venue and
hands what comes back (order events) to the engine's `ExecEngine.process` endpoint.
A client with `venue` None serves several venues and is reached by its client id or
as the default client. Nothing here does I/O or knows asyncio.
"""

from __future__ import annotations

from typing import Protocol

from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    QueryAccount,
    QueryOrder,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.enums import OmsType
from argonaut.model.identifiers import AccountId, ClientId, Venue


class ExecutionClient(Protocol):
    """What the execution engine needs from an execution client.

    `oms_type` is the venue's order management (NETTING or HEDGING; UNSPECIFIED is
    treated as NETTING unless the strategy sets its own). `is_connected` is kept by
    whoever connects the client.
    """

    @property
    def client_id(self) -> ClientId: ...
    @property
    def venue(self) -> Venue | None: ...
    @property
    def oms_type(self) -> OmsType: ...
    @property
    def account_id(self) -> AccountId | None: ...
    @property
    def is_connected(self) -> bool: ...

    def submit_order(self, command: SubmitOrder) -> None:
        """Send one order to the venue."""

    def submit_order_list(self, command: SubmitOrderList) -> None:
        """Send the orders of an order list to the venue."""

    def modify_order(self, command: ModifyOrder) -> None:
        """Ask the venue to change an open order."""

    def cancel_order(self, command: CancelOrder) -> None:
        """Ask the venue to cancel one order."""

    def cancel_all_orders(self, command: CancelAllOrders) -> None:
        """Ask the venue to cancel the strategy's open orders on an instrument."""

    def batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        """Ask the venue to cancel several orders in one request."""

    def query_order(self, command: QueryOrder) -> None:
        """Ask the venue for an order's current state."""

    def query_account(self, command: QueryAccount) -> None:
        """Ask the venue for an account's current state."""
