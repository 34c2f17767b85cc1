//! Which item of the form each column of 医見書's CSV carries, as data
//! (`forms/ikensyo-1.2.toml`, its schema in the file's header; `forms/ikensyo-1.0.toml` for the
//! older layout, read only), checked against the form when it
//! is loaded: every column once and in order, every item and choice it names there, every bound
//! field as the form binds it, every column that carries nothing saying why. A later format
//! version is one more file.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::form::def::{FormDef, ItemKind};

/// The mapping of FormatVersion 1.2, built into the program.
pub const V1_2: &str = include_str!("../../forms/ikensyo-1.2.toml");

/// The mapping of FormatVersion 1.0 (the older 104-column layout; read only).
pub const V1_0: &str = include_str!("../../forms/ikensyo-1.0.toml");

/// The values of column 1 that a built-in mapping reads.
pub const FORMATS: [&str; 3] = ["1.2", "1.1", "1.0"];

/// The built-in mapping that reads records whose column 1 is `format` (the mapping's `accept`),
/// loaded and checked once; `None` for a format no built-in mapping reads.
pub fn builtin(format: &str) -> Option<Result<&'static Mapping, MappingError>> {
    use std::sync::OnceLock;
    static V12: OnceLock<Result<Mapping, MappingError>> = OnceLock::new();
    static V10: OnceLock<Result<Mapping, MappingError>> = OnceLock::new();
    let (cell, text) = match format {
        "1.2" | "1.1" => (&V12, V1_2),
        "1.0" => (&V10, V1_0),
        _ => return None,
    };
    Some(
        cell.get_or_init(|| {
            let form = FormDef::builtin(crate::form::FormVersion::R3)
                .map_err(|e| MappingError(vec![e.to_string()]))?;
            Mapping::load(text, form)
        })
        .as_ref()
        .map_err(Clone::clone),
    )
}

/// How a column's field is written (see the file's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Fixed,
    Timestamp,
    Text,
    Date,
    EraDate,
    Code,
    Flag,
    Flags,
    Underline,
    Derived,
    Composite,
    NotCarried,
}

/// One column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub n: usize,
    pub name: String,
    pub kind: Kind,
    pub to: Option<String>,
    pub bind: Option<String>,
    pub codes: Option<BTreeMap<String, String>>,
    pub off: Option<String>,
    pub flags: Option<Vec<String>>,
    pub from: Option<Vec<usize>>,
    pub yes: Option<String>,
    pub no: Option<String>,
    pub value: Option<String>,
    pub accept: Option<Vec<String>>,
    pub write: Option<String>,
    pub max: Option<usize>,
    pub format: Option<String>,
    pub sets: Option<String>,
    pub line_break: Option<String>,
    pub import_rule: Option<String>,
    pub export_rule: Option<String>,
    pub why: Option<String>,
    /// (not-carried) what the column holds is not the opinion's (the writing program's name):
    /// the import does not list it.
    #[serde(default)]
    pub quiet: bool,
    pub note: Option<String>,
    pub doubt: Option<String>,
}

/// A rule over several columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub columns: Vec<usize>,
    pub to: Option<String>,
    pub choice: Option<String>,
    pub import: String,
    pub export: String,
    pub doubt: Option<String>,
}

/// A format version's mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub format: String,
    pub columns: usize,
    pub form: String,
    pub column: Vec<Column>,
    #[serde(default)]
    pub rule: Vec<Rule>,
}

/// What is wrong with a mapping file: each problem names the column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the mapping of 医見書's CSV is wrong: {}", .0.join("; "))]
pub struct MappingError(pub Vec<String>);

impl Mapping {
    /// Reads `text` and checks it against `form`.
    pub fn load(text: &str, form: &FormDef) -> Result<Mapping, MappingError> {
        let m: Mapping = toml::from_str(text).map_err(|e| MappingError(vec![e.to_string()]))?;
        let problems = m.problems(form);
        if problems.is_empty() {
            Ok(m)
        } else {
            Err(MappingError(problems))
        }
    }

    /// Whether the columns a derived column sums up (`from`) say anything, as written in
    /// `fields`: a flag string with a tick (1, or 2 underlined), or a text that is not empty.
    pub fn derived_any(&self, c: &Column, fields: &[String]) -> bool {
        c.from.iter().flatten().any(|n| {
            let Some(v) = fields.get(n.saturating_sub(1)) else {
                return false;
            };
            match self.column(*n).map(|f| f.kind) {
                Some(Kind::Text | Kind::Composite) => !v.is_empty(),
                _ => v.contains(['1', '2']),
            }
        })
    }

    /// The column numbered `n` (from 1).
    pub fn column(&self, n: usize) -> Option<&Column> {
        self.column.get(n.checked_sub(1)?)
    }

    fn problems(&self, form: &FormDef) -> Vec<String> {
        let mut out = Vec::new();
        if self.form != form.version.as_str() {
            out.push(format!(
                "made for form {}, checked against {}",
                self.form,
                form.version.as_str()
            ));
        }
        if self.column.len() != self.columns {
            out.push(format!(
                "{} columns listed, {} declared",
                self.column.len(),
                self.columns
            ));
        }
        for (i, c) in self.column.iter().enumerate() {
            let at = |what: String| format!("column {}: {what}", c.n);
            if c.n != i + 1 {
                out.push(at(format!("listed in place {}", i + 1)));
            }
            let carries = !matches!(c.kind, Kind::Fixed | Kind::Timestamp | Kind::NotCarried);
            if c.kind == Kind::NotCarried && c.why.is_none() {
                out.push(at("carries nothing and does not say why".into()));
            }
            let Some(to) = &c.to else {
                if carries {
                    out.push(at("names no item".into()));
                }
                continue;
            };
            let Some(item) = form.item(to) else {
                out.push(at(format!("no item {to} in the form")));
                continue;
            };
            let bound = item.bind.map(|b| b.path());
            if c.bind.as_deref() != bound {
                out.push(at(format!("bind {:?}, the form binds {bound:?}", c.bind)));
            }
            let choice_ok = |v: &str| v.is_empty() || item.choices.iter().any(|ch| ch == v);
            if let Some(codes) = &c.codes {
                for v in codes.values() {
                    let ok = match item.kind {
                        ItemKind::Flag => matches!(v.as_str(), "" | "true" | "false"),
                        _ => choice_ok(v),
                    };
                    if !ok {
                        out.push(at(format!("code value {v} is not a choice of {to}")));
                    }
                }
            }
            for v in c.flags.iter().flatten() {
                if !choice_ok(v) {
                    out.push(at(format!("{v} is not a choice of {to}")));
                }
            }
            if let Some(off) = &c.off
                && !c
                    .codes
                    .as_ref()
                    .is_some_and(|codes| codes.contains_key(off))
            {
                out.push(at(format!("off code {off} is not one of its codes")));
            }
            if matches!(c.kind, Kind::Flags | Kind::Underline) && c.flags.is_none() {
                out.push(at("a flag string without its positions".into()));
            }
            if c.kind == Kind::Underline && !item.emphasis {
                out.push(at(format!("{to} has no 特に必要性が高い emphasis")));
            }
            if c.kind == Kind::Code && c.codes.is_none() {
                out.push(at("a code without its codes".into()));
            }
        }
        for r in &self.rule {
            for n in &r.columns {
                if *n == 0 || *n > self.column.len() {
                    out.push(format!("rule {}: no column {n}", r.id));
                }
            }
            if let (Some(to), Some(choice)) = (&r.to, &r.choice)
                && !form
                    .item(to)
                    .is_some_and(|i| i.choices.iter().any(|c| c == choice))
            {
                out.push(format!("rule {}: {to} has no choice {choice}", r.id));
            }
        }
        out
    }
}

/// The items of `form` that no column of `m` carries (what the format cannot hold).
pub fn not_carried(m: &Mapping, form: &FormDef) -> Vec<String> {
    form.items
        .iter()
        .filter(|i| i.kind != ItemKind::Note)
        .filter(|i| {
            !m.column
                .iter()
                .any(|c| c.to.as_deref() == Some(i.id.as_str()))
        })
        .map(|i| i.id.clone())
        .collect()
}
