#!/usr/bin/env python3
"""Loopback HTTP receiver for OutboundTests.

Binds 127.0.0.1 on an ephemeral port and prints "PORT <n>" on stdout.
Any path, any method. Query parameters:
  status=N  reply with status N (default 200)
  sleep=S   wait S seconds before replying
  size=N    reply with N bytes of b"0123456789" repeated instead of the echo
  tag=T     count the request under T (see /seen)
GET /seen?tag=T returns the number of requests counted under T (not counted itself).
Otherwise the reply body is the request body, and each request header H comes
back as "X-Req-H", plus X-Req-Method and X-Client-Port.
"""
import http.server
import socketserver
import sys
import threading
import time
import urllib.parse

SEEN = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; without this, Nagle plus the
    # client's delayed ACK adds ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/seen":
            with LOCK:
                count = SEEN.get(query.get("tag", ""), 0)
            return self.reply(200, str(count).encode(), {})
        if "tag" in query:
            with LOCK:
                SEEN[query["tag"]] = SEEN.get(query["tag"], 0) + 1
        if "sleep" in query:
            time.sleep(float(query["sleep"]))
        extra = {"X-Req-Method": self.command, "X-Client-Port": str(self.client_address[1])}
        for name, value in self.headers.items():
            extra["X-Req-" + name] = value
        if "size" in query:
            size = int(query["size"])
            body = (b"0123456789" * (size // 10 + 1))[:size]
        self.reply(int(query.get("status", "200")), body, extra)

    def reply(self, status, body, extra):
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops SYNs under 200+ simultaneous connects.
    request_queue_size = 1024


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # exit when the test process closes our stdin (or dies)


if __name__ == "__main__":
    main()
