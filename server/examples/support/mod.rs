//! What the hub's load examples share: a `wl.messenger` token for every demo person.

/// Mints a `wl.messenger` token for the demo app for every demo person in the running server's
/// database (the tokens are stored there, so the server accepts them), in username order.
pub async fn messenger_tokens(provider: &str, data: &str) -> Vec<String> {
    // `data` is the data folder, or the database's URL when the server runs on PostgreSQL.
    let config = wl_server::Config {
        data_dir: data.into(),
        database: data.starts_with("postgres").then(|| data.to_owned()),
        db_connections: 1,
        ..wl_server::Config::default()
    };
    let state = wl_server::server::open_state(&config, provider)
        .await
        .expect("the database");
    let users: Vec<String> = wl_server::store::seed::demo_usernames();
    let mut tokens = Vec::with_capacity(users.len());
    for u in &users {
        tokens.push(
            wl_server::identity::tokens::dev_token(&state.tokens, u, "wl-demo", "wl.messenger")
                .await
                .expect("a token"),
        );
    }
    tokens
}

/// A `welcome` frame's own person id and friends' ids.
pub fn welcome(v: &serde_json::Value) -> (String, Vec<String>) {
    let me = v["me"]["id"].as_str().unwrap_or_default().to_owned();
    let friends = v["friends"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (me, friends)
}

/// The `p` quantile (0–1) of `sorted` microseconds, in milliseconds (0 when empty).
pub fn quantile_ms(sorted: &[u64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(at).copied().unwrap_or_default() as f64 / 1e3
}
