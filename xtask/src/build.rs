//! Builds the loader package (`target/wl-dist/`) and the provider binary.
//!
//! Every shipped wasm module goes through one function, [`package_module`]: the site build
//! ([`site`]), the dev galleries (`cargo xtask gallery`) and the bench's size rows all get the
//! same bytes.
//!
//! # The pipeline, and what each stage saves
//!
//! 1. `cargo build --profile wasm-release --target wasm32-unknown-unknown` (rustc's module);
//! 2. [`Stage::PreOpt`]: Debian's binaryen 108 `wasm-opt -Oz` on rustc's output (108 breaks
//!    wasm-bindgen's externref table when run after wasm-bindgen; 132 run here breaks its
//!    closures);
//! 3. `wasm-bindgen --target web` (the glue), with `--remove-name-section
//!    --remove-producers-section --omit-default-module-path --encode-into always`;
//! 4. [`Stage::Opt`]: binaryen 132's `wasm-opt -Oz` (npm) on wasm-bindgen's output;
//! 5. [`Stage::ShortNames`]: wasm-bindgen's hashed import and internal export names shortened in
//!    the module and the glue ([`names`]);
//! 6. [`Stage::Reorder`]: `wasm-opt -Oz` once more, ordered for gzip (`--reorder-locals
//!    --reorder-functions`) and without the `target_features` section;
//! 7. [`Stage::Start`]: the glue's start-up replaced by ours ([`start`]: stream the module from
//!    the URL `wl.js` gives; no fallbacks for other callers or a wrong MIME type);
//! 8. [`Stage::Esbuild`]: the glue (and `wl.js`, `callback.js`) minified with esbuild;
//! 9. [`Stage::Terser`]: then compressed and mangled with terser.
//!
//! `cargo xtask bench --only stages` (and the full bench) packages the sign-in page's files
//! (`wl.js`, the combined module's glue and wasm) with every stage and without each one in turn,
//! from the same rustc output, and reports gzip -9 bytes. Measured 2026-12-02 (wasm-bindgen
//! 0.2.130, binaryen 108 and 132, esbuild 0.25.12, terser 5.44.1):
//!
//! | stage left out | sign-in page, gzip -9 | the stage saves |
//! | --- | --- | --- |
//! | none (what ships) | 39,109 B | |
//! | 2. `wasm-opt` 108 before wasm-bindgen | 39,261 B | 152 B |
//! | 4. `wasm-opt` 132 after wasm-bindgen | 39,261 B | 152 B |
//! | 5. short names | 41,504 B | 2,395 B |
//! | 6. `wasm-opt` 132 reorder pass | 39,358 B | 249 B |
//! | 7. our start-up (added later; measured alone, see below) | | 462 B |
//! | 8. esbuild | 39,131 B | 22 B |
//! | 9. terser | 39,377 B | 268 B |
//!
//! Stage 7 came after this table: it took the sign-in page's glue from 3,094 to 2,632 B gzip -9
//! (with issue 12's hosting; `cargo xtask bench --only stages` measures it with the rest).
//! Every stage saves something measurable, so none was dropped. The second binaryen version
//! stays for a measured reason: replacing stage 2 with another 132 pass after wasm-bindgen gives
//! 39,231 B (122 B more than what ships). esbuild's 22 B are small, but esbuild is needed anyway
//! (it bundles the loader's sources).
//!
//! Where the bytes are after all stages (by crate, section and string table), the savings of
//! 2026-12-03 (`--low-memory-unused` and `--converge` in stage 6, the glue trims of stage 7
//! ([`start::trim`]), terser's ES2020 arrows, short names for the API's exports too) and what
//! was tried and dropped: docs/bytes.md (`cargo xtask bytes [--names]`).
//!
//! # Why not wasm-pack
//!
//! `wasm-pack` (0.15 on crates.io) runs cargo, then wasm-bindgen, then its own `wasm-opt`, then
//! writes one npm package per crate. It cannot run stage 2 between cargo and wasm-bindgen (152 B),
//! and it passes wasm-bindgen none of `--remove-name-section`, `--remove-producers-section` or
//! `--encode-into always` (the last one measured: 37 B more glue, gzip -9). Our package is one
//! npm package (`www/package.json`: `wl.js`, the callback and four modules), not one per crate.
//! So it would ship at least 189 B more on the sign-in page and still need every stage after it;
//! the package is built by [`site`] instead.

mod bundle;
mod names;
pub mod paint;
mod start;

use crate::util::{self, Result, cargo, run, which};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wasm modules of the package: (cargo package, output file stem).
pub const WASM_MODULES: &[(&str, &str)] = &[
    CORE,
    // <wl-signin> and <wl-userinfo> in one module (controls/basic).
    ("wl-controls", "wl_controls"),
    // <wl-bar>: fetched only when a page has one.
    ("wl-bar", "wl_bar"),
];

/// The core and `<wl-signin>` + `<wl-userinfo>` linked into one module, fetched instead of
/// `wl_connect` + `wl_controls` by a page that has one of those controls when it loads: (cargo
/// package, its feature that links the core, output file stem). The crates stay apart and meet
/// through `window.WL` only (docs/loader.md, "What loads when").
pub const COMBINED: (&str, &str, &str) = ("wl-controls", "core", "wl_connect_controls");

/// Files copied from `www/` into the package, beside `pkg/`.
const PACKAGE_FILES: &[&str] = &[
    "wl.js",
    "callback.html",
    "callback.js",
    "wl.d.ts",
    "package.json",
];

/// The package's classic scripts (not ES modules), minified like the glue.
const PACKAGE_SCRIPTS: &[&str] = &["wl.js", "callback.js"];

/// The package folder the site serves first.
pub fn dist_dir() -> PathBuf {
    util::root().join("target/wl-dist")
}

/// Builds every wasm module in the size profile and packages it ([`package_module`]), and copies
/// and minifies the bootstrap files: the result is `target/wl-dist/`. Then the Playground.
pub fn site() -> Result<PathBuf> {
    let dist = dist_dir();
    let pkg = dist.join("pkg");
    // Start empty, so no module that the package no longer has is served by mistake.
    if dist.exists() {
        std::fs::remove_dir_all(&dist)?;
    }
    std::fs::create_dir_all(&pkg)?;
    let pipeline = Pipeline::shipped();
    // First: the core's glue takes the effect interpreter from its bundle (`append_machine`).
    bundle::wl_js()?;
    let packages: Vec<&str> = WASM_MODULES.iter().map(|(p, _)| *p).collect();
    let wasm_dir = compile(&packages)?;
    for (_, stem) in WASM_MODULES {
        package_module(
            &wasm_dir.join(format!("{stem}.wasm")),
            stem,
            &pkg,
            &pipeline,
        )?;
    }
    package_module(&compile_combined()?, COMBINED.2, &pkg, &pipeline)?;
    let mut built = serde_json::Map::new();
    for stem in WASM_MODULES.iter().map(|(_, s)| *s).chain([COMBINED.2]) {
        let h = hash_names(&pkg, stem)?;
        built.insert(stem.into(), serde_json::json!([h.hash, h.glue_sri]));
    }
    let www = util::root().join("www");
    for file in PACKAGE_FILES {
        let from = www.join(file);
        if from.is_file() {
            std::fs::copy(&from, dist.join(file))?;
        }
    }
    // wl.js learns its modules' names and hashes (www/src/main.js, `BUILT`).
    let wl_js = std::fs::read_to_string(dist.join("wl.js"))?;
    if !wl_js.contains(BUILT_PLACEHOLDER) {
        return Err(util::Error(format!(
            "www/wl.js has no {BUILT_PLACEHOLDER} for the modules' hashes (www/src/main.js)"
        )));
    }
    let baked = serde_json::Value::Object(built).to_string();
    // The same table for tools and pages that need the names (www/bench/wasm.js).
    std::fs::write(pkg.join("modules.json"), &baked)?;
    std::fs::write(
        dist.join("wl.js"),
        wl_js.replacen(BUILT_PLACEHOLDER, &baked, 1),
    )?;
    for script in PACKAGE_SCRIPTS {
        let file = dist.join(script);
        if file.is_file() {
            minify_js(&file, false, &pipeline)?;
            bundle::ship_banner(&file)?;
        }
    }
    crate::playground::build(&dist)?;
    println!("xtask: loader package ready in {}", dist.display());
    Ok(dist)
}

/// The string in `www/wl.js` that the build replaces with the modules' hashes.
pub const BUILT_PLACEHOLDER: &str = "\"__WL_MODULES__\"";

/// Bundles `www/src/` into `www/wl.js` (and the callback script): [`bundle::wl_js`].
pub fn bundle_wl_js() -> Result<()> {
    bundle::wl_js()
}

/// Replaces a minified package script's banner with the shipped one: [`bundle::ship_banner`].
pub fn ship_banner(file: &Path) -> Result<()> {
    bundle::ship_banner(file)
}

/// A packaged module under its content-hashed names ([`hash_names`]).
#[derive(Debug)]
pub struct Hashed {
    /// 8 hex digits of the SHA-256 of the glue and the wasm: `{stem}.{hash}.js`,
    /// `{stem}_bg.{hash}.wasm`.
    pub hash: String,
    /// The glue's Subresource Integrity value, `sha256-…` ([`sri`]); the glue carries the wasm's.
    pub glue_sri: String,
}

/// The Subresource Integrity value of a module file, `sha256-` + base64 (as `openssl dgst
/// -sha256 -binary FILE | openssl base64 -A` prints it, after the prefix).
///
/// SHA-256, not SHA-384: the eight values are baked into `wl.js`, on the sign-in page's 40 KB
/// budget, and base64 does not compress. Measured (gzip -9 of the minified `wl.js`): SHA-384
/// costs 165 B more than SHA-256 for the same protection in practice (SRI accepts both; the tag's
/// own hash for `wl.js` may be any of them, docs/hosting.md).
pub fn sri(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
    )
}

/// Bakes the wasm's SRI value into its glue ([`start::WASM_SRI`]: the glue fetches the wasm
/// with it), renames `{pkg}/{stem}.js` and `{stem}_bg.wasm` to their content-hashed names (cached
/// forever: a changed module gets a new name) and returns the hash and the glue's SRI value.
pub fn hash_names(pkg: &Path, stem: &str) -> Result<Hashed> {
    use sha2::Digest;
    let (js, wasm) = (
        pkg.join(format!("{stem}.js")),
        pkg.join(format!("{stem}_bg.wasm")),
    );
    let module = std::fs::read(&wasm)?;
    let wasm_sri = sri(&module);
    let text = std::fs::read_to_string(&js)?;
    if text.matches(start::WASM_SRI).count() != 1 {
        return Err(util::Error(format!(
            "{} does not carry {} once for the wasm's hash (xtask/src/build/start.rs)",
            js.display(),
            start::WASM_SRI
        )));
    }
    let glue = text.replacen(start::WASM_SRI, &wasm_sri, 1).into_bytes();
    std::fs::write(&js, &glue)?;
    let digest = sha2::Sha256::new()
        .chain_update(&glue)
        .chain_update(&module)
        .finalize();
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    std::fs::rename(&js, hashed_file(pkg, stem, &hash, false))?;
    std::fs::rename(&wasm, hashed_file(pkg, stem, &hash, true))?;
    Ok(Hashed {
        hash,
        glue_sri: sri(&glue),
    })
}

/// `{pkg}/{stem}.{hash}.js`, or with `wasm` `{pkg}/{stem}_bg.{hash}.wasm`.
fn hashed_file(pkg: &Path, stem: &str, hash: &str, wasm: bool) -> PathBuf {
    pkg.join(if wasm {
        format!("{stem}_bg.{hash}.wasm")
    } else {
        format!("{stem}.{hash}.js")
    })
}

/// The packaged glue (`wasm: false`) or wasm of module `stem` in the package folder `dist`
/// (`target/wl-dist`), whatever its content hash: for the bench, the tests and the gallery.
pub fn packaged_file(dist: &Path, stem: &str, wasm: bool) -> Result<PathBuf> {
    let pkg = dist.join("pkg");
    let (prefix, ext) = if wasm {
        (format!("{stem}_bg."), ".wasm")
    } else {
        (format!("{stem}."), ".js")
    };
    for entry in std::fs::read_dir(&pkg)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(hash) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(ext))
            && hash.len() == 8
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Ok(pkg.join(&*name));
        }
    }
    Err(util::Error(format!(
        "no {prefix}<hash>{ext} in {} (run `cargo xtask build`)",
        pkg.display()
    )))
}

/// `cargo build --profile wasm-release --target wasm32-unknown-unknown -p …` for `packages`;
/// returns the folder holding their `.wasm` files.
pub fn compile(packages: &[&str]) -> Result<PathBuf> {
    let mut build = cargo();
    build.args(WASM_BUILD);
    for package in packages {
        build.args(["-p", package]);
    }
    run(&mut build)?;
    Ok(util::root().join("target/wasm32-unknown-unknown/wasm-release"))
}

/// The core module alone: with `wl.js`, what a signed-out sign-in page fetches (its controls are
/// first-painted by `wl.js`; docs/loader.md, "What loads when"). Package and file stem.
pub const CORE: (&str, &str) = ("wl-connect", "wl_connect");

/// The core alone ([`CORE`]), as the site builds it. Returns rustc's `.wasm`.
pub fn compile_core() -> Result<PathBuf> {
    Ok(compile(&[CORE.0])?.join(format!("{}.wasm", CORE.1)))
}

/// The files a sign-in page fetches from the package folder `dist`: `wl.js`, then module
/// `stem`'s glue and wasm ([`packaged_file`]).
pub fn page_files(dist: &Path, stem: &str) -> Result<[PathBuf; 3]> {
    Ok([
        dist.join("wl.js"),
        packaged_file(dist, stem, false)?,
        packaged_file(dist, stem, true)?,
    ])
}

/// The core and the basic controls in one module ([`COMBINED`]): built in a target folder of its
/// own, as the same package with a feature (so it never replaces the plain `wl_controls.wasm`
/// another build is reading). Returns rustc's `.wasm`.
pub fn compile_combined() -> Result<PathBuf> {
    let (package, feature, _) = COMBINED;
    let target = util::root().join("target/wl-combined");
    run(cargo()
        .args(WASM_BUILD)
        .args(["-p", package, "--features", feature, "--target-dir"])
        .arg(&target))?;
    Ok(target
        .join("wasm32-unknown-unknown/wasm-release")
        .join(format!("{}.wasm", package.replace('-', "_"))))
}

/// `cargo build`'s arguments for a shipped module.
const WASM_BUILD: [&str; 5] = [
    "build",
    "--profile",
    "wasm-release",
    "--target",
    "wasm32-unknown-unknown",
];

/// A stage of the pipeline that can be left out (the bench measures each one's saving; cargo and
/// wasm-bindgen always run). In the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Debian's binaryen 108 `wasm-opt -Oz` on rustc's output, before wasm-bindgen (binaryen 108
    /// breaks wasm-bindgen's externref table when run after it).
    PreOpt,
    /// `wasm-opt -Oz` (binaryen 132, npm) on wasm-bindgen's output.
    Opt,
    /// Short import and internal export names in the module and its glue ([`names`]).
    ShortNames,
    /// `wasm-opt -Oz --reorder-locals --reorder-functions --strip-target-features` after the
    /// renaming.
    Reorder,
    /// The glue's start-up replaced by ours ([`start`]): stream the module from its URL.
    Start,
    /// esbuild `--minify` on the glue and the package's scripts.
    Esbuild,
    /// terser `--compress passes=3 --mangle` after esbuild.
    Terser,
}

impl Stage {
    /// Every stage, in the order they run.
    pub const ALL: [Stage; 7] = [
        Stage::PreOpt,
        Stage::Opt,
        Stage::ShortNames,
        Stage::Reorder,
        Stage::Start,
        Stage::Esbuild,
        Stage::Terser,
    ];

    /// A short description for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::PreOpt => "wasm-opt -Oz (binaryen 108) before wasm-bindgen",
            Stage::Opt => "wasm-opt -Oz after wasm-bindgen",
            Stage::ShortNames => "short import/export names (names.rs)",
            Stage::Reorder => "wasm-opt -Oz + reorder + strip target_features",
            Stage::Start => "our start-up in the glue (start.rs)",
            Stage::Esbuild => "esbuild --minify (glue, wl.js)",
            Stage::Terser => "terser (glue, wl.js)",
        }
    }
}

/// The tools the pipeline uses (found once) and the stages it runs.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// binaryen's `wasm-opt` from npm (`xtask/node_modules`, pinned in `xtask/package.json`).
    wasm_opt: Option<PathBuf>,
    /// esbuild from npm.
    esbuild: Option<PathBuf>,
    /// terser from npm.
    terser: Option<PathBuf>,
    /// Debian's binaryen 108 `wasm-opt` on `PATH`.
    pre_opt: Option<PathBuf>,
    /// Stages left out (the bench's measurement only).
    skip: Vec<Stage>,
    /// Keep the wasm's name section (`cargo xtask bytes`: twiggy's breakdown by function).
    keep_names: bool,
}

impl Pipeline {
    /// What ships: every stage whose tool is installed (`cargo xtask install` installs them all;
    /// a missing one is named once and its stage skipped).
    pub fn shipped() -> Pipeline {
        let npm = |name: &str| {
            let path = util::root().join("xtask/node_modules/.bin").join(name);
            path.is_file().then_some(path)
        };
        let pipeline = Pipeline {
            wasm_opt: npm("wasm-opt"),
            esbuild: npm("esbuild"),
            terser: npm("terser"),
            pre_opt: which("wasm-opt"),
            skip: Vec::new(),
            keep_names: false,
        };
        for (tool, missing) in [
            ("Debian's wasm-opt (binaryen)", pipeline.pre_opt.is_none()),
            ("npm's wasm-opt", pipeline.wasm_opt.is_none()),
            ("esbuild", pipeline.esbuild.is_none()),
            ("terser", pipeline.terser.is_none()),
        ] {
            if missing {
                println!(
                    "xtask: warning: {tool} is missing (`cargo xtask install` installs it); its \
                     stage is skipped and the package is bigger"
                );
            }
        }
        pipeline
    }

    /// The same pipeline without `stage`.
    pub fn without(&self, stage: Stage) -> Pipeline {
        let mut p = self.clone();
        p.skip.push(stage);
        p
    }

    /// The same pipeline keeping the functions' names in the wasm (a name section): the same code,
    /// for size profilers (`cargo xtask bytes`), never shipped.
    pub fn with_names(&self) -> Pipeline {
        let mut p = self.clone();
        p.keep_names = true;
        p
    }

    /// binaryen's `wasm-opt` (npm), if installed.
    pub fn wasm_opt(&self) -> Option<&Path> {
        self.wasm_opt.as_deref()
    }

    /// Whether `stage` runs (not left out, and its tool is installed).
    pub fn runs(&self, stage: Stage) -> bool {
        let installed = match stage {
            Stage::PreOpt => self.pre_opt.is_some(),
            Stage::Opt | Stage::Reorder => self.wasm_opt.is_some(),
            Stage::ShortNames | Stage::Start => true,
            Stage::Esbuild => self.esbuild.is_some(),
            Stage::Terser => self.terser.is_some(),
        };
        installed && !self.skip.contains(&stage)
    }
}

/// A packaged module: its two files.
#[derive(Debug)]
pub struct Packaged {
    /// `{out}/{stem}.js`, the glue.
    pub js: PathBuf,
    /// `{out}/{stem}_bg.wasm`.
    pub wasm: PathBuf,
}

/// rustc's `raw` module → `{out}/{stem}.js` + `{out}/{stem}_bg.wasm`, through every stage of
/// `pipeline` (the module docs list them).
pub fn package_module(raw: &Path, stem: &str, out: &Path, pipeline: &Pipeline) -> Result<Packaged> {
    std::fs::create_dir_all(out)?;
    let input = match (pipeline.runs(Stage::PreOpt), &pipeline.pre_opt) {
        (true, Some(wasm_opt)) => {
            let opt = out.join(format!("{stem}.pre-opt.wasm"));
            optimise(wasm_opt, raw, &opt, &[], pipeline.keep_names)?;
            opt
        }
        _ => raw.to_path_buf(),
    };
    let mut bindgen = Command::new("wasm-bindgen");
    if !pipeline.keep_names {
        // wasm-bindgen names its own shims; this section is 0.4 KB gzip per module.
        bindgen.arg("--remove-name-section");
    }
    run(bindgen
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--remove-producers-section",
            // wl.js always passes the .wasm's URL, and every browser with wasm has encodeInto:
            // less glue.
            "--omit-default-module-path",
            "--encode-into",
            "always",
            "--out-name",
            stem,
            "--out-dir",
        ])
        .arg(out)
        .arg(&input))?;
    if input != raw {
        std::fs::remove_file(&input)?;
    }
    let packaged = Packaged {
        js: out.join(format!("{stem}.js")),
        wasm: out.join(format!("{stem}_bg.wasm")),
    };
    if let (true, Some(wasm_opt)) = (pipeline.runs(Stage::Opt), &pipeline.wasm_opt) {
        optimise(
            wasm_opt,
            &packaged.wasm,
            &packaged.wasm,
            &[],
            pipeline.keep_names,
        )?;
    }
    if pipeline.runs(Stage::ShortNames) {
        let wasm = std::fs::read(&packaged.wasm)?;
        let glue = std::fs::read_to_string(&packaged.js)?;
        let short = names::shorten(&wasm, &glue)
            .map_err(|e| util::Error(format!("{}: {e}", packaged.wasm.display())))?;
        std::fs::write(&packaged.wasm, short.wasm)?;
        std::fs::write(&packaged.js, short.glue)?;
        println!(
            "xtask: {stem}: {} import/export names shortened",
            short.renamed
        );
    }
    if let (true, Some(wasm_opt)) = (pipeline.runs(Stage::Reorder), &pipeline.wasm_opt) {
        // Once more (a second -Oz still finds some), ordered for gzip (locals, and functions by
        // use), and without the `target_features` section only rustc's tools read.
        optimise(
            wasm_opt,
            &packaged.wasm,
            &packaged.wasm,
            &[
                // Rust's wasm32 memory starts with the stack, growing down from 1 MiB toward 0:
                // the first 1,024 bytes are never used, so binaryen may fold constant offsets
                // into loads and stores (with --converge below: 98 B gzip off the sign-in page,
                // measured 2026-12-03).
                "--low-memory-unused",
                // Flattened and re-looped twice: 0.26 KB gzip off the sign-in page's module
                // (measured 2026-12-02; ordering its functions here cost bytes: it pays only
                // after the last -Oz below).
                "--flatten",
                "--rereloop",
                "-Oz",
                "--flatten",
                "--rereloop",
                "-Oz",
                "--reorder-locals",
                "--strip-target-features",
                // Until the module stops shrinking.
                "--converge",
            ],
            pipeline.keep_names,
        )?;
        // Then -Oz once more on its own: every round of `--converge` ends with the flattened
        // passes, which leave the module above -Oz's own fixpoint; and the functions ordered by
        // how often they are called, so the most called get the shortest indices (measured
        // 2026-12-06, the sign-in page's module: 82 B gzip for the -Oz, 84 B more for the order).
        optimise(
            wasm_opt,
            &packaged.wasm,
            &packaged.wasm,
            &["--reorder-locals", "--reorder-functions"],
            pipeline.keep_names,
        )?;
    }
    if pipeline.runs(Stage::Start) {
        let glue = std::fs::read_to_string(&packaged.js)?;
        let ours = start::replace(&glue)
            .and_then(|g| start::trim(&g))
            .map_err(|e| util::Error(format!("{}: {e}", packaged.js.display())))?;
        std::fs::write(&packaged.js, ours)?;
    }
    if stem == CORE.1 || stem == COMBINED.2 {
        append_machine(&packaged.js)?;
    }
    minify_js(&packaged.js, true, pipeline)?;
    Ok(packaged)
}

/// Appends the effect interpreter (`www/machine.js`, bundled from `www/src/machine.js`) to a
/// core's glue, exported as `machine` (wl.js calls `m.machine(m, emit, setConsole)`). It lives
/// here, not in wl.js, because nothing runs it before the core is there: wl.js, which every page
/// compiles before its first paint, is 3.9 KB (18 %) smaller minified for it (1.7 KB gzip; the
/// glue gains 2.0 KB: the sign-in page +316 B, docs/bytes.md). Before minification, so the
/// content hash and the SRI value cover it.
fn append_machine(glue: &Path) -> Result<()> {
    let machine = util::root().join("www").join(bundle::MACHINE);
    let text = std::fs::read_to_string(&machine)?;
    if !text.contains("__wlMachine = machine") {
        return Err(util::Error(format!(
            "{} does not set __wlMachine (www/src/core.js)",
            machine.display()
        )));
    }
    let js = std::fs::read_to_string(glue)?;
    std::fs::write(
        glue,
        format!("{js}\nvar __wlMachine;\n{text}\nexport {{ __wlMachine as machine }};\n"),
    )?;
    Ok(())
}

/// Minifies a JavaScript file in place: esbuild, then terser (its compressor takes a further
/// ~0.25 KB gzip off the sign-in page's wl.js and glue). `module`: an ES module (the glue), not a
/// classic script.
pub fn minify_js(file: &Path, module: bool, pipeline: &Pipeline) -> Result<()> {
    if let (true, Some(esbuild)) = (pipeline.runs(Stage::Esbuild), &pipeline.esbuild) {
        run(Command::new(esbuild)
            .arg("--minify")
            .arg("--log-level=warning")
            .arg("--allow-overwrite")
            .arg(file)
            .arg(format!("--outfile={}", file.display())))?;
    }
    if let (true, Some(terser)) = (pipeline.runs(Stage::Terser), &pipeline.terser) {
        let mut cmd = Command::new(terser);
        // ES2020 (every browser that runs the modules has it: their externref tables need
        // Chrome 96, Firefox 79, Safari 15), and `function` expressions that use neither `this`
        // nor `arguments` as arrows: 0.1 KB gzip off the sign-in page (measured 2026-12-03;
        // none of ours is called with `new` or has its `prototype` read).
        cmd.arg(file).args([
            "--ecma",
            "2020",
            "--compress",
            "passes=3,unsafe_arrows=true",
            "--mangle",
        ]);
        if module {
            cmd.arg("--module");
        }
        run(cmd.arg("--output").arg(file))?;
    }
    Ok(())
}

/// `wasm-opt -Oz` (then the `extra` passes) from `input` to `output`, with the features
/// today's rustc emits for wasm32; without debug info and names unless `keep_names`.
pub fn optimise(
    wasm_opt: &Path,
    input: &Path,
    output: &Path,
    extra: &[&str],
    keep_names: bool,
) -> Result<()> {
    let mut cmd = Command::new(wasm_opt);
    cmd.arg("-Oz").args(extra);
    if keep_names {
        cmd.arg("--debuginfo");
    } else {
        cmd.arg("--strip-debug");
    }
    run(cmd
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-nontrapping-float-to-int",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            "--strip-producers",
            "-o",
        ])
        .arg(output)
        .arg(input))
}

/// Builds the provider binary and returns its path.
pub fn server(release: bool) -> Result<PathBuf> {
    let mut build = cargo();
    build.args(["build", "-p", "wl-server"]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    Ok(util::root().join("target").join(profile).join("wl-server"))
}
