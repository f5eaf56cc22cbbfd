from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis
from django.conf import settings

from backend.conf.loader import REPO_ROOT
from backend.ops import heartbeat
from backend.ops.tasks import celery_heartbeat


def test_celery_is_configured_to_never_lose_a_task() -> None:
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_heartbeat_task_records_the_celery_component(redis_client: redis.Redis) -> None:
    celery_heartbeat()
    beat = heartbeat.parse(redis_client.get(heartbeat.key_for("celery")))
    assert beat is not None and beat.pid == os.getpid() and beat.age_s() < 5


def test_beat_schedules_and_a_real_worker_runs_the_heartbeat(redis_client: redis.Redis, tmp_path: Path) -> None:
    celery = str(Path(sys.executable).parent / "celery")
    proc = subprocess.Popen(
        [celery, "-A", "backend", "worker", "-B", "--concurrency", "1", "--loglevel", "WARNING",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 45
        beat = None
        while time.monotonic() < deadline and beat is None and proc.poll() is None:
            beat = heartbeat.parse(redis_client.get(heartbeat.key_for("celery")))
            time.sleep(0.25)
        assert beat is not None, proc.stdout.read() if proc.poll() is not None else "no heartbeat"  # type: ignore[union-attr]
        assert beat.pid != os.getpid()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
