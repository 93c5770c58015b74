"""clean_orphan_files: a file whose upload transaction rolled back is removed once it is old
enough; files with a row, and young files, stay. The files are looked up through the storage, so
the same tests run on the local folder and on S3 (the production profile's step in CI)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from core.uploads import store_upload, stored_names

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("clean_orphan_files", *args, stdout=out)
    return out.getvalue()


def _rolled_back_upload(name: str) -> str:
    """Upload `name` in a transaction that rolls back; returns the orphan's stored name."""
    before = set(stored_names())
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        store_upload(io.BytesIO(PDF), name=name)
        1 / 0  # noqa: B018
    [orphan] = set(stored_names()) - before
    return orphan


@pytest.mark.django_db
def test_orphans_left_by_a_rolled_back_upload_are_removed_when_old_enough():
    kept = store_upload(io.BytesIO(PDF), name="giu-lai.pdf")
    orphan = _rolled_back_upload("mo-coi.pdf")
    assert orphan.split("/")[-1].startswith("mo-coi") and default_storage.exists(orphan)
    assert "0 tệp mồ côi đã xoá." in _run()  # younger than the default 24 hours
    time.sleep(1.1)  # S3 keeps modification times to the second

    out = _run("--dry-run", "--min-age-hours", "0")
    assert "1 tệp mồ côi (chạy thử, chưa xoá)." in out and default_storage.exists(orphan)

    out = _run("--min-age-hours", "0")
    assert f"{orphan}\n" in out and "1 tệp mồ côi đã xoá." in out
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)
    assert list(stored_names()) == [kept.file.name]


@pytest.mark.django_db
def test_young_orphans_are_kept():
    orphan = _rolled_back_upload("mo-coi.pdf")
    assert "0 tệp mồ côi đã xoá." in _run()
    assert "0 tệp mồ côi đã xoá." in _run("--min-age-hours", "1")
    assert default_storage.exists(orphan)


@pytest.mark.django_db
def test_nothing_uploaded_yet_is_fine():
    assert "0 tệp mồ côi đã xoá." in _run()
