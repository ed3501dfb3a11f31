//! Shorter names between a wasm module and its wasm-bindgen glue.
//!
//! wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` under the module name
//! `./<stem>_bg.js`, and its internal exports `__wbindgen_export3`, `__wasm_bindgen_func_elem_373`,
//! …. Each name is written twice on the wire (the wasm import/export section and the glue), and
//! the hashes do not compress: about 2 KB gzip on a module with 60 imports. [`shorten`] renames
//! them all to one or two letters in both, after wasm-bindgen and before the glue is minified.
//! The wasm functions behind the glue's API (the `#[wasm_bindgen]` functions and classes'
//! methods: `token`, `wlsignin_connected`, …) are renamed too (`_$a`, …), but only where the glue
//! calls them (`wasm.token(…)`): the glue's own exports keep their names, so its API is
//! unchanged (163 B gzip off the sign-in page, measured 2026-12-03).
//!
//! The API is pure (bytes and text in, bytes and text out); `xtask/testdata/names/` holds a small
//! module and glue with their expected output (the golden test below).

use std::collections::BTreeMap;

/// Why a module and its glue could not be renamed.
#[derive(Debug, thiserror::Error)]
pub enum NamesError {
    /// The bytes are not a wasm module this reader understands (truncated, or an unknown import
    /// kind).
    #[error("not a wasm module this build can read")]
    BadWasm,
    /// The wasm imports from a glue module the glue does not name (`"./x_bg.js"`): the pair does
    /// not belong together.
    #[error("the glue has no import module {0}")]
    MissingModule(String),
}

/// A renamed module and glue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortened {
    /// The module with its glue imports and internal exports renamed.
    pub wasm: Vec<u8>,
    /// The glue with the same names renamed.
    pub glue: String,
    /// How many names were shortened.
    pub renamed: usize,
}

/// Renames the imports and wasm-bindgen's internal exports of `wasm` and the `glue` that loads it,
/// and merges imports whose glue code is the same ([`merge_duplicates`]).
pub fn shorten(wasm: &[u8], glue: &str) -> Result<Shortened, NamesError> {
    let bytes = wasm;
    let (mut glue, alias) = merge_duplicates(glue);
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    // The glue's API functions' wasm exports: renamed where the glue calls them (`wasm.token(`),
    // never in the glue's own `export function token`.
    let mut public: BTreeMap<String, String> = BTreeMap::new();
    let mut module_names: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(bytes.len());
    let header = bytes.get(..8).ok_or(NamesError::BadWasm)?;
    if &header[..4] != b"\0asm" {
        return Err(NamesError::BadWasm);
    }
    out.extend_from_slice(header);
    let mut i = 8;
    while i < bytes.len() {
        let id = bytes[i];
        let (size, body_at) = leb(bytes, i + 1).ok_or(NamesError::BadWasm)?;
        let end = body_at + size as usize;
        let body = bytes.get(body_at..end).ok_or(NamesError::BadWasm)?;
        let new_body = match id {
            2 => Some(
                imports(body, &mut map, &mut module_names, &alias).ok_or(NamesError::BadWasm)?,
            ),
            7 => Some(exports(body, &mut map, &mut public).ok_or(NamesError::BadWasm)?),
            _ => None,
        };
        match new_body {
            Some(b) => {
                out.push(id);
                put_leb(&mut out, b.len() as u64);
                out.extend_from_slice(&b);
            }
            None => out.extend_from_slice(&bytes[i..end]),
        }
        i = end;
    }
    // The glue names the import module as a quoted string key: `"./x_bg.js": {…}`.
    for m in &module_names {
        let quoted = format!("\"{m}\"");
        if !glue.contains(&quoted) {
            return Err(NamesError::MissingModule(quoted));
        }
        glue = glue.replace(&quoted, "\"m\"");
    }
    for (from, to) in &map {
        glue = replace_ident(&glue, from, to);
    }
    for (from, to) in &public {
        glue = replace_ident(&glue, &format!("wasm.{from}"), &format!("wasm.{to}"));
    }
    Ok(Shortened {
        wasm: out,
        glue,
        renamed: map.len() + public.len(),
    })
}

/// The `n`th short name: `a`…`z`, `A`…`Z`, then two letters.
fn short(n: usize) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = Vec::new();
    let mut k = n;
    loop {
        s.push(A[k % A.len()]);
        k /= A.len();
        if k == 0 {
            break;
        }
        k -= 1;
    }
    s.reverse();
    // Prefixed so a short name never equals a public export's name (`end`, `code`, …).
    format!("_{}", String::from_utf8_lossy(&s))
}

/// Whether an export is wasm-bindgen's own (renamed) rather than part of the glue's API.
fn internal_export(name: &str) -> bool {
    name.starts_with("__wbindgen")
        || name.starts_with("__wbg_")
        || name.starts_with("__wasm_bindgen")
        || name == "__abort_handler"
        || name == "__instance_terminated"
}

fn rename(map: &mut BTreeMap<String, String>, name: String) -> String {
    let n = map.len();
    map.entry(name).or_insert_with(|| short(n)).clone()
}

/// The glue's import entries (`        name: function(…) {…},` in wasm-bindgen's `__wbg_get_imports`)
/// whose code is the same as an earlier entry's, removed: wasm-bindgen writes one entry per crate
/// that declares a built-in (`Reflect.get` from the core and from the controls' kit), and each
/// costs its glue code and a wasm import. Returns the glue and, for each removed entry, the name
/// of the entry its wasm import now uses (two imports of one name; wasm-opt's
/// duplicate-import-elimination then makes them one).
pub fn merge_duplicates(glue: &str) -> (String, BTreeMap<String, String>) {
    const INDENT: &str = "        ";
    let mut alias = BTreeMap::new();
    let Some(start) = glue.find("const import0 = {\n") else {
        return (glue.to_string(), alias);
    };
    let Some(len) = glue[start..].find("\n    };\n") else {
        return (glue.to_string(), alias);
    };
    let (head, block, tail) = (
        &glue[..start],
        &glue[start..start + len + 1],
        &glue[start + len + 1..],
    );
    // An entry starts at a line of exactly eight spaces, a name and `: `.
    let entry_name = |line: &str| -> Option<String> {
        let rest = line.strip_prefix(INDENT)?;
        let (name, _) = rest.split_once(": ")?;
        let ident = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        ident.then(|| name.to_string())
    };
    let mut entries: Vec<(Option<String>, String)> = Vec::new();
    for line in block.split_inclusive('\n') {
        match entry_name(line) {
            Some(n) => entries.push((Some(n), line.to_string())),
            None => match entries.last_mut() {
                Some((_, text)) => text.push_str(line),
                None => entries.push((None, line.to_string())),
            },
        }
    }
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    let mut out = head.to_string();
    for (name, text) in entries {
        if let Some(n) = name.filter(|n| n != "__proto__") {
            let code = text[INDENT.len() + n.len()..].to_string();
            if let Some(kept) = first.get(&code) {
                alias.insert(n, kept.clone());
                continue;
            }
            first.insert(code, n);
        }
        out.push_str(&text);
    }
    out.push_str(tail);
    (out, alias)
}

/// The import section with every import of the glue's module renamed (a merged one,
/// [`merge_duplicates`], to the name of the entry it now uses).
fn imports(
    body: &[u8],
    map: &mut BTreeMap<String, String>,
    modules: &mut Vec<String>,
    alias: &BTreeMap<String, String>,
) -> Option<Vec<u8>> {
    let (count, mut k) = leb(body, 0)?;
    let mut out = Vec::new();
    put_leb(&mut out, count);
    for _ in 0..count {
        let (module, k1) = name(body, k)?;
        let (field, k2) = name(body, k1)?;
        let desc_end = import_desc_end(body, k2)?;
        let glue_module = module.starts_with("./") && module.ends_with(".js");
        let (module, field) = if glue_module {
            if !modules.contains(&module) {
                modules.push(module);
            }
            let field = alias.get(&field).cloned().unwrap_or(field);
            ("m".to_string(), rename(map, field))
        } else {
            (module, field)
        };
        put_name(&mut out, &module);
        put_name(&mut out, &field);
        out.extend_from_slice(body.get(k2..desc_end)?);
        k = desc_end;
    }
    Some(out)
}

/// The export section with wasm-bindgen's internal exports renamed (into `map`), and the other
/// exported functions (the glue's API: `token`, `wlsignin_new`, …) too, into `public`: only the
/// glue calls them (`wasm.token(…)`); its own exports keep their names.
fn exports(
    body: &[u8],
    map: &mut BTreeMap<String, String>,
    public: &mut BTreeMap<String, String>,
) -> Option<Vec<u8>> {
    let (count, mut k) = leb(body, 0)?;
    let mut out = Vec::new();
    put_leb(&mut out, count);
    for _ in 0..count {
        let (field, k1) = name(body, k)?;
        let kind = *body.get(k1)?;
        let (_, end) = leb(body, k1 + 1)?;
        let field = if internal_export(&field) {
            rename(map, field)
        } else if kind == 0 {
            // After the internal names, so the two never share a short name.
            let n = public.len();
            public
                .entry(field)
                .or_insert_with(|| short(n).replacen('_', "_$", 1))
                .clone()
        } else {
            field
        };
        put_name(&mut out, &field);
        out.push(kind);
        out.extend_from_slice(body.get(k1 + 1..end)?);
        k = end;
    }
    Some(out)
}

/// Where an import's description (after its two names) ends.
fn import_desc_end(body: &[u8], at: usize) -> Option<usize> {
    let kind = *body.get(at)?;
    let k = at + 1;
    let limits = |k: usize| -> Option<usize> {
        let flags = *body.get(k)?;
        let (_, k) = leb(body, k + 1)?;
        if flags & 1 == 1 {
            Some(leb(body, k)?.1)
        } else {
            Some(k)
        }
    };
    match kind {
        0 => Some(leb(body, k)?.1),     // function: type index
        1 => limits(k + 1),             // table: reference type, limits
        2 => limits(k),                 // memory: limits
        3 => Some(k + 2),               // global: value type, mutability
        4 => Some(leb(body, k + 1)?.1), // tag: attribute, type index
        _ => None,
    }
}

fn leb(b: &[u8], mut i: usize) -> Option<(u64, usize)> {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let x = *b.get(i)?;
        i += 1;
        v |= u64::from(x & 0x7f) << shift;
        if x < 0x80 {
            return Some((v, i));
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn put_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let x = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(x);
            return;
        }
        out.push(x | 0x80);
    }
}

fn name(b: &[u8], i: usize) -> Option<(String, usize)> {
    let (n, i) = leb(b, i)?;
    let end = i + n as usize;
    Some((String::from_utf8(b.get(i..end)?.to_vec()).ok()?, end))
}

fn put_name(out: &mut Vec<u8>, s: &str) {
    put_leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Replaces `from` where it is a whole JavaScript identifier.
fn replace_ident(text: &str, from: &str, to: &str) -> String {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(ident) || after.is_some_and(ident) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn testdata(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/names")
            .join(name)
    }

    /// `input.wasm` + `input.js` → `expected.wasm` + `expected.js`, byte for byte. After a
    /// deliberate change, `UPDATE_GOLDEN=1 cargo test -p xtask names` rewrites the expected files
    /// (check them with `wasm-dis --enable-reference-types expected.wasm` and `git diff`).
    #[test]
    fn golden_pair() {
        let wasm = std::fs::read(testdata("input.wasm")).expect("input.wasm");
        let glue = std::fs::read_to_string(testdata("input.js")).expect("input.js");
        let out = shorten(&wasm, &glue).expect("the test pair renames");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(testdata("expected.wasm"), &out.wasm).expect("write expected.wasm");
            std::fs::write(testdata("expected.js"), &out.glue).expect("write expected.js");
        }
        let want_wasm = std::fs::read(testdata("expected.wasm")).expect("expected.wasm");
        let want_glue = std::fs::read_to_string(testdata("expected.js")).expect("expected.js");
        assert_eq!(out.glue, want_glue);
        assert!(out.wasm == want_wasm, "expected.wasm differs");
        // Three glue imports, three internal exports and `greet` where the glue calls it
        // (`wasm.greet(`); `env.keep_me`, `memory` and the glue's `export function greet` stay.
        assert_eq!(out.renamed, 7);
        assert!(out.glue.contains("export function greet(") && !out.glue.contains("wasm.greet"));
        // No hashed name is left; a longer identifier that only starts with a renamed one stays.
        assert!(!out.glue.contains("__wbg_log") && out.glue.contains("__wbindgen_malloc_extra"));
    }

    #[test]
    fn imports_with_the_same_code_are_merged() {
        let glue = [
            "let wasm;\n",
            "function __wbg_get_imports() {\n",
            "    const import0 = {\n",
            "        __proto__: null,\n",
            "        __wbg_get_1111: function() { return handleError(function (arg0, arg1) {\n",
            "            const ret = Reflect.get(arg0, arg1);\n",
            "            return ret;\n",
            "        }, arguments); },\n",
            "        __wbg_now_2222: function() {\n",
            "            return Date.now();\n",
            "        },\n",
            "        __wbg_get_3333: function() { return handleError(function (arg0, arg1) {\n",
            "            const ret = Reflect.get(arg0, arg1);\n",
            "            return ret;\n",
            "        }, arguments); },\n",
            "        __wbg_set_4444: function(arg0, arg1) {\n",
            "            return Date.now();\n",
            "        },\n",
            "    };\n",
            "    return { __proto__: null, \"./x_bg.js\": import0 };\n",
            "}\n",
        ]
        .concat();
        let (out, alias) = merge_duplicates(&glue);
        // The second Reflect.get goes; a body that differs only in its parameters stays.
        assert_eq!(
            alias.into_iter().collect::<Vec<_>>(),
            [("__wbg_get_3333".to_string(), "__wbg_get_1111".to_string())]
        );
        assert_eq!(out.matches("Reflect.get").count(), 1);
        assert!(out.contains("__wbg_set_4444") && !out.contains("__wbg_get_3333"));
        assert_eq!(
            out,
            glue.replace(
                &glue[glue.find("        __wbg_get_3333").expect("in the glue")
                    ..glue.find("        __wbg_set_4444").expect("in the glue")],
                ""
            )
        );
        // A glue without an import object is left as it is.
        assert_eq!(merge_duplicates("export {}").0, "export {}");
    }

    #[test]
    fn a_glue_of_another_module_is_refused() {
        let wasm = std::fs::read(testdata("input.wasm")).expect("input.wasm");
        let err = shorten(&wasm, "export function greet() {}").err();
        assert!(matches!(err, Some(NamesError::MissingModule(m)) if m == "\"./demo_bg.js\""));
    }

    #[test]
    fn bad_wasm_is_refused() {
        assert!(matches!(shorten(b"nope", ""), Err(NamesError::BadWasm)));
        assert!(matches!(
            shorten(b"\0asm\x01\0\0\0\x02\x7f", ""),
            Err(NamesError::BadWasm)
        ));
    }

    #[test]
    fn short_names_are_distinct() {
        let names: std::collections::HashSet<String> = (0..3000).map(short).collect();
        assert_eq!(names.len(), 3000);
        assert_eq!(short(0), "_a");
        assert_eq!(short(52), "_aa");
    }

    #[test]
    fn identifiers_are_replaced_whole() {
        assert_eq!(
            replace_ident("_.__wbg_x(1);a.__wbg_xy;__wbg_x", "__wbg_x", "_a"),
            "_._a(1);a.__wbg_xy;_a"
        );
    }

    #[test]
    fn leb_round_trips() {
        for v in [0u64, 1, 127, 128, 300, 1 << 20, u64::from(u32::MAX)] {
            let mut b = Vec::new();
            put_leb(&mut b, v);
            assert_eq!(leb(&b, 0), Some((v, b.len())));
        }
    }
}
