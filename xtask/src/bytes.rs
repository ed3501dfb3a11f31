//! `cargo xtask bytes`: the sign-in page's bytes (gzip -9), fast: `wl.js` and the core module
//! (`wl_connect`), what a signed-out visitor's page fetches (its controls are first-painted by
//! `wl.js`, their module comes when a sign-in starts); then a signed-in visitor's page, `wl.js`
//! and the combined module (`wl_connect_controls`). With `--names` the core with its functions'
//! names kept, for a size profiler (`twiggy top`, `twiggy dominators`, `wasm-opt
//! --func-metrics`): docs/bytes.md.
//!
//! The same pipeline as the package ([`build::package_module`]); `wl.js` is bundled, minified and
//! bannered like the package's, with a stand-in hash table of the same shape as the real one
//! (the real hashes do not compress either). `cargo xtask bench --only sizes` stays the measure of
//! record; this one builds only the sign-in page's module, and it agrees with the bench within a
//! few bytes.

use crate::build::{self, COMBINED, CORE, Pipeline, WASM_MODULES};
use crate::util::{self, Result, gzip_len};

/// Runs the command (`args`: `--names` for the profiler's copy too).
pub fn run(args: &[String]) -> Result<()> {
    let names = args.iter().any(|a| a == "--names");
    let out = util::root().join("target/bytes");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let pipeline = Pipeline::shipped();
    // First: the core's glue takes the effect interpreter from its bundle.
    build::bundle_wl_js()?;
    let raw = build::compile_core()?;
    build::package_module(&raw, CORE.1, &out.join("pkg"), &pipeline)?;
    let combined = build::compile_combined()?;
    build::package_module(&combined, COMBINED.2, &out.join("pkg"), &pipeline)?;
    // The glue carries the wasm's SRI value, as shipped.
    build::hash_names(&out.join("pkg"), CORE.1)?;
    build::hash_names(&out.join("pkg"), COMBINED.2)?;
    let wl_js = out.join("wl.js");
    let text = std::fs::read_to_string(util::root().join("www/wl.js"))?;
    let mut table = serde_json::Map::new();
    for stem in WASM_MODULES.iter().map(|(_, s)| *s).chain([COMBINED.2]) {
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(stem.as_bytes())[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        table.insert(
            stem.into(),
            serde_json::json!([hash, build::sri(stem.as_bytes())]),
        );
    }
    std::fs::write(
        &wl_js,
        text.replacen(
            build::BUILT_PLACEHOLDER,
            &serde_json::Value::Object(table).to_string(),
            1,
        ),
    )?;
    build::minify_js(&wl_js, false, &pipeline)?;
    build::ship_banner(&wl_js)?;
    let page = |stem: &str| -> Result<usize> {
        let mut total = 0;
        for file in build::page_files(&out, stem)? {
            let bytes = std::fs::read(&file)?;
            let gz = gzip_len(&bytes)?;
            total += gz;
            println!(
                "{:>7} B raw {:>6} B gzip -9  {}",
                bytes.len(),
                gz,
                file.display()
            );
        }
        Ok(total)
    };
    let signed_out = page(CORE.1)?;
    println!("sign-in page, signed out: {signed_out} B gzip -9 (budget 40,000 B)");
    let signed_in = page(COMBINED.2)?;
    println!("sign-in page, signed in (a stored session): {signed_in} B gzip -9");
    if names {
        let named =
            build::package_module(&raw, CORE.1, &out.join("named"), &pipeline.with_names())?;
        println!(
            "with names (not shipped; for `twiggy top`): {}",
            named.wasm.display()
        );
    }
    Ok(())
}
