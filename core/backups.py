"""Backups of the database and the uploaded files, and their restore into an empty database and media
folder (`manage.py backup`, `manage.py restore`).

A backup is a folder holding:
- `database.dump` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot) or `database.sqlite3`
  (SQLite: the online backup API, consistent while the site runs);
- `media.tar`: every file under MEDIA_ROOT;
- `manifest.json`: the engine, the time, the SHA-256 of the database file and of every media file.
Restore checks every hash before it writes anything, refuses a database that already holds tables or a
media folder that already holds files, and checks the files' hashes again once extracted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432), "--username", str(db.get("USER") or "")]
    return args, env


def _run(tool: str, *args: str, env: dict[str, str]) -> str:
    """Run one PostgreSQL client tool (found on PATH) with arguments from the settings, never a shell."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"Không tìm thấy {tool} (gói postgresql-client).")
    done = subprocess.run([path, *args], env=env, check=True, capture_output=True, text=True)  # noqa: S603 - a list, no shell
    return done.stdout


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def backup(target: Path, *, alias: str = "default", media_root: Path | None = None) -> dict[str, Any]:
    """Write a backup into `target` (created; must not hold a backup already). Returns the manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    if (target / MANIFEST).exists():
        raise BackupError(f"{target} đã chứa một bản sao lưu.")
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        dump = target / "database.dump"
        args, env = _pg_env(db)
        _run("pg_dump", "--format=custom", "--no-owner", *args, "--file", str(dump), str(db["NAME"]), env=env)
    elif connection.vendor == "sqlite":
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        out = sqlite3.connect(dump)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    files: dict[str, str] = {}
    with tarfile.open(target / "media.tar", "w") as tar:
        for path in _media_files(media_root):
            rel = path.relative_to(media_root).as_posix()
            files[rel] = _sha256(path)
            tar.add(path, arcname=rel, recursive=False)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "database": {"file": dump.name, "sha256": _sha256(dump)},
        "media": {"file": "media.tar", "sha256": _sha256(target / "media.tar"), "files": files},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def _verify(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được {MANIFEST} trong {source}.") from exc
    for part in ("database", "media"):
        path = source / manifest[part]["file"]
        if not path.exists() or _sha256(path) != manifest[part]["sha256"]:
            raise BackupError(f"Tệp {path.name} bị thiếu hoặc không khớp mã băm SHA-256 ghi trong bản sao lưu.")
    return manifest


def restore(source: Path, *, database: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Restore the backup in `source` into `database` (a Django database settings dict, for an empty
    database of the backup's engine) and the empty folder `media_root`."""
    manifest = _verify(source)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Thư mục tệp {media_root} không trống.")
    dump = source / manifest["database"]["file"]
    engine = str(database["ENGINE"])
    if manifest["engine"] == "postgresql" and engine.endswith("postgresql"):
        args, env = _pg_env(database)
        count = "select count(*) from pg_tables where schemaname='public'"
        tables = _run("psql", *args, "--dbname", str(database["NAME"]), "-Atc", count, env=env).strip()
        if tables != "0":
            raise BackupError(f"Cơ sở dữ liệu {database['NAME']} không trống.")
        _run("pg_restore", "--no-owner", "--exit-on-error", *args, "--dbname", str(database["NAME"]), str(dump), env=env)
    elif manifest["engine"] == "sqlite" and engine.endswith("sqlite3"):
        name = Path(str(database["NAME"]))
        if name.exists() and name.stat().st_size:
            raise BackupError(f"Cơ sở dữ liệu {name} không trống.")
        shutil.copyfile(dump, name)
    else:
        raise BackupError(f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {engine}.")
    media_root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = manifest["media"]["files"]
    with tarfile.open(source / "media.tar") as tar:
        names = tar.getnames()
        if sorted(names) != sorted(expected):
            raise BackupError("Danh sách tệp trong media.tar không khớp bản kê.")
        tar.extractall(media_root, filter="data")
    for rel, digest in expected.items():
        if _sha256(media_root / rel) != digest:
            raise BackupError(f"Tệp {rel} sau khi khôi phục không khớp mã băm.")
    return manifest
