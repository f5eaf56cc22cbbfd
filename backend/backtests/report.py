"""The `backtest` command's human-readable output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PERCENT = {
    "total_return",
    "cagr",
    "volatility",
    "max_drawdown",
    "exposure",
    "win_rate",
    "avg_trade_return",
    "best_trade_return",
    "worst_trade_return",
}


def _value(key: str, value: Any) -> str:
    if value is None:
        return "n/a"
    if key in PERCENT and isinstance(value, float):
        return f"{value * 100:.2f} %"
    if isinstance(value, float):
        return f"{value:,.4f}"
    return str(value)


def metrics_table(metrics: Mapping[str, Any]) -> str:
    width = max(map(len, metrics), default=0)
    return "\n".join(f"{key.ljust(width)}  {_value(key, value)}" for key, value in metrics.items())


def trades_table(trades: Sequence[Mapping[str, Any]], total: int) -> str:
    if not trades:
        return "no closed trades"
    columns = ("direction", "entry_time", "exit_time", "entry_price", "exit_price", "qty", "pnl", "fees")
    rows = [columns, *[tuple(str(t[c]) for c in columns) for t in trades]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    if total > len(trades):
        lines.append(f"... {total - len(trades):,} more trades (--trades N shows more, --json shows all)")
    return "\n".join(lines)


def monte_carlo_text(section: Mapping[str, Any]) -> str:
    if "error" in section:
        return f"Monte Carlo: {section['error']}"
    equity = ", ".join(f"p{k} {v:,.2f}" for k, v in section["final_equity"].items())
    drawdown = ", ".join(f"p{k} {v * 100:.1f} %" for k, v in section["max_drawdown"].items())
    return (
        f"Monte Carlo ({section['simulations']:,} resamples of {section['trades_per_path']:,} trades, "
        f"seed {section['seed']}):\n  final equity  {equity}\n  max drawdown  {drawdown}\n"
        f"  probability of a loss  {section['probability_of_loss'] * 100:.1f} %"
    )


def walk_forward_text(section: Mapping[str, Any]) -> str:
    lines = [f"Walk-forward ({section['train_bars']:,} train / {section['test_bars']:,} test bars):"]
    for w in section["windows"]:
        train, test = w["train"], w["test"]
        lines.append(
            f"  #{w['split']:<3} train {train['start']}..{train['end']} {train['total_return'] * 100:8.2f} %"
            f"   test {test['start']}..{test['end']} {test['total_return'] * 100:8.2f} %  ({test['trades']} trades)"
        )
    if not section["windows"]:
        lines.append("  not enough bars for one train + test window")
    else:
        lines.append(
            f"  mean test return {section['test_return_mean'] * 100:.2f} %, "
            f"positive in {section['test_positive_fraction'] * 100:.0f} % of windows"
        )
    return "\n".join(lines)
