//! The rules of the house that the crate boundaries do not hold by themselves (ARCHITECTURE.md,
//! "Rules of the house"): which part of the library may use which other part and which outside
//! crate. Read from the sources, so that a `use` added in the wrong place fails here, named.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

/// Crates that keep or fetch data: a database, the network, the OS credential store.
const STORAGE_AND_NETWORK: &[&str] = &[
    "rusqlite",
    "rusqlite_migration",
    "postgres",
    "tokio_postgres",
    "tokio_postgres_rustls",
    "tokio",
    "ureq",
    "rustls",
    "keyring",
    "std::net",
];

/// The network alone.
const NETWORK: &[&str] = &[
    "postgres",
    "tokio_postgres",
    "tokio",
    "ureq",
    "rustls",
    "std::net",
];

/// The window.
const WINDOW: &[&str] = &["egui", "eframe", "egui_kittest"];

struct Rule {
    /// A folder or file under `src/`.
    part: &'static str,
    /// The library's own modules it may use (`crate::…`).
    may_use: &'static [&'static str],
    /// Outside crates it must not use.
    never: &'static [&'static [&'static str]],
}

const RULES: &[Rule] = &[
    Rule {
        part: "form",
        may_use: &["form", "i18n"],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        part: "i18n.rs",
        may_use: &[],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        part: "files.rs",
        may_use: &[],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        part: "pdf",
        may_use: &["pdf", "form", "i18n"],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        part: "sign",
        may_use: &["sign", "card"],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        // The virtual card, which speaks TCP to vpcd, lives in the test kit.
        part: "card",
        may_use: &["card", "files"],
        never: &[NETWORK, WINDOW],
    },
    Rule {
        part: "ikensyo",
        may_use: &["ikensyo", "form", "i18n"],
        never: &[STORAGE_AND_NETWORK, WINDOW],
    },
    Rule {
        // The store keeps data; it prints nothing, reads no card, calls no hub.
        part: "store",
        may_use: &["store", "form", "i18n", "files", "sign"],
        never: &[&["ureq"], WINDOW],
    },
    Rule {
        // The hub's outbox and flow drive the store's outbox rows and requests; no PDF, no card.
        part: "hub",
        may_use: &["hub", "store", "form", "i18n", "files", "sign"],
        never: &[&["rusqlite", "postgres", "tokio_postgres"], WINDOW],
    },
    Rule {
        // The one place where store, PDF, card and hub meet.
        part: "workflow",
        may_use: &[
            "workflow", "store", "pdf", "card", "hub", "sign", "form", "i18n", "files", "ikensyo",
        ],
        never: &[
            &["rusqlite", "postgres", "ureq", "pcsc", "printpdf"],
            WINDOW,
        ],
    },
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The code of a file without its comments (line comments and doc comments), so that prose may
/// name any crate.
fn code_of(path: &Path) -> String {
    with_groups_written_out(&code_of_str(&std::fs::read_to_string(path).unwrap()))
}

fn code_of_str(s: &str) -> String {
    s.lines()
        .map(|l| &l[..comment_start(l).unwrap_or(l.len())])
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a line's `//` comment begins, outside string and character literals (a URL such as
/// "postgresql://…" in a string is code).
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `code` with each group of a path written out: `std::{io, net::TcpStream}` also as
/// `std::io; std::net::TcpStream;`, so that a rule on `std::net` sees it.
fn with_groups_written_out(code: &str) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(at) = code[from..].find("::{") {
        let open = from + at;
        let head_start = code[..open]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let head = &code[head_start..open];
        let mut depth = 0;
        let mut part = String::new();
        let mut parts = Vec::new();
        for c in code[open + 3..].chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut part));
                    continue;
                }
                _ => {}
            }
            part.push(c);
        }
        parts.push(part);
        for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            out.push_str(&format!("\n{head}::{p};"));
        }
        from = open + 3;
    }
    out
}

/// Whether `code` uses the path `name` (`name::…`, or `use name;`), as a whole word.
fn uses(code: &str, name: &str) -> bool {
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find(name) {
        let start = from + at;
        let end = start + name.len();
        // Not the tail of another name or path (`my_rusqlite`, `crate::x::rustls_y`); a
        // leading `::` (`::rusqlite::…`) is the crate itself.
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let before_ok = match start {
            0 => true,
            1 => !ident(bytes[0]) && bytes[0] != b':',
            _ if bytes[start - 1] == b':' => {
                bytes[start - 2] == b':' && (start == 2 || !ident(bytes[start - 3]))
            }
            _ => !ident(bytes[start - 1]),
        };
        let after = &code[end..];
        if before_ok
            && (after.starts_with("::") || after.starts_with(';') || after.starts_with(" as "))
        {
            return true;
        }
        from = end;
    }
    false
}

/// The library's own modules a file uses: `crate::name`, also in a group (`crate::{a, b::c}`).
fn own_modules(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if !name.is_empty() && name != "self" && !out.contains(&name) {
            out.push(name);
        }
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let tail = &rest[at + "crate::".len()..];
        if let Some(group) = tail.strip_prefix('{') {
            // The top-level parts of the group, up to its closing brace.
            let mut depth = 0;
            let mut part = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        add(ident(&part));
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
            add(ident(&part));
        } else {
            add(ident(tail));
        }
        rest = tail;
    }
    out
}

#[test]
fn each_part_of_the_library_uses_only_what_its_rule_allows() {
    let mut broken = Vec::new();
    for rule in RULES {
        let mut files = Vec::new();
        rust_files(&src().join(rule.part), &mut files);
        assert!(!files.is_empty(), "no sources for {}", rule.part);
        for file in files {
            let code = code_of(&file);
            let shown = file.strip_prefix(src()).unwrap().display().to_string();
            for module in own_modules(&code) {
                if !rule.may_use.contains(&module.as_str()) {
                    broken.push(format!("{shown} uses crate::{module}"));
                }
            }
            for list in rule.never {
                for name in *list {
                    if uses(&code, name) {
                        broken.push(format!("{shown} uses {name}"));
                    }
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "against the rules of the house:\n{}",
        broken.join("\n")
    );
}

#[test]
fn only_emit_and_font_know_printpdf_and_only_the_store_speaks_sql() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut broken = Vec::new();
    for file in files {
        let code = code_of(&file);
        let shown = file.strip_prefix(src()).unwrap().display().to_string();
        // The PDF is written in `emit`; `font` parses the typeface with printpdf's parser, whose
        // glyph widths the layout uses.
        if uses(&code, "printpdf") && shown != "pdf/emit.rs" && shown != "pdf/font.rs" {
            broken.push(format!("{shown} uses printpdf"));
        }
        for db in ["rusqlite", "postgres", "tokio_postgres"] {
            if uses(&code, db) && !shown.starts_with("store/") {
                broken.push(format!("{shown} uses {db}"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_rule_reader_sees_a_use_where_there_is_one() {
    // The reader itself, on lines that do and do not break a rule.
    assert!(uses("use rusqlite::Connection;", "rusqlite"));
    assert!(uses("let c = rusqlite::Connection::open(p);", "rusqlite"));
    assert!(uses("use tokio;", "tokio"));
    assert!(!uses("use tokio_postgres::Client;", "tokio"));
    assert!(!uses("let my_rusqlite = 1;", "rusqlite"));
    assert!(!uses("use crate::store::rustls_config;", "rustls"));
    assert!(uses("std::net::TcpStream::connect(a)", "std::net"));
    assert_eq!(
        own_modules("use crate::store::{Store};\nlet x = crate::pdf::sheet(f);"),
        ["store", "pdf"]
    );
    assert_eq!(
        own_modules("use crate::{\n    form::{Answer, Opinion},\n    hub::client,\n    i18n,\n};"),
        ["form", "hub", "i18n"]
    );
    assert_eq!(code_of_str("let a = 1; // rusqlite::x"), "let a = 1; ");
    assert_eq!(
        code_of_str(r#"let u = "postgresql://h/db"; // note"#),
        r#"let u = "postgresql://h/db"; "#
    );
    assert!(uses(
        &with_groups_written_out("use std::{io, net::TcpStream};"),
        "std::net"
    ));
    assert!(uses("let c = ::rusqlite::Connection::open(p);", "rusqlite"));
    assert!(!uses("use crate::a::rusqlite_like;", "rusqlite"));
}
