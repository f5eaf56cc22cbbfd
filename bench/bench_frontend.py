"""The web app: JavaScript shipped for the first screen, and what the browser run measured.

Sizes come from the production build (frontend/dist, `make frontend`): Vite's manifest says
which chunks a route pulls in, and the pre-compressed .gz files are what is sent. The first
contentful paint of the chart page and the frame rate with 10,000 candles under live updates
are measured by the browser end-to-end run (`make test-e2e`, or `npm --prefix frontend run e2e`
against `make up`) with the Performance API; this reads its frontend/e2e/artifacts/summary.json.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

from bench.result import Result

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "frontend" / "dist"
SUMMARY = REPO / "frontend" / "e2e" / "artifacts" / "summary.json"
ENTRY = "index.html"
CHART_ROUTE = "src/features/markets/routes/chart-route.tsx"
BUDGET_KB = 300.0
FCP_GOAL_MS = 1_500.0


def gzip_kb(path: Path) -> float:
    pre = path.with_name(path.name + ".gz")
    data = pre.read_bytes() if pre.is_file() else gzip.compress(path.read_bytes(), 9)
    return len(data) / 1024


def closure(manifest: dict[str, dict[str, object]], key: str, *, lazy: bool = False) -> set[str]:
    """The chunk `key` and everything it imports statically (and dynamically, if `lazy`)."""
    seen: set[str] = set()
    stack = [key]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        chunk = manifest[current]
        stack.extend(chunk.get("imports", []))  # type: ignore[arg-type]
        if lazy:
            stack.extend(chunk.get("dynamicImports", []))  # type: ignore[arg-type]
    return seen


def files_of(manifest: dict[str, dict[str, object]], keys: set[str]) -> set[str]:
    files: set[str] = set()
    for key in keys:
        files.add(str(manifest[key]["file"]))
        files.update(manifest[key].get("css", []))  # type: ignore[arg-type]
    return files


def run() -> Iterator[Result]:
    manifest_path = DIST / ".vite" / "manifest.json"
    if not manifest_path.is_file():
        raise RuntimeError("no production build with a manifest: run `make frontend` first")
    manifest = json.loads(manifest_path.read_text())
    entry = closure(manifest, ENTRY)
    initial = sum(gzip_kb(DIST / f) for f in files_of(manifest, entry))
    budget = f"budget {BUDGET_KB:.0f} KB"
    yield Result("initial JS + CSS (gzip), entry", round(initial, 1), "KB", budget, BUDGET_KB, False)
    chart = entry | closure(manifest, CHART_ROUTE)
    chart_kb = sum(gzip_kb(DIST / f) for f in files_of(manifest, chart))
    yield Result("chart page JS + CSS (gzip), entry + route", round(chart_kb, 1), "KB", budget, BUDGET_KB, False)
    everything = sum(gzip_kb(p) for p in (DIST / "assets").iterdir() if p.suffix in (".js", ".css"))
    yield Result("whole app JS + CSS (gzip), every route", round(everything, 1), "KB")

    if not SUMMARY.is_file():
        return
    summary = json.loads(SUMMARY.read_text())
    age_h = (time.time() - SUMMARY.stat().st_mtime) / 3600
    note = f" (e2e run {age_h:.1f} h ago)"
    cold = summary.get("coldChart") or {}
    if cold.get("fcp") is not None:
        fcp = round(cold["fcp"])
        yield Result("chart page first contentful paint" + note, fcp, "ms", "goal 1.5 s", FCP_GOAL_MS, False)
    perf = summary.get("chart10k") or {}
    if perf.get("fps") is not None:
        yield Result(
            f"frame rate, {perf['bars']:,} candles + live updates" + note, perf["fps"], "fps", "60 fps display", 60.0
        )
        yield Result("worst frame in those 5 s" + note, round(perf["worst"]), "ms", "one 60 Hz frame", 16.7, False)
