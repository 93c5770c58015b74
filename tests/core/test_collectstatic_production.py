"""The README's production step `collectstatic --noinput` with the manifest storage production uses:
every vendored file's references (source maps included) resolve, so the step passes and pages can
name the hashed files (with DEBUG off a missing manifest entry turns every page into a 500)."""

from __future__ import annotations

import json

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_resolves_every_reference(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/chartjs/chart.umd.min.js", "vendor/leaflet/leaflet.js", "vendor/bootstrap/bootstrap.min.css", "css/site.css"):
        assert manifest[name] != name
    storage = ManifestStaticFilesStorage(location=tmp_path / "static")
    assert storage.url("vendor/leaflet/leaflet.js") == "/static/" + manifest["vendor/leaflet/leaflet.js"]
