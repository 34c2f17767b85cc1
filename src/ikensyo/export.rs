//! An opinion as one record of 医見書's CSV, column by column as the mapping says, the inverse of
//! [`super::import`]: codes, flag strings, dates and era texts as 医見書 writes them, the derived
//! yes/no columns computed from the columns they sum up, an item that is not shown written empty
//! ("0" for a code). An opinion on the R8 form is written as 医見書's later releases would: what
//! R8 shares with R3 goes into its column, column 029 (医師同意, which R8 removed) is empty, and
//! what R8 added has no column — each such answer is a finding, never dropped in silence. What
//! code page 932 cannot hold is found when the file is written (`csv::write`).

use jiff::Timestamp;

use super::csv::to_vt;
use super::mapping::{Column, Kind, Mapping};
use crate::form::def::{FormDef, ItemKind};
use crate::form::normalize::nfkc_trim;
use crate::form::opinion::{Answer, DateInput, Opinion, ValueRef};
use crate::form::validate::shown_items;
use crate::form::{FormVersion, Item};

/// What an export could not write as the opinion says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFinding {
    /// An answered item that the format has no column for (on R8: what R8 added).
    NotCarried { item: String },
    /// A choice of an item that its column cannot say.
    ChoiceNotCarried { item: String, choice: String },
    /// A text longer than 医見書's input limit for its column: written whole, but a receiver
    /// built for 医見書's data may cut or refuse it.
    TooLong {
        column: usize,
        max: usize,
        found: usize,
    },
}

/// One opinion as a record.
#[derive(Debug, Clone)]
pub struct Exported {
    pub fields: Vec<String>,
    pub findings: Vec<ExportFinding>,
}

/// The column of the 医師同意, which the R8 form removed (written empty for an R8 opinion).
const CONSENT_COLUMN: usize = 29;

/// `op` (on `form`) as a record of `m` (whose form is `r3`). `finalised` is the moment the
/// version was frozen, for column 003's ddHHmmss (in Japan's time).
pub fn record(
    op: &Opinion,
    form: &FormDef,
    m: &Mapping,
    r3: &FormDef,
    finalised: Timestamp,
) -> Exported {
    let (on_r3, mut findings) = onto(op, form, r3);
    let shown = shown_items(&on_r3, r3);
    let mut fields = vec![String::new(); m.columns];
    for c in &m.column {
        let item =
            c.to.as_deref()
                .and_then(|to| r3.index_of(to).map(|i| (&r3.items[i], shown[i])));
        let value = match (c.kind, item) {
            (Kind::Fixed, _) => c.value.clone().unwrap_or_default(),
            (Kind::NotCarried, _) => c.write.clone().unwrap_or_default(),
            (Kind::Timestamp | Kind::Derived, _) => continue,
            (_, Some((item, true))) => field(&on_r3, item, c),
            (_, _) => blank(c),
        };
        if let (Some(max), Kind::Text) = (c.max, c.kind) {
            let found = value.chars().count();
            if found > max {
                findings.push(ExportFinding::TooLong {
                    column: c.n,
                    max,
                    found,
                });
            }
        }
        fields[c.n - 1] = value;
    }
    // The derived yes/no, from the columns they sum up as written.
    for c in m.column.iter().filter(|c| c.kind == Kind::Derived) {
        let any = m.derived_any(c, &fields);
        fields[c.n - 1] = if any { c.yes.clone() } else { c.no.clone() }.unwrap_or_default();
    }
    // Column 003: the 被保険者番号 as written, then the moment of 確定 as ddHHmmss.
    for c in m.column.iter().filter(|c| c.kind == Kind::Timestamp) {
        let base: String = c
            .from
            .iter()
            .flatten()
            .filter_map(|n| fields.get(n - 1))
            .cloned()
            .collect();
        let at = finalised.to_zoned(crate::form::wareki::japan());
        fields[c.n - 1] = format!("{base}{}", at.strftime("%d%H%M%S"));
    }
    if op.form_version == FormVersion::R8 && m.column(CONSENT_COLUMN).is_some() {
        fields[CONSENT_COLUMN - 1] = String::new();
    }
    Exported { fields, findings }
}

/// `op` (on `form`) as an opinion on `r3`: the items both forms have with the same kind, the
/// choices R3 knows; each answer that does not go over is a finding.
fn onto(op: &Opinion, form: &FormDef, r3: &FormDef) -> (Opinion, Vec<ExportFinding>) {
    if form.version == r3.version {
        return (op.clone(), Vec::new());
    }
    let mut out = Opinion::empty(r3, false);
    out.applicant = op.applicant.clone();
    out.clinic = op.clinic.clone();
    out.request = op.request.clone();
    let mut findings = Vec::new();
    for item in form.items.iter().filter(|i| i.bind.is_none()) {
        let answered = op.value(item).is_answered();
        let Some(answer) = op.answers.get(&item.id) else {
            continue;
        };
        let Some(target) = r3.item(&item.id).filter(|t| t.kind == item.kind) else {
            if answered {
                findings.push(ExportFinding::NotCarried {
                    item: item.id.clone(),
                });
            }
            continue;
        };
        let known = |c: &String| target.choices.iter().any(|t| t == c) || target.choices.is_empty();
        let mut lost = |c: &String| {
            findings.push(ExportFinding::ChoiceNotCarried {
                item: item.id.clone(),
                choice: c.clone(),
            })
        };
        let answer = match answer {
            Answer::Text(t) if item.kind == ItemKind::Single && !known(t) => {
                lost(t);
                continue;
            }
            Answer::List(l) if item.kind == ItemKind::Multi => {
                l.iter().filter(|c| !known(c)).for_each(&mut lost);
                Answer::List(l.iter().filter(|c| known(c)).cloned().collect())
            }
            Answer::Marked(mk) => {
                mk.selected.iter().filter(|c| !known(c)).for_each(&mut lost);
                let mut mk = mk.clone();
                mk.selected.retain(|c| known(c));
                mk.emphasized.retain(|c| known(c));
                Answer::Marked(mk)
            }
            other => other.clone(),
        };
        out.answers.insert(item.id.clone(), answer);
    }
    (out, findings)
}

/// The field of one column from its (shown) item.
fn field(op: &Opinion, item: &Item, c: &Column) -> String {
    let value = op.value(item);
    match c.kind {
        Kind::Text => match value {
            ValueRef::Text(t) => text(t, item, c),
            _ => String::new(),
        },
        Kind::Composite => match value {
            ValueRef::Text(t) => to_vt(t.trim_end_matches(['\r', '\n'])),
            _ => String::new(),
        },
        Kind::Date => match value {
            ValueRef::Text(t) => t.trim().replace('-', ""),
            ValueRef::Date(d) => {
                crate::form::wareki::WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, false)
                    .ok()
                    .and_then(|w| w.to_date().ok())
                    .map(|d| d.strftime("%Y%m%d").to_string())
                    .unwrap_or_default()
            }
            _ => String::new(),
        },
        Kind::EraDate => match value {
            ValueRef::Date(d) if !d.is_blank() => era_text(d),
            _ => String::new(),
        },
        Kind::Code => code(value, c),
        Kind::Flag => match value {
            ValueRef::Flag(true) => "1".to_owned(),
            _ => "0".to_owned(),
        },
        Kind::Flags | Kind::Underline => {
            let (selected, emphasized): (&[String], &[String]) = match value {
                ValueRef::List(l) => (l, &[]),
                ValueRef::Marked(m) => (&m.selected, &m.emphasized),
                _ => (&[], &[]),
            };
            c.flags
                .iter()
                .flatten()
                .map(|choice| {
                    if choice.is_empty() || !selected.contains(choice) {
                        '0'
                    } else if c.kind == Kind::Underline && emphasized.contains(choice) {
                        '2'
                    } else {
                        '1'
                    }
                })
                .collect()
        }
        Kind::Fixed | Kind::Timestamp | Kind::Derived | Kind::NotCarried => String::new(),
    }
}

/// A column whose item is not shown (or missing): empty, or the code of "unanswered".
fn blank(c: &Column) -> String {
    match c.kind {
        Kind::Code => unanswered_code(c),
        Kind::Flag => "0".to_owned(),
        Kind::Flags | Kind::Underline => "0".repeat(c.flags.as_ref().map_or(0, Vec::len)),
        _ => String::new(),
    }
}

/// A text column: text as typed; numbers and identifiers in NFKC, then the column's format.
fn text(t: &str, item: &Item, c: &Column) -> String {
    let t = match item.kind {
        ItemKind::Number | ItemKind::Identifier => nfkc_trim(t),
        _ => t.to_owned(),
    };
    match c.format.as_deref() {
        Some("insured-number") => insured_number(&t),
        Some("postal-code") => {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            match (digits.len(), digits.get(..3), digits.get(3..)) {
                (7, Some(a), Some(b)) => format!("{a}-{b}"),
                _ => t,
            }
        }
        _ => t,
    }
}

/// 医見書's 被保険者番号: ten characters, zero-filled; one beginning with H keeps it and is
/// zero-filled after it; anything else as it is.
fn insured_number(t: &str) -> String {
    let t = t.trim();
    if let Some(rest) = t.strip_prefix(['H', 'h']) {
        let first = &t[..1];
        return format!("{first}{rest:0>9}");
    }
    if !t.is_empty() && t.len() <= 10 && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{t:0>10}");
    }
    t.to_owned()
}

/// A radio code: the code whose choice is the answer (a multi item: the column's choice, else
/// `off`), or the code of "unanswered".
fn code(value: ValueRef<'_>, c: &Column) -> String {
    let codes = c.codes.iter().flatten();
    let find = |choice: &str| {
        codes
            .clone()
            .find(|(_, v)| v.as_str() == choice)
            .map(|(k, _)| k.clone())
    };
    let found = match value {
        ValueRef::Flag(b) => find(if b { "true" } else { "false" }),
        ValueRef::Text(t) if !t.trim().is_empty() => find(t.trim()),
        ValueRef::List(l) if !l.is_empty() => codes
            .clone()
            .find(|(_, v)| !v.is_empty() && l.contains(v))
            .map(|(k, _)| k.clone())
            .or_else(|| c.off.clone()),
        ValueRef::Marked(m) if !m.selected.is_empty() => codes
            .clone()
            .find(|(_, v)| !v.is_empty() && m.selected.contains(v))
            .map(|(k, _)| k.clone())
            .or_else(|| c.off.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| unanswered_code(c))
}

/// The code 医見書 writes for an unanswered radio: "0" when the column knows it, else "".
fn unanswered_code(c: &Column) -> String {
    let codes = c.codes.iter().flatten();
    if codes.clone().any(|(k, v)| k == "0" && v.is_empty()) {
        return "0".to_owned();
    }
    codes
        .clone()
        .find(|(_, v)| v.is_empty())
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

/// 医見書's era text of an onset date: 「平成17年」「平成17年05月」「平成17年05月12日」 (元年 as 01).
fn era_text(d: &DateInput) -> String {
    let era = match d.era.as_str() {
        "meiji" => "明治",
        "taisho" => "大正",
        "showa" => "昭和",
        "heisei" => "平成",
        "reiwa" => "令和",
        _ => return String::new(),
    };
    let two = |s: &str| -> Option<String> {
        let s = nfkc_trim(s);
        let s = if s == "元" { "1".to_owned() } else { s };
        s.parse::<u16>().ok().map(|n| format!("{n:02}"))
    };
    let Some(year) = two(&d.year) else {
        return String::new();
    };
    let mut out = format!("{era}{year}年");
    if let Some(month) = two(&d.month) {
        out.push_str(&format!("{month}月"));
        if let Some(day) = two(&d.day) {
            out.push_str(&format!("{day}日"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insured_numbers_and_era_texts_as_ikensyo_writes_them() {
        assert_eq!(insured_number("12345"), "0000012345");
        assert_eq!(insured_number("H123"), "H000000123");
        assert_eq!(insured_number("0000012345"), "0000012345");
        assert_eq!(insured_number("AB12"), "AB12");
        assert_eq!(
            era_text(&DateInput::new("heisei", "17", "5", "")),
            "平成17年05月"
        );
        assert_eq!(era_text(&DateInput::new("reiwa", "1", "", "")), "令和01年");
        assert_eq!(
            era_text(&DateInput::new("showa", "60", "12", "1")),
            "昭和60年12月01日"
        );
    }
}
