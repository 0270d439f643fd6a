"""Render independent PDF parts in worker processes, and number the pages of the joined result.

A large document (the province's roster annex: 15,000 members, ~500 pages) spends 97 % of its
time inside WeasyPrint's layout, which is single-threaded Python; the only gain left is to lay
out its parts on both cores at once (issue 17 §5).

Page numbers cannot be laid out inside a part, because a part does not know how many pages
come before it until the parts before it are laid out. So the parts are rendered without page
numbers and :func:`join_numbered` stamps them afterwards: a second, blank document of the same
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

The processes outlive the document: once started they wait, idle, for the next one (the task
worker's next consolidated report or annex), because starting one — the interpreter, importing
WeasyPrint and pango, loading the fonts on its first document — costs ~0.5 s of CPU each, which
on a 273-commune report (2.3 s on two processes) was a fifth of the time. A process is replaced
when it has died and retired after ``RENDERS_PER_PROCESS`` documents, so that what its heap has
grown to does not stay for ever (a process that laid out an annex chunk peaks at ~150 MB); the
idle ones end with the calling process (their input closes).
"""

from __future__ import annotations

import atexit
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

# Documents a render process lays out before it is retired and replaced by a fresh one.
RENDERS_PER_PROCESS = 50


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


_THREAD = threading.local()


def font_config():
    """WeasyPrint's font configuration (fontconfig and Pango's font map), one per thread and
    kept from one document to the next: a new one per document loads the fonts again, ~13 ms
    of a one-page document's ~50 ms of CPU. Sharing it is safe because no document declares
    fonts of its own (no ``@font-face``: the configuration is what would keep them); it is
    per thread because Pango's font map is not made to be used by two threads at once (two
    requests rendering PDFs)."""
    config = getattr(_THREAD, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _THREAD.font_config = FontConfiguration()
    return config


def _write_pdf(html: str, base_url: str) -> bytes:
    """The one HTML → PDF step of every document (core.documents.html_to_pdf, the parts of
    render_parts, in this process or a render process)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).write_pdf(
        stylesheets=[print_stylesheet(base_url)], font_config=font_config()
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
        self.base_url = base_url
        self.rendered = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.pdf_processes", base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )

    @property
    def reusable(self) -> bool:
        return self.process.poll() is None and self.rendered < RENDERS_PER_PROCESS

    def render(self, html: str) -> bytes:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.rendered += 1
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


class _Idle:
    """The render processes waiting for the next document (see the module docstring). A
    document takes what it needs and gives back what is still fit for use; two documents
    made at once in two threads each get their own processes."""

    def __init__(self) -> None:
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self, count: int, base_url: str) -> list[_Worker]:
        with self._lock:
            fit = [w for w in self._workers if w.reusable and w.base_url == base_url]
            taken = fit[:count]
            unfit = [w for w in self._workers if w not in fit]
            self._workers = fit[count:]
        for worker in unfit:
            worker.close()
        return taken + [_Worker(base_url) for _ in range(count - len(taken))]

    def give_back(self, workers: Sequence[_Worker]) -> None:
        with self._lock:
            keep = [w for w in workers if w.reusable]
            self._workers.extend(keep)
        for worker in workers:
            if worker not in keep:
                worker.close()

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()


_idle = _Idle()
atexit.register(_idle.close)


def close_idle_processes() -> None:
    """End the render processes waiting for a document, and forget print.css as parsed and
    this thread's fonts (a benchmark's cold start; tests)."""
    _idle.close()
    _PRINT_STYLESHEETS.clear()
    _THREAD.__dict__.pop("font_config", None)


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

    workers = _idle.take(min(processes, len(htmls)), base_url)
    threads = [threading.Thread(target=feed, args=(w,), daemon=True) for w in workers]
    parts: list[bytes | None] = [None] * len(htmls)
    try:
        for thread in threads:
            thread.start()
        for _ in htmls:
            result = finished.get()
            if isinstance(result, BaseException):
                raise result
            index, pdf = result
            parts[index] = pdf
            part_done(index)
    except BaseException:
        # A part failed: another process may still be laying one out, which nobody will read
        # (and whose output could fill its pipe): these processes are not given back.
        for worker in workers:
            worker.process.kill()
            worker.close()
        raise
    for thread in threads:
        thread.join()  # each has found the queue empty: its process is idle again
    _idle.give_back(workers)
    return [part for part in parts if part is not None]


def join_numbered(parts: Sequence[bytes], numbers_pdf: Callable[[int], bytes]) -> bytes:
    """The parts joined into one PDF, with `numbers_pdf(n)` stamped onto its pages one onto one:
    a blank document of at least n pages carrying only their numbers, made by the caller from
    the same page styles (pages past the n-th are not used). One pypdf pass: joining first and
    numbering the joined file again parsed and wrote the whole document twice."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in parts:
        writer.append(io.BytesIO(content))
    numbers = PdfReader(io.BytesIO(numbers_pdf(len(writer.pages)))).pages
    for page, number in zip(writer.pages, numbers[: len(writer.pages)], strict=True):
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
