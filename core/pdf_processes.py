"""Render independent PDF parts in worker processes, and number the pages of the joined result.

A large document (the province's roster annex: 15,000 members, ~500 pages) spends 97 % of its
time inside WeasyPrint's layout, which is single-threaded Python; the only gain left is to lay
out its parts on both cores at once (issue 17 §5).

Page numbers cannot be laid out inside a part, because a part does not know how many pages
come before it until the parts before it are laid out. So the parts are rendered without page
numbers and :func:`number_pages` stamps them afterwards: a second, blank document of the same
page size whose only content is print.css's page-number box, merged page by page onto the
joined PDF (pypdf). It costs ~2–3 s for 500 pages against ~70 s saved on two cores.

Why not ``multiprocessing`` / ``ProcessPoolExecutor``: with ``fork`` the workers inherit the
task worker's database connections and threads; with ``spawn`` or ``forkserver`` every worker
first re-imports the caller's main module, which for a script (a benchmark, a one-off command
file) runs its top-level code again — a benchmark's set-up dropped its own database that way.
So each worker here is a plain ``python -m core.pdf_processes`` process that imports WeasyPrint
and nothing of Django, fed HTML and answering PDF over its pipes (length-prefixed frames).
A thread per worker waits on its pipe; results and progress are handled in the calling thread,
which keeps its database connection to itself.
"""

from __future__ import annotations

import contextlib
import io
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

_FRAME = struct.Struct(">Q")  # the length of the payload that follows


_SSL_CONTEXT = None


def url_fetcher():
    """WeasyPrint's fetcher for our documents, which only read files under the project (style
    sheets, fonts, images) and data: URLs; anything else, e.g. an http:// address in text that
    ended up in markup, is not fetched. WeasyPrint's default fetcher also builds an SSL context
    with the system's certificates for every document (about 30 ms of CPU each); the context is
    made once here, although no document goes out to the network."""
    import ssl

    from weasyprint.urls import URLFetcher

    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = ssl.create_default_context()
    return URLFetcher(ssl_context=_SSL_CONTEXT, allowed_protocols={"file", "data"})


# The style sheet of every document (Decree 30/2020's page, fonts and letterhead): given to
# WeasyPrint with each document rather than written into its HTML, so that it is parsed once per
# process (~12 ms of a one-page document's ~65 ms of CPU), not once per document.
PRINT_CSS = Path(__file__).resolve().parent.parent / "templates" / "pdf" / "print.css"
_PRINT_STYLESHEETS: dict[str, object] = {}


def print_stylesheet(base_url: str):
    """print.css as WeasyPrint's parsed ``CSS``, made once per base URL (WeasyPrint's public
    ``CSS`` and ``write_pdf(stylesheets=…)``). A style sheet passed that way is the user's in
    the cascade: it wins over the browser defaults, and a document's own ``<style>`` (a
    part's page without a number) and ``style`` attributes win over it, as they did when
    print.css was written first in each document's ``<style>``."""
    sheet = _PRINT_STYLESHEETS.get(base_url)
    if sheet is None:
        from weasyprint import CSS

        sheet = _PRINT_STYLESHEETS[base_url] = CSS(
            string=PRINT_CSS.read_text(encoding="utf-8"),
            base_url=base_url,
            url_fetcher=url_fetcher(),
        )
    return sheet


def _write_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).write_pdf(
        stylesheets=[print_stylesheet(base_url)]
    )


def _send(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_FRAME.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes | None:
    """The next frame, or None at the end of the stream."""
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload


class _Worker:
    """One render process, used by one thread at a time."""

    def __init__(self, base_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.pdf_processes", base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )

    def render(self, html: str) -> bytes:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            _send(self.process.stdin, html.encode())
            pdf = _receive(self.process.stdout)
        except BrokenPipeError:
            pdf = None
        if pdf is None:
            code = self.process.wait()
            raise RuntimeError(f"A PDF render process ended (exit code {code}); see its log.")
        return pdf

    def close(self) -> None:
        if self.process.stdin:
            with contextlib.suppress(BrokenPipeError):  # a worker that died
                self.process.stdin.close()  # the worker's loop ends at the end of its input
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def render_parts(
    htmls: Sequence[str],
    *,
    base_url: str,
    processes: int,
    part_done: Callable[[int], None] = lambda index: None,
) -> list[bytes]:
    """The PDF of each HTML part, in order; `part_done(i)` as each finishes (in this thread).

    With one process (or one part) everything happens here, in this process: tests and small
    documents pay no process start-up.
    """
    if processes <= 1 or len(htmls) <= 1:
        results = []
        for index, html in enumerate(htmls):
            results.append(_write_pdf(html, base_url))
            part_done(index)
        return results

    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(htmls)):
        todo.put(index)
    finished: queue.SimpleQueue[tuple[int, bytes] | BaseException] = queue.SimpleQueue()

    def feed(worker: _Worker) -> None:
        try:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                finished.put((index, worker.render(htmls[index])))
        except BaseException as error:  # handed to the calling thread, which raises it
            finished.put(error)

    workers = [_Worker(base_url) for _ in range(min(processes, len(htmls)))]
    parts: list[bytes | None] = [None] * len(htmls)
    try:
        for worker in workers:
            threading.Thread(target=feed, args=(worker,), daemon=True).start()
        for _ in htmls:
            result = finished.get()
            if isinstance(result, BaseException):
                raise result
            index, pdf = result
            parts[index] = pdf
            part_done(index)
    finally:
        for worker in workers:
            worker.close()
    return [part for part in parts if part is not None]


def join(parts: Sequence[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for content in parts:
        writer.append(io.BytesIO(content))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def number_pages(content: bytes, numbers_pdf: Callable[[int], bytes]) -> bytes:
    """Stamp `numbers_pdf(n)` (a blank document of n pages carrying only their numbers, made by
    the caller from the same page styles) onto the pages of `content`, one onto one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(content))
    numbers = PdfReader(io.BytesIO(numbers_pdf(len(writer.pages))))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        # Merging writes the page's content out again uncompressed: a 19-page report went
        # from 221 KB to 1.7 MB until it was compressed again (272 KB).
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _serve(base_url: str) -> None:
    """The worker's loop: an HTML frame in, its PDF frame out, until the input ends."""
    frames_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not land between the frames
    while (html := _receive(sys.stdin.buffer)) is not None:
        _send(frames_out, _write_pdf(html.decode(), base_url))


if __name__ == "__main__":
    _serve(sys.argv[1])
