"""core.uploads.check_upload: an uploaded document is what its name says (issue 16 §4)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import JPEG, PDF, PNG, check_upload


def image(fmt: str, size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content), **kwargs)
    return exc.value.messages[0]


def test_real_documents_are_accepted_and_left_at_the_start():
    for name, content, kind in (
        ("giay-ra-vien.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", PDF),
        ("anh.jpg", image("JPEG"), JPEG),
        ("ANH.JPEG", image("JPEG"), JPEG),
        ("hoa-don.png", image("PNG"), PNG),
    ):
        file = upload(name, content)
        assert check_upload(file) is kind
        assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("giay.pdf", b"<!DOCTYPE html><html><script>alert(1)</script>", "mà là một trang HTML"),
        ("anh.png", b"MZ\x90\x00\x03" + b"\x00" * 100, "mà là một chương trình (.exe)"),
        ("anh.jpg", image("PNG"), "không phải JPG mà là ảnh PNG"),  # a PNG called .jpg
        ("anh.png", image("JPEG"), "không phải PNG mà là ảnh JPG"),
        ("anh.png", image("PNG")[:60], "không phải tệp PNG đúng định dạng"),  # truncated
        ("anh.jpg", b"\xff\xd8\xff" + b"junk" * 50, "không phải tệp JPG đúng định dạng"),
        ("hop-dong.pdf", b"PK\x03\x04" + b"\x00" * 50, "tệp nén hoặc tệp Word/Excel"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(name, content, says):
    message = refused(name, content)
    assert f"«{name}»" in message and says in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("logo.pdf", b"%PDF-1.4\n<svg onload=alert(1)>"),
    ],
)
def test_svg_is_refused_whatever_it_is_called(name, content):
    assert "không nhận SVG" in refused(name, content)


def test_other_extensions_and_sizes():
    assert refused("a.exe", b"MZ") == "Chỉ nhận tệp PDF, JPG hoặc PNG (tệp «a.exe»)."
    assert "Chỉ nhận tệp PDF (tệp «a.png»)" in refused("a.png", image("PNG"), kinds=(PDF,))
    assert "lớn hơn 1 MB" in refused("a.pdf", b"%PDF-" + b"0" * 2**20, max_bytes=2**20)


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert "quá lớn (số điểm ảnh)" in refused("anh.png", image("PNG", size=(300, 300)))
