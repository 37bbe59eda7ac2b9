"""Count the SQL statements a server sends, whatever its driver: a PostgreSQL wire proxy.

pg_stat_statements needs `shared_preload_libraries` (a server restart), which a shared
database server may not allow; counting inside sitrep would not work for PostGraphile
or the raw-SQL floor. So the harness puts this proxy between one server instance and
PostgreSQL and reads the client's messages: each simple `Query` and each extended
`Execute` is one statement (the text comes from the matching `Parse`). The proxy
refuses TLS (answers 'N' to SSLRequest) so the stream stays readable; it only listens
on 127.0.0.1.

Statements are classified as `data` (SELECT/INSERT/...: what "SQL statements per
request" means) or `control` (BEGIN/COMMIT/SET/...: transaction bookkeeping).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "RESET", "SHOW",
            "DISCARD", "DEALLOCATE", "START", "END", "LISTEN", "UNLISTEN", "CLOSE")  # fmt: skip


def classify(sql: str) -> str:
    words = sql.lstrip(" \t\r\n(").upper().split(None, 2) if sql.strip(" \t\r\n;") else []
    if not words or words[0].rstrip(";") in _CONTROL:
        return "control"
    # asyncpg's pool resets a connection it takes back with one multi-statement query
    if words[0] == "SELECT" and len(words) > 1 and words[1].startswith("PG_ADVISORY_UNLOCK_ALL()"):
        return "control"
    return "data"


#: one execution's parameters: (format code, raw value or None for NULL) per parameter
Params = tuple[tuple[int, bytes | None], ...]


@dataclass
class Tally:
    data: int = 0
    control: int = 0
    texts: Counter[str] = field(default_factory=Counter)
    #: the first parameters seen for each data statement (for EXPLAIN)
    samples: dict[str, Params] = field(default_factory=dict)

    def add(self, sql: str, params: Params = ()) -> None:
        if classify(sql) == "data":
            self.data += 1
            self.texts[sql] += 1
            self.samples.setdefault(sql, params)
        else:
            self.control += 1


def parse_bind(body: bytes) -> tuple[bytes, bytes, Params]:
    """(portal, statement, parameters) of a Bind message body."""
    portal, rest = body.split(b"\0", 1)
    stmt, rest = rest.split(b"\0", 1)
    (nfmt,) = struct.unpack("!h", rest[:2])
    fmts = struct.unpack(f"!{nfmt}h", rest[2 : 2 + 2 * nfmt])
    pos = 2 + 2 * nfmt
    (nparams,) = struct.unpack("!h", rest[pos : pos + 2])
    pos += 2
    params: list[tuple[int, bytes | None]] = []
    for i in range(nparams):
        (length,) = struct.unpack("!i", rest[pos : pos + 4])
        pos += 4
        value = None if length < 0 else rest[pos : pos + length]
        pos += max(0, length)
        fmt = fmts[i] if nfmt > 1 else (fmts[0] if nfmt == 1 else 0)
        params.append((fmt, value))
    return portal, stmt, tuple(params)


class _ClientStream:
    """Parses the client->server half of one connection."""

    def __init__(self, proxy: SqlCountProxy) -> None:
        self.proxy = proxy
        self.startup = True
        self.buf = b""
        self.statements: dict[bytes, str] = {}
        self.portals: dict[bytes, tuple[bytes, Params]] = {}

    def feed(self, data: bytes) -> tuple[bytes, bytes]:
        """Returns (bytes to forward to the server, bytes to answer the client directly)."""
        self.buf += data
        forward, answer = b"", b""
        while True:
            if self.startup:
                if len(self.buf) < 8:
                    break
                (length,) = struct.unpack("!I", self.buf[:4])
                if len(self.buf) < length:
                    break
                msg, self.buf = self.buf[:length], self.buf[length:]
                (code,) = struct.unpack("!I", msg[4:8])
                if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                    answer += b"N"  # no encryption: keep the stream readable
                    continue
                self.startup = False
                forward += msg
                continue
            if len(self.buf) < 5:
                break
            kind = self.buf[:1]
            (length,) = struct.unpack("!I", self.buf[1:5])
            if len(self.buf) < 1 + length:
                break
            msg, self.buf = self.buf[: 1 + length], self.buf[1 + length :]
            self._message(kind, msg[5:])
            forward += msg
        return forward, answer

    def _message(self, kind: bytes, body: bytes) -> None:
        if kind == b"Q":
            self.proxy.record(body.rstrip(b"\0").decode(errors="replace"))
        elif kind == b"P":
            name, rest = body.split(b"\0", 1)
            query = rest.split(b"\0", 1)[0]
            self.statements[name] = query.decode(errors="replace")
        elif kind == b"B":
            portal, stmt, params = parse_bind(body)
            self.portals[portal] = (stmt, params)
        elif kind == b"E":
            portal = body.split(b"\0", 1)[0]
            stmt, params = self.portals.get(portal, (b"", ()))
            self.proxy.record(self.statements.get(stmt, "<unknown>"), params)


class SqlCountProxy:
    """A TCP proxy to PostgreSQL that counts statements; runs its own loop in a thread."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.tally = Tally()
        self.port = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sqlcount")
        self._server: asyncio.Server | None = None

    def record(self, sql: str, params: Params = ()) -> None:
        with self._lock:
            self.tally.add(sql, params)

    def reset(self) -> Tally:
        with self._lock:
            old, self.tally = self.tally, Tally()
        return old

    def __enter__(self) -> SqlCountProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("sql count proxy did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            with contextlib.suppress(Exception):
                self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        stream = _ClientStream(self)

        async def client_to_server() -> None:
            while data := await reader.read(65536):
                forward, answer = stream.feed(data)
                if answer:
                    writer.write(answer)
                    await writer.drain()
                if forward:
                    up_writer.write(forward)
                    await up_writer.drain()

        async def server_to_client() -> None:
            while data := await up_reader.read(65536):
                writer.write(data)
                await writer.drain()

        try:
            _done, pending = await asyncio.wait(
                [asyncio.ensure_future(client_to_server()),
                 asyncio.ensure_future(server_to_client())],
                return_when=asyncio.FIRST_COMPLETED,
            )  # fmt: skip
            for task in pending:
                task.cancel()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for w in (writer, up_writer):
                with contextlib.suppress(Exception):
                    w.close()
