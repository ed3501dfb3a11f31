//! Blocking HTTP GETs for loopback health checks and probes, on hyper-util's client (the
//! client the browser session's WebDriver connection already uses).
//!
//! Each call runs its request on a small current-thread runtime in a thread of its own, so the
//! functions may be called from plain code and from inside the tests' async runtime alike.

use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// How long one request may take, connecting included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// One answer: status, headers and the body as text.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers, names lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body (invalid UTF-8 replaced).
    pub body: String,
}

/// `GET url` over plain HTTP; `None` when the server cannot be reached, does not answer HTTP,
/// or takes longer than 5 s.
pub fn fetch(url: &str) -> Option<Answer> {
    fetch_with(url, &[])
}

/// [`fetch`] with request headers (`("cookie", "wl_session=…")`, for a page that needs the
/// browser's session).
pub fn fetch_with(url: &str, headers: &[(&str, &str)]) -> Option<Answer> {
    let uri: http::Uri = url.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let mut request = http::Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(String::new()).ok()?;
    let exchange = async move {
        let client = Client::builder(TokioExecutor::new()).build_http::<String>();
        let response = client.request(request).await.ok()?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.into_body().collect().await.ok()?.to_bytes();
        Some(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime
                .block_on(async { tokio::time::timeout(REQUEST_TIMEOUT, exchange).await })
                .ok()
                .flatten()
        })
        .join()
        .ok()
        .flatten()
    })
}

/// `GET url` over plain HTTP; the status code and the body, or `None` as for [`fetch`].
pub fn get(url: &str) -> Option<(u16, String)> {
    fetch(url).map(|a| (a.status, a.body))
}

/// Polls `GET url` with backoff (20 ms doubling to 500 ms) until it answers 200; on a timeout,
/// the last status seen (`None`: never reached).
pub fn wait_for_200(url: &str, timeout: Duration) -> Result<(), Option<u16>> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        let got = fetch(url).map(|a| a.status);
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

/// [`wait_for_200`], its timeout as the tests' [`E2eError::Timeout`](crate::E2eError::Timeout).
pub fn wait_ready(url: &str, timeout: Duration) -> crate::Result<()> {
    wait_for_200(url, timeout).map_err(|last| crate::E2eError::Timeout {
        what: format!("{url} to answer 200"),
        timeout,
        last: format!("; last seen: {last:?}"),
    })
}

/// `GET url` over plain HTTP; the answer as HTTP/1.1 text (status line, `name: value` header
/// lines with lowercase names, a blank line, the body), for checks that read headers.
pub fn get_raw(url: &str) -> Option<String> {
    let a = fetch(url)?;
    let mut text = format!("HTTP/1.1 {}\r\n", a.status);
    for (name, value) in &a.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&a.body);
    Some(text)
}

/// A free TCP port on 127.0.0.1 (bound, read, released: a small race we accept for tests).
/// For more than one port at once use [`free_ports`]: two calls in a row may return one port.
pub fn free_port() -> std::io::Result<u16> {
    let [port] = free_ports()?;
    Ok(port)
}

/// `N` distinct free TCP ports on 127.0.0.1: all `N` stay bound until every port is read, so
/// the kernel cannot hand the same port out twice (then all are released, as [`free_port`]).
pub fn free_ports<const N: usize>() -> std::io::Result<[u16; N]> {
    let mut listeners = Vec::with_capacity(N);
    let mut ports = [0; N];
    for port in &mut ports {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        *port = listener.local_addr()?.port();
        listeners.push(listener);
    }
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A one-shot server that answers like chromedriver: `Content-Length`, and the connection
    /// kept open afterwards.
    fn keep_alive_server(body: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Probe: yes\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            std::thread::sleep(Duration::from_secs(30));
        });
        format!("http://{addr}/status")
    }

    #[test]
    fn reads_status_headers_and_body_without_waiting_for_close() {
        let url = keep_alive_server(r#"{"ready":true}"#);
        let start = Instant::now();
        let raw = get_raw(&url).expect("an answer");
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "{:?}",
            start.elapsed()
        );
        assert!(raw.starts_with("HTTP/1.1 200\r\n"), "{raw}");
        assert!(raw.contains("\r\nx-probe: yes\r\n"), "{raw}");
        assert!(raw.ends_with("\r\n\r\n{\"ready\":true}"), "{raw}");
    }

    #[test]
    fn works_inside_an_async_runtime() {
        let url = keep_alive_server("ok");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let got = runtime.block_on(async { get(&url) });
        assert_eq!(got, Some((200, "ok".to_owned())));
    }

    #[test]
    fn ports_picked_together_are_distinct() {
        for _ in 0..200 {
            let [a, b, c] = free_ports().expect("ports");
            assert!(a != b && b != c && a != c, "{a} {b} {c}");
        }
    }

    #[test]
    fn an_unreachable_server_times_out_with_no_status() {
        let port = free_port().expect("port");
        let start = Instant::now();
        let got = wait_for_200(
            &format!("http://127.0.0.1:{port}/"),
            Duration::from_millis(300),
        );
        assert_eq!(got, Err(None));
        assert!(start.elapsed() >= Duration::from_millis(300));
        assert!(get("https://127.0.0.1:1/").is_none(), "only plain http");
    }
}
