"""The production environment as a subprocess sees it, from the repository's root."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="news.example.com",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    env.update(extra)
    return env
