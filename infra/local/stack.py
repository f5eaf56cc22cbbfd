"""`make up`, `make down`, `make status`, `make logs`: the whole platform on one machine.

Usage: python -m infra.local.stack {services|up|down|status|logs|restart NAME...|e2e}

Every process we start gets its own session (process group), its log under
run_dir/logs and its PID under run_dir/pids; `down` signals exactly those groups.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from infra.local import services
from infra.local.services import ServiceError, group_alive, pid_alive, say

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]


def _config():  # type: ignore[no-untyped-def]
    from backend.conf.loader import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as exc:
        print("The configuration is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def _run_dir(config) -> Path:  # type: ignore[no-untyped-def]
    path = Path(config.local_stack.run_dir)
    return path if path.is_absolute() else REPO / path


def ensure_config_file() -> None:
    if os.environ.get("QT_CONFIG"):
        return
    target = REPO / "config.yaml"
    if not target.exists():
        shutil.copyfile(REPO / "config.yaml.example", target)
        say("created config.yaml from config.yaml.example")


def ensure_services(config) -> None:  # type: ignore[no-untyped-def]
    run_dir = _run_dir(config)
    manage = config.local_stack.manage_services
    install = config.local_stack.install_packages
    py = sys.executable
    try:
        superuser = config.local_stack.postgres_superuser
        say(
            services.ensure_postgres(
                config.database.url, run_dir, manage=manage, install=install, venv_python=py, superuser=superuser
            )
        )
        say(services.ensure_redis(config.redis.url, run_dir, manage=manage, install=install))
        say(services.ensure_nats(config.nats.url, run_dir, manage=manage, install=install, venv_python=py))
        for step in services.ensure_database(config.database.url, superuser):
            say(f"PostgreSQL: {step}")
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(3) from None


def processes(config) -> list[Process]:  # type: ignore[no-untyped-def]
    venv_bin = Path(sys.executable).parent
    run_dir = _run_dir(config)
    manage = [sys.executable, str(REPO / "manage.py")]
    procs = [
        Process(
            "web",
            [str(venv_bin / "uvicorn"), "backend.asgi:application", "--host", config.http.host,
             "--port", str(config.http.port), "--workers", str(config.http.workers),
             "--no-access-log", "--lifespan", "off"],
        ),
        Process(
            "celery-worker",
            [str(venv_bin / "celery"), "-A", "backend", "worker", "--loglevel", "INFO",
             "--concurrency", str(config.celery.concurrency), "-Q", "celery,webhooks,backtests"],
        ),
        Process(
            "celery-beat",
            [str(venv_bin / "celery"), "-A", "backend", "beat", "--loglevel", "INFO",
             "--schedule", str(run_dir / "celerybeat-schedule")],
        ),
    ]  # fmt: skip
    for name, worker in config.workers.items():
        if worker.enabled:
            procs.append(Process(name, [*manage, worker.command, *worker.args, "--name", name]))
    return procs


def _pid_file(run_dir: Path, name: str) -> Path:
    return run_dir / "pids" / f"{name}.pid"


def _running_pid(run_dir: Path, name: str) -> int | None:
    path = _pid_file(run_dir, name)
    if not path.is_file():
        return None
    try:
        pid = int(path.read_text().strip())
    except ValueError:
        return None
    return pid if pid_alive(pid) else None


def start(run_dir: Path, proc: Process) -> str:
    pid = _running_pid(run_dir, proc.name)
    if pid:
        return f"{proc.name}: already running (pid {pid})"
    (run_dir / "pids").mkdir(parents=True, exist_ok=True)
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    with open(run_dir / "logs" / f"{proc.name}.log", "ab") as log:
        child = subprocess.Popen(
            proc.argv, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    _pid_file(run_dir, proc.name).write_text(f"{child.pid}\n")
    return f"{proc.name}: started (pid {child.pid})"


def stop_process(run_dir: Path, name: str, timeout_s: float = 15.0) -> str | None:
    path = _pid_file(run_dir, name)
    pid = _running_pid(run_dir, name)
    if pid is None:
        path.unlink(missing_ok=True)
        return None
    # Each process leads its own session; signalling the group also stops the
    # children it forked (Celery's pool processes).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and group_alive(pid):
        time.sleep(0.1)
    if group_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)
    return f"{name}: stopped (pid {pid})"


def fetch_readiness(url: str, timeout_s: float = 3.0) -> tuple[int, dict[str, object] | None]:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - http URL from config
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except ValueError:
            return exc.code, None
    except (OSError, ValueError):
        return 0, None


def wait_ready(base_url: str, timeout_s: float) -> dict[str, object] | None:
    deadline = time.monotonic() + timeout_s
    body = None
    while time.monotonic() < deadline:
        status, body = fetch_readiness(f"{base_url}/readyz")
        if status == 200:
            return body
        time.sleep(1.0)
    return body if body is not None else {}


def cmd_services() -> None:
    ensure_config_file()
    config = _config()
    ensure_services(config)


def cmd_up() -> None:
    ensure_config_file()
    config = _config()
    run_dir = _run_dir(config)
    print("Services:")
    ensure_services(config)
    print("Database:")
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=REPO, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=REPO, check=True)
    say("migrated; static files collected")
    # The built-in strategy catalogue (strategies/build, made by `make strategies`) for deployments.
    subprocess.run([*manage, "strategy", "sync_builtin"], cwd=REPO, check=True)
    subprocess.run([*manage, "seed_demo", "--env-file", str(run_dir / "demo.env")], cwd=REPO, check=True)
    # The platform's reference listings (the built-ins, published by the platform tenant): a catalogue to browse.
    subprocess.run([*manage, "seed_marketplace"], cwd=REPO, check=True)
    # Charts and backtests need history on first start; later runs find it and skip.
    subprocess.run([*manage, "seed_history", "--days", "30"], cwd=REPO, check=True)
    print("Processes:")
    for proc in processes(config):
        say(start(run_dir, proc))
    base_url = f"http://{config.http.host}:{config.http.port}"
    print(f"Waiting for {base_url}/readyz ...", flush=True)
    body = wait_ready(base_url, READY_TIMEOUT_S)
    if body is None or body.get("status") != "ok":
        failing = (body or {}).get("failing", ["web (no answer)"])
        print(f"error: not ready after {READY_TIMEOUT_S:.0f} s; failing: {failing}. See `make logs`.", file=sys.stderr)
        raise SystemExit(1)
    demo = dict(line.split("=", 1) for line in (run_dir / "demo.env").read_text().splitlines() if "=" in line)
    print()
    print(f"Quant-Trader is up: {base_url}/")
    print(f"  API docs:   {base_url}/api/docs/")
    print(f"  Admin:      {base_url}/admin/")
    print(f"  Demo login: {demo.get('QT_DEMO_EMAIL')} / {demo.get('QT_DEMO_PASSWORD')}  (also in {run_dir}/demo.env)")
    print(f"  API key:    {demo.get('QT_DEMO_API_KEY')}  (source {run_dir}/demo.env; see README)")
    print("  Stop with `make down`; `make status`, `make logs`.")


def cmd_down() -> None:
    config = _config()
    run_dir = _run_dir(config)
    names = [p.name for p in processes(config)]
    recorded = sorted(p.stem for p in (run_dir / "pids").glob("*.pid")) if (run_dir / "pids").is_dir() else []
    for name in [*reversed(names), *(n for n in recorded if n not in names)]:
        message = stop_process(run_dir, name)
        if message:
            say(message)
    for name in services.stop_recorded(run_dir):
        say(f"{name}: stopped (started by make up)")


def cmd_restart(names: list[str]) -> int:
    """Restarts some of make up's processes (say, web after a backend or SPA build change)."""
    config = _config()
    run_dir = _run_dir(config)
    known = {p.name: p for p in processes(config)}
    unknown = [n for n in names if n not in known]
    if not names or unknown:
        wanted = ", ".join(unknown) or "(none given)"
        print(f"error: restart which of {', '.join(known)}? unknown: {wanted}", file=sys.stderr)
        return 2
    for name in names:
        message = stop_process(run_dir, name)
        if message:
            say(message)
        say(start(run_dir, known[name]))
    if "web" in names:
        body = wait_ready(f"http://{config.http.host}:{config.http.port}", READY_TIMEOUT_S)
        if body is None:
            print("error: web did not answer /readyz after the restart; see `make logs`", file=sys.stderr)
            return 1
    return 0


# The browser run's webhook flow delivers to a receiver it starts on loopback, which the SSRF
# guard refuses unless allowed; only the stack started for that run allows it.
E2E_ENVIRONMENT = {"QT_WEBHOOKS__ALLOWED_PRIVATE_NETWORKS": '["127.0.0.1/32"]'}


def cmd_e2e() -> int:
    """`make test-e2e`: start the stack as `make up` does, run the browser test, stop it again.

    A stack that was already running is stopped first (its processes would not carry the e2e
    settings) and started again, plainly, afterwards.
    """
    ensure_config_file()
    config = _config()
    run_dir = _run_dir(config)
    was_running = any(_running_pid(run_dir, p.name) for p in processes(config))
    if was_running:
        print("A `make up` stack is running: stopping it for the e2e run; it is started again afterwards.")
        cmd_down()
    os.environ.update(E2E_ENVIRONMENT)
    base_url = f"http://{config.http.host}:{config.http.port}"
    try:
        cmd_up()
        print("Browser end-to-end run:", flush=True)
        result = subprocess.run(
            ["npm", "--prefix", str(REPO / "frontend"), "run", "--silent", "e2e"],
            cwd=REPO,
            env={**os.environ, "E2E_BASE_URL": base_url},
            check=False,
        )
        if result.returncode != 0:
            _print_log_tails(run_dir)
    finally:
        cmd_down()
        for key in E2E_ENVIRONMENT:
            os.environ.pop(key, None)
    if was_running:
        cmd_up()
    return result.returncode


def _print_log_tails(run_dir: Path, lines: int = 40) -> None:
    for log in sorted((run_dir / "logs").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        print(f"--- last {len(tail)} lines of {log.name} ---", *tail, sep="\n")


def cmd_status() -> int:
    config = _config()
    run_dir = _run_dir(config)
    print("Processes:")
    for proc in processes(config):
        pid = _running_pid(run_dir, proc.name)
        say(f"{proc.name:<14} {'running (pid ' + str(pid) + ')' if pid else 'stopped'}")
    print("Services:")
    for name in ("postgres", "redis", "nats"):
        record = services.read_record(run_dir, name)
        say(f"{name:<14} {'started by make up' if record else 'external (not managed here)'}")
    status, body = fetch_readiness(f"http://{config.http.host}:{config.http.port}/readyz")
    print(f"Health (/readyz {status or 'no answer'}):")
    components = (body or {}).get("components", {})
    for name, result in components.items():  # type: ignore[union-attr]
        say(f"{name:<14} {'ok  ' if result['ok'] else 'FAIL'} {result['detail']}")
    return 0 if status == 200 else 1


def cmd_logs() -> None:
    config = _config()
    logs = sorted((_run_dir(config) / "logs").glob("*.log"))
    if not logs:
        print("no logs yet: run `make up`")
        return
    os.execvp("tail", ["tail", "-n", "50", "-F", *map(str, logs)])  # noqa: S606


def main(argv: list[str]) -> int:
    os.chdir(REPO)
    command = argv[1] if len(argv) > 1 else ""
    if command == "services":
        cmd_services()
    elif command == "up":
        cmd_up()
    elif command == "down":
        cmd_down()
    elif command == "status":
        return cmd_status()
    elif command == "logs":
        cmd_logs()
    elif command == "e2e":
        return cmd_e2e()
    elif command == "restart":
        return cmd_restart(argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
