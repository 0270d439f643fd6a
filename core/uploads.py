"""Checking an uploaded document by its content, not only by its name.

A file named ``giay-ra-vien.pdf`` may be anything: the extension says what the sender wants us
to believe. `check_document` reads the first bytes (the "magic number") and accepts only what
it recognises — PDF (``%PDF-``), JPEG (``FF D8 FF``) and PNG (``89 50 4E 47 0D 0A 1A 0A``) —
and then, for images, lets Pillow open and verify the whole file, so a truncated or forged
image is refused too. SVG is refused outright (it is XML that can carry scripts), as is
anything whose content does not match its extension. Limits: the size (``max_bytes``).

Written here rather than with python-magic (libmagic): three formats need three prefixes, and
libmagic is a system library the deployment would have to carry; Pillow is already a
dependency (WeasyPrint needs it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    magic: bytes
    image: bool


KINDS = (
    Kind("PDF", ("pdf",), b"%PDF-", False),
    Kind("JPEG", ("jpg", "jpeg"), b"\xff\xd8\xff", True),
    Kind("PNG", ("png",), b"\x89PNG\r\n\x1a\n", True),
)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_document(upload, *, max_bytes: int = MAX_BYTES) -> Kind:
    """Raise ValidationError (Vietnamese, saying what to send instead) unless `upload` (a
    Django UploadedFile) is a PDF, JPEG or PNG whose content matches its name. The file's
    position is left at the start."""
    name = getattr(upload, "name", "") or ""
    extension = _extension(name)
    allowed = ", ".join(k.name for k in KINDS)
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Tệp «%(name)s» quá lớn: tối đa %(mb)s MB.")
            % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise ValidationError(_("Tệp «%(name)s» trống (0 byte).") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "svg" or head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        raise ValidationError(
            _("Không nhận tệp SVG, HTML hay XML («%(name)s»): gửi bản chụp PDF, JPG hoặc PNG.")
            % {"name": name}
        )
    kind = next((k for k in KINDS if head.startswith(k.magic)), None)
    if kind is None:
        raise ValidationError(
            _("Nội dung tệp «%(name)s» không phải %(allowed)s: chỉ nhận tệp %(allowed)s.")
            % {"name": name, "allowed": allowed}
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "Tệp «%(name)s» có nội dung %(kind)s nhưng đuôi tệp là «.%(ext)s»: đổi đuôi tệp "
                "cho đúng hoặc gửi tệp khác."
            )
            % {"name": name, "kind": kind.name, "ext": extension}
        )
    if kind.image:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(upload.read())) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                _("Ảnh «%(name)s» bị hỏng hoặc không đọc được: chụp hoặc quét lại rồi gửi.")
                % {"name": name}
            ) from None
        finally:
            upload.seek(0)
    return kind
