"""The local stack starts missing services for real, and stops exactly what it started.

Each service is started on a free port with its data in a temporary run dir, the path
`make up` takes on a machine where none is running.
"""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import psycopg
import pytest
import redis

from infra.local import services, stack
from infra.local.services import Endpoint, port_open


def free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return int(port)


@pytest.fixture
def run_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    yield tmp_path
    services.stop_recorded(tmp_path)


def test_redis_and_nats_are_started_when_absent_and_stopped_by_record(run_dir: Path) -> None:
    redis_port, nats_port = free_port(), free_port()
    said = services.ensure_redis(f"redis://127.0.0.1:{redis_port}/0", run_dir, manage=True, install=False)
    assert "started" in said
    assert redis.Redis(port=redis_port).ping()
    said = services.ensure_nats(
        f"nats://127.0.0.1:{nats_port}", run_dir, manage=True, install=False, venv_python=sys.executable
    )
    assert "JetStream" in said
    # A second call finds them running and starts nothing new.
    assert "using the server" in services.ensure_redis(
        f"redis://127.0.0.1:{redis_port}/0", run_dir, manage=True, install=False
    )
    assert sorted(services.stop_recorded(run_dir)) == ["nats", "redis"]
    assert not port_open(Endpoint("127.0.0.1", redis_port))
    assert not port_open(Endpoint("127.0.0.1", nats_port))


def test_postgres_is_initialised_started_and_stopped_under_the_run_dir(run_dir: Path) -> None:
    port = free_port()
    url = f"postgresql://qt_check@127.0.0.1:{port}/qt_stack_check"
    said = services.ensure_postgres(url, run_dir, manage=True, install=False, venv_python=sys.executable)
    assert "started" in said and str(run_dir) in said
    assert services.ensure_database(url, "postgres") == ["created role qt_check", "created database qt_stack_check"]
    assert services.ensure_database(url, "postgres") == []
    with psycopg.connect(host="127.0.0.1", port=port, user="qt_check", dbname="qt_stack_check") as conn:
        # The app's role must be bound by row-level security.
        assert conn.execute("select rolsuper, rolbypassrls from pg_roles where rolname = current_user").fetchone() == (
            False,
            False,
        )
    assert services.stop_recorded(run_dir) == ["postgres"]
    assert not port_open(Endpoint("127.0.0.1", port))


def test_absent_service_without_permission_to_manage_is_named_with_the_fix(run_dir: Path) -> None:
    port = free_port()
    with pytest.raises(services.ServiceError, match=rf"Redis is not running at 127.0.0.1:{port}.*redis-server"):
        services.ensure_redis(f"redis://127.0.0.1:{port}/0", run_dir, manage=False, install=False)
    with pytest.raises(services.ServiceError, match="NATS is not running"):
        services.ensure_nats(f"nats://127.0.0.1:{port}", run_dir, manage=False, install=False, venv_python="")


def test_processes_are_started_once_and_stopped_with_their_children(run_dir: Path) -> None:
    # The parent forks a child, as Celery's prefork pool does.
    script = "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)"
    proc = stack.Process("sleeper", [sys.executable, "-c", script])
    assert "started" in stack.start(run_dir, proc)
    assert "already running" in stack.start(run_dir, proc)
    pid = int((run_dir / "pids" / "sleeper.pid").read_text())
    time.sleep(0.5)
    assert services.group_alive(pid)
    assert stack.stop_process(run_dir, "sleeper") == f"sleeper: stopped (pid {pid})"
    assert not services.group_alive(pid)
    assert not (run_dir / "pids" / "sleeper.pid").exists()
    assert stack.stop_process(run_dir, "sleeper") is None
