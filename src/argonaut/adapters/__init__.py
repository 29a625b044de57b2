"""Layer `adapters`: venue integrations (DESIGN.md section 1).

Adapters sit on top of every other layer and may import any of them. Each venue lives
in its own subpackage; `argonaut.adapters.sandbox` is the simulated venue. A venue's
core (matching, accounting, reports) stays synchronous and free of asyncio; only its
live client shell knows the event loop.
"""
