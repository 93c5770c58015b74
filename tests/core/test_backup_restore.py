"""A backup restores into a fresh database and an empty media folder with the same rows in every
table and the same bytes in every file (PostgreSQL when TEST_DATABASE_URL points at it, SQLite
otherwise)."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from core import backups
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the database's own catalogue
            out[table] = cursor.fetchone()[0]
        return out


def test_backup_then_restore_gives_the_same_rows_and_files(tmp_path, settings):
    media = tmp_path / "media"
    (media / "uploads" / "2026").mkdir(parents=True)
    (media / "uploads" / "2026" / "anh.png").write_bytes(b"\x89PNG fake bytes")
    (media / "uploads" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    settings.MEDIA_ROOT = media
    for i in range(3):
        OutboxMessage.objects.create(recipient=f"r{i}@example.org", subject="Thông báo", body="Nội dung")
    before = _counts_here()

    call_command("backup", str(tmp_path / "bk"))
    restored_media = tmp_path / "restored-media"
    db = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        name = f"grassroots_restore_{uuid.uuid4().hex[:8]}"
        args, env = backups._pg_env(db)
        backups._run("createdb", *args, name, env=env)
        try:
            backups.restore(tmp_path / "bk", database=db | {"NAME": name}, media_root=restored_media)
            after = {}
            for table in before:
                q = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 - names from the database's own catalogue
                after[table] = int(backups._run("psql", *args, "-d", name, "-Atc", q, env=env))
        finally:
            backups._run("dropdb", *args, name, env=env)
    else:
        target = tmp_path / "restored.sqlite3"
        backups.restore(tmp_path / "bk", database=db | {"NAME": str(target)}, media_root=restored_media)
        with sqlite3.connect(target) as out:
            after = {table: out.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in before}  # noqa: S608
    assert after == before
    assert before["core_outboxmessage"] == 3
    for rel in ("uploads/2026/anh.png", "uploads/bien-ban.pdf"):
        assert (restored_media / rel).read_bytes() == (media / rel).read_bytes()


def test_restore_refuses_a_tampered_backup_or_a_full_media_folder(tmp_path, settings):
    media = tmp_path / "media"
    media.mkdir()
    (media / "a.txt").write_bytes(b"one")
    settings.MEDIA_ROOT = media
    backups.backup(tmp_path / "bk")
    db = dict(connection.settings_dict) | {"NAME": str(tmp_path / "x.sqlite3")}
    with pytest.raises(backups.BackupError, match="không trống"):
        backups.restore(tmp_path / "bk", database=db, media_root=media)
    with (tmp_path / "bk" / "media.tar").open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(backups.BackupError, match="SHA-256"):
        backups.restore(tmp_path / "bk", database=db, media_root=tmp_path / "empty")
    assert not (tmp_path / "x.sqlite3").exists()
