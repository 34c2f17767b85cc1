//! The two languages: the same keys in both, the same placeholders in both, every key that code or
//! a form file uses present, and every finding rendered without a gap.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use ikensho::form::describe::Describer;
use ikensho::form::validate::msg;
use ikensho::form::{Era, FormVersion, Opinion, validate};
use ikensho::i18n::{Lang, Locales, sources};

fn locales() -> &'static Locales {
    Locales::builtin().expect("locales load")
}

#[test]
fn both_languages_have_the_same_keys() {
    let ja = locales().keys(Lang::Ja);
    let en = locales().keys(Lang::En);
    let only_ja: Vec<_> = ja.difference(en).collect();
    let only_en: Vec<_> = en.difference(ja).collect();
    assert!(only_ja.is_empty(), "only in ja-JP: {only_ja:?}");
    assert!(only_en.is_empty(), "only in en-US: {only_en:?}");
    assert!(ja.len() > 400, "{} keys", ja.len());
}

/// Placeholder names of every message, by key.
fn variables(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    fn walk(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expr(expression, out);
            }
        }
    }
    fn expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => inline(i, out),
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    walk(&v.value, out);
                }
            }
        }
    }
    fn inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    let mut map = BTreeMap::new();
    for (file, text) in sources(lang) {
        let res = fluent_syntax::parser::parse(text).unwrap_or_else(|_| panic!("{file} parses"));
        for entry in res.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    walk(v, &mut vars);
                }
                map.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    map
}

#[test]
fn both_languages_use_the_same_placeholders() {
    let ja = variables(Lang::Ja);
    let en = variables(Lang::En);
    for (key, vars) in &ja {
        assert_eq!(Some(vars), en.get(key), "placeholders of {key}");
    }
}

#[test]
fn every_key_used_by_code_exists() {
    let l = locales();
    let mut used: BTreeSet<String> = msg::ALL.iter().map(|s| s.to_string()).collect();
    // Keys built from ids at run time.
    for era in Era::ALL {
        used.insert(format!("era-{}", era.id()));
    }
    for v in FormVersion::ALL {
        used.insert(format!("form-{}", v.as_str().to_ascii_lowercase()));
    }
    for s in ikensho::store::State::ALL {
        used.insert(format!("state-{}", s.id()));
    }
    for r in ikensho::store::Role::ALL {
        used.insert(format!("role-{}", r.id()));
    }
    for a in ikensho::store::Action::ALL {
        used.insert(format!("action-{}", a.id()));
    }
    for c in ikensho::store::Store::audit_columns() {
        used.insert(format!("audit-col-{c}"));
    }
    // Every complete key written as a string literal in the sources.
    let literal = regex::Regex::new(r#""((?:msg|err|cli|shape|severity|form|help|item|section|choice|era|unit|store|state|role|action|audit|thing|setting|print|card|sign|verify|hub|app|io)(?:-[a-z0-9]+)+)""#)
        .expect("regex");
    let mut files = vec![std::path::PathBuf::from("src")];
    let mut scanned = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("dir") {
                files.push(entry.expect("entry").path());
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            for cap in literal.captures_iter(&text) {
                used.insert(cap[1].to_owned());
            }
            scanned += 1;
        }
    }
    assert!(scanned > 5, "scanned {scanned} files");
    assert!(used.contains("err-json") && used.contains("severity-error"));
    for lang in Lang::ALL {
        let missing: Vec<_> = used.iter().filter(|k| !l.has(lang, k)).collect();
        assert!(missing.is_empty(), "missing in {}: {missing:?}", lang.tag());
    }
}

#[test]
fn every_key_used_by_the_forms_exists() {
    let l = locales();
    for v in FormVersion::ALL {
        let form = common::form(v);
        for section in &form.sections {
            for lang in Lang::ALL {
                assert!(l.has(lang, &section.label_key()), "{}", section.id);
            }
        }
        for item in &form.items {
            let mut keys = vec![item.label_key(), item.help.clone()];
            keys.extend(item.choices.iter().map(|c| item.choice_label_key(c)));
            keys.extend(item.unit.iter().map(|u| format!("unit-{u}")));
            for key in keys {
                for lang in Lang::ALL {
                    assert!(
                        l.has(lang, &key),
                        "{v} {}: {key} in {}",
                        item.id,
                        lang.tag()
                    );
                }
            }
        }
    }
}

#[test]
fn every_finding_renders_without_gaps() {
    let mut seen = BTreeSet::new();
    for name in [
        "invalid-missing-required.json",
        "invalid-dates.json",
        "invalid-identifiers.json",
        "invalid-second-insured.json",
        "invalid-conditions.json",
    ] {
        let op: Opinion = common::read(name);
        let form = common::form(op.form_version);
        let report = validate(&op, form, &common::today());
        for lang in Lang::ALL {
            let d = Describer {
                locales: locales(),
                lang,
                form,
            };
            for f in &report.findings {
                let text = d.finding(f);
                assert!(
                    !text.contains('{') && !text.contains('['),
                    "{}: {text}",
                    f.message
                );
                assert!(!text.contains('\u{2068}'), "isolation marks: {text}");
                seen.insert(f.message);
            }
        }
    }
    assert!(seen.len() >= 12, "{seen:?}");
}

#[test]
fn labels_are_in_the_language_asked_for() {
    let form = common::form(FormVersion::R8);
    let d = |lang| Describer {
        locales: locales(),
        lang,
        form,
    };
    assert_eq!(d(Lang::Ja).item_label("diagnosis-1"), "診断名 1.");
    assert_eq!(d(Lang::En).item_label("diagnosis-1"), "Diagnosis 1");
    assert_eq!(d(Lang::Ja).choice_label("dementia-level", "iib"), "Ⅱb");
    assert_eq!(
        d(Lang::Ja).date(jiff::civil::date(2019, 5, 1)),
        "令和元年5月1日"
    );
    assert_eq!(
        d(Lang::En).date(jiff::civil::date(2019, 5, 1)),
        "2019-05-01"
    );
}
