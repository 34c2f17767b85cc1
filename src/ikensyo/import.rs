//! One record of 医見書's CSV as an opinion on the R3 form, column by column as the mapping
//! says. Every column that is not (wholly) taken is reported with why: a value 医見書 does not
//! write ([`Unread::is_damage`]: the import refuses such a row), or what the form has no place
//! for (listed, not dropped in silence). A record of the wrong length or another format is
//! refused as a whole. The use case that reads a file and stores its opinions is
//! `workflow::import_ikensyo_csv`.

use crate::form::def::{Field, FormDef, Item, ItemKind};
use crate::form::opinion::{Answer, DateInput, Marked, Opinion, Request};

use super::csv::from_vt;
use super::mapping::{Column, Kind, Mapping};

/// Why a record is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("{found} columns, {expected} expected")]
    Columns { found: usize, expected: usize },
    #[error("format version {0:?} is not one this import reads")]
    Format(String),
}

/// What was not taken from one column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// A code the mapping does not know.
    Code(String),
    /// Not a date (`yyyyMMdd`, or 医見書's era text).
    Date(String),
    /// A flag string with a character other than 0/1 (or 0/1/2 for 医学的管理).
    Flags(String),
    /// A box ticked that the form has no choice for.
    NoChoice { position: usize },
    /// 発症年月日 「不詳」: the form has no way to say it.
    UnknownOnset,
    /// A value in a column the form does not carry.
    NotCarried(String),
    /// A date before 令和 in an item that holds 令和 dates only (記入日, 最終診察日 on R3).
    BeforeReiwa(String),
    /// A yes/no that 医見書 computes from other columns says otherwise than they do (医見書
    /// 3.2.6 never writes that): its own value is kept.
    Disagrees(String),
}

impl Unread {
    /// Whether the column is damaged (the row does not parse): a code, date or flag string that
    /// 医見書 does not write. The others are what the form cannot hold of a sound row.
    pub fn is_damage(&self) -> bool {
        matches!(self, Unread::Code(_) | Unread::Date(_) | Unread::Flags(_))
    }
}

/// A column that was not (wholly) taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub column: usize,
    pub unread: Unread,
}

/// A record as an opinion, with what could not be taken.
#[derive(Debug, Clone)]
pub struct Converted {
    pub opinion: Opinion,
    pub findings: Vec<Finding>,
}

/// Converts `fields` (one record) as `m` says, onto `form` (the mapping's form).
pub fn convert(fields: &[String], m: &Mapping, form: &FormDef) -> Result<Converted, RecordError> {
    if fields.len() != m.columns {
        return Err(RecordError::Columns {
            found: fields.len(),
            expected: m.columns,
        });
    }
    let mut op = Opinion::empty(form, false);
    let mut findings = Vec::new();
    for (c, value) in m.column.iter().zip(fields) {
        let mut note = |unread| {
            findings.push(Finding {
                column: c.n,
                unread,
            })
        };
        match c.kind {
            Kind::Fixed => {
                if !c.accept.iter().flatten().any(|a| a == value) {
                    return Err(RecordError::Format(value.clone()));
                }
            }
            Kind::Timestamp | Kind::Derived => {}
            Kind::NotCarried => {
                if !c.quiet && !value.is_empty() && c.write.as_deref() != Some(value.as_str()) {
                    note(Unread::NotCarried(value.clone()));
                }
            }
            _ if value.is_empty() => {}
            _ => {
                let Some(item) = c.to.as_deref().and_then(|to| form.item(to)) else {
                    continue;
                };
                if let Err(unread) = take(&mut op, item, c, value) {
                    note(unread);
                }
            }
        }
    }
    // The derived yes/no columns answer their own items when their flags say nothing more.
    for c in m.column.iter().filter(|c| c.kind == Kind::Derived) {
        let value = &fields[c.n - 1];
        let any = m.derived_any(c, fields);
        if (c.yes.as_ref() == Some(value) && !any) || (c.no.as_ref() == Some(value) && any) {
            findings.push(Finding {
                column: c.n,
                unread: Unread::Disagrees(value.clone()),
            });
        }
        if let (Some(item), Some(codes)) = (c.to.as_deref().and_then(|to| form.item(to)), &c.codes)
            && !op.value(item).is_answered()
        {
            match codes.get(value) {
                Some(choice) if item.kind == ItemKind::Flag => {
                    if choice == "true" {
                        set(&mut op, item, Answer::Flag(true));
                    }
                }
                Some(choice) if !choice.is_empty() => {
                    set(&mut op, item, Answer::Text(choice.clone()))
                }
                Some(_) => {}
                None if value.is_empty() => {}
                None => findings.push(Finding {
                    column: c.n,
                    unread: Unread::Code(value.clone()),
                }),
            }
        }
    }
    // 「特になし」 in every one of the five 留意事項 and nothing else: R3's 特記すべき項目なし.
    for r in m.rule.iter().filter(|r| r.id == CARE_NOTES_NONE) {
        let Some((text, codes)) = r.columns.split_last() else {
            continue;
        };
        let all_none = codes
            .iter()
            .all(|n| fields.get(n - 1).is_some_and(|v| v == "1"));
        let no_text = fields.get(text - 1).is_some_and(String::is_empty);
        if let (true, true, Some(item), Some(choice)) = (
            all_none,
            no_text,
            r.to.as_deref().and_then(|to| form.item(to)),
            &r.choice,
        ) && !op.value(item).is_answered()
        {
            add_choices(&mut op, item, std::slice::from_ref(choice), &[]);
        }
    }
    Ok(Converted {
        opinion: op,
        findings,
    })
}

/// Takes one non-empty column into `item`.
fn take(op: &mut Opinion, item: &Item, c: &Column, value: &str) -> Result<(), Unread> {
    match c.kind {
        Kind::Text | Kind::Composite => {
            set(op, item, Answer::Text(from_vt(value)));
            Ok(())
        }
        Kind::Date => {
            let date = ymd(value).ok_or_else(|| Unread::Date(value.to_owned()))?;
            let answer = match item.kind {
                ItemKind::GregorianDate => Answer::Text(date.to_string()),
                ItemKind::ReiwaDate if date < REIWA => {
                    return Err(Unread::BeforeReiwa(value.to_owned()));
                }
                _ => Answer::Date(
                    DateInput::from_date(date).ok_or_else(|| Unread::Date(value.to_owned()))?,
                ),
            };
            set(op, item, answer);
            Ok(())
        }
        Kind::EraDate => {
            if value == "不詳" {
                return Err(Unread::UnknownOnset);
            }
            let d = era_text(value).ok_or_else(|| Unread::Date(value.to_owned()))?;
            set(op, item, Answer::Date(d));
            Ok(())
        }
        Kind::Code => {
            let choice = c
                .codes
                .as_ref()
                .and_then(|codes| codes.get(value))
                .ok_or_else(|| Unread::Code(value.to_owned()))?;
            match item.kind {
                ItemKind::Flag => set(op, item, Answer::Flag(choice == "true")),
                ItemKind::Multi if !choice.is_empty() => {
                    add_choices(op, item, std::slice::from_ref(choice), &[])
                }
                _ if !choice.is_empty() => set(op, item, Answer::Text(choice.clone())),
                _ => {}
            }
            Ok(())
        }
        Kind::Flag => match value {
            "1" => {
                set(op, item, Answer::Flag(true));
                Ok(())
            }
            "0" => Ok(()),
            other => Err(Unread::Flags(other.to_owned())),
        },
        Kind::Flags | Kind::Underline => {
            let positions = c.flags.as_deref().unwrap_or_default();
            let mut selected = Vec::new();
            let mut emphasized = Vec::new();
            let mut missing = None;
            for (i, ch) in value.chars().enumerate() {
                let choice = positions.get(i).map(String::as_str).unwrap_or("");
                match ch {
                    '0' => continue,
                    '1' => {}
                    '2' if c.kind == Kind::Underline => emphasized.push(choice.to_owned()),
                    _ => return Err(Unread::Flags(value.to_owned())),
                }
                if choice.is_empty() {
                    missing = Some(i + 1);
                } else {
                    selected.push(choice.to_owned());
                }
            }
            emphasized.retain(|e| !e.is_empty());
            add_choices(op, item, &selected, &emphasized);
            match missing {
                Some(position) => Err(Unread::NoChoice { position }),
                None => Ok(()),
            }
        }
        Kind::Fixed | Kind::Timestamp | Kind::Derived | Kind::NotCarried => Ok(()),
    }
}

/// The rule of the mapping that reads 「特になし」 ×5 as 特記すべき項目なし.
const CARE_NOTES_NONE: &str = "care-notes-none";

/// The first day of 令和.
const REIWA: jiff::civil::Date = jiff::civil::date(2019, 5, 1);

/// A Gregorian `yyyyMMdd`.
pub fn ymd(s: &str) -> Option<jiff::civil::Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<i16>().ok());
    jiff::civil::Date::new(
        n(0..4)?,
        i8::try_from(n(4..6)?).ok()?,
        i8::try_from(n(6..8)?).ok()?,
    )
    .ok()
}

/// 医見書's era text: 「平成17年」「平成17年05月」「平成17年05月12日」.
fn era_text(s: &str) -> Option<DateInput> {
    let eras = [
        ("明治", "meiji"),
        ("大正", "taisho"),
        ("昭和", "showa"),
        ("平成", "heisei"),
        ("令和", "reiwa"),
    ];
    let (era, rest) = eras
        .iter()
        .find_map(|(name, id)| s.strip_prefix(name).map(|rest| (*id, rest)))?;
    let (year, rest) = rest.split_once('年')?;
    let num = |t: &str| -> Option<String> {
        let t = if t == "元" { "1" } else { t };
        t.parse::<u16>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| n.to_string())
    };
    let year = num(year)?;
    let (month, day) = match rest {
        "" => (String::new(), String::new()),
        _ => {
            let (month, rest) = rest.split_once('月')?;
            let day = match rest {
                "" => String::new(),
                _ => num(rest.strip_suffix('日')?)?,
            };
            (num(month)?, day)
        }
    };
    Some(DateInput::new(era, &year, &month, &day))
}

/// Sets `item`'s answer, wherever the opinion keeps it.
fn set(op: &mut Opinion, item: &Item, answer: Answer) {
    let text = match &answer {
        Answer::Text(t) => Some(t.clone()),
        _ => None,
    };
    match (item.bind, answer) {
        (None, answer) => op.answers.insert(item.id.clone(), answer),
        (Some(Field::ApplicantBirthDate), Answer::Date(d)) => op.applicant.birth_date = d,
        (Some(field), _) => {
            let Some(text) = text else {
                return;
            };
            match field {
                Field::RequestId
                | Field::ApplicationDate
                | Field::ApplicationKind
                | Field::RequestedDate
                | Field::DueDate => {
                    let r = op.request.get_or_insert_with(Request::default);
                    let slot = match field {
                        Field::RequestId => &mut r.request_id,
                        Field::ApplicationDate => &mut r.application_date,
                        Field::ApplicationKind => &mut r.application_kind,
                        Field::RequestedDate => &mut r.requested_date,
                        _ => &mut r.due_date,
                    };
                    *slot = text;
                }
                other => {
                    if let Some(slot) = op.field_text_mut(other) {
                        *slot = text;
                    }
                }
            }
        }
    }
}

/// Adds choices (and emphasis marks) to a multiple choice.
fn add_choices(op: &mut Opinion, item: &Item, selected: &[String], emphasized: &[String]) {
    if selected.is_empty() {
        return;
    }
    if item.emphasis {
        let mut m = match op.answers.get(&item.id) {
            Some(Answer::Marked(m)) => m.clone(),
            _ => Marked::default(),
        };
        for s in selected {
            if !m.selected.contains(s) {
                m.selected.push(s.clone());
            }
        }
        for e in emphasized {
            if !m.emphasized.contains(e) {
                m.emphasized.push(e.clone());
            }
        }
        op.answers.insert(item.id.clone(), Answer::Marked(m));
    } else {
        let mut list = match op.answers.get(&item.id) {
            Some(Answer::List(l)) => l.clone(),
            _ => Vec::new(),
        };
        for s in selected {
            if !list.contains(s) {
                list.push(s.clone());
            }
        }
        op.answers.insert(item.id.clone(), Answer::List(list));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn era_texts_and_dates() {
        assert_eq!(
            era_text("平成17年"),
            Some(DateInput::new("heisei", "17", "", ""))
        );
        assert_eq!(
            era_text("平成17年05月"),
            Some(DateInput::new("heisei", "17", "5", ""))
        );
        assert_eq!(
            era_text("昭和60年12月01日"),
            Some(DateInput::new("showa", "60", "12", "1"))
        );
        assert_eq!(
            era_text("令和元年05月"),
            Some(DateInput::new("reiwa", "1", "5", ""))
        );
        for bad in [
            "平成",
            "17年",
            "平成x年",
            "平成00年",
            "平成17年13",
            "西暦2005年",
        ] {
            assert_eq!(era_text(bad), None, "{bad}");
        }
        assert_eq!(ymd("20250910"), jiff::civil::Date::new(2025, 9, 10).ok());
        for bad in ["2025091", "20251310", "2025-09-1", "20250231"] {
            assert_eq!(ymd(bad), None, "{bad}");
        }
    }
}
