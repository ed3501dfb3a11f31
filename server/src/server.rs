//! Starting the provider and the site: binds both listeners, opens the store, seeds demo data,
//! and serves until shut down.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::error::AppError;
use crate::identity::keys::SigningKey;
use crate::identity::tokens::{ACCESS_TTL, CODE_TTL, Tokens, TokensInner};
use crate::site::{SiteConfig, site_router};
use crate::state::{AppState, Inner};
use crate::store::db::Db;
use axum::serve::ListenerExt;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address both listeners bind to.
    pub bind: IpAddr,
    /// Site port (0: ephemeral).
    pub site_port: u16,
    /// Provider port (0: ephemeral).
    pub provider_port: u16,
    /// Where the SQLite file lives (the default database).
    pub data_dir: PathBuf,
    /// The database, when not the SQLite file in `data_dir`: a `postgres://…` URL (shared by
    /// every instance behind a balancer; see docs/deploy.md).
    pub database: Option<String>,
    /// Directories the site serves, in order.
    pub site_dirs: Vec<PathBuf>,
    /// Seed demo people and reset the demo app.
    pub demo: bool,
    /// Add `Cross-Origin-Opener-Policy: same-origin` to provider pages.
    pub provider_coop: bool,
    /// Offer the right-to-left pseudo-locale `ar-XB` on the provider's pages (layout checks).
    pub pseudo_locale: bool,
    /// Authorization code lifetime, seconds (≤ 60).
    pub code_ttl: i64,
    /// Access token lifetime, seconds (10 to [`ACCESS_TTL`], one hour).
    pub access_ttl: i64,
    /// A PKCS#8 PEM key used instead of generating one on first start (tests share one).
    pub signing_key_pem: Option<String>,
    /// Database connections in the pool.
    pub db_connections: usize,
    /// The messenger hub's timings and limits.
    pub hub: crate::hub::HubConfig,
    /// The provider's origin as browsers reach it (the issuer), when that is not this instance's
    /// own listener: behind a load balancer. `None`: `http://{bind}:{provider_port}`.
    pub public_provider_origin: Option<String>,
    /// The site's origin as browsers reach it (the demo app's redirect URIs), likewise.
    pub public_site_origin: Option<String>,
    /// Peers whose `X-Forwarded-For` is believed (a load balancer in front): the client's address
    /// for sign-in throttling is then the last address in that header that is not one of them.
    pub trusted_proxies: Vec<IpAddr>,
    /// Cross-instance state ([`crate::bus::Bus::Local`]: none, one instance).
    pub bus: crate::bus::Bus,
    /// Feed polling (docs/activities.md "Feeds").
    pub feeds: crate::feeds::FeedsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            site_port: 8080,
            provider_port: 8081,
            data_dir: PathBuf::from("data"),
            database: None,
            site_dirs: vec![PathBuf::from("target/wl-dist"), PathBuf::from("www")],
            demo: true,
            provider_coop: false,
            pseudo_locale: false,
            code_ttl: CODE_TTL,
            access_ttl: ACCESS_TTL,
            signing_key_pem: None,
            db_connections: 4,
            hub: crate::hub::HubConfig::default(),
            public_provider_origin: None,
            public_site_origin: None,
            trusted_proxies: Vec::new(),
            bus: crate::bus::Bus::Local,
            feeds: crate::feeds::FeedsConfig::default(),
        }
    }
}

/// `origin` as an origin (`http(s)://host[:port]`, no path), or why not.
pub fn public_origin(flag: &str, origin: &str) -> Result<String, AppError> {
    let bad = |why: &str| AppError::Invalid(format!("{flag} {origin:?}: {why}"));
    let url = url::Url::parse(origin).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("not an http(s) URL"));
    }
    if url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(bad("an origin has no path, query, fragment or user"));
    }
    Ok(url.origin().ascii_serialization())
}

/// Opens the store and builds the provider state for `issuer` (also used by the CLI).
pub async fn open_state(config: &Config, issuer: &str) -> Result<AppState, AppError> {
    let db = match &config.database {
        Some(url) => Db::connect(url, config.db_connections).await?,
        None => Db::open(&config.data_dir, config.db_connections).await?,
    };
    let key = SigningKey::load_or_create(&db, config.signing_key_pem.as_deref()).await?;
    let csrf_key = crate::identity::sessions::load_or_create_key(&db).await?;
    let dummy_hash = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2::Argon2::default()
            .hash_password(b"not-a-real-password", &salt)
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))?
            .to_string()
    };
    let db = Arc::new(db);
    let clock = Arc::new(Clock::default());
    let issuer = issuer.trim_end_matches('/').to_owned();
    let tokens = Tokens::new(TokensInner {
        db: db.clone(),
        clock: clock.clone(),
        key,
        issuer: issuer.clone(),
        code_ttl: config.code_ttl.clamp(1, CODE_TTL),
        access_ttl: config.access_ttl.clamp(10, ACCESS_TTL),
        tokens: Default::default(),
        stats: Arc::new(crate::stats::Stats::new(&csrf_key)),
    });
    tokens.tokens.set_bus(config.bus.clone());
    Ok(AppState::new(Inner {
        db,
        clock,
        issuer,
        coop: config.provider_coop,
        demo: config.demo,
        pseudo_locale: config.pseudo_locale,
        tokens,
        throttle: Default::default(),
        dummy_hash,
        hub: {
            let hub = Arc::new(crate::hub::Hub::default());
            hub.configure(config.hub.clone());
            hub.set_bus(config.bus.clone());
            hub
        },
        csrf_key,
        bus: config.bus.clone(),
        feeds: crate::feeds::Feeds::new(config.feeds.clone()),
    }))
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    /// The site listener's address.
    pub site_addr: SocketAddr,
    /// The provider listener's address.
    pub provider_addr: SocketAddr,
    /// The provider state (tests advance its clock).
    pub state: AppState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

impl Running {
    /// `http://127.0.0.1:PORT` of the site.
    pub fn site_origin(&self) -> String {
        origin(self.site_addr)
    }

    /// `http://127.0.0.1:PORT` of the provider (the issuer).
    pub fn provider_origin(&self) -> String {
        origin(self.provider_addr)
    }

    /// The line printed once both listeners accept connections.
    pub fn ready_line(&self) -> String {
        format!(
            "wl-server ready site={} provider={}",
            self.site_origin(),
            self.provider_origin()
        )
    }

    /// Stops both listeners and waits for them to finish.
    pub async fn shutdown(mut self) {
        // Messenger connections hear "going away" (1001) and reconnect elsewhere.
        self.state.hub.shut_down();
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        // What the last requests counted after the flusher's final flush.
        if let Err(e) = self.state.tokens.stats.flush(&self.state.db).await {
            tracing::warn!(error = %e, "statistics flush at shutdown failed; counts lost");
        }
    }
}

/// Every accepted connection sends what is written at once (`TCP_NODELAY`): an answer's last
/// small write is not held back waiting for the client's acknowledgement of the one before.
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY not set");
    }
}

/// Binds, prepares the store and starts serving in the background.
pub async fn start(config: Config) -> Result<Running, AppError> {
    let bind = |port: u16| async move {
        TcpListener::bind((config.bind, port))
            .await
            .map_err(|e| AppError::Invalid(format!("cannot listen on {}:{port}: {e}", config.bind)))
    };
    let provider_listener = bind(config.provider_port).await?;
    let site_listener = bind(config.site_port).await?;
    let local = |l: &TcpListener| {
        l.local_addr()
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    let provider_addr = local(&provider_listener)?;
    let site_addr = local(&site_listener)?;
    let issuer = match &config.public_provider_origin {
        Some(o) => public_origin("--public-provider-origin", o)?,
        None => origin(provider_addr),
    };
    let site_origin = match &config.public_site_origin {
        Some(o) => public_origin("--public-site-origin", o)?,
        None => origin(site_addr),
    };

    let state = open_state(&config, &issuer).await?;
    if config.demo {
        let now = state.clock.now();
        crate::store::seed::ensure_demo_people(&state.db, now).await?;
        crate::store::seed::reset_demo_app(&state.db, &site_origin, now).await?;
    }

    share(&state);
    let provider = crate::provider::provider_router(state.clone())
        .layer(crate::web::forwarded_layer(config.trusted_proxies.clone()))
        .into_make_service_with_connect_info::<SocketAddr>();
    let site = site_router(SiteConfig {
        dirs: config.site_dirs.clone(),
        provider_origin: issuer,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let stats_task = crate::stats::spawn_flusher(
        state.tokens.stats.clone(),
        state.db.clone(),
        stop_rx.clone(),
    );
    let feeds_task = crate::feeds::spawn_poller(state.clone(), stop_rx.clone());
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let provider_task = tokio::spawn({
        let stop = stopped(stop_rx.clone());
        async move {
            if let Err(e) = axum::serve(provider_listener.tap_io(no_delay), provider)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!(error = %e, "provider listener failed");
            }
        }
    });
    let site_task = tokio::spawn({
        let stop = stopped(stop_rx);
        async move {
            if let Err(e) = axum::serve(site_listener.tap_io(no_delay), site)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!(error = %e, "site listener failed");
            }
        }
    });
    Ok(Running {
        site_addr,
        provider_addr,
        state,
        stop: stop_tx,
        // The statistics' last flush runs once the listeners have stopped.
        tasks: vec![provider_task, site_task, stats_task, feeds_task],
    })
}

/// With a bus: starts the hub's bus task and hands the other instances' events to the hub and
/// the token cache.
fn share(state: &AppState) {
    let Some(redis) = state.bus.redis().cloned() else {
        return;
    };
    let hub = <crate::hub::HubState as axum::extract::FromRef<AppState>>::from_ref(state);
    crate::hub::remote::start(hub.clone());
    let tokens = state.tokens.clone();
    redis.subscribe(move |event| match event {
        crate::bus::Event::Token { hash } => {
            if let Some(h) = crate::crypto::unhex32(&hash) {
                tokens.tokens.forget_here(&h);
            }
        }
        crate::bus::Event::Grant { id } => tokens.tokens.forget_grant_here(&id),
        other => crate::hub::remote::inbound(&hub, other),
    });
}
