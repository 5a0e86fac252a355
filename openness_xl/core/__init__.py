"""The scoring core: exact arithmetic, the formula kinds, scores, tiers, targets, bodies. Pure Python (the Pyodide set)."""
