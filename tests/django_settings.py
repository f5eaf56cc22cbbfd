"""Settings for the test run: the developer's services, but never the demo's data.

PostgreSQL: pytest-django creates test_<dbname>. Redis: database 15 of the same server.
NATS: a namespace unique to this run, so test streams never overlap the demo's.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from backend.conf.loader import REPO_ROOT, load_config

if not os.environ.get("QT_CONFIG") and not (REPO_ROOT / "config.yaml").is_file():
    os.environ["QT_CONFIG"] = str(REPO_ROOT / "config.yaml.example")

TEST_REDIS_DB = 15


def _test_redis_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{TEST_REDIS_DB}", parts.query, parts.fragment))


_base = load_config()
os.environ["QT_REDIS__URL"] = _test_redis_url(_base.redis.url)
os.environ.setdefault("QT_NATS__NAMESPACE", f"test{os.getpid()}")
os.environ.setdefault("QT_LOGGING__LEVEL", "WARNING")
os.environ.setdefault("QT_LOGGING__FORMAT", "console")

from backend.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests do not test hashing strength
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
