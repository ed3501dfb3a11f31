//! A tiny blocking HTTP/1.1 GET for loopback health checks (no client library needed).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// `GET url` over plain HTTP; returns the status code and the raw body, or `None` when the
/// server cannot be reached or answers something that is not HTTP.
pub fn get(url: &str) -> Option<(u16, String)> {
    let text = get_raw(url)?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls `GET url` with backoff (20 ms doubling to 500 ms) until it answers 200; on a timeout,
/// the last status seen (`None`: never reached).
pub fn wait_for_200(url: &str, timeout: Duration) -> Result<(), Option<u16>> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        let got = get(url).map(|(status, _)| status);
        if got == Some(200) {
            return Ok(());
        }
        if start.elapsed() > timeout {
            return Err(got);
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

/// `GET url` over plain HTTP; the whole response (status line, headers, body) as text.
pub fn get_raw(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // Some servers (chromedriver) keep the connection open despite `Connection: close`, so
    // stop once `Content-Length` bytes of body have arrived.
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) if !response.is_empty() => break,
            Err(_) => return None,
        };
        response.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&response, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|len| response.len() >= end + 4 + len) {
                break;
            }
        }
    }
    Some(String::from_utf8_lossy(&response).into_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A free TCP port on 127.0.0.1 (bound, read, released: a small race we accept for tests).
pub fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
