//! Validation: every rule of the domain specification §2 and §3. The item-level rules (required,
//! conditional, exclusive, print-fit, shapes) come from the form definition; the rules between items
//! (dates, age, 第2号 and 特定疾病, request dates) are here, each marked with its rule id.

use jiff::ToSpan;
use jiff::civil::Date;

use super::charset::outside_jis_x0208;
use super::def::{
    Cond, FormDef, FormVersion, IdentCheck, Item, ItemKind, Predicate, Severity, Term,
};
use super::ident::{self, IdentProblem, InsuredShape};
use super::normalize::{identifier, nfkc_trim};
use super::opinion::{Answer, Opinion, ValueRef};
use super::wareki::{DateProblem, Era, WarekiDate, age_on, ordinary_age};

/// Item ids the rules between items refer to. A test checks that both forms define them.
pub mod ids {
    pub const WRITTEN_DATE: &str = "written-date";
    pub const LAST_EXAM_DATE: &str = "last-exam-date";
    pub const BIRTH_DATE: &str = "applicant-birth-date";
    pub const AGE: &str = "applicant-age";
    pub const APPLICATION_DATE: &str = "application-date";
    pub const REQUESTED_DATE: &str = "requested-date";
    pub const DIAGNOSIS_1: &str = "diagnosis-1";
    pub const ONSETS: [&str; 3] = ["onset-1", "onset-2", "onset-3"];
    pub const SPECIFIED_DISEASE: &str = "specified-disease";
    pub const SPECIFIED_NONE: &str = "none";
    pub const ADDITIONAL_DIAGNOSES: &str = "additional-diagnoses";
    pub const SPECIAL_NOTES: &str = "special-notes";
    pub const INSTITUTION_CODE: &str = "institution-code";
    pub const COURSE_TREATMENT: &str = "course-treatment";
    pub const OPINION_COUNT: &str = "opinion-count";

    pub const ALL: [&str; 16] = [
        WRITTEN_DATE,
        LAST_EXAM_DATE,
        BIRTH_DATE,
        AGE,
        APPLICATION_DATE,
        REQUESTED_DATE,
        DIAGNOSIS_1,
        ONSETS[0],
        ONSETS[1],
        ONSETS[2],
        SPECIFIED_DISEASE,
        ADDITIONAL_DIAGNOSES,
        SPECIAL_NOTES,
        INSTITUTION_CODE,
        COURSE_TREATMENT,
        OPINION_COUNT,
    ];
}

/// Fluent keys of the findings' messages (`locales/*/messages.ftl`).
pub mod msg {
    pub const REQUIRED: &str = "msg-required";
    pub const REQUIRED_CHOICE: &str = "msg-required-choice";
    pub const NOT_APPLICABLE: &str = "msg-not-applicable";
    pub const EXCLUSIVE: &str = "msg-exclusive";
    pub const EMPHASIS_UNCHECKED: &str = "msg-emphasis-unchecked";
    pub const DATE_INCOMPLETE: &str = "msg-date-incomplete";
    pub const DATE_MISSING_ERA: &str = "msg-date-missing-era";
    pub const DATE_NOT_A_NUMBER: &str = "msg-date-not-a-number";
    pub const DATE_NO_SUCH_DAY: &str = "msg-date-no-such-day";
    pub const DATE_NO_SUCH_YEAR: &str = "msg-date-no-such-year";
    pub const DATE_NO_SUCH_MONTH: &str = "msg-date-no-such-month";
    pub const LINE_BREAK: &str = "msg-line-break";
    pub const DATE_OUTSIDE_ERA: &str = "msg-date-outside-era";
    pub const DATE_ERA_NOT_ON_FORM: &str = "msg-date-era-not-on-form";
    pub const DATE_INVALID: &str = "msg-date-invalid";
    pub const DATE_FUTURE: &str = "msg-date-future";
    pub const EXAM_AFTER_WRITTEN: &str = "msg-exam-after-written";
    pub const EXAM_GAP: &str = "msg-exam-gap";
    pub const ONSET_AFTER_WRITTEN: &str = "msg-onset-after-written";
    pub const ONSET_BEFORE_BIRTH: &str = "msg-onset-before-birth";
    pub const AGE_MISMATCH: &str = "msg-age-mismatch";
    pub const AGE_DAY_BEFORE_BIRTHDAY: &str = "msg-age-day-before-birthday";
    pub const REQUIRED_NONE: &str = "msg-required-none";
    pub const ONSET_MISSING: &str = "msg-onset-missing";
    pub const COURSE_MISSING: &str = "msg-course-missing";
    pub const COUNT_FIRST_BUT_EARLIER: &str = "msg-count-first-but-earlier";
    pub const COUNT_REPEAT_BUT_NONE: &str = "msg-count-repeat-but-none";
    pub const AGE_UNDER_40: &str = "msg-age-under-40";
    pub const REQUEST_ORDER: &str = "msg-request-order";
    pub const NUMBER_INVALID: &str = "msg-number-invalid";
    pub const NUMBER_DECIMALS: &str = "msg-number-decimals";
    pub const IMPLAUSIBLE: &str = "msg-implausible";
    pub const DIGITS: &str = "msg-digits";
    pub const CHECK_DIGIT: &str = "msg-check-digit";
    pub const INSURED_H: &str = "msg-insured-h";
    pub const INSTITUTION_TABLE: &str = "msg-institution-table";
    pub const INSTITUTION_CHECK: &str = "msg-institution-check";
    pub const INSTITUTION_PREFECTURE: &str = "msg-institution-prefecture";
    pub const INSTITUTION_NO_PREFECTURE: &str = "msg-institution-no-prefecture";
    pub const INSURED_SHAPE: &str = "msg-insured-shape";
    pub const INSURER_CHECK: &str = "msg-insurer-check";
    pub const POSTAL_CODE: &str = "msg-postal-code";
    pub const PHONE: &str = "msg-phone";
    pub const CHARSET: &str = "msg-charset";
    pub const FIT_CHARS: &str = "msg-fit-chars";
    pub const FIT_LINES: &str = "msg-fit-lines";
    pub const MORE_DIAGNOSES: &str = "msg-more-diagnoses";
    pub const SPECIFIED_NONE: &str = "msg-specified-disease-none";
    pub const SPECIFIED_TEXT: &str = "msg-specified-disease-text";
    pub const CATEGORY_BOUNDARY: &str = "msg-category-boundary";
    pub const FORM_VERSION: &str = "msg-form-version";

    pub const ALL: [&str; 51] = [
        REQUIRED,
        REQUIRED_CHOICE,
        NOT_APPLICABLE,
        EXCLUSIVE,
        EMPHASIS_UNCHECKED,
        DATE_INCOMPLETE,
        DATE_MISSING_ERA,
        DATE_NOT_A_NUMBER,
        DATE_NO_SUCH_DAY,
        DATE_NO_SUCH_YEAR,
        DATE_NO_SUCH_MONTH,
        LINE_BREAK,
        DATE_OUTSIDE_ERA,
        DATE_ERA_NOT_ON_FORM,
        DATE_INVALID,
        DATE_FUTURE,
        EXAM_AFTER_WRITTEN,
        EXAM_GAP,
        ONSET_AFTER_WRITTEN,
        ONSET_BEFORE_BIRTH,
        AGE_MISMATCH,
        AGE_DAY_BEFORE_BIRTHDAY,
        REQUIRED_NONE,
        ONSET_MISSING,
        COURSE_MISSING,
        COUNT_FIRST_BUT_EARLIER,
        COUNT_REPEAT_BUT_NONE,
        AGE_UNDER_40,
        REQUEST_ORDER,
        NUMBER_INVALID,
        NUMBER_DECIMALS,
        IMPLAUSIBLE,
        DIGITS,
        CHECK_DIGIT,
        INSURED_H,
        INSTITUTION_TABLE,
        INSTITUTION_CHECK,
        INSTITUTION_PREFECTURE,
        INSTITUTION_NO_PREFECTURE,
        INSURED_SHAPE,
        INSURER_CHECK,
        POSTAL_CODE,
        PHONE,
        CHARSET,
        FIT_CHARS,
        FIT_LINES,
        MORE_DIAGNOSES,
        SPECIFIED_NONE,
        SPECIFIED_TEXT,
        CATEGORY_BOUNDARY,
        FORM_VERSION,
    ];
}

/// An argument of a finding's message. Labels are resolved in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
    /// The label of an item.
    Item(String),
    /// The label of a choice of an item.
    Choice {
        item: String,
        choice: String,
    },
    Era(Era),
    Date(Date),
    Form(FormVersion),
}

/// A repair the program can make for the user when they agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Move the 4th and later diagnoses to the end of 特記すべき事項 (手引き).
    MoveDiagnosesToNotes,
}

/// One problem found in an opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// Id of the item the finding is about (where the GUI puts it and where "next" jumps).
    pub item: String,
    /// Fluent key of the message.
    pub message: &'static str,
    pub args: Vec<(&'static str, Arg)>,
    pub fix: Option<Fix>,
}

/// All findings, in printed order of their items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub fn has_errors(&self) -> bool {
        self.worst() == Some(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn for_item<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.item == id)
    }
}

/// What the rules need from outside the opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Today in Japan: no date may lie after it (R-D2).
    pub today: Date,
    /// A 最終診察日 more than this many months before 記入日 is warned about (R-D8).
    pub exam_gap_months: i8,
    /// Whether the store holds an earlier opinion of this clinic for the same applicant (`None`:
    /// not known, e.g. a file checked on its own).
    pub earlier_opinion: Option<bool>,
}

impl Context {
    pub fn new(today: Date) -> Context {
        Context {
            today,
            exam_gap_months: 1,
            earlier_opinion: None,
        }
    }

    /// With what the store knows: whether this clinic holds an earlier opinion for the same
    /// applicant (checked against 意見書作成回数).
    pub fn with_earlier_opinion(mut self, earlier: bool) -> Context {
        self.earlier_opinion = Some(earlier);
        self
    }

    /// Today's date in Japan (UTC+9, no daylight saving).
    pub fn today_in_japan() -> Context {
        Context::new(
            jiff::Timestamp::now()
                .to_zoned(super::wareki::japan())
                .date(),
        )
    }
}

/// Which items apply to this opinion: an item whose `shown_when` is false is not shown, and a value
/// it holds does not count in later conditions.
pub fn shown_items(op: &Opinion, form: &FormDef) -> Vec<bool> {
    shown_with(op, form, second_insured(op, form))
}

fn shown_with(op: &Opinion, form: &FormDef, second: bool) -> Vec<bool> {
    let mut shown = vec![true; form.items.len()];
    for (i, item) in form.items.iter().enumerate() {
        shown[i] = item
            .shown_when
            .as_ref()
            .is_none_or(|c| eval(c, op, form, &shown, second));
    }
    shown
}

fn eval(cond: &Cond, op: &Opinion, form: &FormDef, shown: &[bool], second: bool) -> bool {
    cond.any.iter().any(|t| match t {
        Term::Answered(i) => shown[*i] && op.value(&form.items[*i]).is_answered(),
        Term::Is(i, c) => shown[*i] && op.value(&form.items[*i]).text() == Some(c.as_str()),
        Term::Has(i, c) => shown[*i] && op.value(&form.items[*i]).has(c),
        Term::Pred(Predicate::SecondInsured) => second,
    })
}

/// The Gregorian date of a full date item (和暦 or ISO), when it can be read.
pub fn date_of(op: &Opinion, form: &FormDef, id: &str) -> Option<Date> {
    let item = form.item(id)?;
    match op.value(item) {
        ValueRef::Date(d) => WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, false)
            .ok()?
            .to_date()
            .ok(),
        ValueRef::Text(s) => nfkc_trim(s).parse().ok(),
        _ => None,
    }
}

/// The applicant is a 第2号被保険者 (40–64), by age on 申請日 when known, else on 記入日.
pub fn second_insured(op: &Opinion, form: &FormDef) -> bool {
    let Some(birth) = date_of(op, form, ids::BIRTH_DATE) else {
        return false;
    };
    let on =
        date_of(op, form, ids::APPLICATION_DATE).or_else(|| date_of(op, form, ids::WRITTEN_DATE));
    on.and_then(|d| age_on(birth, d))
        .is_some_and(|age| (40..65).contains(&age))
}

struct Out<'a> {
    findings: Vec<Finding>,
    form: &'a FormDef,
}

impl Out<'_> {
    fn push(
        &mut self,
        severity: Severity,
        item: &str,
        message: &'static str,
        args: Vec<(&'static str, Arg)>,
    ) {
        self.findings.push(Finding {
            severity,
            item: item.to_owned(),
            message,
            args,
            fix: None,
        });
    }
    fn error(&mut self, item: &str, message: &'static str, args: Vec<(&'static str, Arg)>) {
        self.push(Severity::Error, item, message, args);
    }
    fn warn(&mut self, item: &str, message: &'static str, args: Vec<(&'static str, Arg)>) {
        self.push(Severity::Warning, item, message, args);
    }
}

/// Validates an opinion against its form definition.
pub fn validate(op: &Opinion, form: &FormDef, ctx: &Context) -> Report {
    validate_shown(op, form, ctx).0
}

/// Which items apply to an opinion and what leaving each empty would be, from the same pass as
/// the findings: the screens mark 必須 and 推奨 from this, so the marks and the rules cannot
/// disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applies {
    /// By item index: the item is shown (see [`shown_items`]).
    pub shown: Vec<bool>,
    /// By item index: the finding an empty answer gets now (its `required`, when it is shown and
    /// its `required_when` holds), else `None`.
    pub required: Vec<Option<Severity>>,
}

/// [`validate`], with which items apply from the same pass (the editor needs both after each
/// edit).
pub fn validate_shown(op: &Opinion, form: &FormDef, ctx: &Context) -> (Report, Applies) {
    let second = second_insured(op, form);
    let mut out = Out {
        findings: Vec::new(),
        form,
    };
    let shown = shown_with(op, form, second);
    let required: Vec<Option<Severity>> = form
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.required.filter(|_| {
                shown[i]
                    && item.has_value()
                    && item
                        .required_when
                        .as_ref()
                        .is_none_or(|c| eval(c, op, form, &shown, second))
            })
        })
        .collect();
    for (i, item) in form.items.iter().enumerate() {
        if !item.has_value() {
            continue;
        }
        let value = op.value(item);
        let answered = value.is_answered();
        if shown[i]
            && let ValueRef::Marked(m) = &value
        {
            // R-C11c: 「特に必要性が高い」 only on a checked service — also when none is checked,
            // so that an underline is never dropped silently from the paper and the document.
            for e in m.emphasized.iter().filter(|e| !m.selected.contains(e)) {
                out.error(
                    &item.id,
                    msg::EMPHASIS_UNCHECKED,
                    vec![(
                        "choice",
                        Arg::Choice {
                            item: item.id.clone(),
                            choice: e.clone(),
                        },
                    )],
                );
            }
        }
        if !shown[i] {
            if answered && let Some(sev) = item.stale {
                let because = item
                    .shown_when
                    .as_ref()
                    .and_then(|c| c.any.first())
                    .and_then(|t| match t {
                        Term::Answered(j) | Term::Is(j, _) | Term::Has(j, _) => {
                            Some(form.items[*j].id.clone())
                        }
                        Term::Pred(_) => None,
                    })
                    .unwrap_or_default();
                out.push(
                    sev,
                    &item.id,
                    msg::NOT_APPLICABLE,
                    vec![("condition", Arg::Item(because))],
                );
            }
            continue;
        }
        if !answered {
            if let Some(sev) = required[i] {
                // Say what to do: the "none" choice of a multiple choice (municipalities send
                // back a 4.(1), (5) or (6) left wholly unmarked), the 「頃」 of an onset date.
                let (m, args) = match (item.kind, item.exclusive.first()) {
                    (ItemKind::Multi, Some(none)) => (
                        msg::REQUIRED_NONE,
                        vec![(
                            "choice",
                            Arg::Choice {
                                item: item.id.clone(),
                                choice: none.clone(),
                            },
                        )],
                    ),
                    (ItemKind::Single | ItemKind::Multi, None) => {
                        (msg::REQUIRED_CHOICE, Vec::new())
                    }
                    (ItemKind::OnsetDate, _) => (msg::ONSET_MISSING, Vec::new()),
                    _ => (msg::REQUIRED, Vec::new()),
                };
                out.push(sev, &item.id, m, args);
            }
            continue;
        }
        check_value(&mut out, item, &value, ctx);
    }
    cross_rules(&mut out, op, ctx, second);
    let order = |id: &str| form.index_of(id).unwrap_or(usize::MAX);
    out.findings.sort_by_key(|f| order(&f.item));
    let report = Report {
        findings: out.findings,
    };
    (report, Applies { shown, required })
}

/// Checks of one answered, shown item on its own.
fn check_value(out: &mut Out<'_>, item: &Item, value: &ValueRef<'_>, ctx: &Context) {
    let id = item.id.as_str();
    // A one-line field holds one line: a line break or a tab (pasted in, or from a file) would
    // break the printed box and the document.
    let one_line = matches!(
        item.kind,
        ItemKind::Text | ItemKind::Number | ItemKind::Identifier | ItemKind::TextList
    );
    let breaks = |s: &str| s.contains(['\n', '\r', '\t']);
    let has_break = match value {
        ValueRef::Text(s) => breaks(s),
        ValueRef::List(l) if item.kind == ItemKind::TextList => l.iter().any(|s| breaks(s)),
        _ => false,
    };
    if one_line && has_break {
        out.error(id, msg::LINE_BREAK, Vec::new());
    }
    match (item.kind, value) {
        (ItemKind::Text | ItemKind::Multiline, ValueRef::Text(s)) => {
            check_charset(out, id, s);
            check_fit(out, item, s);
        }
        (ItemKind::TextList, ValueRef::List(entries)) => {
            for s in entries.iter() {
                check_charset(out, id, s);
            }
            if id == ids::ADDITIONAL_DIAGNOSES {
                let n = entries.iter().filter(|s| !s.trim().is_empty()).count();
                out.findings.push(Finding {
                    severity: Severity::Error,
                    item: id.to_owned(),
                    message: msg::MORE_DIAGNOSES,
                    args: vec![("count", Arg::Number(n as f64))],
                    fix: Some(Fix::MoveDiagnosesToNotes),
                });
            }
        }
        (ItemKind::Number, ValueRef::Text(s)) => check_number(out, item, s),
        (ItemKind::Identifier, ValueRef::Text(s)) => check_identifier(out, item, s),
        (ItemKind::ReiwaDate | ItemKind::WarekiDate | ItemKind::OnsetDate, ValueRef::Date(d)) => {
            let partial = item.kind == ItemKind::OnsetDate;
            match WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, partial) {
                Err(p) => date_problem(out, id, p),
                Ok(w) => {
                    if !item.eras.contains(&w.era) {
                        out.error(
                            id,
                            msg::DATE_ERA_NOT_ON_FORM,
                            vec![("era", Arg::Era(w.era))],
                        );
                    }
                    // R-D2: no date after today (a partial date: its earliest possible day).
                    if let Ok((first, _)) = w.range()
                        && first > ctx.today
                    {
                        out.error(id, msg::DATE_FUTURE, vec![("today", Arg::Date(ctx.today))]);
                    }
                }
            }
        }
        (ItemKind::GregorianDate, ValueRef::Text(s)) => match nfkc_trim(s).parse::<Date>() {
            Err(_) => out.error(id, msg::DATE_INVALID, Vec::new()),
            Ok(d) if d > ctx.today && !item.future_ok => {
                out.error(id, msg::DATE_FUTURE, vec![("today", Arg::Date(ctx.today))]);
            }
            Ok(_) => {}
        },
        (ItemKind::Multi, v) => {
            let selected = v.selected();
            for ex in &item.exclusive {
                if selected.contains(ex) && selected.len() > 1 {
                    out.error(
                        id,
                        msg::EXCLUSIVE,
                        vec![(
                            "choice",
                            Arg::Choice {
                                item: id.to_owned(),
                                choice: ex.clone(),
                            },
                        )],
                    );
                }
            }
        }
        _ => {}
    }
}

fn date_problem(out: &mut Out<'_>, id: &str, p: DateProblem) {
    let m = match p {
        DateProblem::MissingEra | DateProblem::UnknownEra => msg::DATE_MISSING_ERA,
        DateProblem::Incomplete => msg::DATE_INCOMPLETE,
        DateProblem::NotANumber => msg::DATE_NOT_A_NUMBER,
        DateProblem::NoSuchYear => msg::DATE_NO_SUCH_YEAR,
        DateProblem::NoSuchMonth => msg::DATE_NO_SUCH_MONTH,
        DateProblem::DayOutOfRange => msg::DATE_NO_SUCH_DAY,
        DateProblem::NoSuchDay => msg::DATE_NO_SUCH_DAY,
        DateProblem::OutsideEra => msg::DATE_OUTSIDE_ERA,
    };
    out.error(id, m, Vec::new());
}

fn check_charset(out: &mut Out<'_>, id: &str, s: &str) {
    let bad = outside_jis_x0208(s);
    if !bad.is_empty() {
        let chars: String = bad
            .iter()
            .map(|c| {
                if c.is_control() {
                    format!("U+{:04X}", *c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        out.warn(id, msg::CHARSET, vec![("chars", Arg::Text(chars))]);
    }
}

fn check_fit(out: &mut Out<'_>, item: &Item, s: &str) {
    let Some(fit) = item.fit else { return };
    let chars = s.chars().filter(|c| *c != '\n' && *c != '\r').count();
    if chars > fit.chars {
        out.warn(
            &item.id,
            msg::FIT_CHARS,
            vec![
                ("over", Arg::Number((chars - fit.chars) as f64)),
                ("limit", Arg::Number(fit.chars as f64)),
            ],
        );
    }
    if let Some(max_lines) = fit.lines {
        let lines = s.trim_end().lines().count();
        if lines > max_lines {
            out.warn(
                &item.id,
                msg::FIT_LINES,
                vec![
                    ("over", Arg::Number((lines - max_lines) as f64)),
                    ("limit", Arg::Number(max_lines as f64)),
                ],
            );
        }
    }
}

/// A number as typed: NFKC, digits with at most one decimal point ("１５２．５" is 152.5).
pub fn parse_number(s: &str) -> Option<(f64, usize)> {
    let n = nfkc_trim(s);
    let (int, frac) = n.split_once('.').unwrap_or((&n, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (n.contains('.') && frac.is_empty()) {
        return None;
    }
    n.parse().ok().map(|v| (v, frac.len()))
}

fn check_number(out: &mut Out<'_>, item: &Item, s: &str) {
    let id = item.id.as_str();
    let Some((v, decimals)) = parse_number(s) else {
        out.error(id, msg::NUMBER_INVALID, Vec::new());
        return;
    };
    if decimals > usize::from(item.decimals) {
        out.error(
            id,
            msg::NUMBER_DECIMALS,
            vec![("decimals", Arg::Number(f64::from(item.decimals)))],
        );
    }
    check_fit(out, item, &nfkc_trim(s));
    if let Some((lo, hi)) = item.plausible
        && !(lo..=hi).contains(&v)
    {
        let unit = item.unit.clone().unwrap_or_default();
        out.warn(
            id,
            msg::IMPLAUSIBLE,
            vec![
                ("low", Arg::Number(lo)),
                ("high", Arg::Number(hi)),
                ("unit", Arg::Text(unit)),
            ],
        );
    }
}

fn check_identifier(out: &mut Out<'_>, item: &Item, s: &str) {
    let id = item.id.as_str();
    let n = identifier(s);
    let Some(check) = item.check else { return };
    let digits_problem = |out: &mut Out<'_>, p: IdentProblem| match p {
        IdentProblem::Shape { expected } => {
            out.error(
                id,
                msg::DIGITS,
                vec![("digits", Arg::Number(expected as f64))],
            );
        }
        IdentProblem::CheckDigit { .. } => out.error(id, msg::CHECK_DIGIT, Vec::new()),
    };
    match check {
        IdentCheck::InsurerNumber => match ident::insurer_number(&n) {
            // No complete public list of 介護保険者番号 was found to confirm the check digit on
            // (issue 14): a mismatch asks to check.
            Err(IdentProblem::CheckDigit { .. }) => out.warn(id, msg::INSURER_CHECK, Vec::new()),
            Err(p) => digits_problem(out, p),
            Ok(()) => {}
        },
        IdentCheck::InstitutionCode => match ident::institution_code(&n) {
            // The check digit's rule is learnt from data: a mismatch asks to check (目安).
            Err(IdentProblem::CheckDigit { .. }) => {
                out.warn(id, msg::INSTITUTION_CHECK, Vec::new())
            }
            Err(p) => digits_problem(out, p),
            Ok(()) if ident::prefecture_of_code(&n).is_none() => out.warn(
                id,
                msg::INSTITUTION_NO_PREFECTURE,
                vec![("code", Arg::Text(n.get(..2).unwrap_or_default().to_owned()))],
            ),
            Ok(()) => {
                // 点数表 1 (医科) is expected for a 主治医意見書 (D).
                if let Some(t) = ident::institution_table(&n).filter(|t| *t != 1) {
                    out.warn(
                        id,
                        msg::INSTITUTION_TABLE,
                        vec![("table", Arg::Number(f64::from(t)))],
                    );
                }
            }
        },
        IdentCheck::InsuredNumber => match ident::insured_number(&n) {
            InsuredShape::TenDigits => {}
            InsuredShape::WelfareH => out.warn(id, msg::INSURED_H, Vec::new()),
            // 英数10桁 in practice: another shape is worth a look, not a refusal.
            InsuredShape::Other => out.warn(id, msg::INSURED_SHAPE, Vec::new()),
        },
        IdentCheck::PostalCode => {
            if !ident::postal_code_ok(&n) {
                out.warn(id, msg::POSTAL_CODE, Vec::new());
            }
        }
        IdentCheck::Phone => {
            if !ident::phone_ok(&n) {
                out.warn(id, msg::PHONE, Vec::new());
            }
        }
    }
}

/// Rules between items: R-D1, R-D3, R-D5–R-D8, R-T1, the 64/65 boundary, the form version.
fn cross_rules(out: &mut Out<'_>, op: &Opinion, ctx: &Context, second: bool) {
    let form = out.form;
    // The 医療機関コード's prefecture against the clinic's address: a digit changed among the
    // first two is not caught by the check digit in 南関東, but shows here.
    let code = identifier(&op.clinic.institution_code);
    if form.item(ids::INSTITUTION_CODE).is_some()
        && let Some(code_pref) = ident::prefecture_of_code(&code)
        && let Some(address_pref) = ident::prefecture_of_address(&op.clinic.address)
        && code_pref != address_pref
    {
        let name = |p: u8| ident::PREFECTURES[usize::from(p - 1)].to_owned();
        out.warn(
            ids::INSTITUTION_CODE,
            msg::INSTITUTION_PREFECTURE,
            vec![
                ("code", Arg::Text(format!("{code_pref:02}"))),
                ("code_prefecture", Arg::Text(name(code_pref))),
                ("address_prefecture", Arg::Text(name(address_pref))),
            ],
        );
    }
    let date = |id| date_of(op, form, id);
    let written = date(ids::WRITTEN_DATE);
    let exam = date(ids::LAST_EXAM_DATE);
    let birth = date(ids::BIRTH_DATE);
    let application = date(ids::APPLICATION_DATE);
    let requested = date(ids::REQUESTED_DATE);

    if let (Some(w), Some(e)) = (written, exam) {
        if e > w {
            // R-D1
            out.error(ids::LAST_EXAM_DATE, msg::EXAM_AFTER_WRITTEN, Vec::new());
        } else if e
            .checked_add(i64::from(ctx.exam_gap_months).months())
            .is_ok_and(|limit| w > limit)
        {
            // R-D8
            out.warn(
                ids::LAST_EXAM_DATE,
                msg::EXAM_GAP,
                vec![("months", Arg::Number(f64::from(ctx.exam_gap_months)))],
            );
        }
    }

    // R-D3: onset dates, at the precision they were given.
    for id in ids::ONSETS {
        let Some(item) = form.item(id) else { continue };
        let ValueRef::Date(d) = op.value(item) else {
            continue;
        };
        let Ok((first, last)) =
            WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, true).and_then(|w| w.range())
        else {
            continue;
        };
        if written.is_some_and(|w| first > w) {
            out.error(id, msg::ONSET_AFTER_WRITTEN, Vec::new());
        }
        if birth.is_some_and(|b| last < b) {
            out.error(id, msg::ONSET_BEFORE_BIRTH, Vec::new());
        }
    }

    // R-D5, R-D6: 満年齢 on 記入日 — the age printed is the ordinary one (a year older on the
    // birthday); on the day before a birthday the legal age (already a year older) is accepted
    // with a warning. 第1号/第2号 keep the legal rule (`second_insured`).
    if let (Some(b), Some(w)) = (birth, written)
        && let (Some(age), Some(ordinary)) = (age_on(b, w), ordinary_age(b, w))
    {
        if let Some(typed) = form
            .item(ids::AGE)
            .and_then(|i| op.value(i).text().and_then(parse_number))
            && typed.0 != f64::from(ordinary)
        {
            let args = vec![("age", Arg::Number(f64::from(ordinary)))];
            if typed.0 == f64::from(age) {
                out.warn(ids::AGE, msg::AGE_DAY_BEFORE_BIRTHDAY, args);
            } else {
                out.error(ids::AGE, msg::AGE_MISMATCH, args);
            }
        }
        if age < 40 {
            out.error(
                ids::AGE,
                msg::AGE_UNDER_40,
                vec![("age", Arg::Number(f64::from(age)))],
            );
        }
    }

    // 1.(3) 経過・治療内容: required for 第2号 (the form says so); for 第1号 the 審査 relies on it
    // too, so an empty one is a warning.
    if !second
        && let Some(item) = form.item(ids::COURSE_TREATMENT)
        && !op.value(item).is_answered()
    {
        out.warn(ids::COURSE_TREATMENT, msg::COURSE_MISSING, Vec::new());
    }

    // 意見書作成回数 against what the store knows of this clinic's earlier opinions.
    if let Some(earlier) = ctx.earlier_opinion
        && let Some(item) = form.item(ids::OPINION_COUNT)
    {
        match (op.value(item).text(), earlier) {
            (Some("first"), true) => {
                out.warn(ids::OPINION_COUNT, msg::COUNT_FIRST_BUT_EARLIER, Vec::new())
            }
            (Some("repeat"), false) => {
                out.warn(ids::OPINION_COUNT, msg::COUNT_REPEAT_BUT_NONE, Vec::new())
            }
            _ => {}
        }
    }

    // R-D7: 申請日 ≤ 作成依頼日 ≤ 記入日.
    let order = [
        (ids::APPLICATION_DATE, application),
        (ids::REQUESTED_DATE, requested),
        (ids::WRITTEN_DATE, written),
    ];
    for (i, (later_id, later)) in order.iter().enumerate() {
        for (earlier_id, earlier) in &order[..i] {
            if let (Some(e), Some(l)) = (earlier, later)
                && e > l
            {
                out.error(
                    later_id,
                    msg::REQUEST_ORDER,
                    vec![("earlier", Arg::Item((*earlier_id).to_owned()))],
                );
            }
        }
    }

    // 第1号 / 第2号 is decided on 申請日: warn when the applicant turns 65 between it and 記入日.
    if let (Some(b), Some(a), Some(w)) = (birth, application, written)
        && age_on(b, a).is_some_and(|x| x < 65)
        && age_on(b, w).is_some_and(|x| x >= 65)
    {
        out.warn(ids::BIRTH_DATE, msg::CATEGORY_BOUNDARY, Vec::new());
    }

    // R-T1: a 第2号 applicant's 診断名1 must be a 特定疾病.
    if second && let Some(item) = form.item(ids::SPECIFIED_DISEASE) {
        match op.value(item).text() {
            Some(ids::SPECIFIED_NONE) => {
                out.error(ids::SPECIFIED_DISEASE, msg::SPECIFIED_NONE, Vec::new())
            }
            Some(choice) => {
                let diagnosis = form
                    .item(ids::DIAGNOSIS_1)
                    .and_then(|i| op.value(i).text().map(nfkc_trim))
                    .unwrap_or_default();
                if let Some(words) = item.keywords.get(choice)
                    && !diagnosis.is_empty()
                    && !words.iter().any(|w| diagnosis.contains(&nfkc_trim(w)))
                {
                    out.warn(
                        ids::DIAGNOSIS_1,
                        msg::SPECIFIED_TEXT,
                        vec![(
                            "disease",
                            Arg::Choice {
                                item: ids::SPECIFIED_DISEASE.to_owned(),
                                choice: choice.to_owned(),
                            },
                        )],
                    );
                }
            }
            None => {}
        }
    }

    // The form version follows 記入日 (D): R8 from 2026-04-01.
    if let Some(w) = written {
        let expected = FormVersion::for_date(w);
        if expected != op.form_version {
            out.warn(
                ids::WRITTEN_DATE,
                msg::FORM_VERSION,
                vec![("form", Arg::Form(expected))],
            );
        }
    }
}

/// The heading written before diagnoses moved into 特記すべき事項. It is part of the document,
/// which is in Japanese whatever the language of the screen.
const MORE_DIAGNOSES_HEADING: &str = "その他の診断名：";

/// Applies a repair offered by a finding.
pub fn apply_fix(op: &mut Opinion, fix: Fix) {
    match fix {
        Fix::MoveDiagnosesToNotes => {
            let Some(Answer::List(extra)) = op.answers.remove(ids::ADDITIONAL_DIAGNOSES) else {
                return;
            };
            let extra: Vec<&str> = extra
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if extra.is_empty() {
                return;
            }
            let line = format!("{MORE_DIAGNOSES_HEADING}{}", extra.join("、"));
            let notes = match op.answers.get(ids::SPECIAL_NOTES) {
                Some(Answer::Text(t)) if !t.trim().is_empty() => {
                    format!("{}\n{line}", t.trim_end())
                }
                _ => line,
            };
            op.answers.insert(ids::SPECIAL_NOTES, Answer::Text(notes));
        }
    }
}
