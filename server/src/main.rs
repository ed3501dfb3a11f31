//! `wl-server`: the reference provider and dev host (see docs/contracts.md for the CLI).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use wl_server::identity::apps::{AppInput, LogoInput};
use wl_server::{AppError, Config};

/// The wl-connect reference provider and dev host.
#[derive(Debug, Parser)]
#[command(name = "wl-server", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the site and the provider.
    Serve(ServeArgs),
    /// Manage registered apps.
    Apps {
        #[command(subcommand)]
        command: AppsCommand,
    },
    /// Mint an access token for a person and the demo app (benchmarks, curl examples); prints only the token.
    DevToken(DevTokenArgs),
    /// Add generated contacts to a demo person's address book (benchmarks); prints how many.
    SeedContacts(SeedContactsArgs),
}

#[derive(Debug, Args)]
struct DataDir {
    /// Directory holding the SQLite database (the default database).
    #[arg(long, env = "WL_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The database instead of the SQLite file: `postgres://user[:password]@host:port/name`
    /// (every instance behind a balancer uses the same one; docs/deploy.md).
    #[arg(long, env = "WL_DATABASE")]
    database: Option<String>,
    /// Database connections in this process's pool.
    #[arg(long, env = "WL_DB_CONNECTIONS", default_value_t = 4)]
    db_connections: usize,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (loopback).
    #[arg(long, env = "WL_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port of the site origin (0: any free port).
    #[arg(long, env = "WL_SITE_PORT", default_value_t = 8080)]
    site_port: u16,
    /// Port of the provider origin (0: any free port).
    #[arg(long, env = "WL_PROVIDER_PORT", default_value_t = 8081)]
    provider_port: u16,
    #[command(flatten)]
    data: DataDir,
    /// Directory the site serves; repeat for several (first hit wins). Default: target/wl-dist, www.
    #[arg(long = "site-dir", env = "WL_SITE_DIRS", value_delimiter = ':')]
    site_dirs: Vec<PathBuf>,
    /// Do not seed demo people or reset the demo app.
    #[arg(long)]
    no_demo: bool,
    /// Add `Cross-Origin-Opener-Policy` with this value to provider pages (only `same-origin`).
    #[arg(long, env = "WL_PROVIDER_COOP", value_parser = ["same-origin"])]
    provider_coop: Option<String>,
    /// Offer the right-to-left pseudo-locale `ar-XB` on the provider's pages (`ui_locales=ar-XB`
    /// or `Accept-Language: ar-XB`), for checking right-to-left layouts. Not for production.
    #[arg(long, env = "WL_PSEUDO_LOCALE")]
    pseudo_locale: bool,
    /// Messenger connections one person may have open at once (the bench raises it).
    #[arg(long, env = "WL_HUB_CONNS_PER_PERSON", default_value_t = 8)]
    hub_conns_per_person: usize,
    /// Messenger frames a second one person may send over all their connections (burst: twice
    /// this; the bench raises it).
    #[arg(long, env = "WL_HUB_FRAMES_PER_SEC", default_value_t = 20)]
    hub_frames_per_sec: u32,
    /// How long friends keep seeing someone whose messenger connection closed as before, in
    /// milliseconds, so that a page change is no "offline, then online"; 0: at once. Default:
    /// the hub's (docs/messenger.md).
    #[arg(long, env = "WL_HUB_OFFLINE_GRACE_MS")]
    hub_offline_grace_ms: Option<u64>,
    /// How long an access token lives, in seconds (10 to 3600, the default); the loader renews
    /// it with the refresh token. Shorter lifetimes let a test see renewals.
    #[arg(long, env = "WL_ACCESS_TTL", value_parser = clap::value_parser!(i64).range(10..=3600))]
    access_ttl: Option<i64>,
    /// The provider's origin as browsers reach it (the issuer), behind a load balancer; default:
    /// this instance's own provider listener.
    #[arg(long, env = "WL_PUBLIC_PROVIDER_ORIGIN")]
    public_provider_origin: Option<String>,
    /// The site's origin as browsers reach it, behind a load balancer; default: this instance's
    /// own site listener.
    #[arg(long, env = "WL_PUBLIC_SITE_ORIGIN")]
    public_site_origin: Option<String>,
    /// A peer whose `X-Forwarded-For` is believed for the client's address (a load balancer);
    /// repeat for several. Default: none (the TCP peer is the client).
    #[arg(
        long = "trusted-proxy",
        env = "WL_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<IpAddr>,
    /// The messenger heartbeat window, milliseconds: a connection silent this long is closed,
    /// and with `--bus` an instance silent this long has its people shown offline.
    #[arg(long, env = "WL_HUB_HEARTBEAT_MS", default_value_t = 45_000, value_parser = clap::value_parser!(u64).range(300..))]
    hub_heartbeat_ms: u64,
    /// Share state with other instances over Redis: `redis://HOST:PORT[/DB]` (docs/scaling.md).
    /// Without it everything stays in this process.
    #[arg(long, env = "WL_BUS")]
    bus: Option<String>,
    /// Let app feeds be fetched from private, loopback, link-local and other non-public
    /// addresses (local development and tests only; docs/activities.md "Feeds").
    #[arg(long, env = "WL_FEEDS_ALLOW_PRIVATE")]
    feeds_allow_private: bool,
    /// How often each app feed is polled, in seconds.
    #[arg(long, env = "WL_FEEDS_INTERVAL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(10..))]
    feeds_interval: u64,
}

/// The exit code when the bus cannot be reached at start.
const EXIT_BUS: u8 = 3;

/// Why `serve` stopped.
enum ServeError {
    App(AppError),
    Bus(wl_server::bus::BusError),
}

impl From<AppError> for ServeError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

/// What `apps add` and `apps edit` say about an app.
#[derive(Debug, Args)]
struct AppOptions {
    /// The name people see on the consent screen.
    #[arg(long)]
    name: Option<String>,
    /// What the app does, shown on the consent screen (at most 500 characters).
    #[arg(long)]
    description: Option<String>,
    /// The app's terms of use (https; empty: none).
    #[arg(long = "terms-url")]
    terms_url: Option<String>,
    /// The app's privacy statement (https; empty: none).
    #[arg(long = "privacy-url")]
    privacy_url: Option<String>,
    /// An exact redirect URI (repeatable; on edit, the list replaces the old one).
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// A browser origin allowed to call the APIs (repeatable; default: the redirect URIs'
    /// origins; on edit, the list replaces the old one).
    #[arg(long = "origin")]
    origins: Vec<String>,
    /// A scope the app may request (repeatable; default: every scope; on edit, the list
    /// replaces the old one).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// A PNG or JPEG logo (at most 256 KB; stored re-encoded, at most 128×128).
    #[arg(long)]
    logo: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum AppsCommand {
    /// Register an app; prints its client id.
    Add {
        #[command(flatten)]
        app: AppOptions,
        /// The username of the person who owns the app in the developer portal.
        #[arg(long)]
        owner: Option<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// List registered apps.
    List {
        #[command(flatten)]
        data: DataDir,
    },
    /// Change a registered app: only what is given changes.
    Edit {
        /// The app's client id.
        #[arg(long = "client-id")]
        client_id: String,
        #[command(flatten)]
        app: AppOptions,
        /// Let the app request every scope again.
        #[arg(long = "all-scopes", conflicts_with = "scopes")]
        all_scopes: bool,
        /// Remove the app's logo.
        #[arg(long = "remove-logo", conflicts_with = "logo")]
        remove_logo: bool,
        #[command(flatten)]
        data: DataDir,
    },
    /// Delete an app, revoking every grant and token issued to it; prints what was revoked.
    Delete {
        /// The app's client id.
        #[arg(long = "client-id")]
        client_id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List an app's own activity templates, or add or remove one.
    Templates {
        /// The app's client id.
        #[arg(long = "client-id")]
        client_id: String,
        /// Add a template with this name (needs --text).
        #[arg(long, requires = "text", conflicts_with = "remove")]
        add: Option<String>,
        /// The new template's one line, e.g. `{actor} saved a recipe: {title}`.
        #[arg(long)]
        text: Option<String>,
        /// Remove the template with this name.
        #[arg(long)]
        remove: Option<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// List an app's owners, or add one.
    Owners {
        /// The app's client id.
        #[arg(long = "client-id")]
        client_id: String,
        /// The username of a person to make an owner.
        #[arg(long)]
        add: Option<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Manage an app's client secrets (confidential clients; docs/confidential-clients.md).
    Secret {
        #[command(subcommand)]
        command: SecretCommand,
    },
}

/// `wl-server apps secret …`: the same service as the portal's secrets page, as the operator.
#[derive(Debug, Subcommand)]
enum SecretCommand {
    /// Make a new secret (the app becomes confidential); prints `ID SECRET`, shown only this once.
    New {
        /// The app's client id.
        #[arg(long)]
        client_id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Make a new secret; the live ones keep working for the overlap window. Prints `ID SECRET`.
    Rotate {
        /// The app's client id.
        #[arg(long)]
        client_id: String,
        /// Hours the old secrets keep working (0: they stop at once; at most 720).
        #[arg(long, default_value_t = 24)]
        overlap_hours: i64,
        #[command(flatten)]
        data: DataDir,
    },
    /// Revoke one secret at once.
    Revoke {
        /// The app's client id.
        #[arg(long)]
        client_id: String,
        /// The secret's id (from `list`).
        #[arg(long)]
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List the app's secrets: id, state and dates (never the secrets).
    List {
        /// The app's client id.
        #[arg(long)]
        client_id: String,
        #[command(flatten)]
        data: DataDir,
    },
}

async fn run_secret(cmd: SecretCommand) -> Result<(), AppError> {
    use wl_server::identity::client_auth;
    let now = now();
    match cmd {
        SecretCommand::New { client_id, data } => {
            let state = offline_state(data).await?;
            let made = client_auth::create(&state.db, &client_id, now).await?;
            println!("{} {}", made.id, made.secret);
        }
        SecretCommand::Rotate {
            client_id,
            overlap_hours,
            data,
        } => {
            let state = offline_state(data).await?;
            let overlap = overlap_hours.saturating_mul(3600);
            let made = client_auth::rotate(&state.db, &client_id, overlap, now).await?;
            println!("{} {}", made.id, made.secret);
        }
        SecretCommand::Revoke {
            client_id,
            id,
            data,
        } => {
            let state = offline_state(data).await?;
            client_auth::revoke(&state.db, &client_id, &id, now).await?;
            println!("revoked {id}");
        }
        SecretCommand::List { client_id, data } => {
            let state = offline_state(data).await?;
            for s in client_auth::list(&state.db, &client_id).await? {
                let state = match (s.revoked_at, s.expires_at) {
                    (Some(at), _) => format!("revoked={at}"),
                    (None, Some(end)) if end <= now => format!("expired={end}"),
                    (None, Some(end)) => format!("live-until={end}"),
                    (None, None) => "live".to_owned(),
                };
                let used = s.last_used_at.map_or("never".to_owned(), |u| u.to_string());
                println!(
                    "{}  created={}  {state}  last-used={used}",
                    s.id, s.created_at
                );
            }
        }
    }
    Ok(())
}

#[derive(Debug, Args)]
struct DevTokenArgs {
    /// The demo person's username.
    #[arg(long, default_value = "alice")]
    user: String,
    /// Space-separated scopes.
    #[arg(long, default_value = "wl.basic")]
    scope: String,
    /// The app the token is for.
    #[arg(long, default_value = "wl-demo")]
    client_id: String,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Debug, Args)]
struct SeedContactsArgs {
    /// The demo person's username.
    #[arg(long, default_value = "alice")]
    user: String,
    /// How many contacts to add.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    #[command(flatten)]
    data: DataDir,
}

fn demo_env_off() -> bool {
    std::env::var("WL_DEMO").is_ok_and(|v| matches!(v.as_str(), "0" | "false" | "no" | "off"))
}

async fn serve(args: ServeArgs) -> Result<(), ServeError> {
    let defaults = Config::default();
    let heartbeat = std::time::Duration::from_millis(args.hub_heartbeat_ms);
    let bus = match &args.bus {
        Some(url) => wl_server::bus::Bus::connect(url, heartbeat)
            .await
            .map_err(ServeError::Bus)?,
        None => wl_server::bus::Bus::Local,
    };
    let config = Config {
        bind: args.bind,
        site_port: args.site_port,
        provider_port: args.provider_port,
        data_dir: args.data.data_dir,
        database: args.data.database,
        db_connections: args.data.db_connections.max(1),
        site_dirs: if args.site_dirs.is_empty() {
            defaults.site_dirs.clone()
        } else {
            args.site_dirs
        },
        demo: !(args.no_demo || demo_env_off()),
        provider_coop: args.provider_coop.is_some(),
        pseudo_locale: args.pseudo_locale,
        hub: wl_server::hub::HubConfig {
            max_conns_per_person: args.hub_conns_per_person.max(1),
            frames_per_sec: args.hub_frames_per_sec.max(1),
            burst: args.hub_frames_per_sec.max(1).saturating_mul(2),
            dead_after: heartbeat,
            ping_interval: defaults.hub.ping_interval.min(heartbeat * 4 / 9),
            offline_grace: args
                .hub_offline_grace_ms
                .map_or(defaults.hub.offline_grace, std::time::Duration::from_millis),
            ..defaults.hub.clone()
        },
        access_ttl: args.access_ttl.unwrap_or(defaults.access_ttl),
        public_provider_origin: args.public_provider_origin,
        public_site_origin: args.public_site_origin,
        trusted_proxies: args.trusted_proxies,
        bus,
        feeds: wl_server::feeds::FeedsConfig {
            allow_private: args.feeds_allow_private,
            interval: std::time::Duration::from_secs(args.feeds_interval),
            tick: std::time::Duration::from_secs(args.feeds_interval.min(10)),
            ..Default::default()
        },
        ..defaults
    };
    let running = wl_server::start(config).await?;
    println!("{}", running.ready_line());
    tracing::info!(site = %running.site_origin(), provider = %running.provider_origin(), "serving");
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn offline_state(data: DataDir) -> Result<wl_server::AppState, AppError> {
    let config = Config {
        data_dir: data.data_dir,
        database: data.database,
        db_connections: 1,
        ..Config::default()
    };
    wl_server::server::open_state(&config, "http://127.0.0.1:8081").await
}

fn now() -> i64 {
    wl_server::clock::Clock::default().now()
}

/// The logo file's bytes, as an upload.
fn logo_input(path: Option<&std::path::Path>, remove: bool) -> Result<LogoInput, AppError> {
    match path {
        Some(p) => std::fs::read(p)
            .map(LogoInput::Upload)
            .map_err(|e| AppError::Invalid(format!("reading the logo {}: {e}", p.display()))),
        None if remove => Ok(LogoInput::Remove),
        None => Ok(LogoInput::Keep),
    }
}

/// Lays the options given over `input`.
fn apply(input: &mut AppInput, app: AppOptions) {
    let AppOptions {
        name,
        description,
        terms_url,
        privacy_url,
        redirect_uris,
        origins,
        scopes,
        logo: _,
    } = app;
    if let Some(v) = name {
        input.name = v;
    }
    if let Some(v) = description {
        input.description = v;
    }
    if let Some(v) = terms_url {
        input.terms_url = v;
    }
    if let Some(v) = privacy_url {
        input.privacy_url = v;
    }
    if !redirect_uris.is_empty() {
        input.redirect_uris = redirect_uris;
        if origins.is_empty() {
            // New redirect URIs without --origin: their origins again.
            input.origins.clear();
        }
    }
    if !origins.is_empty() {
        input.origins = origins;
    }
    if !scopes.is_empty() {
        input.scopes = Some(scopes);
    }
}

fn print_app(app: &wl_server::identity::apps::App, owners: &[String]) {
    println!("{}  {}", app.client_id, app.name);
    if !app.description.is_empty() {
        println!("    description   {}", app.description);
    }
    for uri in &app.redirect_uris {
        println!("    redirect_uri  {uri}");
    }
    for o in &app.origins {
        println!("    origin        {o}");
    }
    println!(
        "    scopes        {}",
        app.allowed_scopes.as_deref().unwrap_or("(all)")
    );
    if let Some(u) = &app.terms_url {
        println!("    terms_url     {u}");
    }
    if let Some(u) = &app.privacy_url {
        println!("    privacy_url   {u}");
    }
    if app.has_logo {
        println!("    logo          yes");
    }
    for o in owners {
        println!("    owner         {o}");
    }
}

async fn run_apps(cmd: AppsCommand) -> Result<(), AppError> {
    use wl_server::identity::apps;
    match cmd {
        AppsCommand::Add { app, owner, data } => {
            let state = offline_state(data).await?;
            let logo = logo_input(app.logo.as_deref(), false)?;
            let mut input = AppInput::default();
            apply(&mut input, app);
            let owner = match owner {
                Some(u) => Some(apps::person_named(&state.db, &u).await?),
                None => None,
            };
            let app = apps::register(&state.db, &input, &logo, owner.as_deref(), now()).await?;
            println!("{}", app.client_id);
        }
        AppsCommand::List { data } => {
            let state = offline_state(data).await?;
            let list = apps::list(&mut *state.db.conn().await?).await?;
            if list.is_empty() {
                println!(
                    "No apps registered yet. Add one with: wl-server apps add --name NAME --redirect-uri URI"
                );
            }
            for app in list {
                let owners = apps::owner_usernames(&state.db, &app.client_id).await?;
                print_app(&app, &owners);
            }
        }
        AppsCommand::Edit {
            client_id,
            app,
            all_scopes,
            remove_logo,
            data,
        } => {
            let state = offline_state(data).await?;
            let current = apps::find(&mut *state.db.conn().await?, &client_id)
                .await?
                .ok_or_else(|| AppError::Invalid(format!("there is no app `{client_id}`")))?;
            let logo = logo_input(app.logo.as_deref(), remove_logo)?;
            let mut input = AppInput::of(&current);
            apply(&mut input, app);
            if all_scopes {
                input.scopes = None;
            }
            let app = apps::edit(&state.db, &client_id, &input, &logo).await?;
            let owners = apps::owner_usernames(&state.db, &client_id).await?;
            print_app(&app, &owners);
        }
        AppsCommand::Delete { client_id, data } => {
            let state = offline_state(data).await?;
            let revoked = apps::delete(&state.tokens, &client_id)
                .await
                .map_err(|e| match e {
                    apps::AppsError::NoSuchApp(id) => {
                        AppError::Invalid(format!("there is no app `{id}`"))
                    }
                    e => e.into(),
                })?;
            println!(
                "deleted {client_id}: revoked {} grants and {} tokens",
                revoked.grants, revoked.tokens
            );
        }
        AppsCommand::Templates {
            client_id,
            add,
            text,
            remove,
            data,
        } => {
            let state = offline_state(data).await?;
            if apps::find(&mut *state.db.conn().await?, &client_id)
                .await?
                .is_none()
            {
                return Err(AppError::Invalid(format!("there is no app `{client_id}`")));
            }
            if let Some(name) = add {
                let text = text.unwrap_or_default();
                apps::add_template(&state.db, &client_id, &name, &text, now()).await?;
            }
            if let Some(name) = remove
                && !apps::remove_template(&state.db, &client_id, &name).await?
            {
                return Err(AppError::Invalid(format!(
                    "the app has no template `{name}`"
                )));
            }
            for t in apps::templates(&state.db, &client_id).await? {
                println!("{}  {}", t.name, t.text);
            }
        }
        AppsCommand::Owners {
            client_id,
            add,
            data,
        } => {
            let state = offline_state(data).await?;
            if apps::find(&mut *state.db.conn().await?, &client_id)
                .await?
                .is_none()
            {
                return Err(AppError::Invalid(format!("there is no app `{client_id}`")));
            }
            if let Some(username) = add {
                apps::add_owner(&state.db, &client_id, &username, now()).await?;
            }
            for o in apps::owner_usernames(&state.db, &client_id).await? {
                println!("{o}");
            }
        }
        AppsCommand::Secret { command } => run_secret(command).await?,
    }
    Ok(())
}

async fn dev_token(args: DevTokenArgs) -> Result<(), AppError> {
    let state = offline_state(args.data).await?;
    let now = now();
    wl_server::store::seed::ensure_demo_people(&state.db, now).await?;
    if args.client_id == wl_server::store::seed::DEMO_CLIENT_ID
        && wl_server::identity::apps::find(&mut *state.db.conn().await?, &args.client_id)
            .await?
            .is_none()
    {
        wl_server::store::seed::reset_demo_app(&state.db, "http://127.0.0.1:8080", now).await?;
    }
    let token = wl_server::identity::tokens::dev_token(
        &state.tokens,
        &args.user,
        &args.client_id,
        &args.scope,
    )
    .await?;
    println!("{token}");
    Ok(())
}

async fn seed_contacts(args: SeedContactsArgs) -> Result<(), AppError> {
    let state = offline_state(args.data).await?;
    let now = now();
    wl_server::store::seed::ensure_demo_people(&state.db, now).await?;
    let (person, _) =
        wl_server::identity::people::by_username(&mut *state.db.conn().await?, &args.user)
            .await?
            .ok_or_else(|| AppError::Invalid(format!("no person `{}`", args.user)))?;
    let added = wl_server::store::contacts::seed(&state.db, &person.id, args.count, now).await?;
    println!("{added}");
    Ok(())
}

/// Runs an offline command (it opens the database itself) on a small runtime.
fn offline(task: impl std::future::Future<Output = Result<(), AppError>>) -> Result<(), AppError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Internal(format!("tokio runtime: {e}")))?
        .block_on(task)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "wl_server=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => match rt.block_on(serve(args)) {
                Ok(()) => Ok(()),
                Err(ServeError::App(e)) => Err(e),
                Err(ServeError::Bus(e)) => {
                    eprintln!("wl-server: {e}");
                    return ExitCode::from(EXIT_BUS);
                }
            },
            Err(e) => Err(AppError::Internal(format!("tokio runtime: {e}"))),
        },
        Command::Apps { command } => offline(run_apps(command)),
        Command::DevToken(args) => offline(dev_token(args)),
        Command::SeedContacts(args) => offline(seed_contacts(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wl-server: {e}");
            ExitCode::FAILURE
        }
    }
}
