"""Load config.yaml, apply QT_* environment overrides, validate, and explain failures.

An override names its key path with double underscores: QT_DATABASE__URL sets
database.url, QT_WORKERS__INGEST__ENABLED sets workers.ingest.enabled. Values are read
as YAML scalars (so `false`, `3`, `["a", "b"]` work) except for string keys, which take
the value verbatim so a secret containing `:` or `#` is never mangled.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from backend.conf.schema import Config

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIX = "QT_"
# QT_* variables that are not config keys: the config path itself and the demo
# credentials `make up` writes for README's curl examples.
NON_CONFIG_ENV = ("QT_CONFIG", "QT_DEMO_")
# The example file's secret carries this marker so production mode can recognise it.
PLACEHOLDER_SECRET_MARKER = "insecure"  # noqa: S105 - a marker to detect, not a secret
MIN_PRODUCTION_SECRET_LENGTH = 32


class ConfigError(Exception):
    """Configuration is unusable; each line names the file or variable and the key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    raw = env.get("QT_CONFIG")
    if raw:
        path = Path(raw)
        return path if path.is_absolute() else REPO_ROOT / path
    return REPO_ROOT / "config.yaml"


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    path = path or config_path(env)
    data = _read_yaml(path)
    overridden = _apply_env_overrides(data, env)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, overridden)) from None
    problems = _consistency_problems(config, path) + _production_problems(config)
    if problems:
        raise ConfigError(problems)
    return config


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(
            [
                f"{path}: file not found; copy config.yaml.example to config.yaml "
                "(`make up` does this) or point QT_CONFIG at a config file"
            ]
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise ConfigError([f"{path}: {where}: invalid YAML: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([f"{path}: invalid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ConfigError([f"{path}: expected a mapping of keys at the top level"])
    return data


def _apply_env_overrides(data: dict[str, Any], env: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """Write QT_* values into `data`; return which key paths came from which variable."""
    overridden: dict[tuple[str, ...], str] = {}
    problems: list[str] = []
    for name in sorted(env):
        if not name.startswith(ENV_PREFIX) or name.startswith(NON_CONFIG_ENV):
            continue
        key_path = tuple(name[len(ENV_PREFIX) :].lower().split("__"))
        if any(not part for part in key_path):
            problems.append(f"environment {name}: malformed key path (use QT_SECTION__KEY)")
            continue
        annotation = _annotation_at(key_path)
        if annotation is None:
            problems.append(f"environment {name}: unknown config key {'.'.join(key_path)}")
            continue
        node = data
        for part in key_path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        node[key_path[-1]] = _parse_env_value(env[name], annotation)
        overridden[key_path] = name
    if problems:
        raise ConfigError(problems)
    return overridden


def _parse_env_value(raw: str, annotation: Any) -> Any:
    # Strings and fixed string choices are verbatim: YAML would turn `on` into true.
    if annotation is str or (
        typing.get_origin(annotation) is Literal and all(isinstance(v, str) for v in typing.get_args(annotation))
    ):
        return raw
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    if typing.get_origin(annotation) is list and isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _annotation_at(key_path: tuple[str, ...]) -> Any:
    annotation: Any = Config
    for part in key_path:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = _unwrap(field.annotation)
        elif typing.get_origin(annotation) is dict:
            annotation = _unwrap(typing.get_args(annotation)[1])
        else:
            return None
    return annotation


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _explain(exc: ValidationError, path: Path, overridden: dict[tuple[str, ...], str]) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(str(part) for part in err["loc"])
        key = ".".join(loc) or "(top level)"
        source = _source_of(loc, path, overridden)
        annotation = _annotation_at(loc) if loc else Config
        expected = _describe(annotation) if annotation is not None else None
        if err["type"] == "missing":
            detail = f"missing key (expected {expected}); see config.yaml.example"
        elif err["type"] == "extra_forbidden":
            detail = "unknown key; see config.yaml.example for the valid keys"
        else:
            shown = err.get("input")
            detail = f"{err['msg']} (expected {expected}, got {shown!r})"
        problems.append(f"{source}: {key}: {detail}")
    return problems


def _source_of(loc: tuple[str, ...], path: Path, overridden: dict[tuple[str, ...], str]) -> str:
    for key_path, variable in overridden.items():
        if loc[: len(key_path)] == key_path:
            return f"environment {variable}"
    return str(path)


def _describe(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return "boolean (true/false)"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is str:
        return "string"
    if origin is Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(annotation))
    if origin is list:
        return f"list of {_describe(typing.get_args(annotation)[0])}s"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "mapping"
    if isinstance(annotation, types.UnionType):
        return " or ".join(_describe(arg) for arg in typing.get_args(annotation))
    return getattr(annotation, "__name__", str(annotation))


def _consistency_problems(config: Config, path: Path) -> list[str]:
    if config.default_tier not in config.tiers:
        return [f"{path}: default_tier: {config.default_tier!r} is not one of the tiers ({', '.join(config.tiers)})"]
    return []


def _production_problems(config: Config) -> list[str]:
    if config.mode != "production":
        return []
    problems = []
    if config.debug:
        problems.append("production mode: debug must be false (set QT_DEBUG=false)")
    secret = config.secret_key
    if PLACEHOLDER_SECRET_MARKER in secret or len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
        problems.append(
            "production mode: secret_key is the example placeholder or shorter than "
            f"{MIN_PRODUCTION_SECRET_LENGTH} characters; set QT_SECRET_KEY to a long random value"
        )
    if "*" in config.allowed_hosts:
        problems.append("production mode: allowed_hosts must name hosts, not '*'")
    return problems
