"""core.uploads: the type is checked by content, not by name; empty and oversized files are
refused; the SHA-256 is stored and the file can be read back from storage."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import StoredFile
from core.uploads import check_upload, store_upload, stored_names

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _local() -> bool:
    """The local folder (the embedded mode); with S3 (the production profile) a file has no path."""
    return isinstance(storages["default"], FileSystemStorage)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "Biên bản họp thôn.pdf", "application/pdf"),
        (_image("PNG"), "anh.png", "image/png"),
        (_image("JPEG"), "anh-chup.jpg", "image/jpeg"),
        (_image("PNG"), "anh-khong-duoi", "image/png"),  # the name does not matter, the content does
    ],
)
def test_allowed_files_are_stored_with_type_size_and_sha256(content, name, content_type, make_user, media_root):
    user = make_user()
    stored = store_upload(SimpleUploadedFile(name, content), name=name, by=user)
    stored.refresh_from_db()
    assert (stored.content_type, stored.size, stored.uploaded_by) == (content_type, len(content), user)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.original_name.replace("_", " ") == name
    with stored.file.open("rb") as fh:
        assert fh.read() == content
    assert stored.file.name.startswith("uploads/") and list(stored_names()) == [stored.file.name]
    if _local():
        assert str(media_root) in stored.file.path


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00", "bao-cao.pdf"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "bao-cao.pdf"),
        (b"PK\x03\x04" + b"\x00" * 100, "bao-cao.pdf"),
        (b"just text pretending", "anh.png"),
    ],
)
def test_other_content_is_refused_whatever_the_name_says(db, content, name):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(io.BytesIO(content), name=name)
    assert excinfo.value.code == "type"
    assert "không đúng định dạng cho phép" in excinfo.value.messages[0] and "PDF" in excinfo.value.messages[0]
    assert not StoredFile.objects.exists()


def test_an_empty_file_is_refused(db, media_root):
    with pytest.raises(ValidationError, match="rỗng") as excinfo:
        store_upload(io.BytesIO(b""), name="trong.pdf")
    assert excinfo.value.code == "empty"
    assert not StoredFile.objects.exists() and not any(stored_names())


def test_an_oversized_file_is_refused(db, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    big = PDF + b"0" * (64 * 1024)
    with pytest.raises(ValidationError, match="quá lớn") as excinfo:
        store_upload(io.BytesIO(big), name="lon.pdf")
    assert excinfo.value.code == "size"
    assert not StoredFile.objects.exists() and not any(stored_names())
    # Exactly at the limit is fine.
    exact = PDF + b"0" * (64 * 1024 - len(PDF))
    assert store_upload(io.BytesIO(exact), name="vua.pdf").size == 64 * 1024


def test_check_upload_reads_large_files_in_chunks_and_rewinds(db):
    content = PDF + bytes(range(256)) * 12_000  # about 3 MB, several chunks
    fileobj = io.BytesIO(content)
    assert check_upload(fileobj, name="lon.pdf") == ("application/pdf", len(content), hashlib.sha256(content).hexdigest())
    assert fileobj.tell() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "C:\\Users\\x\\tai lieu.pdf", "..", ""])
def test_the_stored_name_never_escapes_the_upload_folder(name, media_root):
    stored = store_upload(io.BytesIO(PDF), name=name)
    assert ".." not in stored.file.name and "/" not in stored.original_name and "\\" not in stored.original_name
    assert stored.original_name
    assert stored.file.name.startswith("uploads/") and list(stored_names()) == [stored.file.name]
    if _local():
        assert stored.file.path.startswith(str(media_root))


def test_a_very_long_name_is_shortened_and_keeps_its_extension(db):
    name = "Biên bản hội nghị nhân dân thôn Đồng Cống về việc bàn và quyết định " * 4 + ".pdf"
    stored = store_upload(io.BytesIO(PDF), name=name)
    assert stored.file.name.endswith(".pdf") and len(stored.file.name) <= StoredFile._meta.get_field("file").max_length
    with stored.file.open("rb") as fh:
        assert fh.read() == PDF
