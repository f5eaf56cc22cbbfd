"""Django settings, derived entirely from the validated config (config.yaml + QT_* env)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from backend.conf.loader import REPO_ROOT, ConfigError, load_config

try:
    CONFIG = load_config()
except ConfigError as exc:
    # A bad config is an operator error, not a bug: say what is wrong and stop
    # without a traceback, whichever entry point (manage.py, uvicorn, celery) loaded us.
    sys.stderr.write("Quant-Trader cannot start, the configuration is invalid:\n")
    for problem in exc.problems:
        sys.stderr.write(f"  - {problem}\n")
    raise SystemExit(2) from None


def _repo_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path


def _database(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/") or "quant_trader",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or 5432),
        # Pooled connections are returned at request end; persistent per-thread ones
        # would leak under ASGI, where threads come and go per request.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "connect_timeout": CONFIG.database.connect_timeout_s,
            **(
                {"pool": {"min_size": 1, "max_size": CONFIG.database.pool_max_size, "timeout": 10}}
                if CONFIG.database.pool_max_size
                else {}
            ),
        },
        "TEST": {"NAME": f"test_{parts.path.lstrip('/') or 'quant_trader'}"},
    }


BASE_DIR = REPO_ROOT
DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)
PRODUCTION = CONFIG.mode == "production"

INSTALLED_APPS = [
    "backend.tenancy.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_prometheus",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "backend.ops",
    "backend.identity",
    "backend.tenancy",
    "backend.marketdata",
    "backend.trading",
    "backend.backtests",
    "backend.strategies",
    "backend.marketplace",
    "backend.billing",
    "backend.alerts",
    "backend.realtime",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "backend.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backend.tenancy.middleware.RateLimitHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": _database(CONFIG.database.url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # django-redis keeps one client per process; Django's built-in backend builds a
        # redis.Redis object per operation, which dominated API latency in profiles.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CONFIG.redis.url,
        "KEY_PREFIX": "qt",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [CONFIG.redis.url], "prefix": "qt:channels"},
    }
}

AUTH_USER_MODEL = "identity.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_RESET_TIMEOUT = CONFIG.auth.password_reset_timeout_s
LOGIN_URL = "/login"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[CONFIG.email.backend]
EMAIL_FILE_PATH = _repo_path(CONFIG.email.file_path)
DEFAULT_FROM_EMAIL = CONFIG.email.from_address
EMAIL_HOST = CONFIG.email.smtp_host
EMAIL_PORT = CONFIG.email.smtp_port
EMAIL_HOST_USER = CONFIG.email.smtp_user
EMAIL_HOST_PASSWORD = CONFIG.email.smtp_password
EMAIL_USE_TLS = CONFIG.email.smtp_tls

RATELIMIT_USE_CACHE = "default"
OTP_TOTP_ISSUER = "Quant-Trader"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _repo_path(CONFIG.http.static_root)
SPA_DIST = _repo_path(CONFIG.http.spa_dist)
# The SPA's hashed assets are served from its build folder at the site root.
WHITENOISE_ROOT = SPA_DIST if SPA_DIST.is_dir() else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.http.max_body_bytes

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.tenancy.authentication.ApiKeyAuthentication",
        "backend.tenancy.authentication.SessionTenantAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["backend.tenancy.ratelimit.TierRateThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "backend.ops.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Quant-Trader API",
    "DESCRIPTION": "Multi-tenant trading platform: market data, paper trading, strategies, alerts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "BacktestStatusEnum": "backend.backtests.models.Status",
        "DeploymentStatusEnum": "backend.strategies.models.DeploymentStatus",
        "WebhookDeliveryStatusEnum": "backend.alerts.models.WebhookDelivery.Status",
        "ListingVersionStatusEnum": "backend.marketplace.models.VersionStatus",
        "SubscriptionStatusEnum": "backend.marketplace.models.SubscriptionStatus",
    },
}

CELERY_BROKER_URL = CONFIG.celery.broker_url or CONFIG.redis.url
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
# With acks_late a task whose worker dies is redelivered instead of being lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = CONFIG.celery.task_time_limit_s
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers unacked tasks after this; it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CONFIG.celery.task_time_limit_s * 2}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "marketdata-retention": {
        "task": "backend.marketdata.tasks.apply_retention",
        "schedule": timedelta(hours=6),
    },
    "webhooks-sweep": {
        "task": "backend.alerts.tasks.sweep_due_deliveries",
        "schedule": timedelta(seconds=10),
        "options": {"expires": 10},
    },
    "billing-grace": {  # past_due plans / marketplace subscriptions lapse when their grace period ends
        "task": "backend.billing.tasks.enforce_grace",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 900},
    },
    "ops-heartbeat": {
        "task": "backend.ops.tasks.celery_heartbeat",
        "schedule": timedelta(seconds=CONFIG.health.heartbeat_interval_s),
        "options": {"expires": CONFIG.health.heartbeat_interval_s},
    },
}

QT_NATS = CONFIG.nats
QT_HEALTH = CONFIG.health
QT_WORKERS = {name: worker for name, worker in CONFIG.workers.items() if worker.enabled}

PROMETHEUS_METRIC_NAMESPACE = ""

LOGGING_CONFIG = None
from backend.ops.logging import configure_logging  # noqa: E402

configure_logging(level=CONFIG.logging.level, fmt=CONFIG.logging.format)
