"""clean_orphan_files: a file whose upload transaction rolled back is removed once it is old
enough; files with a row, and young files, stay."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from core.uploads import store_upload

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _age(path: os.PathLike[str], hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("clean_orphan_files", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_orphans_left_by_a_rolled_back_upload_are_removed_when_old_enough(media_root):
    kept = store_upload(io.BytesIO(PDF), name="giu-lai.pdf")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        store_upload(io.BytesIO(PDF), name="mo-coi.pdf")
        1 / 0  # noqa: B018
    files = {p.name: p for p in media_root.rglob("*.pdf")}
    assert len(files) == 2
    orphan = next(p for name, p in files.items() if name.startswith("mo-coi"))
    for path in files.values():
        _age(path, 30)

    out = _run("--dry-run")
    assert "1 tệp mồ côi (chạy thử, chưa xoá)." in out and orphan.exists()

    out = _run()
    assert "1 tệp mồ côi đã xoá." in out
    assert not orphan.exists()
    assert (media_root / kept.file.name).exists()


@pytest.mark.django_db
def test_young_orphans_are_kept(media_root):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        store_upload(io.BytesIO(PDF), name="mo-coi.pdf")
        1 / 0  # noqa: B018
    [orphan] = media_root.rglob("*.pdf")
    _age(orphan, 2)
    assert "0 tệp mồ côi đã xoá." in _run()
    assert orphan.exists()
    assert "1 tệp mồ côi đã xoá." in _run("--min-age-hours", "1")


@pytest.mark.django_db
def test_nothing_uploaded_yet_is_fine():
    assert "0 tệp mồ côi đã xoá." in _run()
