from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backend.conf.loader import REPO_ROOT, ConfigError, load_config

EXAMPLE = REPO_ROOT / "config.yaml.example"


def write_config(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(EXAMPLE.read_text())
    mutate(data)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def problems_of(path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path, environ or {})
    return info.value.problems


def test_example_config_is_complete_and_valid() -> None:
    config = load_config(EXAMPLE, {})
    assert config.mode == "development"
    assert config.database.url.startswith("postgresql://")
    assert "ingest" in config.workers


def test_missing_key_names_file_key_and_expected_type(tmp_path: Path) -> None:
    path = write_config(tmp_path, lambda d: d["database"].pop("pool_max_size"))
    [problem] = problems_of(path)
    assert str(path) in problem
    assert "database.pool_max_size" in problem
    assert "missing key" in problem and "integer" in problem


def test_wrong_type_names_key_and_expected_type(tmp_path: Path) -> None:
    path = write_config(tmp_path, lambda d: d["http"].update(port="eighty"))
    [problem] = problems_of(path)
    assert "http.port" in problem and "expected integer" in problem and "'eighty'" in problem


def test_unknown_key_is_rejected_so_typos_surface(tmp_path: Path) -> None:
    path = write_config(tmp_path, lambda d: d["redis"].update(ulr="redis://x"))
    [problem] = problems_of(path)
    assert "redis.ulr" in problem and "unknown key" in problem


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("mode: development\ndatabase:\n  url: [unclosed\n")
    [problem] = problems_of(path)
    assert str(path) in problem and "line" in problem and "invalid YAML" in problem


def test_missing_file_says_how_to_create_it(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / "nope.yaml")
    assert "file not found" in problem and "config.yaml.example" in problem


def test_environment_overrides_nested_keys_with_types() -> None:
    config = load_config(
        EXAMPLE,
        {
            "QT_DATABASE__POOL_MAX_SIZE": "7",
            "QT_WORKERS__INGEST__ENABLED": "false",
            "QT_ALLOWED_HOSTS": "a.example,b.example",
            "QT_HEALTH__PROBE_TIMEOUT_S": "0.5",
        },
    )
    assert config.database.pool_max_size == 7
    assert config.workers["ingest"].enabled is False
    assert config.allowed_hosts == ["a.example", "b.example"]
    assert config.health.probe_timeout_s == 0.5


def test_string_values_from_environment_are_verbatim() -> None:
    secret = "x: y # not a comment, {not yaml}"
    config = load_config(EXAMPLE, {"QT_SECRET_KEY": secret, "QT_DATABASE__TIMESCALEDB": "on"})
    assert config.secret_key == secret
    assert config.database.timescaledb == "on"


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(EXAMPLE, {"QT_HTTP__PORT": "99999"})
    [problem] = info.value.problems
    assert problem.startswith("environment QT_HTTP__PORT: http.port")


def test_unknown_environment_key_is_rejected_but_demo_variables_are_not() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(EXAMPLE, {"QT_DATABSE__URL": "postgresql://x/y"})
    assert "QT_DATABSE__URL" in info.value.problems[0]
    load_config(EXAMPLE, {"QT_DEMO_EMAIL": "a@b.c", "QT_CONFIG": str(EXAMPLE)})


def test_production_refuses_debug_and_placeholder_secret() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(EXAMPLE, {"QT_MODE": "production"})
    problems = info.value.problems
    assert any("debug must be false" in p for p in problems)
    assert any("secret_key" in p and "QT_SECRET_KEY" in p for p in problems)


def test_production_starts_with_a_real_secret_and_debug_off() -> None:
    config = load_config(EXAMPLE, {"QT_MODE": "production", "QT_DEBUG": "false", "QT_SECRET_KEY": "k" * 50})
    assert config.mode == "production" and config.debug is False


def test_entry_point_with_bad_config_exits_with_message_not_traceback() -> None:
    env = {
        **os.environ,
        "QT_CONFIG": str(EXAMPLE),
        "QT_MODE": "production",
        "DJANGO_SETTINGS_MODULE": "backend.settings",
    }
    env.pop("QT_REDIS__URL", None)
    env.pop("QT_NATS__NAMESPACE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "configuration is invalid" in result.stderr
    assert "debug must be false" in result.stderr
    assert "Traceback" not in result.stderr
