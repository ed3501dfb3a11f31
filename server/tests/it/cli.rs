//! The `wl-server` binary: the ready line, `apps add` / `apps list`, and `dev-token`.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wl-server");

fn temp_dir() -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "wl-server-cli-{}",
        wl_server::crypto::random_hex(8)
    ));
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[tokio::test]
async fn serve_prints_the_ready_line_and_cli_tokens_work() {
    let dir = temp_dir();
    let data = dir.join("data");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--site-port",
            "0",
            "--provider-port",
            "0",
            "--site-dir",
            dir.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn wl-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let line = line.trim_end();
    let re_ok = line.starts_with("wl-server ready site=http://127.0.0.1:")
        && line.contains(" provider=http://127.0.0.1:");
    assert!(re_ok, "ready line: {line:?}");
    let site = line
        .split(' ')
        .find_map(|w| w.strip_prefix("site="))
        .unwrap()
        .to_owned();
    let provider = line
        .split(' ')
        .find_map(|w| w.strip_prefix("provider="))
        .unwrap()
        .to_owned();
    let c = reqwest::Client::new();
    assert_eq!(
        c.get(format!("{site}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        c.get(format!("{provider}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // dev-token mints a token the running server accepts.
    let out = Command::new(BIN)
        .args([
            "dev-token",
            "--user",
            "bob",
            "--scope",
            "wl.basic wl.emails",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("wlat_"));
    let me: serde_json::Value = c
        .get(format!("{provider}/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["first_name"], "Bob");
    assert_eq!(me["emails"]["preferred"], "bob@example.net");

    // apps add prints a client id; apps list shows it; the running server knows it at once.
    let out = Command::new(BIN)
        .args([
            "apps",
            "add",
            "--name",
            "My site",
            "--redirect-uri",
            "http://127.0.0.1:3000/cb.html",
            "--origin",
            "http://127.0.0.1:3000",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client_id = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(!client_id.is_empty() && !client_id.contains(' '));
    let out = Command::new(BIN)
        .args(["apps", "list", "--data-dir", data.to_str().unwrap()])
        .output()
        .unwrap();
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(
        list.contains(&client_id)
            && list.contains("My site")
            && list.contains("http://127.0.0.1:3000/cb.html"),
        "{list}"
    );
    assert!(
        list.contains("wl-demo") && list.contains(&format!("{site}/callback.html")),
        "{list}"
    );
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!(
            "{provider}/authorize?response_type=code&client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcb.html&scope=wl.basic&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("My site"));

    // A bad redirect URI is refused with a clear message.
    let out = Command::new(BIN)
        .args([
            "apps",
            "add",
            "--name",
            "x",
            "--redirect-uri",
            "not a url",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a URL"));

    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
