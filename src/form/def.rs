//! The form definition: one declarative file per form version under `forms/` (see
//! `forms/README.md`), read into a registry of sections and items that the validator, the GUI, the
//! PDF and the FHIR mapping all read. Loading checks the file against itself and against the
//! locales; every problem names its line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::wareki::Era;
use crate::i18n::{Lang, Locales, line_of};

/// A version of the printed 様式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FormVersion {
    /// 令和3年 form, in force until 2026-03-31.
    R3,
    /// 令和8年 form, in force from 2026-04-01.
    R8,
}

impl FormVersion {
    pub const ALL: [FormVersion; 2] = [FormVersion::R3, FormVersion::R8];

    pub fn as_str(self) -> &'static str {
        match self {
            FormVersion::R3 => "R3",
            FormVersion::R8 => "R8",
        }
    }

    pub fn parse(s: &str) -> Option<FormVersion> {
        FormVersion::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    /// The form to use for an opinion completed on `written`: R8 from 2026-04-01 (D).
    pub fn for_date(written: jiff::civil::Date) -> FormVersion {
        if written < jiff::civil::date(2026, 4, 1) {
            FormVersion::R3
        } else {
            FormVersion::R8
        }
    }

    fn source(self) -> (&'static str, &'static str) {
        match self {
            FormVersion::R3 => ("forms/R3.toml", include_str!("../../forms/R3.toml")),
            FormVersion::R8 => ("forms/R8.toml", include_str!("../../forms/R8.toml")),
        }
    }
}

impl fmt::Display for FormVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is. An error blocks signing and sending; a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of value an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// 令和 date with the era pre-printed (記入日, 最終診察日).
    ReiwaDate,
    /// 和暦 date whose era is chosen from `eras` (生年月日).
    WarekiDate,
    /// 和暦 date that may stop at the year or month (発症年月日 「頃」).
    OnsetDate,
    /// ISO date from the hub (申請日, 作成依頼日).
    GregorianDate,
    Text,
    Multiline,
    Single,
    Multi,
    Flag,
    /// A number with a unit (`unit`), as typed.
    Number,
    /// Digits with a shape check (`check`): numbers, postal codes, phones.
    Identifier,
    /// Printed text with no value.
    Note,
    /// A list of texts (diagnoses beyond the third).
    TextList,
}

impl ItemKind {
    pub fn is_date(self) -> bool {
        matches!(
            self,
            ItemKind::ReiwaDate | ItemKind::WarekiDate | ItemKind::OnsetDate
        )
    }

    pub fn is_text(self) -> bool {
        matches!(
            self,
            ItemKind::Text | ItemKind::Multiline | ItemKind::Number | ItemKind::Identifier
        )
    }
}

/// The shape check of an identifier item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentCheck {
    InsurerNumber,
    InsuredNumber,
    InstitutionCode,
    PostalCode,
    Phone,
}

/// A field of the Opinion outside `answers` that an item stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ApplicantName,
    ApplicantKana,
    ApplicantSex,
    ApplicantBirthDate,
    ApplicantPostalCode,
    ApplicantAddress,
    ApplicantPhone,
    InsurerNumber,
    InsuredNumber,
    ClinicName,
    ClinicAddress,
    ClinicPhone,
    ClinicFax,
    InstitutionCode,
    PhysicianName,
    RequestId,
    ApplicationDate,
    ApplicationKind,
    RequestedDate,
    DueDate,
}

impl Field {
    const ALL: [(Field, &'static str, ItemKind); 20] = [
        (Field::ApplicantName, "applicant.name", ItemKind::Text),
        (Field::ApplicantKana, "applicant.kana", ItemKind::Text),
        (Field::ApplicantSex, "applicant.sex", ItemKind::Single),
        (
            Field::ApplicantBirthDate,
            "applicant.birth_date",
            ItemKind::WarekiDate,
        ),
        (
            Field::ApplicantPostalCode,
            "applicant.postal_code",
            ItemKind::Identifier,
        ),
        (Field::ApplicantAddress, "applicant.address", ItemKind::Text),
        (
            Field::ApplicantPhone,
            "applicant.phone",
            ItemKind::Identifier,
        ),
        (
            Field::InsurerNumber,
            "applicant.insurer_number",
            ItemKind::Identifier,
        ),
        (
            Field::InsuredNumber,
            "applicant.insured_number",
            ItemKind::Identifier,
        ),
        (Field::ClinicName, "clinic.name", ItemKind::Text),
        (Field::ClinicAddress, "clinic.address", ItemKind::Text),
        (Field::ClinicPhone, "clinic.phone", ItemKind::Identifier),
        (Field::ClinicFax, "clinic.fax", ItemKind::Identifier),
        (
            Field::InstitutionCode,
            "clinic.institution_code",
            ItemKind::Identifier,
        ),
        (
            Field::PhysicianName,
            "clinic.physician_name",
            ItemKind::Text,
        ),
        (Field::RequestId, "request.request_id", ItemKind::Text),
        (
            Field::ApplicationDate,
            "request.application_date",
            ItemKind::GregorianDate,
        ),
        (
            Field::ApplicationKind,
            "request.application_kind",
            ItemKind::Single,
        ),
        (
            Field::RequestedDate,
            "request.requested_date",
            ItemKind::GregorianDate,
        ),
        (Field::DueDate, "request.due_date", ItemKind::GregorianDate),
    ];

    fn parse(path: &str) -> Option<(Field, ItemKind)> {
        Field::ALL
            .iter()
            .find(|(_, p, _)| *p == path)
            .map(|&(f, _, k)| (f, k))
    }

    /// Whether the field belongs to the clinic part (filled from the clinic settings).
    pub fn is_clinic(self) -> bool {
        matches!(
            self,
            Field::ClinicName
                | Field::ClinicAddress
                | Field::ClinicPhone
                | Field::ClinicFax
                | Field::InstitutionCode
                | Field::PhysicianName
        )
    }

    /// The path of the field in the opinion file, e.g. `applicant.name`.
    pub fn path(self) -> &'static str {
        Field::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, p, _)| p)
    }
}

/// A value the engine derives from the opinion, usable in conditions as `@name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predicate {
    /// The applicant is a 第2号被保険者 (40–64).
    SecondInsured,
}

impl Predicate {
    fn parse(s: &str) -> Option<Predicate> {
        match s {
            "second-insured" => Some(Predicate::SecondInsured),
            _ => None,
        }
    }
}

/// One alternative of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// The item (by index) has a value: text not blank, a choice made, a flag set, a list not empty.
    Answered(usize),
    /// The single-choice item is this choice.
    Is(usize, String),
    /// The multiple-choice item includes this choice.
    Has(usize, String),
    Pred(Predicate),
}

/// A condition: true when any of its terms is (`a or b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    pub any: Vec<Term>,
}

/// Print-fit limits: how much fits into the item's box on the printed form (医見書's practical
/// lengths; not an official limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fit {
    pub chars: usize,
    #[serde(default)]
    pub lines: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub section: usize,
    pub kind: ItemKind,
    pub help: String,
    pub bind: Option<Field>,
    pub printed: bool,
    pub required: Option<Severity>,
    pub required_when: Option<Cond>,
    pub shown_when: Option<Cond>,
    pub stale: Option<Severity>,
    pub choices: Vec<String>,
    pub choice_labels: String,
    pub exclusive: Vec<String>,
    pub emphasis: bool,
    pub eras: Vec<Era>,
    pub unit: Option<String>,
    pub decimals: u8,
    pub plausible: Option<(f64, f64)>,
    pub fit: Option<Fit>,
    pub check: Option<IdentCheck>,
    pub keywords: BTreeMap<String, Vec<String>>,
    /// A date that may lie in the future (提出期限); every other date may not (R-D2).
    pub future_ok: bool,
    /// Line in the form file, for messages about the definition itself.
    pub line: usize,
}

impl Item {
    pub fn label_key(&self) -> String {
        format!("item-{}", self.id)
    }

    pub fn choice_label_key(&self, choice: &str) -> String {
        format!("choice-{}-{choice}", self.choice_labels)
    }

    pub fn has_choice(&self, choice: &str) -> bool {
        self.choices.iter().any(|c| c == choice)
    }

    /// Items that hold a value (everything but printed notes).
    pub fn has_value(&self) -> bool {
        self.kind != ItemKind::Note
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub printed: bool,
    /// The section's items, as indices into [`FormDef::items`].
    pub items: Range<usize>,
}

impl Section {
    pub fn label_key(&self) -> String {
        format!("section-{}", self.id)
    }
}

/// A loaded, checked form definition.
#[derive(Debug, Clone)]
pub struct FormDef {
    pub version: FormVersion,
    pub valid_from: jiff::civil::Date,
    pub valid_until: Option<jiff::civil::Date>,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    index: HashMap<String, usize>,
}

/// A form file that cannot be used, with the line of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct FormLoadError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl FormDef {
    /// The built-in definition of a form version, read and checked once.
    pub fn builtin(version: FormVersion) -> Result<&'static FormDef, FormLoadError> {
        static R3: OnceLock<Result<FormDef, FormLoadError>> = OnceLock::new();
        static R8: OnceLock<Result<FormDef, FormLoadError>> = OnceLock::new();
        let cell = match version {
            FormVersion::R3 => &R3,
            FormVersion::R8 => &R8,
        };
        cell.get_or_init(|| {
            let locales = Locales::builtin().map_err(|e| FormLoadError {
                file: format!("locales/{}/{}", e.lang, e.file),
                line: 0,
                message: e.problem.clone(),
            })?;
            let (file, text) = version.source();
            FormDef::parse(file, text, locales)
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Reads and checks a form file. `file` names it in error messages.
    pub fn parse(file: &str, text: &str, locales: &Locales) -> Result<FormDef, FormLoadError> {
        let src = Source { file, text };
        let err_at = |pos: usize, message: String| src.err(pos, message);
        let raw: RawForm = toml::from_str(text).map_err(|e| {
            let pos = e.span().map_or(0, |s| s.start);
            err_at(pos, e.message().to_owned())
        })?;
        let version = FormVersion::parse(raw.form.get_ref()).ok_or_else(|| {
            err_at(
                raw.form.span().start,
                format!("unknown form version '{}'", raw.form.get_ref()),
            )
        })?;
        let parse_date = |s: &Spanned<String>| {
            s.get_ref()
                .parse::<jiff::civil::Date>()
                .map_err(|e| err_at(s.span().start, format!("not a date: {e}")))
        };
        let valid_from = parse_date(&raw.valid_from)?;
        let valid_until = raw.valid_until.as_ref().map(parse_date).transpose()?;

        let mut sections = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut section_ids = HashSet::new();
        let mut label_checks: Vec<LabelCheck> = Vec::new();

        for (s_idx, rs) in raw.section.into_iter().enumerate() {
            let s_pos = rs.id.span().start;
            check_id(rs.id.get_ref()).map_err(|m| err_at(s_pos, m.to_string()))?;
            if !section_ids.insert(rs.id.get_ref().clone()) {
                return Err(err_at(
                    s_pos,
                    format!("duplicate section id '{}'", rs.id.get_ref()),
                ));
            }
            let section_printed = rs.printed.unwrap_or(true);
            let start = items.len();
            label_checks.push((
                s_pos,
                format!("section '{}'", rs.id.get_ref()),
                format!("section-{}", rs.id.get_ref()),
            ));
            for ri in rs.item {
                let pos = ri.id.span().start;
                let id = ri.id.get_ref().clone();
                check_id(&id).map_err(|m| err_at(pos, m.to_string()))?;
                if index.contains_key(&id) {
                    return Err(err_at(pos, format!("duplicate item id '{id}'")));
                }
                let item = build_item(
                    ri,
                    s_idx,
                    section_printed,
                    &items,
                    &index,
                    &mut label_checks,
                    &src,
                )?;
                label_checks.push((pos, format!("item '{id}'"), item.label_key()));
                if item.kind != ItemKind::Note || !item.help.is_empty() {
                    label_checks.push((pos, format!("help of item '{id}'"), item.help.clone()));
                }
                if let Some(unit) = &item.unit {
                    label_checks.push((
                        pos,
                        format!("unit of item '{id}'"),
                        format!("unit-{unit}"),
                    ));
                }
                for era in &item.eras {
                    label_checks.push((
                        pos,
                        format!("era '{}'", era.id()),
                        format!("era-{}", era.id()),
                    ));
                }
                index.insert(id, items.len());
                items.push(item);
            }
            sections.push(Section {
                id: rs.id.into_inner(),
                printed: section_printed,
                items: start..items.len(),
            });
        }
        for (pos, what, key) in label_checks {
            for lang in Lang::ALL {
                if !locales.has(lang, &key) {
                    return Err(err_at(
                        pos,
                        format!(
                            "{what} has no label in {} (missing key '{key}')",
                            lang.tag()
                        ),
                    ));
                }
            }
        }
        Ok(FormDef {
            version,
            valid_from,
            valid_until,
            sections,
            items,
            index,
        })
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The item bound to an Opinion field, if the form has one.
    pub fn item_for_field(&self, field: Field) -> Option<&Item> {
        self.items.iter().find(|i| i.bind == Some(field))
    }
}

/// The form file being read, for the line numbers of items and errors.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, pos: usize) -> usize {
        line_of(self.text, pos)
    }

    fn err(&self, pos: usize, message: String) -> FormLoadError {
        FormLoadError {
            file: self.file.to_owned(),
            line: self.line(pos),
            message,
        }
    }
}

/// A label that must exist in both languages: (byte offset in the form file, what, key).
type LabelCheck = (usize, String, String);

/// What is wrong with an id or a condition of a form file (a fault of the build; it becomes the
/// message of a [`FormLoadError`] at its place in the file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum DefProblem {
    #[error("id '{0}' must be lower-case ASCII letters, digits and '-', starting with a letter")]
    BadId(String),
    #[error("condition '{cond}' refers to '{id}', which is not an item defined above")]
    NotAbove { cond: String, id: String },
    #[error("unknown predicate '{pred}' in condition '{cond}'")]
    UnknownPredicate { cond: String, pred: String },
    #[error("condition '{cond}' refers to note '{id}'")]
    Note { cond: String, id: String },
    #[error("condition '{cond}': '{op}' needs a {want:?} item, '{id}' is {found:?}")]
    WrongKind {
        cond: String,
        op: String,
        want: ItemKind,
        id: String,
        found: ItemKind,
    },
    #[error("condition '{cond}': '{choice}' is not a choice of '{id}'")]
    NotAChoice {
        cond: String,
        choice: String,
        id: String,
    },
    #[error("cannot read condition '{0}'")]
    Unreadable(String),
}

fn check_id(id: &str) -> Result<(), DefProblem> {
    let ok = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(DefProblem::BadId(id.to_owned()))
    }
}

fn build_item(
    ri: RawItem,
    section: usize,
    section_printed: bool,
    earlier: &[Item],
    index: &HashMap<String, usize>,
    label_checks: &mut Vec<LabelCheck>,
    src: &Source<'_>,
) -> Result<Item, FormLoadError> {
    let err_at = |pos: usize, message: String| src.err(pos, message);
    let pos = ri.id.span().start;
    let line = src.line(pos);
    let id = ri.id.get_ref().clone();
    let kind = *ri.kind.get_ref();
    let needs_choices = matches!(kind, ItemKind::Single | ItemKind::Multi);

    let choice_labels = ri
        .choice_labels
        .map_or_else(|| id.clone(), Spanned::into_inner);
    let mut choices = Vec::new();
    for c in ri.choices.unwrap_or_default() {
        let cpos = c.span().start;
        check_id(c.get_ref()).map_err(|m| err_at(cpos, m.to_string()))?;
        if choices.contains(c.get_ref()) {
            return Err(err_at(
                cpos,
                format!("duplicate choice '{}' in item '{id}'", c.get_ref()),
            ));
        }
        label_checks.push((
            cpos,
            format!("choice '{}' of item '{id}'", c.get_ref()),
            format!("choice-{choice_labels}-{}", c.get_ref()),
        ));
        choices.push(c.into_inner());
    }
    if needs_choices && choices.is_empty() {
        return Err(err_at(pos, format!("item '{id}' ({kind:?}) needs choices")));
    }
    if !needs_choices && !choices.is_empty() {
        return Err(err_at(
            pos,
            format!("item '{id}' ({kind:?}) cannot have choices"),
        ));
    }

    let mut exclusive = Vec::new();
    for e in ri.exclusive.unwrap_or_default() {
        if kind != ItemKind::Multi || !choices.contains(e.get_ref()) {
            return Err(err_at(
                e.span().start,
                format!(
                    "exclusive choice '{}' is not a choice of multiple-choice item '{id}'",
                    e.get_ref()
                ),
            ));
        }
        exclusive.push(e.into_inner());
    }
    let emphasis = ri.emphasis.unwrap_or(false);
    if emphasis && kind != ItemKind::Multi {
        return Err(err_at(
            pos,
            format!("only a multiple-choice item can carry emphasis marks ('{id}')"),
        ));
    }

    let mut eras = Vec::new();
    for e in ri.eras.unwrap_or_default() {
        let era = Era::from_id(e.get_ref())
            .ok_or_else(|| err_at(e.span().start, format!("unknown era '{}'", e.get_ref())))?;
        eras.push(era);
    }
    match kind {
        ItemKind::ReiwaDate if eras.is_empty() => eras.push(Era::Reiwa),
        ItemKind::ReiwaDate if eras != [Era::Reiwa] => {
            return Err(err_at(
                pos,
                format!("a reiwa-date has only the era reiwa ('{id}')"),
            ));
        }
        ItemKind::WarekiDate | ItemKind::OnsetDate if eras.is_empty() => {
            return Err(err_at(pos, format!("date item '{id}' needs eras")));
        }
        k if !k.is_date() && !eras.is_empty() => {
            return Err(err_at(
                pos,
                format!("item '{id}' is not a 和暦 date and cannot have eras"),
            ));
        }
        _ => {}
    }

    let unit = ri.unit.map(Spanned::into_inner);
    if (kind == ItemKind::Number) != unit.is_some() {
        return Err(err_at(
            pos,
            format!("a number item needs a unit, and only a number item has one ('{id}')"),
        ));
    }
    let check = ri.check.map(Spanned::into_inner);
    if (kind == ItemKind::Identifier) != check.is_some() {
        return Err(err_at(
            pos,
            format!("an identifier item needs a check, and only an identifier has one ('{id}')"),
        ));
    }
    let plausible = ri.plausible.map(|[lo, hi]| (lo, hi));
    if plausible.is_some() && kind != ItemKind::Number {
        return Err(err_at(
            pos,
            format!("only a number item has a plausible range ('{id}')"),
        ));
    }

    let bind = match ri.bind {
        None => None,
        Some(b) => {
            let (field, field_kind) = Field::parse(b.get_ref()).ok_or_else(|| {
                err_at(b.span().start, format!("unknown field '{}'", b.get_ref()))
            })?;
            if field_kind != kind {
                return Err(err_at(
                    b.span().start,
                    format!(
                        "field '{}' holds a {field_kind:?}, but item '{id}' is a {kind:?}",
                        b.get_ref()
                    ),
                ));
            }
            Some(field)
        }
    };

    let keywords = ri.keywords.unwrap_or_default();
    for key in keywords.keys() {
        if !choices.contains(key) {
            return Err(err_at(
                pos,
                format!("keywords for unknown choice '{key}' of item '{id}'"),
            ));
        }
    }

    let parse_cond = |c: Option<Spanned<String>>| -> Result<Option<Cond>, FormLoadError> {
        c.map(|c| {
            parse_cond(c.get_ref(), earlier, index)
                .map_err(|m| err_at(c.span().start, m.to_string()))
        })
        .transpose()
    };
    let shown_when = parse_cond(ri.shown_when)?;
    let required_when = parse_cond(ri.required_when)?;
    if required_when.is_some() && ri.required.is_none() {
        return Err(err_at(
            pos,
            format!("item '{id}' has required_when but no required severity"),
        ));
    }
    if ri.stale.is_some() && shown_when.is_none() {
        return Err(err_at(
            pos,
            format!("item '{id}' has a stale severity but no shown_when condition"),
        ));
    }
    if ri.future_ok.is_some() && !(kind.is_date() || kind == ItemKind::GregorianDate) {
        return Err(err_at(
            pos,
            format!("only a date item can allow future dates ('{id}')"),
        ));
    }
    if kind == ItemKind::Note && (ri.required.is_some() || ri.fit.is_some()) {
        return Err(err_at(pos, format!("note '{id}' holds no value")));
    }

    Ok(Item {
        id,
        section,
        kind,
        help: ri.help.into_inner(),
        bind,
        printed: section_printed && ri.printed.unwrap_or(true),
        required: ri.required,
        required_when,
        shown_when,
        stale: ri.stale,
        choices,
        choice_labels,
        exclusive,
        emphasis,
        eras,
        unit,
        decimals: ri.decimals.unwrap_or(0),
        plausible,
        fit: ri.fit,
        check,
        keywords,
        future_ok: ri.future_ok.unwrap_or(false),
        line,
    })
}

/// `a`, `a = choice`, `a has choice`, `@predicate`, joined by ` or `. Items must be defined
/// earlier in the file, so conditions never loop and one pass in order evaluates them all.
fn parse_cond(
    src: &str,
    earlier: &[Item],
    index: &HashMap<String, usize>,
) -> Result<Cond, DefProblem> {
    let mut any = Vec::new();
    for part in src.split(" or ") {
        let words: Vec<&str> = part.split_whitespace().collect();
        let lookup = |id: &str| -> Result<(usize, &Item), DefProblem> {
            let i = *index.get(id).ok_or_else(|| DefProblem::NotAbove {
                cond: src.to_owned(),
                id: id.to_owned(),
            })?;
            Ok((i, &earlier[i]))
        };
        let term = match words.as_slice() {
            [p] if p.starts_with('@') => {
                Term::Pred(Predicate::parse(&p[1..]).ok_or_else(|| {
                    DefProblem::UnknownPredicate {
                        cond: src.to_owned(),
                        pred: (*p).to_owned(),
                    }
                })?)
            }
            [id] => {
                let (i, item) = lookup(id)?;
                if !item.has_value() {
                    return Err(DefProblem::Note {
                        cond: src.to_owned(),
                        id: (*id).to_owned(),
                    });
                }
                Term::Answered(i)
            }
            [id, op @ ("=" | "has"), choice] => {
                let (i, item) = lookup(id)?;
                let want = if *op == "=" {
                    ItemKind::Single
                } else {
                    ItemKind::Multi
                };
                if item.kind != want {
                    return Err(DefProblem::WrongKind {
                        cond: src.to_owned(),
                        op: (*op).to_owned(),
                        want,
                        id: (*id).to_owned(),
                        found: item.kind,
                    });
                }
                if !item.has_choice(choice) {
                    return Err(DefProblem::NotAChoice {
                        cond: src.to_owned(),
                        choice: (*choice).to_owned(),
                        id: (*id).to_owned(),
                    });
                }
                if *op == "=" {
                    Term::Is(i, (*choice).to_owned())
                } else {
                    Term::Has(i, (*choice).to_owned())
                }
            }
            _ => return Err(DefProblem::Unreadable(src.to_owned())),
        };
        any.push(term);
    }
    Ok(Cond { any })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    form: Spanned<String>,
    valid_from: Spanned<String>,
    #[serde(default)]
    valid_until: Option<Spanned<String>>,
    section: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    #[serde(default)]
    printed: Option<bool>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<ItemKind>,
    help: Spanned<String>,
    #[serde(default)]
    bind: Option<Spanned<String>>,
    #[serde(default)]
    printed: Option<bool>,
    #[serde(default)]
    required: Option<Severity>,
    #[serde(default)]
    required_when: Option<Spanned<String>>,
    #[serde(default)]
    shown_when: Option<Spanned<String>>,
    #[serde(default)]
    stale: Option<Severity>,
    #[serde(default)]
    choices: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    choice_labels: Option<Spanned<String>>,
    #[serde(default)]
    exclusive: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    emphasis: Option<bool>,
    #[serde(default)]
    eras: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    unit: Option<Spanned<String>>,
    #[serde(default)]
    decimals: Option<u8>,
    #[serde(default)]
    plausible: Option<[f64; 2]>,
    #[serde(default)]
    fit: Option<Fit>,
    #[serde(default)]
    check: Option<Spanned<IdentCheck>>,
    #[serde(default)]
    keywords: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    future_ok: Option<bool>,
}
