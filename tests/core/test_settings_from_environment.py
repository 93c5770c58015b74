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
    assert production["cache"] == "core.cache.PrefixedRedisCache"
    assert production["eager"] is False
    assert production["storage"] == "storages.backends.s3.S3Storage"


def test_s3_keeps_every_object_and_the_cache_prefix_is_per_site(tmp_path):
    """Two uploads with one name must never replace each other in the bucket (django-storages
    overwrites by default); the cache prefix lets sites share one Redis."""
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'s3': s.STORAGES['default']['OPTIONS'], 'prefix': s.CACHES['default']['KEY_PREFIX']}))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "1",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "REDIS_URL": "redis://cache:6379/0",
        "CACHE_KEY_PREFIX": "bacninh",
        "S3_BUCKET": "grassroots-files",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9100",
        "S3_REGION": "ap-southeast-1",
    }
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["s3"] == {
        "bucket_name": "grassroots-files",
        "endpoint_url": "http://127.0.0.1:9100",
        "region_name": "ap-southeast-1",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    assert found["prefix"] == "bacninh"
