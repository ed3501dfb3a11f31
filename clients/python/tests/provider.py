"""Test helpers: a real ``wl-server`` on loopback ports with a temporary data directory, the
operator CLI, and a scripted browser-less user agent (cookie jar, no redirects followed) that
signs a demo person in and allows the app, as the provider's own HTTP tests do."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[3]
REDIRECT = "http://127.0.0.1:4000/callback"


def server_bin() -> str:
    """``WL_SERVER_BIN``, else the workspace's debug build."""
    return os.environ.get("WL_SERVER_BIN") or str(ROOT / "target" / "debug" / "wl-server")


class Provider:
    """``wl-server serve`` on ephemeral loopback ports; ``stop()`` ends it and removes its data."""

    def __init__(self) -> None:
        self.data_dir = tempfile.mkdtemp(prefix="wl-pyclient-")
        self.log_path = os.path.join(self.data_dir, "server.log")
        self._log = open(self.log_path, "ab")
        env = {k: v for k, v in os.environ.items() if k not in ("WL_SITE_DIRS", "WL_DEMO")}
        env["NO_COLOR"] = "1"
        self.process = subprocess.Popen(
            [server_bin(), "serve", "--bind", "127.0.0.1", "--site-port", "0",
             "--provider-port", "0", "--data-dir", self.data_dir],
            cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._log,
        )
        ready: List[str] = []
        got = threading.Event()

        def pump() -> None:
            assert self.process.stdout is not None
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace")
                self._log.write(raw)
                self._log.flush()
                if line.startswith("wl-server ready ") and not ready:
                    ready.append(line)
                    got.set()

        threading.Thread(target=pump, daemon=True).start()
        if not got.wait(90) or not ready:
            self.stop()
            raise RuntimeError("wl-server did not get ready:\n" + self.log_tail())
        words = dict(w.split("=", 1) for w in ready[0].split() if "=" in w)
        self.issuer = words["provider"].rstrip("/")
        self.site = words["site"].rstrip("/")

    def cli(self, *args: str) -> Tuple[int, str, str]:
        """Runs ``wl-server ARGS --data-dir DATA``; (exit code, stdout, stderr)."""
        out = subprocess.run(
            [server_bin(), *args, "--data-dir", self.data_dir],
            cwd=str(ROOT), capture_output=True, text=True, timeout=60,
        )
        return out.returncode, out.stdout, out.stderr

    def register(self, name: str, redirect: str = REDIRECT) -> str:
        """``apps add``; the client id."""
        code, out, err = self.cli("apps", "add", "--name", name, "--redirect-uri", redirect)
        if code != 0:
            raise RuntimeError(err)
        return out.strip()

    def new_secret(self, client_id: str) -> Tuple[str, str]:
        """``apps secret new``; (id, secret)."""
        code, out, err = self.cli("apps", "secret", "new", "--client-id", client_id)
        if code != 0:
            raise RuntimeError(err)
        secret_id, secret = out.strip().split(" ", 1)
        return secret_id, secret

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class Browser:
    """A person's user agent without JavaScript: cookies kept, redirects not followed (the
    test reads each ``Location``)."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, url: str, form: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], str]:
        if url.startswith("/"):
            url = self.issuer + url
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data)
        try:
            with self.opener.open(req, timeout=20) as res:
                return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace") if e.fp is not None else ""
            return e.code, {k.lower(): v for k, v in e.headers.items()}, body

    def open_authorize(self, authorize_url: str, username: str = "alice", password: str = "demo") -> Tuple[int, Dict[str, str], str]:
        """Opens the authorize URL and signs in if asked: the consent page (200) or, for a
        grant the person already made, the redirect to the app (302)."""
        status, headers, page = self.request(authorize_url)
        if status == 200 and 'action="/signin"' in page:
            status, headers, _ = self.request("/signin", {
                "csrf": hidden(page, "csrf"),
                "continue": hidden(page, "continue"),
                "username": username,
                "password": password,
            })
            assert status == 303, f"sign-in answers 303, not {status}"
            status, headers, page = self.request(headers["location"])
        assert status in (200, 302), f"consent page or redirect, not {status}: {page[:500]}"
        return status, headers, page

    def decide(self, page: str, decision: str = "allow") -> str:
        """Submits the consent form; the redirect's ``Location`` (the app's callback)."""
        assert "Remember this connection" in page, f"a consent page: {page[:1000]}"
        status, headers, _ = self.request("/authorize/decision", {
            "csrf": hidden(page, "csrf"),
            "request": hidden(page, "request"),
            "decision": decision,
        })
        assert status == 303, f"the decision answers 303, not {status}"
        return headers["location"]

    def authorize(self, authorize_url: str, username: str = "alice") -> str:
        """Sign in and allow (when asked): the callback URL the provider redirects to."""
        status, headers, page = self.open_authorize(authorize_url, username)
        if status == 302:
            return headers["location"]
        return self.decide(page)


def hidden(page: str, name: str) -> str:
    """A hidden form field's value."""
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not m:
        raise AssertionError(f"no field {name} in page:\n{page[:2000]}")
    return html.unescape(m.group(1))


def query_of(url: str) -> Dict[str, str]:
    """A URL's query parameters."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def wait(seconds: float) -> None:
    time.sleep(seconds)
