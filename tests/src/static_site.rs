//! A plain static file server (Python's `http.server`, not our dev host): the customer's site on
//! a third origin, a copy of the package on a "CDN", the bench's anchor pages.

use crate::error::Result;
use crate::{http, process::GroupChild};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// `http.server`'s static files with the headers `argv[2]` (a JSON object) on every answer.
const HEADERS_SERVER: &str = "import http.server, json, sys
HEADERS = json.loads(sys.argv[2])
class H(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        for k, v in HEADERS.items():
            self.send_header(k, v)
        super().end_headers()
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
";

/// `http.server`'s static files, but a request with `?at=N` gets the file's first `N` bytes,
/// then nothing for `argv[2]` milliseconds, then the rest: a page that arrives in two pieces,
/// as over a slow network, so the browser renders a frame of what it has parsed so far.
const PIECES_SERVER: &str = "import http.server, sys, time, urllib.parse
PAUSE = int(sys.argv[2]) / 1000
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        at = urllib.parse.parse_qs(url.query).get('at')
        if not at:
            return super().do_GET()
        body = open(self.translate_path(url.path), 'rb').read()
        cut = min(int(at[0]), len(body))
        self.send_response(200)
        self.send_header('Content-Type', 'text/html; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'no-store')
        self.end_headers()
        self.wfile.write(body[:cut])
        self.wfile.flush()
        time.sleep(PAUSE)
        self.wfile.write(body[cut:])
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
";

/// Serves `dir` on `127.0.0.1:port` like [`serve`], but a page asked for with `?at=N` arrives
/// in two pieces: its first `N` bytes, then `pause` later the rest.
pub fn serve_in_pieces(dir: &Path, port: u16, pause: Duration, ready: &str) -> Result<GroupChild> {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", PIECES_SERVER])
        .arg(port.to_string())
        .arg(pause.as_millis().to_string());
    start(cmd, dir, port, ready)
}

/// Serves `dir` on `127.0.0.1:port` (with `cors`, `Access-Control-Allow-Origin: *` on every
/// answer); returns once `ready` (a path under it) answers 200. Stops when dropped.
pub fn serve(dir: &Path, port: u16, cors: bool, ready: &str) -> Result<GroupChild> {
    if cors {
        return serve_with_headers(dir, port, &[("Access-Control-Allow-Origin", "*")], ready);
    }
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "http.server", "--bind", "127.0.0.1"])
        .arg(port.to_string());
    start(cmd, dir, port, ready)
}

/// [`serve`] with `headers` on every answer (a site's `Cross-Origin-Opener-Policy`, …).
pub fn serve_with_headers(
    dir: &Path,
    port: u16,
    headers: &[(&str, &str)],
    ready: &str,
) -> Result<GroupChild> {
    let object: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).into()))
        .collect();
    let mut cmd = Command::new("python3");
    cmd.args(["-c", HEADERS_SERVER])
        .arg(port.to_string())
        .arg(serde_json::Value::Object(object).to_string());
    start(cmd, dir, port, ready)
}

fn start(mut cmd: Command, dir: &Path, port: u16, ready: &str) -> Result<GroupChild> {
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = GroupChild::spawn(cmd, "python3 -m http.server")?;
    http::wait_ready(
        &format!("http://127.0.0.1:{port}/{ready}"),
        Duration::from_secs(10),
    )?;
    child.ensure_running()?;
    Ok(child)
}
