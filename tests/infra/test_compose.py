"""Static checks of the single-host stack: docker-compose.yml and the files it uses.

No Docker and no database: the files are parsed and cross-checked against each other and
against the code they name, so a renamed module, a missing mount or a literal secret fails
here instead of at `docker compose up`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "infra" / "docker" / "Dockerfile"
NATS_CONF = REPO / "infra" / "nats" / "nats.conf"
PROMETHEUS_CONF = REPO / "infra" / "prometheus" / "prometheus.yml"

BACKING_SERVICES = ("db", "redis", "nats")
APP_SERVICES = ("migrate", "web", "celery-worker", "celery-beat", "ingest", "aggregator")
WORKER_SERVICES = ("celery-worker", "celery-beat", "ingest", "aggregator")
REQUIRED_SERVICES = (*BACKING_SERVICES, *APP_SERVICES, "prometheus")
ONE_SHOT_SERVICES = ("migrate",)

REQUIRED_APP_ENV = (
    "QT_MODE",
    "QT_DEBUG",
    "QT_SECRET_KEY",
    "QT_DATABASE__URL",
    "QT_REDIS__URL",
    "QT_NATS__URL",
    "QT_ALLOWED_HOSTS",
    "QT_CONFIG",
)
# QT_* variables the app reads that are not config keys (backend/conf/loader.py).
NON_CONFIG_ENV = ("QT_CONFIG",)
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|(^|_)KEY$", re.IGNORECASE)
REQUIRED_INTERPOLATION = re.compile(r"^\$\{(?P<var>[A-Za-z_][A-Za-z0-9_]*):\?[^}]*\}$")
INTERPOLATION = re.compile(r"\$\{(?P<var>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


# --- helpers -----------------------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    svcs = compose.get("services")
    assert isinstance(svcs, dict) and svcs, "docker-compose.yml has no services"
    return svcs


def service_env(service: dict[str, Any]) -> dict[str, Any]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) for item in env)
        return {p[0]: (p[1] if len(p) > 1 else None) for p in pairs}
    return dict(env)


def command_words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(v) for v in value]


def healthcheck_words(service: dict[str, Any]) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, str):  # string form = CMD-SHELL
        return test.split()
    words = command_words(test)
    if words[:1] == ["CMD-SHELL"]:
        return " ".join(words[1:]).split()
    return words[1:] if words[:1] == ["CMD"] else words


def resolve_defaults(value: str) -> str:
    """Interpolate as compose would with every variable unset and its default used."""
    return INTERPOLATION.sub(lambda m: m.group("arg") if m.group("op") in (":-", "-") else "", value)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} against `variables`."""

    def one(match: re.Match[str]) -> str:
        var, op, arg = match.group("var"), match.group("op"), match.group("arg")
        present = variables.get(var)
        if op in (":?", "?"):
            assert present, f"${{{var}}} is required: {arg}"
            return present
        if op in (":-", "-"):
            return present if present else arg
        return present or ""

    return INTERPOLATION.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def dockerfile_env(stage: str) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in dockerfile_stages()[stage]:
        if line.upper().startswith("ENV "):
            for word in shlex.split(line[4:]):
                key, sep, value = word.partition("=")
                if sep:
                    env[key] = value
    return env


def dockerfile_stages() -> dict[str, list[str]]:
    stages: dict[str, list[str]] = {}
    current: list[str] | None = None
    # Join continuation lines so an instruction is one line.
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"(?i)^FROM\s+\S+(?:\s+AS\s+(\S+))?", line)
        if match:
            current = stages.setdefault((match.group(1) or f"#{len(stages)}").lower(), [])
        if current is not None:
            current.append(line)
    return stages


def bind_sources(service: dict[str, Any]) -> list[str]:
    sources = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/", "~")):
                sources.append(source)
        elif isinstance(volume, dict) and volume.get("type") == "bind":
            sources.append(volume["source"])
    return sources


def mount_targets(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> source (named volume or host path)."""
    targets = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2:
                targets[parts[1]] = parts[0]
        elif isinstance(volume, dict):
            targets[volume["target"]] = volume.get("source", "")
    return targets


def config_example() -> dict[str, Any]:
    path = REPO / "config.yaml.example"
    assert path.is_file(), "config.yaml.example is missing (the image loads it via QT_CONFIG)"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def management_command_exists(name: str) -> bool:
    return any(REPO.glob(f"backend/**/management/commands/{name}.py"))


# --- compose: shape ----------------------------------------------------------------------


def test_compose_uses_the_spec_without_a_version_key(compose: dict[str, Any]) -> None:
    assert "version" not in compose, "the Compose spec ignores `version:`; drop it"


def test_all_required_services_are_defined(services: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED_SERVICES if name not in services]
    assert not missing, f"services missing from docker-compose.yml: {missing}"


@pytest.mark.parametrize(
    ("service", "family", "must_contain"),
    [
        ("db", "timescale/timescaledb:", "pg16"),
        ("redis", "redis:7", "alpine"),
        ("nats", "nats:2.10", "alpine"),
        ("prometheus", "prom/prometheus", ""),
    ],
)
def test_backing_service_images_are_the_expected_families(
    services: dict[str, Any], service: str, family: str, must_contain: str
) -> None:
    image = services[service].get("image", "")
    assert image.startswith(family), f"{service}: image {image!r} is not {family}*"
    assert must_contain in image, f"{service}: image {image!r} lacks {must_contain!r}"
    assert "build" not in services[service], f"{service} should use the upstream image, not build"


def test_long_running_services_have_healthchecks_and_restart(services: dict[str, Any]) -> None:
    problems = []
    for name, service in services.items():
        if name in ONE_SHOT_SERVICES:
            continue
        check = service.get("healthcheck") or {}
        if check.get("disable"):
            problems.append(f"{name}: healthcheck disabled")
        if not command_words(check.get("test")):
            problems.append(f"{name}: healthcheck has no test")
        if not check.get("interval"):
            problems.append(f"{name}: healthcheck has no interval")
        if service.get("restart") != "unless-stopped":
            problems.append(f"{name}: restart is {service.get('restart')!r}, want 'unless-stopped'")
    assert not problems, "\n".join(problems)


def test_migrate_is_a_one_shot_that_waits_for_a_healthy_db(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert command_words(migrate.get("command"))[-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate.get("restart") in ("no", False), "a one-shot must not be restarted after it exits"
    assert migrate.get("depends_on", {}).get("db", {}).get("condition") == "service_healthy"


@pytest.mark.parametrize("name", [s for s in APP_SERVICES if s != "migrate"])
def test_app_services_wait_for_migrations_and_backing_services(services: dict[str, Any], name: str) -> None:
    depends = services[name].get("depends_on")
    assert isinstance(depends, dict), f"{name}: depends_on must use the long form with conditions"
    assert depends.get("migrate", {}).get("condition") == "service_completed_successfully", (
        f"{name} must start only after migrate exited 0"
    )
    for backing in BACKING_SERVICES:
        assert depends.get(backing, {}).get("condition") == "service_healthy", (
            f"{name} must wait for {backing} to be healthy"
        )


@pytest.mark.parametrize("name", BACKING_SERVICES)
def test_backing_services_keep_data_on_named_volumes_and_are_not_published(
    compose: dict[str, Any], services: dict[str, Any], name: str
) -> None:
    service = services[name]
    named = [src for src in mount_targets(service).values() if src and not src.startswith((".", "/", "~"))]
    assert named, f"{name} has no named volume: its data would die with the container"
    declared = compose.get("volumes") or {}
    assert all(v in declared for v in named), f"{name}: volumes {named} not declared at top level"
    assert not service.get("ports"), f"{name} must stay on the compose network (no published ports)"


# --- compose: app image and environment --------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_the_runtime_stage_of_the_dockerfile(services: dict[str, Any], name: str) -> None:
    build = services[name].get("build")
    assert isinstance(build, dict), f"{name}: build must name the Dockerfile and target"
    assert (REPO / build.get("context", ".")).resolve() == REPO, f"{name}: build context must be the repo root"
    assert build.get("dockerfile") == "infra/docker/Dockerfile"
    assert build.get("target") == "runtime"


def test_app_services_share_one_image(services: dict[str, Any]) -> None:
    images = {services[name].get("image") for name in APP_SERVICES}
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    assert len(images) == 1 and None not in images, f"app services should share one image tag, got {images}"
    assert len(builds) == 1, "app services should share one build definition (the x-app anchor)"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_have_the_production_environment(services: dict[str, Any], name: str) -> None:
    env = service_env(services[name])
    missing = [key for key in REQUIRED_APP_ENV if key not in env]
    assert not missing, f"{name}: missing environment {missing}"
    assert env["QT_MODE"] == "production"
    assert str(env["QT_DEBUG"]).lower() in ("false", "0"), f"{name}: QT_DEBUG={env['QT_DEBUG']!r}"
    assert env["QT_CONFIG"] == "/app/config.yaml.example"
    assert resolve_defaults(env["QT_REDIS__URL"]).startswith("redis://redis:")
    assert resolve_defaults(env["QT_NATS__URL"]).startswith("nats://nats:")


def test_app_environment_names_only_real_config_keys(services: dict[str, Any]) -> None:
    # The app refuses to start on an unknown QT_* variable, so a typo here is an outage.
    example = config_example()
    unknown = set()
    for name in APP_SERVICES:
        for key in service_env(services[name]):
            if not key.startswith("QT_") or key in NON_CONFIG_ENV:
                continue
            node: Any = example
            for part in key[3:].lower().split("__"):
                if not isinstance(node, dict) or part not in node:
                    unknown.add(key)
                    break
                node = node[part]
    assert not unknown, f"QT_* variables that are not keys of config.yaml.example: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_config_loader_accepts_the_container_environment(
    services: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the container sees: the image's ENV, then compose's environment, with the
    # operator's secrets set. The real loader must accept it in production mode
    # (it reads non-string values as YAML, so e.g. `on` would arrive as a boolean).
    monkeypatch.syspath_prepend(str(REPO))
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE")
    try:
        from backend.conf.loader import load_config
    finally:
        # Importing the backend package sets a default DJANGO_SETTINGS_MODULE (celery.py);
        # don't let that switch pytest-django on for the rest of a Django-less run.
        if settings_module is None:
            os.environ.pop("DJANGO_SETTINGS_MODULE", None)

    secrets = {"QT_SECRET_KEY": "k" * 48, "QT_DB_PASSWORD": "0123abcd", "QT_DB_APP_PASSWORD": "4567efgh"}
    environ = {k: v for k, v in dockerfile_env("runtime").items() if k.startswith("QT_")}
    environ.update({k: interpolate(str(v), secrets) for k, v in service_env(services[name]).items()})
    assert environ["QT_CONFIG"].startswith("/app/"), "QT_CONFIG should point into the image's /app"
    environ["QT_CONFIG"] = str(REPO / environ["QT_CONFIG"].removeprefix("/app/"))
    config = load_config(environ=environ)
    assert config.mode == "production" and config.debug is False
    assert config.secret_key == secrets["QT_SECRET_KEY"]
    assert config.database.url == "postgresql://qt_app:4567efgh@db:5432/quant_trader"
    assert config.redis.url.startswith("redis://redis:")
    assert config.nats.url.startswith("nats://nats:")
    assert config.http.spa_dist == "/app/frontend/dist"
    assert config.local_stack.manage_services is False


def test_allowed_hosts_admit_the_healthcheck_and_the_prometheus_scrape(services: dict[str, Any]) -> None:
    raw = resolve_defaults(service_env(services["web"])["QT_ALLOWED_HOSTS"])
    hosts = yaml.safe_load(raw)
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",")]
    assert isinstance(hosts, list), f"QT_ALLOWED_HOSTS must be a list, got {raw!r}"
    assert "*" not in hosts, "production refuses allowed_hosts '*'"
    assert "127.0.0.1" in hosts, "the web healthcheck requests http://127.0.0.1:8000"
    assert "web" in hosts, "Prometheus scrapes web:8000 (Host: web)"


def test_secrets_are_required_interpolations_never_literals(services: dict[str, Any]) -> None:
    problems = []
    for name, service in services.items():
        for key, value in service_env(service).items():
            if not SECRET_NAME.search(key):
                continue
            if not isinstance(value, str) or not REQUIRED_INTERPOLATION.match(value):
                problems.append(f"{name}: {key}={value!r} is not a ${{VAR:?message}} interpolation")
    assert not problems, "\n".join(problems)


def test_apps_connect_as_the_rls_bound_role_the_db_init_creates(services: dict[str, Any]) -> None:
    env_db = service_env(services["db"])
    app_password = env_db["QT_DB_APP_PASSWORD"]
    match = REQUIRED_INTERPOLATION.match(app_password)
    assert match, f"db QT_DB_APP_PASSWORD={app_password!r} must be a ${{VAR:?...}} interpolation"
    password_var = match.group("var")
    for name in APP_SERVICES:
        url = service_env(services[name])["QT_DATABASE__URL"]
        pattern = (
            rf"^postgres(ql)?://qt_app:\$\{{{password_var}(:\?[^}}]*)?\}}@db:5432/{re.escape(env_db['POSTGRES_DB'])}$"
        )
        assert re.match(pattern, url), f"{name}: QT_DATABASE__URL={url!r} must use qt_app"
    assert "./infra/postgres/initdb.d:/docker-entrypoint-initdb.d:ro" in services["db"]["volumes"]
    script = (REPO / "infra/postgres/initdb.d/10-app-role.sh").read_text()
    assert "CREATE ROLE qt_app LOGIN NOSUPERUSER NOBYPASSRLS" in script
    assert "ALTER DATABASE quant_trader OWNER TO qt_app" in script


def test_secret_key_is_required_from_the_environment(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        value = service_env(services[name])["QT_SECRET_KEY"]
        match = REQUIRED_INTERPOLATION.match(value)
        assert match and match.group("var") == "QT_SECRET_KEY", f"{name}: QT_SECRET_KEY={value!r}"


def test_db_is_initialised_for_the_app(services: dict[str, Any]) -> None:
    env = service_env(services["db"])
    assert env.get("POSTGRES_DB") == "quant_trader"
    assert env.get("POSTGRES_USER") == "qt"
    assert "pg_isready" in healthcheck_words(services["db"])


def test_redis_persists_with_append_only_file(services: dict[str, Any]) -> None:
    words = command_words(services["redis"].get("command"))
    assert "--appendonly" in words and words[words.index("--appendonly") + 1] == "yes"
    assert "/data" in mount_targets(services["redis"])
    assert "ping" in " ".join(healthcheck_words(services["redis"]))


# --- commands name code that exists ------------------------------------------------------


def test_web_serves_the_asgi_application_that_exists(services: dict[str, Any]) -> None:
    words = command_words(services["web"].get("command"))
    assert words[:1] == ["uvicorn"], f"web command: {words}"
    app = next(w for w in words[1:] if ":" in w and not w.startswith("-"))
    module, _, attr = app.partition(":")
    assert (module, attr) == ("backend.asgi", "application")
    assert (REPO / (module.replace(".", "/") + ".py")).is_file(), f"{module} does not exist"
    assert "8000:8000" in [str(p) for p in services["web"].get("ports", [])]
    health = " ".join(healthcheck_words(services["web"]))
    assert "http://127.0.0.1:8000/healthz" in health and "urllib" in health, health


@pytest.mark.parametrize(("name", "kind"), [("celery-worker", "worker"), ("celery-beat", "beat")])
def test_celery_services_use_the_backend_celery_app(services: dict[str, Any], name: str, kind: str) -> None:
    words = command_words(services[name].get("command"))
    assert words[:1] == ["celery"] and kind in words, f"{name} command: {words}"
    assert words[words.index("-A") + 1] == "backend", f"{name} must use -A backend"
    assert (REPO / "backend" / "celery.py").is_file(), "backend/celery.py (the Celery app) does not exist"


def test_celery_worker_consumes_every_queue_the_platform_routes_to(services: dict[str, Any]) -> None:
    words = command_words(services["celery-worker"].get("command"))
    queues = set(words[words.index("-Q") + 1].split(","))
    assert {"celery", "webhooks", "backtests"} <= queues


@pytest.mark.parametrize("name", WORKER_SERVICES)
def test_worker_healthchecks_use_the_healthcheck_command(services: dict[str, Any], name: str) -> None:
    words = healthcheck_words(services[name])
    assert words[:3] == ["python", "manage.py", "healthcheck"], f"{name} healthcheck: {words}"
    assert "--component" in words and words[words.index("--component") + 1], f"{name}: no component named"


def test_every_configured_platform_worker_runs_in_compose_with_its_heartbeat_check(services: dict[str, Any]) -> None:
    # /readyz expects heartbeats from the workers enabled in the config: compose runs each.
    workers = {name: w for name, w in (config_example().get("workers") or {}).items() if w.get("enabled")}
    assert {"ingest", "aggregator"} <= set(workers)
    for name, worker in workers.items():
        assert name in services, f"config worker {name} has no compose service"
        words = command_words(services[name].get("command"))
        assert words[:3] == ["python", "manage.py", worker["command"]], words
        health = healthcheck_words(services[name])
        assert health[health.index("--component") + 1] == name


@pytest.mark.parametrize("command", ["ingest", "aggregator", "healthcheck"])
def test_management_commands_named_by_compose_exist(command: str) -> None:
    assert management_command_exists(command), (
        f"docker-compose.yml runs `manage.py {command}` but no backend/**/management/commands/{command}.py exists"
    )


def test_manage_py_exists() -> None:
    assert (REPO / "manage.py").is_file()


# --- mounted files -----------------------------------------------------------------------


def test_every_bind_mounted_file_exists(services: dict[str, Any]) -> None:
    missing = []
    for name, service in services.items():
        for source in bind_sources(service):
            if not (REPO / source).exists():
                missing.append(f"{name}: {source}")
    assert not missing, f"bind-mount sources missing from the repo: {missing}"


def test_nats_runs_the_mounted_config_with_jetstream_on_a_volume(services: dict[str, Any]) -> None:
    nats = services["nats"]
    words = command_words(nats.get("command"))
    assert "-c" in words, f"nats command must pass -c CONFIG, got {words}"
    conf_path = words[words.index("-c") + 1]
    mounts = mount_targets(nats)
    assert conf_path in mounts, f"nats reads {conf_path} but nothing is mounted there"
    assert (REPO / mounts[conf_path]).resolve() == NATS_CONF

    conf = NATS_CONF.read_text(encoding="utf-8")
    conf = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    block = re.search(r"jetstream\s*[:=]?\s*\{(?P<body>[^}]*)\}", conf)
    assert block, "nats.conf does not enable JetStream (no jetstream { ... } block)"
    store = re.search(r"store_dir\s*[:=]\s*\"?([^\s\"]+)", block.group("body"))
    assert store, "jetstream block has no store_dir"
    for limit in ("max_memory_store", "max_file_store"):
        assert re.search(rf"{limit}\s*[:=]", block.group("body")), f"jetstream block has no {limit}"
    store_dir = store.group(1)
    assert any(
        store_dir == target or store_dir.startswith(target.rstrip("/") + "/")
        for target, source in mounts.items()
        if not source.startswith((".", "/"))
    ), f"JetStream store_dir {store_dir} is not on a named volume"

    http_port = re.search(r"^\s*http_port\s*[:=]\s*(\d+)", conf, re.MULTILINE)
    assert http_port, "nats.conf has no http_port (monitoring) for the healthcheck"
    assert re.search(r"^\s*port\s*[:=]\s*4222\b", conf, re.MULTILINE), "nats client port is not 4222"
    health = " ".join(healthcheck_words(nats))
    assert f":{http_port.group(1)}/healthz" in health, f"nats healthcheck {health!r} misses the monitoring port"


def test_prometheus_scrapes_the_web_metrics_endpoint(services: dict[str, Any]) -> None:
    prometheus = services["prometheus"]
    mounts = mount_targets(prometheus)
    flags = dict(w.split("=", 1) for w in command_words(prometheus.get("command")) if "=" in w)
    config_file = flags.get("--config.file", "/etc/prometheus/prometheus.yml")
    assert config_file in mounts, f"prometheus reads {config_file} but nothing is mounted there"
    assert (REPO / mounts[config_file]).resolve() == PROMETHEUS_CONF

    config = yaml.safe_load(PROMETHEUS_CONF.read_text(encoding="utf-8"))
    assert config["global"]["scrape_interval"] == "15s"
    scraped = {
        (target, job.get("metrics_path", "/metrics"))
        for job in config["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static.get("targets", [])
    }
    assert ("web:8000", "/metrics") in scraped, f"web:8000/metrics is not scraped: {scraped}"
    assert any(t in ("localhost:9090", "127.0.0.1:9090", "prometheus:9090") for t, _ in scraped)
    jobs = [job["job_name"] for job in config["scrape_configs"]]
    assert len(jobs) == len(set(jobs)), f"duplicate job names: {jobs}"


# --- Dockerfile --------------------------------------------------------------------------


def test_dockerfile_has_the_three_stages() -> None:
    stages = dockerfile_stages()
    for stage in ("frontend", "python-deps", "runtime"):
        assert stage in stages, f"Dockerfile has no `{stage}` stage (found {list(stages)})"
    assert list(stages)[-1] == "runtime", "runtime should be the last stage (the default build target)"


def test_dockerfile_builds_the_spa_and_the_venv() -> None:
    stages = dockerfile_stages()
    frontend = "\n".join(stages["frontend"])
    assert "npm ci" in frontend and "npm run build" in frontend
    assert "frontend/package-lock.json" in frontend, "npm ci needs the lockfile"
    deps = "\n".join(stages["python-deps"])
    assert "requirements/base.txt" in deps, "python-deps must install requirements/base.txt"
    assert "/opt/venv" in deps


def test_requirements_file_the_dockerfile_installs_exists() -> None:
    assert (REPO / "requirements" / "base.txt").is_file(), "requirements/base.txt does not exist"


def test_runtime_stage_runs_as_a_non_root_user_with_the_built_artifacts() -> None:
    runtime = dockerfile_stages()["runtime"]
    users = [line.split(None, 1)[1].strip() for line in runtime if line.upper().startswith("USER ")]
    assert users, "runtime stage never switches USER (it would run as root)"
    assert users[-1].split(":")[0] not in ("root", "0"), f"runtime stage runs as {users[-1]}"
    text = "\n".join(runtime)
    assert re.search(r"COPY\s+--from=python-deps\s+/opt/venv", text), "runtime does not copy the venv"
    assert re.search(r"COPY\s+--from=frontend\s+\S*dist\s+/app/frontend/dist", text), "runtime lacks the SPA"
    assert "collectstatic --noinput" in text
    assert "DJANGO_SETTINGS_MODULE=backend.settings" in text
    assert "PYTHONUNBUFFERED=1" in text
    assert re.search(r"^EXPOSE\s+8000\b", text, re.MULTILINE)


def test_files_the_runtime_stage_copies_exist() -> None:
    runtime = dockerfile_stages()["runtime"]
    missing = []
    for line in runtime:
        if not line.upper().startswith("COPY ") or "--from=" in line:
            continue
        words = [w for w in line.split()[1:] if not w.startswith("--")]
        for source in words[:-1]:
            if not (REPO / source).exists():
                missing.append(source)
    assert not missing, f"the runtime stage copies paths that do not exist: {missing}"


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    path = REPO / ".dockerignore"
    assert path.is_file(), ".dockerignore is missing: .venv, .git and config.yaml would be sent to the builder"
    lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    assert "*" in lines or {".venv", ".git", "config.yaml"} <= lines
