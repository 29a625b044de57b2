"""Events: order, position, account and risk events (immutable, past tense)."""
