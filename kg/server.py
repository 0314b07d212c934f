"""The SPARQL 1.1 Protocol endpoint over the store: the Oxigraph server behind a small guard.

Why the Oxigraph server (the ``oxigraph`` CLI from PyPI) and not rdflib-endpoint:
it runs on the very on-disk store we build, in Rust, speaks the whole SPARQL
1.1 Protocol (GET and POST, URL-encoded and direct bodies, content negotiation
for SPARQL JSON/XML/CSV/TSV results and Turtle/N-Triples/JSON-LD/RDF-XML
graphs, the Graph Store Protocol), has a read-only mode
(``serve-read-only``), ``--union-default-graph`` (the default graph is the
union of the named graphs, as in ``kg query``) and a query timeout. rdflib-
endpoint has neither a timeout nor a read-only store and would evaluate
through Python.

What the Oxigraph server lacks, this module adds in front of it, and nothing
more: a result-size limit (``--max-results``), and a timeout that is a clear
HTTP error (Oxigraph has already sent ``200`` when it cancels a streamed
result, so a client sees a truncated document). Oxigraph's own ``--timeout-s``
is deliberately not used: measured here, it keeps one sleeping thread per
request for the whole timeout, so 50 busy clients exhaust the threads within
seconds (EAGAIN errors, then the server dies), while without it the same load
runs without an error. The guard's timeout closes the connection to the
engine, which stops a streamed result; a query that aggregates before it
returns anything (``COUNT`` over a huge join) runs to its end inside the engine
even though its client already got the 503 (known limitation). The guard is a threaded
reverse proxy on the public address: it forwards each request unchanged to the
Oxigraph server on a private loopback port, buffers the answer (bounded by the
limit), counts the results in the negotiated format, and answers ``503`` on
timeout and ``422`` when the result is larger than the limit; parser errors
(``400`` with the parser's message) and the read-only refusal (``403``) come
from Oxigraph itself. Updates (``/update`` and writes to ``/store``) are also
refused by the guard unless ``--allow-update`` is given.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CANCELLED_MARKER = b"The SPARQL operation has been cancelled"
TRANSIENT_MARKER = b"(os error 11)"  # EAGAIN inside the engine under load: worth one more try
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
               "proxy-authenticate", "host", "content-length", "server", "date"}


class ServerError(Exception):
    """The endpoint cannot start; the message is for the user."""


@dataclass(frozen=True)
class ServeSettings:
    """How ``kg serve`` runs."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    allow_update: bool = False
    timeout: float = 30.0
    max_results: int = 10_000
    max_bytes: int = 256 * 1024 * 1024
    upstream_slots: int = 8


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI of this environment (installed with the ``oxigraph`` PyPI package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServerError("the `oxigraph` server program is not installed (pip install 'oxigraph>=0.5,<0.6')")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    """Wait until the SPARQL endpoint at ``url`` answers ``ASK {}`` (raises ServerError otherwise).

    Why a real query and not an open port: a server can accept connections before
    it answers, and a test or benchmark that starts too early measures that start.
    When ``process`` (the server's subprocess) exits first, the error says so at
    once, with the last line of its stderr when that is a pipe.
    """
    probe = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            message = (process.stderr.read() if process.stderr else b"").decode("utf-8", "replace").strip()
            last = message.splitlines()[-1] if message else f"exit {process.returncode}"
            raise ServerError(f"{url}: the server exited before it answered: {last}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                response.read()
                return
        except OSError:  # refused, reset, timed out, or an HTTP error while it starts
            if time.monotonic() > deadline:
                raise ServerError(f"{url}: the server did not answer within {timeout:g} s") from None
            time.sleep(0.1)


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server subprocess: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Why the process group: `kg serve` runs the Oxigraph server as its own child, so
    when the parent leads a session (``start_new_session=True``) the kill reaches
    the whole group and leaves no engine behind.
    """
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except ProcessLookupError:
            pass
        process.wait()


def _die_with_parent() -> None:
    """In the child: ask Linux to stop it when `kg serve` dies, even by SIGKILL (no stray servers)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_oxigraph(store: Path, port: int, *, allow_update: bool, timeout: float | None = None) -> subprocess.Popen:
    """Start the Oxigraph server on 127.0.0.1:port over ``store`` and wait until it answers.

    ``timeout`` is Oxigraph's own ``--timeout-s``; `kg serve` leaves it off (see the module docstring).
    """
    store = Path(store)
    if not (store / "CURRENT").is_file():
        raise ServerError(f"no graph store at {store} (run `kg build PATH... --store {store}` first)")
    mode = "serve" if allow_update else "serve-read-only"
    command = [oxigraph_binary(), mode, "--location", str(store), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
    if timeout:
        command += ["--timeout-s", str(max(1, int(round(timeout))))]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = (process.stderr.read() if process.stderr else b"").decode("utf-8", "replace").strip()
            raise ServerError(f"{store}: the Oxigraph server did not start: {message.splitlines()[-1] if message else 'exit ' + str(process.returncode)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise ServerError("the Oxigraph server did not answer within 30 s")


# --- counting results in the negotiated format ---------------------------------


def count_results(content_type: str, body: bytes) -> int | None:
    """Number of solutions (or triples) in a response body; None when it cannot be told (then no limit applies)."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/sparql-results+json":
        data = json.loads(body)
        return len(data.get("results", {}).get("bindings", [])) if "results" in data else 1
    if media == "application/sparql-results+xml":
        return body.count(b"<result>") + body.count(b"<result ")
    if media == "text/csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    if media == "text/tab-separated-values":
        return max(0, sum(1 for line in body.split(b"\n") if line.strip()) - 1)
    if media in ("application/n-triples", "application/n-quads", "text/plain"):
        return sum(1 for line in body.split(b"\n") if line.strip() and not line.lstrip().startswith(b"#"))
    try:
        import pyoxigraph as ox

        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is None:
            return None
        return sum(1 for _ in ox.parse(body, format=fmt))
    except (ImportError, SyntaxError, ValueError):
        return None


# --- the guard -----------------------------------------------------------------


class _Guard(BaseHTTPRequestHandler):
    """Forwards one request to the Oxigraph server and checks its answer."""

    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"
    settings: ServeSettings
    upstream_port: int
    pool: "queue.LifoQueue[http.client.HTTPConnection | None]"

    def setup(self) -> None:
        super().setup()
        # headers and body go out as two writes: without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802
        self._forward()

    def do_POST(self) -> None:  # noqa: N802
        self._forward()

    def do_PUT(self) -> None:  # noqa: N802
        self._forward()

    def do_DELETE(self) -> None:  # noqa: N802
        self._forward()

    def _send(self, status: int, message: str, content_type: str = "text/plain; charset=utf-8",
              extra: dict[str, str] | None = None) -> None:
        data = message.encode("utf-8") if isinstance(message, str) else message
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self) -> None:
        settings = self.settings
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == "/sparql":
            self.path = "/query" + self.path[len("/sparql"):]
            path = "/query"
        is_update = path == "/update" or (path == "/store" and self.command not in ("GET", "HEAD"))
        if is_update and not settings.allow_update:
            self._send(403, "This endpoint is read-only: updates are refused (start `kg serve --allow-update` to allow them).\n")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        started = time.monotonic()
        try:
            status, reason, out_headers, data = self._upstream(self.command, self.path, body, headers, started)
        except TimeoutError:
            self._send(503, f"Query timed out: it ran longer than the server's limit of {settings.timeout:g} s "
                            "(kg serve --timeout). Narrow the query or add a LIMIT.\n")
            return
        except _TooLarge:
            self._send(422, f"Result too large: more than {settings.max_bytes} bytes. Add a LIMIT.\n")
            return
        except (OSError, http.client.HTTPException) as exc:
            self._send(502, f"The SPARQL engine did not answer: {exc}\n")
            return
        if status == 200 and data.endswith(CANCELLED_MARKER):
            self._send(503, f"Query timed out: it ran longer than the server's limit of {settings.timeout:g} s "
                            "(kg serve --timeout). Narrow the query or add a LIMIT.\n")
            return
        content_type = out_headers.get("content-type", "application/octet-stream")
        if status == 200 and path == "/query" and settings.max_results:
            try:
                count = count_results(content_type, data)
            except (ValueError, UnicodeDecodeError, csv.Error):
                count = None
            if count is not None and count > settings.max_results:
                self._send(422, f"Result too large: {count} results, more than the server's limit of "
                                f"{settings.max_results} (kg serve --max-results). Add a LIMIT or narrow the query.\n")
                return
        extra = {k: v for k, v in out_headers.items() if k not in HOP_HEADERS and k != "content-type"}
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _upstream(self, method: str, path: str, body: bytes, headers: dict[str, str], started: float
                  ) -> tuple[int, str, dict[str, str], bytes]:
        """Send the request over a pooled keep-alive connection; at most ``upstream_slots`` run at once
        (the engine has a couple of cores; more parallel requests only queue up inside it)."""
        deadline = started + self.settings.timeout
        try:
            conn = self.pool.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError from None
        keep = False
        try:
            for attempt in (1, 2, 3):
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=self.settings.timeout + 5)
                    conn.connect()
                    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    status, reason, out_headers, data = self._exchange(conn, method, path, body, headers, deadline)
                except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                    conn.close()
                    conn = None
                    if attempt == 3:
                        raise
                    continue
                if status >= 500 and TRANSIENT_MARKER in data and attempt < 3:
                    conn.close()  # the engine could not take the connection for a moment: retry on a fresh one
                    conn = None
                    time.sleep(0.01 * attempt)
                    continue
                keep = out_headers.get("connection", "").lower() != "close"
                return status, reason, out_headers, data
            raise ConnectionError("no answer")
        finally:
            if conn is not None and not keep:
                conn.close()
            self.pool.put(conn if keep else None)

    def _exchange(self, conn: http.client.HTTPConnection, method: str, path: str, body: bytes,
                  headers: dict[str, str], deadline: float) -> tuple[int, str, dict[str, str], bytes]:
        assert conn.sock is not None
        conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        chunks, total = [], 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                if conn.sock is not None:
                    conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
                chunk = response.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > self.settings.max_bytes:
                    raise _TooLarge
            chunks.append(response.read())  # b"": marks the response finished so the connection can be reused
        except http.client.IncompleteRead:
            raise TimeoutError from None  # Oxigraph drops a streamed answer when it cancels the query
        out_headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, response.reason, out_headers, b"".join(chunks)


class _TooLarge(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    verbose = False


def make_server(settings: ServeSettings, upstream_port: int) -> ThreadingHTTPServer:
    """The guard's HTTP server bound to settings.host:settings.port (not yet serving)."""
    pool: "queue.LifoQueue[http.client.HTTPConnection | None]" = queue.LifoQueue()
    for _ in range(max(1, settings.upstream_slots)):
        pool.put(None)
    handler = type("Guard", (_Guard,), {"settings": settings, "upstream_port": upstream_port, "pool": pool})
    try:
        return _Server((settings.host, settings.port), handler)
    except OSError as exc:
        raise ServerError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None


def serve(settings: ServeSettings, *, ready: "callable | None" = None) -> None:  # type: ignore[valid-type]
    """Run the endpoint until interrupted (Ctrl-C or SIGTERM); stops the Oxigraph server on exit."""
    upstream_port = free_port()
    process = start_oxigraph(settings.store, upstream_port, allow_update=settings.allow_update)
    server = None
    try:
        server = make_server(settings, upstream_port)
        stop = lambda *_: threading.Thread(target=server.shutdown, daemon=True).start()  # noqa: E731
        signal.signal(signal.SIGTERM, stop)
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.server_close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
