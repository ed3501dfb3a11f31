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
