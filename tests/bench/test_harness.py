"""The benchmark harness's own logic; the benchmarks' numbers are never asserted."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import run as bench_run
from bench.result import Result, percentile, timeit


def test_ratio_above_one_means_better_in_both_directions() -> None:
    assert Result("rate", 200, "ops/s", "goal", 100).ratio == 2.0
    assert Result("latency", 1.0, "ms", "goal", 2.0, higher_is_better=False).ratio == 2.0
    assert Result("latency", 4.0, "ms", "goal", 2.0, higher_is_better=False).ratio == 0.5


def test_ratio_is_none_without_an_anchor_and_infinite_for_zero_latency() -> None:
    assert Result("count", 5, "trades").ratio is None
    assert Result("latency", 0.0, "ms", "goal", 2.0, higher_is_better=False).ratio == math.inf


def test_percentile_interpolates_between_ranks() -> None:
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(samples, 0) == 1.0
    assert percentile(samples, 50) == 3.0
    assert percentile(samples, 100) == 5.0
    assert percentile(samples, 25) == 2.0
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([7.0], 99) == 7.0


@pytest.mark.parametrize("p", [-1, 101])
def test_percentile_rejects_out_of_range(p: float) -> None:
    with pytest.raises(ValueError):
        percentile([1.0], p)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


def test_timeit_runs_setup_untimed_before_each_call() -> None:
    calls: list[str] = []
    times = timeit(lambda: calls.append("fn"), repeat=3, setup=lambda: calls.append("setup"))
    assert calls == ["setup", "fn"] * 3
    assert len(times) == 3 and all(isinstance(t, int) and t >= 0 for t in times)


def test_update_doc_keeps_the_hand_written_parts() -> None:
    text = f"# Mine\n\nhand-written\n\n{bench_run.BEGIN}\nold numbers\n{bench_run.END}\n\n## Notes\nkept too\n"
    updated = bench_run.update_doc(text, "new numbers")
    assert (
        updated == f"# Mine\n\nhand-written\n\n{bench_run.BEGIN}\nnew numbers\n{bench_run.END}\n\n## Notes\nkept too\n"
    )
    assert bench_run.update_doc(updated, "new numbers") == updated


def test_update_doc_creates_the_file_with_preamble_and_markers() -> None:
    created = bench_run.update_doc(None, "numbers")
    assert created.startswith(bench_run.DEFAULT_PREAMBLE)
    assert "make bench" in created
    assert created.endswith(f"{bench_run.BEGIN}\nnumbers\n{bench_run.END}\n")


def test_update_doc_appends_markers_to_a_file_without_them() -> None:
    assert bench_run.update_doc("# Mine\n", "numbers") == f"# Mine\n\n{bench_run.BEGIN}\nnumbers\n{bench_run.END}\n"


def test_parse_doc_reads_a_rendered_section_back() -> None:
    doc = {
        "timestamp": "2026-01-01T00:00:00Z",
        "host": {"nproc": 2, "cpu_model": "CPU", "python": "CPython 3.11", "platform": "Linux"},
        "benchmarks": {
            "bus": {
                "module": "bench.bench_bus",
                "measured_at": "2026-01-01T00:00:00Z",
                "duration_s": 0.1,
                "error": "BusUnavailable: no NATS",
                "results": [],
            },
            "sim": {
                "module": "bench.bench_sim",
                "description": "Simulated exchange speed.",
                "measured_at": "2026-01-02T03:04:05Z",
                "duration_s": 1.5,
                "error": None,
                "results": [
                    bench_run.result_json(Result("rate | pipe", 250_000, "trades/s", "goal", 100_000)),
                    bench_run.result_json(Result("p99", 12.5, "ms", "goal 5 ms", 5.0, higher_is_better=False)),
                    bench_run.result_json(Result("plain", 3.25, "x")),
                ],
            },
        },
    }
    text = bench_run.update_doc(None, bench_run.render(doc))
    parsed = bench_run.parse_doc(text)
    assert list(parsed) == ["bus", "sim"]
    assert parsed["bus"]["error"] == "BusUnavailable: no NATS" and parsed["bus"]["results"] == []
    sim = parsed["sim"]
    assert (sim["module"], sim["measured_at"], sim["duration_s"]) == ("bench.bench_sim", "2026-01-02T03:04:05Z", 1.5)
    assert sim["description"] == "Simulated exchange speed."
    assert [(r["metric"], r["value"], r["unit"], r["anchor"], r["ratio"]) for r in sim["results"]] == [
        ("rate | pipe", 250_000.0, "trades/s", "goal", 2.5),
        ("p99", 12.5, "ms", "goal 5 ms", 0.4),
        ("plain", 3.25, "x", "", None),
    ]
    # Rendering what was read back gives the same section: a partial run on a fresh clone keeps it.
    assert bench_run.render({**doc, "benchmarks": parsed}) == bench_run.render(doc)


def test_render_writes_a_table_per_benchmark_and_reports_failures() -> None:
    doc = {
        "timestamp": "2026-01-01T00:00:00Z",
        "host": {"nproc": 2, "cpu_model": "CPU", "python": "CPython 3.11", "platform": "Linux"},
        "benchmarks": {
            "sim": {
                "module": "bench.bench_sim",
                "measured_at": "2026-01-01T00:00:00Z",
                "duration_s": 1.0,
                "error": None,
                "results": [bench_run.result_json(Result("rate | pipe", 250_000, "trades/s", "goal", 100_000))],
            },
            "bus": {
                "module": "bench.bench_bus",
                "measured_at": "2026-01-01T00:00:00Z",
                "duration_s": 0.1,
                "error": "BusUnavailable: no NATS",
                "results": [],
            },
        },
    }
    section = bench_run.render(doc)
    assert "2 CPUs (CPU)" in section
    assert "| metric | value | unit | goal / peer anchor | ratio |" in section
    assert "| rate \\| pipe | 250,000 | trades/s | goal | 2.50x |" in section
    assert "## bus" in section and "BusUnavailable: no NATS" in section


def test_discover_finds_only_bench_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "fakebench"
    package.mkdir()
    for name in ("__init__", "bench_b", "bench_a", "result", "runner"):
        (package / f"{name}.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert bench_run.discover("fakebench") == {"a": "fakebench.bench_a", "b": "fakebench.bench_b"}


def test_discover_sees_the_real_benchmarks() -> None:
    assert {"sim", "codec", "bus", "http"} <= set(bench_run.discover())


def test_a_failing_benchmark_is_recorded_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bench_broken_fake.py").write_text(
        '"""Breaks."""\nfrom bench.result import Result\n\n'
        "def run():\n    yield Result('first', 1.0, 'x')\n    raise RuntimeError('boom')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = bench_run.run_module("bench_broken_fake")
    assert entry["error"] == "RuntimeError: boom"
    assert [r["metric"] for r in entry["results"]] == ["first"]
    assert entry["description"] == "Breaks."
