"""`PortfolioConfig`: where the portfolio takes its prices and in which currency it reports."""

from __future__ import annotations

import msgspec


class PortfolioConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the `Portfolio`.

    - `use_mark_prices`: value positions (PnL, exposure) at the venue's mark price first,
      falling back to quotes, trades and bars when no mark price is cached.
    - `use_mark_xrates`: convert currencies at mark prices instead of quote mid prices.
    - `bar_updates`: use the close of external bars as a last-resort price.
    - `convert_to_account_base_currency`: report PnL and exposure in the account's base
      currency when it has one (else in each instrument's own currency).
    - `debug`: log every account state the portfolio calculates, at DEBUG.
    """

    use_mark_prices: bool = False
    use_mark_xrates: bool = False
    bar_updates: bool = True
    convert_to_account_base_currency: bool = True
    debug: bool = False


__all__ = ["PortfolioConfig"]
