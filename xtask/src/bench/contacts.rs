//! A person with 10,000 contacts: a `$filter` + `$orderby` + `$top=50` query (issue 5).
//!
//! `wl-server seed-contacts` adds 10,000 generated contacts to alice's address book in the
//! running server's data folder, `wl-server dev-token` mints a `wl.contacts` token, then:
//! - one client, one request at a time on one keep-alive connection (after a warm-up): p50/p99
//!   of the query — the budget row, p50 under 5 ms. hyper-util's client (the end-to-end tests'
//!   HTTP stack) with `TCP_NODELAY` does the timing, on one pooled connection;
//! - `wrk -t2 -c16`: requests per second and the latency under that load.

use std::process::Command;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::{Ctx, Row, block_on};
use crate::util::{Error, Result};

/// Contacts seeded for the person (the load and scale sections seed as many).
pub(super) const CONTACTS: usize = 10_000;
/// Sequential requests timed for p50/p99.
const SAMPLES: usize = 1_000;
/// The query: a filter on two fields, two sort keys, a page of 50, percent-encoded (the load and
/// scale sections load the same one).
pub(super) const QUERY: &str = "/v1/me/contacts?$filter=startswith(last_name,%27B%27)%20and%20is_favorite%20eq%20false&$orderby=last_name,first_name&$top=50";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A keep-alive HTTP/1.1 client with `TCP_NODELAY`: sequential requests reuse one connection.
type HttpClient = Client<HttpConnector, Empty<Bytes>>;

fn client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new()).build(connector)
}

/// `GET url` with the bearer token; errors unless it is a 200. Returns the body.
async fn get(client: &HttpClient, url: &str, token: &str) -> Result<Bytes> {
    let request = http::Request::get(url)
        .header("Authorization", format!("Bearer {token}"))
        .body(Empty::new())?;
    let response = tokio::time::timeout(Duration::from_secs(10), client.request(request))
        .await
        .map_err(|_| Error(format!("GET {url}: no answer in 10 s")))?
        .map_err(|e| Error(format!("GET {url}: {e}")))?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if status != http::StatusCode::OK {
        return Err(Error(format!("GET {url} answered {status}")));
    }
    Ok(body)
}

/// This section's rows.
pub fn measure(ctx: &Ctx) -> Result<Vec<Row>> {
    let (added, token) = crate::provider::alice_with_contacts(ctx.server_bin, ctx.data, CONTACTS)?;
    let url = format!("{}{QUERY}", ctx.provider);
    let (first, mut times) = block_on(async {
        let client = client();
        let body = get(&client, &format!("{url}&$count=true"), &token).await?;
        let first: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| Error(format!("GET {url}: not JSON: {e}")))?;
        for _ in 0..100 {
            get(&client, &url, &token).await?;
        }
        let mut times = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let t = Instant::now();
            get(&client, &url, &token).await?;
            times.push(t.elapsed());
        }
        Ok::<_, Error>((first, times))
    })??;
    let page = first["data"].as_array().map_or(0, Vec::len);
    let matches = first["count"].as_u64().unwrap_or(0);
    if page != 50 {
        return Err(Error(format!(
            "the bench query should fill a page of 50, got {page}: {first}"
        )));
    }
    times.sort();
    let p50 = percentile(&times, 50.0);
    let p99 = percentile(&times, 99.0);

    let out = Command::new("wrk")
        .args(["-t2", "-c16", "--latency", "-d"])
        .arg(format!("{}s", ctx.seconds))
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .arg(&url)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if text.lines().any(|l| l.contains("Non-2xx")) {
        return Err(Error(format!(
            "the contacts query under load answered errors:\n{text}"
        )));
    }
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| Error(format!("cannot read wrk output:\n{text}")))?;
    let pct = |p: &str| -> String {
        text.lines()
            .find_map(|l| {
                let mut it = l.split_whitespace();
                (it.next() == Some(p))
                    .then(|| it.next().map(str::to_string))
                    .flatten()
            })
            .unwrap_or_else(|| "?".into())
    };

    Ok(vec![
        Row {
            what: format!(
                "contacts query ({added} contacts, $filter matching {matches}, $orderby 2 keys, $top=50), 1 client: p50"
            ),
            value: ms(p50),
            budget: Some(("p50 < 5 ms".into(), p50 < Duration::from_millis(5))),
        },
        Row {
            what: "contacts query, 1 client: p99".into(),
            value: ms(p99),
            budget: None,
        },
        Row {
            what: "contacts query under wrk -t2 -c16".into(),
            value: format!("{rps:.0} req/s"),
            budget: None,
        },
        Row {
            what: "contacts query under wrk -t2 -c16: latency p50 / p99".into(),
            value: format!("{} / {}", pct("50%"), pct("99%")),
            budget: None,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::{block_on, client, get};
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// The bench's client sends the bearer token, keeps one connection for sequential requests,
    /// returns a 200's body and fails on anything else.
    #[test]
    fn gets_on_one_kept_alive_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/v1/x", listener.local_addr().expect("addr"));
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut stream = stream;
            let mut auth = Vec::new();
            for status in ["200 OK", "404 Not Found"] {
                let mut line = String::new();
                while reader.read_line(&mut line).expect("read") > 2 {
                    if line.to_ascii_lowercase().starts_with("authorization:") {
                        auth.push(line.trim().to_string());
                    }
                    line.clear();
                }
                let body = "{\"ok\":true}";
                write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .expect("write");
            }
            auth
        });
        let (first, second) = block_on(async {
            let client = client();
            (
                get(&client, &url, "t0k3n").await,
                get(&client, &url, "t0k3n").await,
            )
        })
        .expect("runtime");
        assert_eq!(first.ok().as_deref(), Some(&b"{\"ok\":true}"[..]));
        assert!(second.is_err(), "a 404 is an error");
        let auth = server.join().expect("server");
        assert_eq!(auth, vec!["authorization: Bearer t0k3n"; 2]);
    }
}
