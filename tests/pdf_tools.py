"""Look inside rendered PDFs with poppler (pdftotext, pdffonts, pdftoppm); skip without it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install poppler-utils)")
    return path


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(
            [_tool("pdftotext"), "-layout", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_fonts(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(
            [_tool("pdffonts"), f.name], capture_output=True, text=True, check=True
        ).stdout


def pdf_pages(content: bytes) -> int:
    return pdf_text(content).count("\f")


def pdf_to_png(content: bytes, directory: Path, *, resolution: int = 70) -> list[Path]:
    """Turn every page into a PNG (to look at, e.g. from a test's tmp_path)."""
    pdf = Path(tempfile.mkstemp(suffix=".pdf", dir=directory)[1])
    pdf.write_bytes(content)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(resolution), "-png", str(pdf), str(directory / "page")],
        check=True,
    )
    return sorted(directory.glob("page*.png"))
