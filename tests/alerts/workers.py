"""Real worker subprocesses for the alerts end-to-end tests: `alert_engine` and a Celery worker.

Both run with the test's database, bus namespace and a Redis database of their own as the
Celery broker (other test runs flush database 15 between tests), with 127.0.0.1 allowed as
a webhook target and DEBUG on (plain-HTTP receivers).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time

import redis
from django.conf import settings
from nats.js.errors import NotFoundError

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from tests.trading.conftest import db_url

BROKER_DB = 12
WAIT_S = 60.0


def broker_url() -> str:
    base = settings.CONFIG.redis.url.rsplit("/", 1)[0]
    return f"{base}/{BROKER_DB}"


def worker_env(namespace: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "QT_NATS__NAMESPACE": namespace,
        "QT_DATABASE__URL": db_url(),
        "QT_REDIS__URL": settings.CONFIG.redis.url,
        "QT_CELERY__BROKER_URL": broker_url(),
        "QT_WEBHOOKS__ALLOWED_PRIVATE_NETWORKS": '["127.0.0.1/32"]',
        "QT_DEBUG": "true",
        "QT_LOGGING__LEVEL": "INFO",
        **extra,
    }


def flush_broker() -> None:
    client = redis.Redis.from_url(broker_url())
    client.flushdb()
    client.close()


class Proc:
    """A subprocess in its own session (so kill -9 takes its children too), output in a file."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="qt-alerts-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def alive(self) -> None:
        if self.proc.poll() is not None:
            raise AssertionError(f"{self.proc.args} exited {self.proc.returncode}:\n{self.output()[-4000:]}")

    def wait_output(self, text: str, timeout_s: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.output():
            self.alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in the output:\n{self.output()[-4000:]}")
            time.sleep(0.1)

    def kill9(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.log.close()
        os.unlink(self.log.name)


def start_celery(namespace: str, **extra: str) -> Proc:
    proc = Proc(
        [sys.executable, "-m", "celery", "-A", "backend", "worker", "-Q", "webhooks", "-c", "1", "-l", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        worker_env(namespace, **extra),
    )  # fmt: skip
    proc.wait_output("ready.")
    return proc


def start_alert_engine(namespace: str, **extra: str) -> Proc:
    name = f"alert-engine-{namespace}"
    proc = Proc([sys.executable, "manage.py", "alert_engine", "--name", name], worker_env(namespace, **extra))
    durable = name.replace(".", "_")

    async def consumer_exists() -> bool:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="probe")
        try:
            await bus.ensure_streams()
            await bus.js.consumer_info(bus.subjects.stream_name("MD_TRADES"), durable)
            return True
        except NotFoundError:
            return False
        finally:
            await bus.close()

    deadline = time.monotonic() + WAIT_S
    while not asyncio.run(consumer_exists()):
        proc.alive()
        if time.monotonic() > deadline:
            raise AssertionError(f"alert_engine did not start consuming:\n{proc.output()[-4000:]}")
        time.sleep(0.2)
    return proc


def manage_shell(namespace: str, code: str) -> str:
    """Run Python in a Django shell with the workers' settings (e.g. a beat task, as beat would)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO_ROOT, env=worker_env(namespace, QT_LOGGING__LEVEL="WARNING"), capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return done.stdout
