//! The glue's start-up, ours instead of wasm-bindgen's (stage [`super::Stage::Start`]).
//!
//! wasm-bindgen's `--target web` glue ends with a start-up written for every caller: a module
//! given as bytes, a `Response`, a promise or a URL; deprecated positional parameters (with
//! warnings); and a fallback for hosts that serve the `.wasm` without `application/wasm`
//! (a warning, then a slower start). `wl.js` always hands over the `.wasm`'s URL (a `Request`
//! carrying its `integrity`), and docs/hosting.md asks for `application/wasm`, so the
//! sign-in page ships ~0.45 KB gzip it never runs. This stage replaces that tail, from
//! `async function __wbg_load(` to the final `export`, with a start-up that streams the module
//! from the URL (`fetch` with the wasm's `integrity`, [`WASM_SRI`], +
//! `WebAssembly.instantiateStreaming`) and keeps `initSync` (the
//! bench compiles modules with it). A host serving the wrong MIME type then fails to start,
//! and `wl.js` reports `connection_failed` instead of starting slower.

/// The string in our start-up that [`super::hash_names`] replaces with the `.wasm`'s Subresource
/// Integrity value: the glue fetches its own wasm with `integrity`, so `wl.js` (which loads the
/// glue with `integrity`) carries one hash per module, not two. Left unreplaced (a glue that was
/// not packaged), it is not valid integrity metadata, which browsers ignore.
pub const WASM_SRI: &str = "__WL_WASM_SRI__";

/// Where wasm-bindgen's start-up begins, and its last line.
const FROM: &str = "async function __wbg_load(module, imports) {";
const LAST: &str = "export { initSync, __wbg_init as default };";

/// Our start-up: `default({ module_or_path })` and `initSync({ module })`, both memoized.
const START: &str = r#"// wl-connect's start-up (xtask/src/build/start.rs): from a URL or Request, as application/wasm.
function initSync({ module }) {
    if (wasm !== undefined) return wasm;
    if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(module);
    return __wbg_finalize_init(new WebAssembly.Instance(module, __wbg_get_imports()), module);
}

let __wbg_init_promise;
function __wbg_init({ module_or_path }) {
    if (wasm !== undefined) return Promise.resolve(wasm);
    return __wbg_init_promise || (__wbg_init_promise = WebAssembly.instantiateStreaming(fetch(module_or_path, { integrity: "__WL_WASM_SRI__" }), __wbg_get_imports()).then(
        (r) => __wbg_finalize_init(r.instance, r.module),
        (e) => { __wbg_init_promise = undefined; throw e; }
    ));
}

export { initSync, __wbg_init as default };
"#;

/// Why the glue's start-up could not be replaced (a wasm-bindgen that writes another one).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StartError {
    /// The start-up's first or last line is missing, or there twice.
    #[error(
        "the glue's start-up is not wasm-bindgen 0.2.130's (`{0}` found {1} times): update xtask/src/build/start.rs"
    )]
    Unknown(&'static str, usize),
    /// Something follows the final `export`.
    #[error("the glue goes on after its final export: update xtask/src/build/start.rs")]
    Trailing,
}

/// wasm-bindgen's fallback for a browser without `FinalizationRegistry`: none runs the module
/// (its externref table needs reference types: Chrome 96, Firefox 79, Safari 15, which all have
/// `FinalizationRegistry`, from Chrome 84, Firefox 79, Safari 14.1).
const NO_REGISTRY: &str = "(typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(";

/// wasm-bindgen's test for a stale `DataView` of the memory. A memory's `buffer` changes only
/// when it grows, which detaches the old one: "not the memory's buffer" says the same.
const STALE_VIEW: &str = "cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)";

/// wasm-bindgen's string copy for a caller that passes no `realloc`: with `--encode-into always`
/// every call passes `wasm.__wbindgen_realloc` ([`trim`] checks that each passes three
/// arguments).
const NO_REALLOC: &str = "    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }
";

/// `glue` without what the sign-in page never runs: the [`NO_REGISTRY`] fallbacks, the
/// `Symbol.dispose` aliases of the exported classes' `free` (for `using` blocks; `wl.js` calls
/// `free`), the long form of [`STALE_VIEW`] and, when every call passes `realloc`, the
/// [`NO_REALLOC`] branch. Measured 2026-12-03: see
/// docs/bytes.md. A glue with one of these in another form is refused ([`StartError::Unknown`]).
pub fn trim(glue: &str) -> Result<String, StartError> {
    let mut out = glue.replace(NO_REGISTRY, "new FinalizationRegistry(");
    out = out.replace(
        STALE_VIEW,
        "cachedDataViewMemory0.buffer !== wasm.memory.buffer",
    );
    // Every call (`passStringToWasm0(arg, wasm.malloc, wasm.realloc)`, the names shortened or
    // not) passes three arguments; the definition's are `(arg, malloc, realloc)`.
    let three = out
        .split("passStringToWasm0(")
        .skip(1)
        .all(|rest| top_level_commas(rest) == Some(2));
    if three {
        out = out.replacen(NO_REALLOC, "", 1);
    }
    out = out
        .lines()
        .filter(|line| !line.starts_with("if (Symbol.dispose) "))
        .map(|line| format!("{line}\n"))
        .collect();
    for left in [
        "typeof FinalizationRegistry",
        "buffer.detached",
        "Symbol.dispose",
    ] {
        let n = out.matches(left).count();
        if n != 0 {
            return Err(StartError::Unknown(left, n));
        }
    }
    Ok(out)
}

/// The commas at the top level of a call's arguments (`rest` starts after its `(`), or `None` if
/// the call does not close.
fn top_level_commas(rest: &str) -> Option<usize> {
    let (mut depth, mut commas) = (0usize, 0);
    for c in rest.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return Some(commas),
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => commas += 1,
            _ => {}
        }
    }
    None
}

/// `glue` with its start-up replaced by ours.
pub fn replace(glue: &str) -> Result<String, StartError> {
    for marker in [
        FROM,
        LAST,
        "function __wbg_get_imports()",
        "function __wbg_finalize_init(",
    ] {
        let n = glue.matches(marker).count();
        if n != 1 {
            return Err(StartError::Unknown(marker, n));
        }
    }
    let (from, last) = (glue.find(FROM).unwrap_or(0), glue.find(LAST).unwrap_or(0));
    if from > last || !glue[last + LAST.len()..].trim().is_empty() {
        return Err(StartError::Trailing);
    }
    Ok(format!("{}{START}", &glue[..from]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glue() -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/start/glue.js");
        std::fs::read_to_string(path).expect("testdata/start/glue.js")
    }

    #[test]
    fn the_start_up_is_ours_and_the_rest_untouched() {
        let glue = glue();
        let out = replace(&glue).expect("wasm-bindgen 0.2.130's glue");
        let from = glue.find(FROM).expect("the start-up in the test glue");
        assert_eq!(&out[..from], &glue[..from]);
        assert!(out.ends_with(START));
        assert_eq!(
            out.matches(WASM_SRI).count(),
            1,
            "one place for the wasm's hash"
        );
        for gone in [
            "__wbg_load",
            "console.warn",
            "deprecated",
            "instantiate(",
            "initSync(module)",
        ] {
            assert!(!out.contains(gone), "{gone} left in the glue");
        }
    }

    /// wasm-bindgen 0.2.130's lines that [`trim`] shortens (the test glue predates them).
    fn runtime() -> String {
        format!(
            "const AFinalization = {NO_REGISTRY}ptr => wasm.__wbg_a_free(ptr, 1));
if (Symbol.dispose) A.prototype[Symbol.dispose] = A.prototype.free;
function getDataViewMemory0() {{
    if (cachedDataViewMemory0 === null || {STALE_VIEW}) {{
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }}
}}
"
        )
    }

    #[test]
    fn the_trim_keeps_what_runs() {
        let out = trim(&runtime()).expect("wasm-bindgen 0.2.130's runtime");
        assert_eq!(
            out,
            "const AFinalization = new FinalizationRegistry(ptr => wasm.__wbg_a_free(ptr, 1));
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
}
"
        );
        // The test glue has none of them: left as it is.
        assert_eq!(trim(&glue()).expect("the test glue"), glue());
    }

    /// wasm-bindgen's string passing with one call of each shape.
    fn strings(second_call: &str) -> String {
        format!(
            "function f(a, b) {{
    const p0 = passStringToWasm0(a, wasm._ai, wasm._aj);
    const p1 = isLikeNone(b) ? 0 : {second_call};
}}
function passStringToWasm0(arg, malloc, realloc) {{
{NO_REALLOC}
    let len = arg.length;
}}
"
        )
    }

    #[test]
    fn the_string_copy_without_realloc_goes_only_when_no_call_needs_it() {
        let out = trim(&strings(
            "passStringToWasm0(b.join(g(c, d)), wasm._ai, wasm._aj)",
        ))
        .expect("every call passes realloc");
        assert!(!out.contains("realloc === undefined"), "{out}");
        assert!(out.contains("let len = arg.length;"));
        // One call without `realloc`: the branch stays.
        let two_args = strings("passStringToWasm0(b, wasm._ai)");
        let out = trim(&two_args).expect("a glue that needs the branch");
        assert!(out.contains("realloc === undefined"));
    }

    #[test]
    fn a_runtime_in_another_form_is_refused_not_half_trimmed() {
        let other = runtime().replace(
            NO_REGISTRY,
            "typeof FinalizationRegistry == 'undefined' ? {} : new FinalizationRegistry(",
        );
        assert_eq!(
            trim(&other),
            Err(StartError::Unknown("typeof FinalizationRegistry", 1))
        );
        let other = runtime().replace(STALE_VIEW, "cachedDataViewMemory0.buffer.detached");
        assert_eq!(trim(&other), Err(StartError::Unknown("buffer.detached", 1)));
    }

    #[test]
    fn another_start_up_is_refused_not_mangled() {
        let glue = glue();
        assert_eq!(
            replace(&glue.replace(FROM, "async function load(m, i) {")),
            Err(StartError::Unknown(FROM, 0))
        );
        assert_eq!(
            replace(&format!("{glue}\n{LAST}")),
            Err(StartError::Unknown(LAST, 2))
        );
        assert_eq!(
            replace(&format!("{glue}\nconsole.log(1);")),
            Err(StartError::Trailing)
        );
    }
}
