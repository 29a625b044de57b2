"""The domain model: identifiers, values, instruments, market data, order books, orders
and their state machine, events, positions, accounts, venue reports and commands.

`model` is pure: no I/O, no clock reads, no logging. It imports only `argonaut.core`.
Public names are re-exported from the submodules; import from them directly.
"""
