//! A small libtest-compatible runner for the browser tests.
//!
//! Every case gets the shared [`Env`] (one dev host, one chromedriver, both started on first
//! use and killed as whole process groups when the run ends), runs alone (the cases drive
//! real windows and popups), and is bounded by a hard time limit. Output and exit code follow
//! libtest, so `cargo test -p wl-e2e -- <filter>` and the xtask summary work as usual.

use crate::browser::Browser;
use crate::driver::Chromedriver;
use crate::error::Result;
use crate::server::{DevServer, ServerOptions};
use std::cell::{OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// The boxed future of one case.
pub type CaseFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + 'a>>;

/// One test case: a name like `signin::full_flow` and its body.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The name filters match against.
    pub name: &'static str,
    /// The body.
    pub run: for<'a> fn(&'a Env) -> CaseFuture<'a>,
}

/// Builds a `Vec<Case>` from paths of `async fn(&Env) -> Result<()>`.
#[macro_export]
macro_rules! cases {
    ($($path:path),* $(,)?) => {
        vec![$({
            fn run(env: &$crate::harness::Env) -> $crate::harness::CaseFuture<'_> {
                Box::pin($path(env))
            }
            $crate::harness::Case { name: stringify!($path), run }
        }),*]
    };
}

/// The hard limit for one case, whatever its own waits say.
const CASE_LIMIT: Duration = Duration::from_secs(120);

/// What the cases share: the default dev host, chromedriver, and the browser sessions the
/// current case opened (closed, and described on failure, by the runner).
#[derive(Debug, Default)]
pub struct Env {
    driver: OnceCell<Chromedriver>,
    server: OnceCell<DevServer>,
    sessions: RefCell<Vec<Browser>>,
}

impl Env {
    /// The shared dev host with demo data (started on first use).
    pub fn server(&self) -> Result<&DevServer> {
        if let Some(s) = self.server.get() {
            return Ok(s);
        }
        let s = DevServer::start(&ServerOptions::default())?;
        Ok(self.server.get_or_init(|| s))
    }

    /// chromedriver (started on first use).
    pub fn driver(&self) -> Result<&Chromedriver> {
        if let Some(d) = self.driver.get() {
            return Ok(d);
        }
        let d = Chromedriver::start()?;
        Ok(self.driver.get_or_init(|| d))
    }

    /// A new browser session with a fresh profile; the runner closes it after the case.
    pub async fn browser(&self) -> Result<Browser> {
        self.browser_with_page_load("normal").await
    }

    /// Like [`browser`](Self::browser) with page load strategy `none`: navigation returns at
    /// once, so a test can act while the page is still loading.
    pub async fn browser_with_page_load(&self, strategy: &str) -> Result<Browser> {
        let b = Browser::start(self.driver()?, strategy).await?;
        self.sessions.borrow_mut().push(b.clone());
        Ok(b)
    }

    /// A new browser whose language is `lang` (`fr-FR`): its pages and requests ask for it.
    pub async fn browser_in(&self, lang: &str) -> Result<Browser> {
        let b = Browser::start_in(self.driver()?, "normal", lang).await?;
        self.sessions.borrow_mut().push(b.clone());
        Ok(b)
    }

    async fn finish_case(&self, name: &str, failed: bool) -> String {
        let sessions: Vec<Browser> = self.sessions.borrow_mut().drain(..).collect();
        let mut report = String::new();
        for (i, b) in sessions.iter().enumerate() {
            if failed {
                report.push_str(&format!("--- browser session {} ---\n", i + 1));
                report.push_str(&b.diagnostics().await);
                // What the page looked like when the case failed.
                if let Ok(dir) = crate::paths::screenshots_dir() {
                    let dir = dir.join("failures");
                    let file = dir.join(format!("{}-{}.png", name.replace("::", "-"), i + 1));
                    if std::fs::create_dir_all(&dir).is_ok()
                        && b.switch_to_main().await.is_ok()
                        && b.screenshot_to(&file).await.is_ok()
                    {
                        report.push_str(&format!("screenshot: {}\n", file.display()));
                    }
                }
            }
            let _ = b.close().await;
        }
        if failed && let Some(s) = self.server.get() {
            report.push_str("--- wl-server log (last lines) ---\n");
            report.push_str(&s.log_tail(15));
            report.push('\n');
        }
        report
    }
}

#[derive(Debug, Default)]
struct Args {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
}

fn parse_args() -> Args {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--exact" => args.exact = true,
            "--list" => args.list = true,
            "--skip" => args.skips.extend(it.next()),
            // Flags with a separate value that we accept and ignore.
            "--test-threads" | "--format" | "--color" | "--logfile" | "-Z" | "--shuffle-seed" => {
                it.next();
            }
            s if s.starts_with("--skip=") => args.skips.push(s["--skip=".len()..].to_string()),
            s if s.starts_with('-') => {}
            s => args.filters.push(s.to_string()),
        }
    }
    args
}

fn selected(args: &Args, name: &str) -> bool {
    let matches = |f: &String| {
        if args.exact {
            name == f
        } else {
            name.contains(f.as_str())
        }
    };
    (args.filters.is_empty() || args.filters.iter().any(matches))
        && !args.skips.iter().any(|s| name.contains(s.as_str()))
}

/// Runs the selected cases one after another and exits like libtest (101 on failure).
pub fn run_main(cases: Vec<Case>) -> ! {
    let args = parse_args();
    let cases: Vec<Case> = cases
        .into_iter()
        .map(|c| Case {
            name: leak_name(c.name),
            run: c.run,
        })
        .collect();
    let total = cases.len();
    let chosen: Vec<Case> = cases
        .into_iter()
        .filter(|c| selected(&args, c.name))
        .collect();
    let filtered_out = total - chosen.len();
    if args.list {
        for c in &chosen {
            println!("{}: test", c.name);
        }
        std::process::exit(0);
    }

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("could not start the async runtime: {e}");
            std::process::exit(101);
        }
    };
    let started = Instant::now();
    println!("\nrunning {} tests", chosen.len());
    let mut failures: Vec<(&'static str, String)> = Vec::new();
    let mut passed = 0;
    {
        let env = Env::default();
        for case in &chosen {
            let t = Instant::now();
            let outcome = runtime.block_on(async {
                let result = match tokio::time::timeout(CASE_LIMIT, (case.run)(&env)).await {
                    Ok(r) => r.map_err(|e| format!("[{}] {e}", e.code())),
                    Err(_) => Err(format!("[timeout] the case ran longer than {CASE_LIMIT:?}")),
                };
                let report = env.finish_case(case.name, result.is_err()).await;
                result.map_err(|e| format!("{e}\n{report}"))
            });
            let secs = t.elapsed().as_secs_f64();
            match outcome {
                Ok(()) => {
                    passed += 1;
                    println!("test {} ... ok ({secs:.1}s)", case.name);
                }
                Err(msg) => {
                    println!("test {} ... FAILED ({secs:.1}s)", case.name);
                    failures.push((case.name, msg));
                }
            }
        }
        // `env` drops here: browsers closed above, then chromedriver and the server groups.
    }
    if !failures.is_empty() {
        println!("\nfailures:\n");
        for (name, msg) in &failures {
            println!("---- {name} stdout ----\n{msg}\n");
        }
        println!("failures:");
        for (name, _) in &failures {
            println!("    {name}");
        }
    }
    let status = if failures.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {status}. {passed} passed; {} failed; 0 ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    std::process::exit(if failures.is_empty() { 0 } else { 101 })
}

/// `stringify!` may put spaces around `::`; names are shown and matched without them.
fn leak_name(name: &'static str) -> &'static str {
    if name.contains(' ') {
        Box::leak(name.replace(' ', "").into_boxed_str())
    } else {
        name
    }
}
