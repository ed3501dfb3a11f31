//! Builds the Controls Playground (`playground/`, yew) with trunk into the site package, where it
//! is the landing page: `target/wl-dist/index.html` plus `target/wl-dist/playground/` (the app's
//! hashed JS, wasm and CSS from trunk, and the preview and blank pages from
//! `playground/static/`). Trunk's entry point is the repository root's `index.html` and
//! `Trunk.toml`.

use crate::util::{self, Error, Result, run};
use std::path::Path;
use std::process::Command;

/// Builds the Playground into `dist` (the site's first folder).
pub fn build(dist: &Path) -> Result<()> {
    crate::tools::trunk()?;
    let root = util::root();
    let source = root.join("playground");
    // The root Trunk.toml: public_url = /playground/; the root index.html names the `playground`
    // crate, built in the size profile (`data-cargo-profile="wasm-release"`). Each run gets its
    // own output folder: trunk empties it first, and two builds at once must not share one.
    let out = root.join(format!("target/playground-dist/{}", std::process::id()));
    run(Command::new("trunk")
        .current_dir(&root)
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&out)
        // trunk reads this too; the shell a developer runs in must not move the assets.
        .env_remove("TRUNK_BUILD_PUBLIC_URL"))?;
    let target = dist.join("playground");
    std::fs::create_dir_all(&target)?;
    for entry in std::fs::read_dir(&out)? {
        let path = entry?.path();
        if path.is_file() {
            let name = path
                .file_name()
                .ok_or_else(|| Error(format!("odd path {}", path.display())))?;
            if name == "index.html" {
                // The Playground is the site's landing page.
                std::fs::copy(&path, dist.join("index.html"))?;
            } else if name.to_string_lossy().ends_with("_bg.wasm") {
                shrink(&path, &target.join(name))?;
            } else if name.to_string_lossy().ends_with(".js") {
                minify_js(&path, &target.join(name))?;
            } else {
                std::fs::copy(&path, target.join(name))?;
            }
        }
    }
    for entry in std::fs::read_dir(source.join("static"))? {
        let path = entry?.path();
        if let (true, Some(name)) = (path.is_file(), path.file_name()) {
            std::fs::copy(&path, target.join(name))?;
        }
    }
    std::fs::remove_dir_all(&out)?;
    println!("xtask: Playground ready at {}/index.html", dist.display());
    Ok(())
}

/// Shrinks the app's wasm from `input` into `output`: npm's binaryen (`xtask/node_modules`, new
/// enough to read wasm-bindgen's output, unlike Debian's 108) runs `wasm-opt -Oz`; without it
/// the function-name section is dropped at least.
fn shrink(input: &Path, output: &Path) -> Result<()> {
    let wasm_opt = util::root().join("xtask/node_modules/.bin/wasm-opt");
    if wasm_opt.is_file() {
        return run(Command::new(wasm_opt)
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-sign-ext",
                "--enable-nontrapping-float-to-int",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "--strip-debug",
                "--strip-producers",
                "-o",
            ])
            .arg(output)
            .arg(input));
    }
    let wasm = std::fs::read(input)?;
    std::fs::write(output, strip_names(&wasm)?)?;
    Ok(())
}

/// Minifies wasm-bindgen's glue with esbuild (`xtask/node_modules`, as the loader's build
/// does), or copies it as it is without esbuild.
fn minify_js(input: &Path, output: &Path) -> Result<()> {
    let esbuild = util::root().join("xtask/node_modules/.bin/esbuild");
    if !esbuild.is_file() {
        std::fs::copy(input, output)?;
        return Ok(());
    }
    run(Command::new(esbuild)
        .arg("--minify")
        .arg("--log-level=warning")
        .arg(input)
        .arg(format!("--outfile={}", output.display())))
}

/// The wasm without its `name` custom section (function names for stack traces: a third of the
/// Playground's bytes): trunk passes no `--remove-name-section` to wasm-bindgen.
/// Every other section is copied byte for byte.
fn strip_names(wasm: &[u8]) -> Result<Vec<u8>> {
    let bad = || Error("the Playground's wasm is malformed".into());
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(bad());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let (size, len) = leb_u32(&wasm[at..]).ok_or_else(bad)?;
        at += len;
        let end = at
            .checked_add(size as usize)
            .filter(|e| *e <= wasm.len())
            .ok_or_else(bad)?;
        let is_names = id == 0
            && leb_u32(&wasm[at..end]).and_then(|(n, l)| wasm.get(at + l..at + l + n as usize))
                == Some(b"name".as_slice());
        if !is_names {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An unsigned LEB128 `u32` at the start of `bytes`: its value and its length.
fn leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, b) in bytes.iter().take(5).enumerate() {
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A custom section (id 0) called `name` holding `body`.
    fn custom(name: &str, body: &[u8]) -> Vec<u8> {
        let mut payload = vec![name.len() as u8];
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(body);
        let mut s = vec![0, payload.len() as u8];
        s.extend(payload);
        s
    }

    #[test]
    fn drops_only_the_name_section() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        let types = vec![1, 4, 1, 0x60, 0, 0];
        let features = custom("target_features", b"+reference-types");
        let mut wasm = header.clone();
        wasm.extend(&types);
        wasm.extend(custom("name", &[1, 2, 3]));
        wasm.extend(&features);
        let mut want = header;
        want.extend(&types);
        want.extend(&features);
        assert_eq!(strip_names(&wasm).ok(), Some(want));
        assert!(strip_names(b"nope").is_err());
        assert!(strip_names(b"\0asm\x01\0\0\0\x01\x7f").is_err());
    }

    #[test]
    fn reads_leb128() {
        assert_eq!(leb_u32(&[0x05]), Some((5, 1)));
        assert_eq!(leb_u32(&[0xE5, 0x8E, 0x26]), Some((624_485, 3)));
        assert_eq!(leb_u32(&[0x80]), None);
    }
}
