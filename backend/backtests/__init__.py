"""Backtests: reference strategies over stored klines, run by Celery, plus the `backtest` CLI."""
