#!/usr/bin/env python3
"""A tiny web app whose back end signs people in with wl-connect as a confidential client.

    WL_CLIENT_SECRET=wlcs_... python3 webapp.py --issuer http://127.0.0.1:8081 \\
        --client-id CLIENT_ID --port 4000

The app must be registered with the redirect URI ``http://127.0.0.1:PORT/callback``.  ``/``
has a "Sign in" link; ``/login`` sends the browser to the provider; ``/callback`` exchanges
the code on the server, calls ``/v1/me`` and ``/v1/me/friends?$count=true`` and greets the
person.  The secret comes from the environment (never from the command line, which other
users of the machine can read) and never reaches the browser: the browser holds only an opaque
session cookie.  Standard library and ``wlconnect`` only.
"""

from __future__ import annotations

import argparse
import html
import http.server
import os
import secrets
import sys
import urllib.parse
from typing import Any, Dict

from wlconnect import Client, OData, WLError

#: Per-browser state, keyed by the session cookie: the pending request, then the tokens.
SESSIONS: Dict[str, Dict[str, Any]] = {}
COOKIE = "app_session"

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f4f6f9; }
main { max-width: 36rem; margin: 3rem auto; padding: 2rem; background: #fff;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
@media (max-width: 480px) { main { margin: 0; border-radius: 0; min-height: 100vh; box-sizing: border-box; } }
h1 { font-size: 1.5rem; margin-top: 0; }
a.button { display: inline-block; padding: .6rem 1.2rem; background: #0067b8; color: #fff;
           text-decoration: none; border-radius: 4px; }
a.button:focus, a.button:hover { background: #005da6; }
.error { color: #a4262c; }
small { color: #555; }
"""


def page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    ).encode("utf-8")


class App(http.server.BaseHTTPRequestHandler):
    client: Client

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # The request line only, without its query string (codes and states stay out of logs).
        sys.stderr.write("webapp: %s %s\n" % (self.command, self.path.split("?")[0]))

    def session(self) -> "tuple[str, Dict[str, Any]]":
        cookies = dict(
            part.strip().split("=", 1)
            for part in self.headers.get("Cookie", "").split(";")
            if "=" in part
        )
        sid = cookies.get(COOKIE, "")
        if sid not in SESSIONS:
            sid = secrets.token_urlsafe(32)
            SESSIONS[sid] = {}
        return sid, SESSIONS[sid]

    def send(self, status: int, body: bytes, sid: str, headers: "Dict[str, str] | None" = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Set-Cookie", f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        sid, session = self.session()
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self.send(200, page("Sample back end", (
                "<h1>A site with a back end</h1>"
                "<p>This page's server signs you in with wl-connect and calls the APIs for you.</p>"
                "<p><a class=\"button\" id=\"signin\" href=\"/login\">Sign in</a></p>"
            )), sid)
        elif url.path == "/login":
            pending = self.client.authorization_url("wl.basic wl.offline_access")
            session["pending"] = pending
            self.send(302, b"", sid, {"Location": pending.url})
        elif url.path == "/callback":
            pending = session.pop("pending", None)
            if pending is None:
                self.send(400, page("Sign-in failed", (
                    "<h1 class=\"error\">Sign-in failed</h1>"
                    "<p>No sign-in was started in this browser. <a href=\"/\">Start again</a>.</p>"
                )), sid)
                return
            try:
                tokens = self.client.handle_callback(url.query, pending)
                session["tokens"] = tokens
                me = self.client.api("me", tokens)
                friends = self.client.api("me/friends", tokens, query=OData().count().top(0))
            except WLError as e:
                self.send(400, page("Sign-in failed", (
                    "<h1 class=\"error\">Sign-in failed</h1>"
                    f"<p>The provider said <code id=\"code\">{html.escape(e.code)}</code>: "
                    f"{html.escape(e.message)}</p><p><a href=\"/\">Start again</a>.</p>"
                )), sid)
                return
            count = int(friends.get("count", 0))
            self.send(200, page("Signed in", (
                f"<h1 id=\"hello\">Hello, {html.escape(str(me.get('name', '')))}</h1>"
                f"<p id=\"friends\">You have {count} friend{'s' if count != 1 else ''} "
                "on wl-connect.</p>"
                "<p><small>This page was made by the site's server: it exchanged the code with "
                "its client secret and called <code>/v1/me</code> and "
                "<code>/v1/me/friends?$count=true</code>. Your browser holds no token.</small></p>"
            )), sid)
        else:
            self.send(404, page("Not found", "<h1>Not found</h1>"), sid)


def main() -> int:
    parser = argparse.ArgumentParser(description="A sample back end using wlconnect.")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--port", type=int, default=4000)
    args = parser.parse_args()
    secret = os.environ.get("WL_CLIENT_SECRET") or None
    redirect = f"http://127.0.0.1:{args.port}/callback"
    App.client = Client(args.issuer, args.client_id, client_secret=secret, redirect_uri=redirect)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), App)
    print(f"webapp ready http://127.0.0.1:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
