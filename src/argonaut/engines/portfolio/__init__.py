"""The portfolio: accounts, locked balances and margins the node calculates, PnL and
exposure per instrument and per venue.

Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and `argonaut.cache`; no
asyncio, no I/O. Everything reaches it over the bus (see `portfolio`).
"""

from argonaut.engines.portfolio.accounts_manager import AccountsManager
from argonaut.engines.portfolio.config import PortfolioConfig
from argonaut.engines.portfolio.portfolio import Portfolio

__all__ = ["AccountsManager", "Portfolio", "PortfolioConfig"]
