"""Uploaded documents are what their names say: the one check of a file's content.

An extension says nothing (an HTML page renamed .pdf, a program renamed .png): `check_upload`
reads the file's first bytes and compares them with the signature of the kind its name claims
(PDF `%PDF-`, JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`), then opens images with Pillow
(already installed for WeasyPrint) to be sure they are whole images of that kind, within
Pillow's decompression-bomb limit. SVG is refused whatever it is called: it is a document that
can carry scripts, and a browser that shows it runs them.

Messages are Vietnamese, name the file, and say what to do. Written here rather than with
python-magic (libmagic, a system library) because three signatures and Pillow answer the
question fully, and the message can say what the file really is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    signature: bytes
    pillow_format: str | None = None  # images: the format Pillow must recognise


PDF = Kind("PDF", ("pdf",), b"%PDF-")
JPEG = Kind("JPG", ("jpg", "jpeg"), b"\xff\xd8\xff", "JPEG")
PNG = Kind("PNG", ("png",), b"\x89PNG\r\n\x1a\n", "PNG")
DOCUMENT_KINDS = (PDF, JPEG, PNG)

#: What a refused file most likely is, by its first bytes (to say so in the message).
_LOOKS_LIKE = (
    (PNG.signature, "ảnh PNG"),
    (JPEG.signature, "ảnh JPG"),
    (PDF.signature, "tệp PDF"),
    (b"MZ", "một chương trình (.exe)"),
    (b"\x7fELF", "một chương trình"),
    (b"PK\x03\x04", "một tệp nén hoặc tệp Word/Excel"),
    (b"\xd0\xcf\x11\xe0", "một tệp Word/Excel cũ"),
    (b"GIF8", "ảnh GIF"),
    (b"RIFF", "ảnh WEBP hoặc tệp âm thanh"),
)
_HEAD = 1024  # PDF readers accept the signature anywhere in the first kilobyte


def _looks_like(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:_HEAD]:
        return "ảnh SVG"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "một trang HTML"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "một tệp XML/HTML"
    for signature, label in _LOOKS_LIKE:
        if head.startswith(signature):
            return label
    return ""


def _refuse(name: str, expected: str, head: bytes, *, damaged: bool = False):
    found = "" if damaged else _looks_like(head)
    if found:
        message = _(
            "Tệp «%(name)s» không phải %(expected)s mà là %(found)s. "
            "Hãy tải lên bản quét hoặc ảnh chụp dạng PDF, JPG hoặc PNG."
        ) % {"name": name, "expected": expected, "found": found}
    else:
        message = _(
            "Tệp «%(name)s» không phải tệp %(expected)s đúng định dạng (có thể tệp hỏng hoặc "
            "chỉ đổi đuôi tên). Hãy xuất hoặc chụp lại thành PDF, JPG hoặc PNG."
        ) % {"name": name, "expected": expected}
    raise ValidationError(message, code="bad_content")


def check_upload(
    file, *, kinds: tuple[Kind, ...] = DOCUMENT_KINDS, max_bytes: int | None = None
) -> Kind:
    """Raise a ValidationError (Vietnamese, naming the file) unless `file`'s content is of the
    kind its extension claims, among `kinds` (and no larger than `max_bytes`); return that
    kind. The file is left at offset 0."""
    name = str(getattr(file, "name", "") or "")
    short = name.rsplit("/", 1)[-1][:80]
    extension = short.rsplit(".", 1)[-1].lower() if "." in short else ""
    if max_bytes is not None and (file.size or 0) > max_bytes:
        raise ValidationError(
            _("Tệp «%(name)s» lớn hơn %(mb)s MB; hãy chụp hoặc quét lại với độ phân giải thấp hơn.")
            % {"name": short, "mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    if extension == "svg" or b"<svg" in head.lower():
        raise ValidationError(
            _("Tệp «%(name)s» là ảnh SVG: không nhận SVG. Hãy tải lên ảnh JPG hoặc PNG, hoặc PDF.")
            % {"name": short},
            code="svg",
        )
    kind = next((k for k in kinds if extension in k.extensions), None)
    if kind is None:
        labels = [k.label for k in kinds]
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} hoặc {labels[-1]}"
        raise ValidationError(
            _("Chỉ nhận tệp %(kinds)s (tệp «%(name)s»).") % {"name": short, "kinds": listed},
            code="extension",
        )
    if not head.startswith(kind.signature) and not (kind is PDF and kind.signature in head):
        _refuse(short, kind.label, head)
    if kind.pillow_format:
        _check_image(file, short, kind, head)
    return kind


def _check_image(file, name: str, kind: Kind, head: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(file.read())) as image:
            found = image.format
            image.verify()  # reads the whole image: truncated or damaged files fail here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Ảnh «%(name)s» quá lớn (số điểm ảnh): hãy chụp hoặc quét lại nhỏ hơn.")
            % {"name": name},
            code="too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many kinds on a damaged image
        _refuse(name, kind.label, head, damaged=True)
    finally:
        file.seek(0)
    if found != kind.pillow_format:
        _refuse(name, kind.label, head, damaged=True)
