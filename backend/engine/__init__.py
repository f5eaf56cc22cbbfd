"""The pure core: market types, simulation, and (later) aggregation, matching, risk,
portfolio, backtests and the sandbox host. Nothing here imports Django."""
