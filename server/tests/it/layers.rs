//! The product areas import each other in one direction only (no cycles): each area below
//! lists the areas it must not import. Checked on the source text (`crate::<area>` paths,
//! test modules included), so a new import that would close a cycle fails here.

use std::path::{Path, PathBuf};

/// `(area, areas it must not import)`.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "store",
        &[
            "identity", "api", "hub", "pages", "state", "provider", "server",
        ],
    ),
    (
        "identity",
        &["api", "hub", "pages", "state", "provider", "server"],
    ),
    ("hub", &["api", "pages", "state", "provider", "server"]),
    ("api", &["hub", "pages", "provider", "server"]),
    ("pages", &["api", "hub", "provider", "server"]),
    (
        "odata",
        &["store", "identity", "api", "hub", "pages", "state"],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn areas_import_in_one_direction() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bad = Vec::new();
    for (area, forbidden) in FORBIDDEN {
        let mut files = Vec::new();
        rust_files(&src.join(area), &mut files);
        assert!(!files.is_empty(), "no files under src/{area}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for other in *forbidden {
                    let needle = format!("crate::{other}");
                    let hit = code.match_indices(&needle).any(|(i, _)| {
                        !code[i + needle.len()..]
                            .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    });
                    if hit {
                        bad.push(format!(
                            "{}:{}: {area} imports {other}: {}",
                            file.strip_prefix(&src).unwrap().display(),
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

/// A source file split into what the compiler reads as code (string literals and comments
/// blanked out, line breaks kept) and its string literals with their line numbers.
struct Lexed {
    code: String,
    literals: Vec<(usize, String)>,
}

/// Splits Rust source: `//` and `/* */` comments, `"…"` and raw `r#"…"#` strings (also `b`
/// prefixed), and char literals (so `'"'` does not open a string) are recognised.
fn lex(text: &str) -> Lexed {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut literals = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    // Copies a skipped char as a blank (a line break as itself, so line numbers hold).
    let blank = |c: char, code: &mut String, line: &mut usize| {
        if c == '\n' {
            *line += 1;
            code.push('\n');
        } else {
            code.push(' ');
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_ident = i > 0 && is_ident(chars[i - 1]);
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                    continue;
                }
                if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                    continue;
                }
                blank(chars[i], &mut code, &mut line);
                i += 1;
            }
            continue;
        }
        // Raw strings: r"…", r#"…"#, br"…".
        let raw_start = match (c, next) {
            ('r', Some('"' | '#')) if !prev_ident => Some(i + 1),
            ('b', Some('r')) if !prev_ident && matches!(chars.get(i + 2), Some('"' | '#')) => {
                Some(i + 2)
            }
            _ => None,
        };
        if let Some(mut j) = raw_start {
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                let start_line = line;
                let mut literal = String::new();
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    literal.push(chars[j]);
                    blank(chars[j], &mut code, &mut line);
                    j += 1;
                }
                literals.push((start_line, literal));
                i = j;
                continue;
            }
        }
        if c == '"' {
            let start_line = line;
            let mut literal = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    literal.push(chars[i + 1]);
                    blank(chars[i], &mut code, &mut line);
                    blank(chars[i + 1], &mut code, &mut line);
                    i += 2;
                    continue;
                }
                literal.push(chars[i]);
                blank(chars[i], &mut code, &mut line);
                i += 1;
            }
            i += 1;
            literals.push((start_line, literal));
            continue;
        }
        // Char literals ('x', '"', '\''); a lifetime ('a) is code.
        if c == '\'' {
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                continue;
            }
        }
        if c == '\n' {
            line += 1;
        }
        code.push(c);
        i += 1;
    }
    Lexed { code, literals }
}

/// SQL in a string literal: a statement's keywords, in capitals as this code base writes SQL.
fn looks_like_sql(literal: &str) -> bool {
    const MARKERS: &[&str] = &[
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "CREATE TABLE",
        "ALTER TABLE",
        "DROP TABLE",
        " WHERE ",
        " FROM ",
        " JOIN ",
        "ORDER BY",
        "GROUP BY",
        " SET ",
        "PRAGMA ",
    ];
    MARKERS.iter().any(|m| literal.contains(m))
}

/// Calls that run SQL, and the driver's name.
const DRIVER_CALLS: &[&str] = &[
    "sqlx",
    "rusqlite",
    ".fetch_one(",
    ".fetch_all(",
    ".fetch_optional(",
    ".execute(",
    ".execute_batch(",
    ".prepare(",
    ".prepare_cached(",
    ".query_row(",
    ".query_map(",
    ".transaction(",
    ".transaction_with_behavior(",
];

/// What in one file's text reaches the database past the store: `line: what`.
fn sql_outside_store(text: &str) -> Vec<String> {
    let lexed = lex(text);
    let mut found = Vec::new();
    for (n, line) in lexed.code.lines().enumerate() {
        for call in DRIVER_CALLS {
            if line.contains(call) {
                found.push(format!("{}: `{call}` in code: {}", n + 1, line.trim()));
            }
        }
    }
    for (n, literal) in &lexed.literals {
        if looks_like_sql(literal) {
            found.push(format!("{n}: SQL in a string: {:?}", literal.trim()));
        }
    }
    found
}

/// Every SQL statement is behind `store/` (the one data layer over SQLite and PostgreSQL): outside it, no
/// file names the driver, runs a statement, or holds SQL text.
#[test]
fn sql_stays_in_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let store = src.join("store");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in files.iter().filter(|f| !f.starts_with(&store)) {
        checked += 1;
        let text = std::fs::read_to_string(file).unwrap();
        for hit in sql_outside_store(&text) {
            bad.push(format!(
                "{}:{hit}",
                file.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    assert!(checked > 50, "only {checked} files outside src/store");
    assert!(bad.is_empty(), "SQL outside src/store:\n{}", bad.join("\n"));
    // The store itself is where the statements are (so the scan does find them).
    let mut store_files = Vec::new();
    rust_files(&store, &mut store_files);
    assert!(
        store_files
            .iter()
            .any(|f| { !sql_outside_store(&std::fs::read_to_string(f).unwrap()).is_empty() })
    );
}

/// The scan finds SQL and driver calls however they are written, and not in comments, char
/// literals or ordinary text.
#[test]
fn the_sql_scan_catches_what_it_should() {
    let caught = [
        r#"let n = c.execute("UPDATE tokens SET revoked_at = ?1", [now]);"#,
        "let q = \"SELECT id\\n FROM people\";",
        "let q = r#\"DELETE FROM sessions\"#;",
        "let q = concat!(\"SELECT a\", \" FROM b\");",
        "use rusqlite::Connection;",
        "let n: i64 = sqlx::query_scalar(q).fetch_one(c).await?;",
        "let rows = q.fetch_all(&mut *c).await?;",
        "fn f(r: &rusqlite::Row<'_>) {}",
        "let s = c.prepare_cached(q)?;",
        "let x = '\"'; let q = \"x JOIN y\";",
    ];
    for snippet in caught {
        assert!(!sql_outside_store(snippet).is_empty(), "missed: {snippet}");
    }
    let clean = [
        "// c.execute(\"DELETE FROM people\")",
        "/// Runs SELECT queries through `rusqlite`.",
        "/// Runs SELECT queries through `sqlx`.",
        "/* rusqlite */ let s = \"Select your friends\";",
        "let c = '\"'; let t = \"it's fine\"; fn f<'a>(x: &'a str) {}",
        "let methods = [\"GET\", \"POST\", \"DELETE\"];",
        "let r = format!(\"{issuer}/people/{id}\");",
    ];
    for snippet in clean {
        assert_eq!(
            sql_outside_store(snippet),
            Vec::<String>::new(),
            "{snippet}"
        );
    }
}
