"""A local HTTP server on 127.0.0.1 that records what it receives, standing in for a CDN or a subscriber."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Call:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Recorder:
    server: ThreadingHTTPServer
    calls: list = field(default_factory=list)
    statuses: list = field(default_factory=list)  # answered in turn; 200 once they run out
    delay: float = 0

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"


def start_recorder():
    recorder = None

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorder.calls.append(Call(self.command, self.path, dict(self.headers), body))
            if recorder.delay:
                time.sleep(recorder.delay)
            status = recorder.statuses.pop(0) if recorder.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        do_GET = do_POST = do_PURGE = handle_any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    recorder = Recorder(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return recorder
