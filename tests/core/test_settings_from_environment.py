"""Settings come from the environment; a few derived values are worth pinning."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_with(tmp_path: Path, **env: str) -> dict:
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], 'db': s.DATABASES['default']['ENGINE'], "
        "'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'storage': s.STORAGES['default']['BACKEND']}))"
    )
    full_env = {
        "PATH": os.environ["PATH"],
        "GRASSROOTS_TESTING": "1",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        **env,
    }
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("tile_url", "origin"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://data.gov.vn/tiles/{z}/{x}/{y}.png", "https://data.gov.vn"),
    ],
)
def test_tile_server_origin_is_allowed_by_the_csp(tmp_path, tile_url, origin):
    assert settings_with(tmp_path, MAP_TILE_URL=tile_url)["img"] == ["'self'", "data:", origin]


def test_embedded_defaults_and_production_switches(tmp_path):
    embedded = settings_with(tmp_path)
    assert embedded == {
        "img": ["'self'", "data:"],
        "db": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "storage": "django.core.files.storage.FileSystemStorage",
    }
    production = settings_with(
        tmp_path, DATABASE_URL="postgres://u:p@db:5432/grassroots", REDIS_URL="redis://cache:6379/0", S3_BUCKET="grassroots-files"
    )
    assert production["db"] == "django.db.backends.postgresql"
    assert production["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert production["eager"] is False
    assert production["storage"] == "storages.backends.s3.S3Storage"
