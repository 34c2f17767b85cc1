//! The Opinion value: what the user typed, kept as typed (full-width digits, 和暦 parts, choice ids),
//! and its JSON file format (described in README.md, "The opinion file format"). Normalised
//! values are derived from it by the validator; nothing here rewrites what was typed.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::def::{Field, FormDef, FormVersion, Item, ItemKind};
use super::normalize::is_blank;
use super::wareki::WarekiDate;

/// The `format` tag of an opinion file.
pub const FORMAT: &str = "ikensho-opinion";
/// The version of the opinion file format this program reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A 和暦 date as typed: the era id and the numbers as strings (full-width digits and 元 allowed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateInput {
    #[serde(default)]
    pub era: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub day: String,
}

impl DateInput {
    pub fn new(era: &str, year: &str, month: &str, day: &str) -> DateInput {
        DateInput {
            era: era.to_owned(),
            year: year.to_owned(),
            month: month.to_owned(),
            day: day.to_owned(),
        }
    }

    /// The 和暦 parts of a Gregorian date (`None` before 明治).
    pub fn from_date(date: jiff::civil::Date) -> Option<DateInput> {
        let w = WarekiDate::from_date(date)?;
        let part = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
        Some(DateInput {
            era: w.era.id().to_owned(),
            year: w.year.to_string(),
            month: part(w.month),
            day: part(w.day),
        })
    }

    /// A date counts as entered once any number is typed; an era chosen alone does not.
    pub fn is_blank(&self) -> bool {
        is_blank(&self.year) && is_blank(&self.month) && is_blank(&self.day)
    }
}

/// Services of 4.(5) with the per-service 「特に必要性が高い」 mark (printed as an underline).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marked {
    #[serde(default)]
    pub selected: Vec<String>,
    #[serde(default)]
    pub emphasized: Vec<String>,
}

/// One answer, in the JSON shape its item type calls for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// A flag (□).
    Flag(bool),
    /// Text, a number or identifier as typed, a single choice id, an ISO date.
    Text(String),
    /// Choice ids of a multiple choice, or the entries of a text list.
    List(Vec<String>),
    /// A 和暦 date.
    Date(DateInput),
    /// A multiple choice with emphasis marks.
    Marked(Marked),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        const WHAT: &str = "an answer: true/false, a string, a list of strings, a date \
            {\"era\", \"year\", \"month\", \"day\"} or {\"selected\", \"emphasized\"}";
        let value = serde_json::Value::deserialize(d)?;
        let found = match &value {
            serde_json::Value::Bool(b) => return Ok(Answer::Flag(*b)),
            serde_json::Value::String(s) => return Ok(Answer::Text(s.clone())),
            serde_json::Value::Array(_) => {
                return serde_json::from_value(value)
                    .map(Answer::List)
                    .map_err(|e| D::Error::custom(format_args!("a list of strings: {e}")));
            }
            serde_json::Value::Object(o)
                if o.contains_key("selected") || o.contains_key("emphasized") =>
            {
                return serde_json::from_value(value)
                    .map(Answer::Marked)
                    .map_err(|e| D::Error::custom(format_args!("a marked choice: {e}")));
            }
            serde_json::Value::Object(_) => {
                return serde_json::from_value(value)
                    .map(Answer::Date)
                    .map_err(|e| D::Error::custom(format_args!("a date: {e}")));
            }
            serde_json::Value::Number(n) => format!("the number {n}"),
            serde_json::Value::Null => "null".to_owned(),
        };
        Err(D::Error::custom(format_args!(
            "expected {WHAT}, found {found}"
        )))
    }
}

/// The answers by item id, in the order they were written (the template writes printed order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Answers(IndexMap<String, Answer>);

impl Answers {
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    pub fn insert(&mut self, id: impl Into<String>, answer: Answer) {
        self.0.insert(id.into(), answer);
    }

    pub fn remove(&mut self, id: &str) -> Option<Answer> {
        self.0.shift_remove(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Answer> {
        self.0.get_mut(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Answer)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A key given twice would silently lose one of the values: refuse it.
impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Answers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of answers by item id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format_args!(
                            "item '{key}' is given twice"
                        )));
                    }
                    let value: Answer = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(Answers(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// 申請者: who the opinion is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Applicant {
    /// 氏名
    pub name: String,
    /// ふりがな
    pub kana: String,
    /// 性別: choice id `male` / `female`.
    pub sex: String,
    /// 生年月日
    pub birth_date: DateInput,
    /// 〒
    pub postal_code: String,
    /// 住所
    pub address: String,
    /// 連絡先
    pub phone: String,
    /// 保険者番号 (6 digits)
    pub insurer_number: String,
    /// 被保険者番号 (10 digits)
    pub insured_number: String,
}

/// The clinic and the physician who writes the opinion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Clinic {
    /// 医療機関名
    pub name: String,
    /// 医療機関所在地
    pub address: String,
    /// 電話
    pub phone: String,
    /// FAX
    pub fax: String,
    /// 医療機関コード (10 digits)
    pub institution_code: String,
    /// 医師氏名
    pub physician_name: String,
}

/// The 作成依頼 this opinion answers, when it came from the hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Request {
    /// 依頼番号
    pub request_id: String,
    /// 申請日 (ISO 8601 date)
    pub application_date: String,
    /// 申請区分: `new` / `renewal` / `change`
    pub application_kind: String,
    /// 作成依頼日 (ISO 8601 date)
    pub requested_date: String,
    /// 提出期限 (ISO 8601 date)
    pub due_date: String,
}

/// A 主治医意見書 as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] for files this program writes.
    pub format_version: u32,
    pub form_version: FormVersion,
    #[serde(default)]
    pub applicant: Applicant,
    #[serde(default)]
    pub clinic: Clinic,
    #[serde(default)]
    pub request: Option<Request>,
    #[serde(default)]
    pub answers: Answers,
}

/// One item's value borrowed to edit it (see [`Opinion::edit`]).
#[derive(Debug)]
pub enum Editable<'a> {
    /// A bound text field of the applicant or the clinic.
    Text(&'a mut String),
    /// The applicant's birth date.
    Date(&'a mut DateInput),
    /// An answer.
    Answer(&'a mut Answer),
}

/// A borrowed view of one item's value, whichever part of the Opinion holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Empty,
    Text(&'a str),
    Flag(bool),
    List(&'a [String]),
    Marked(&'a Marked),
    Date(&'a DateInput),
}

impl ValueRef<'_> {
    /// Whether anything was entered.
    pub fn is_answered(&self) -> bool {
        match self {
            ValueRef::Empty => false,
            ValueRef::Text(s) => !is_blank(s),
            ValueRef::Flag(b) => *b,
            ValueRef::List(l) => l.iter().any(|s| !is_blank(s)),
            ValueRef::Marked(m) => !m.selected.is_empty(),
            ValueRef::Date(d) => !d.is_blank(),
        }
    }

    /// The choice id of a single choice, or the text.
    pub fn text(&self) -> Option<&str> {
        match self {
            ValueRef::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Whether a multiple choice includes `choice`.
    pub fn has(&self, choice: &str) -> bool {
        match self {
            ValueRef::List(l) => l.iter().any(|c| c == choice),
            ValueRef::Marked(m) => m.selected.iter().any(|c| c == choice),
            _ => false,
        }
    }

    /// The chosen ids of a multiple choice.
    pub fn selected(&self) -> &[String] {
        match self {
            ValueRef::List(l) => l,
            ValueRef::Marked(m) => &m.selected,
            _ => &[],
        }
    }
}

/// Why an opinion file cannot be read. Where: a JSON line and column, or a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("line {line}, column {column}: {detail}")]
    Json {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("not an opinion file (format is '{found}', expected '{FORMAT}')")]
    NotAnOpinion { found: String },
    #[error("format version {found} is not readable by this program (it reads {FORMAT_VERSION})")]
    FormatVersion { found: u32 },
    #[error("{pointer}: {problem}")]
    Shape {
        pointer: String,
        problem: ShapeProblem,
    },
}

/// The JSON shape an item's answer must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Choice,
    Choices,
    Marked,
    Texts,
    Flag,
    Date,
    String,
}

impl Expected {
    /// Fluent key of the description.
    pub fn key(self) -> &'static str {
        match self {
            Expected::Choice => "shape-choice",
            Expected::Choices => "shape-choices",
            Expected::Marked => "shape-marked",
            Expected::Texts => "shape-texts",
            Expected::Flag => "shape-flag",
            Expected::Date => "shape-date",
            Expected::String => "shape-string",
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Choice => "a choice id (a string)",
            Expected::Choices => "a list of choice ids",
            Expected::Marked => {
                "a list of choice ids, or {\"selected\": [...], \"emphasized\": [...]}"
            }
            Expected::Texts => "a list of strings",
            Expected::Flag => "true or false",
            Expected::Date => "a date {\"era\", \"year\", \"month\", \"day\"}",
            Expected::String => "a string",
        })
    }
}

/// A value that does not fit the form definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeProblem {
    #[error("the file is on form {file}, but was checked against form {form}")]
    WrongForm {
        file: FormVersion,
        form: FormVersion,
    },
    #[error("no item '{0}' on form {1}")]
    UnknownItem(String, FormVersion),
    #[error("item '{0}' is kept in /{1}, not in answers")]
    BoundItem(String, String),
    #[error("item '{0}' is printed text and takes no answer")]
    NoteItem(String),
    #[error("item '{item}' takes {expected}")]
    WrongShape { item: String, expected: Expected },
    #[error("'{choice}' is not a choice of item '{item}'")]
    UnknownChoice { item: String, choice: String },
    #[error("choice '{choice}' of item '{item}' is given twice")]
    DuplicateChoice { item: String, choice: String },
    #[error("expected an object {{...}}")]
    NotAnObject,
    #[error("expected an object {{...}} or null")]
    NotAnObjectOrNull,
}

impl Opinion {
    /// An empty opinion on `form`. With `all_items`, every answer is present with an empty value
    /// (the template a person edits by hand); otherwise `answers` is empty.
    pub fn empty(form: &FormDef, all_items: bool) -> Opinion {
        let mut answers = Answers::default();
        if all_items {
            for item in form.items.iter().filter(|i| i.bind.is_none()) {
                if let Some(a) = empty_answer(item) {
                    answers.insert(item.id.clone(), a);
                }
            }
        }
        Opinion {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            form_version: form.version,
            applicant: Applicant::default(),
            clinic: Clinic::default(),
            request: None,
            answers,
        }
    }

    /// Reads an opinion file's text. JSON problems come with line and column.
    pub fn from_json(text: &str) -> Result<Opinion, ReadError> {
        let json_err = |e: serde_json::Error| ReadError::Json {
            line: e.line(),
            column: e.column(),
            detail: without_values(e.to_string().split(" at line ").next().unwrap_or("")),
        };
        // Look at the header first, so that a newer file says so instead of failing on a field
        // this program does not know.
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            format_version: Option<u32>,
        }
        let header: Header = serde_json::from_str(text).map_err(json_err)?;
        let found = header.format.unwrap_or_default();
        if found != FORMAT {
            return Err(ReadError::NotAnOpinion { found });
        }
        match header.format_version {
            Some(FORMAT_VERSION) => {}
            other => {
                return Err(ReadError::FormatVersion {
                    found: other.unwrap_or(0),
                });
            }
        }
        // The file is objects where the format documents objects: serde would also take a list
        // of the fields in order (`"request": []` read as no request), which nobody wrote on
        // purpose.
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_err)?;
        let shape = |pointer: &str, problem| ReadError::Shape {
            pointer: pointer.to_owned(),
            problem,
        };
        if !value.is_object() {
            return Err(shape("", ShapeProblem::NotAnObject));
        }
        for key in ["applicant", "clinic", "answers"] {
            if value.get(key).is_some_and(|v| !v.is_object()) {
                return Err(shape(&format!("/{key}"), ShapeProblem::NotAnObject));
            }
        }
        if value
            .get("request")
            .is_some_and(|v| !v.is_object() && !v.is_null())
        {
            return Err(shape("/request", ShapeProblem::NotAnObjectOrNull));
        }
        if let Some(birth) = value.pointer("/applicant/birth_date")
            && !birth.is_object()
        {
            return Err(shape("/applicant/birth_date", ShapeProblem::NotAnObject));
        }
        serde_json::from_str(text).map_err(json_err)
    }

    /// The opinion file's text: pretty JSON, UTF-8, a final newline.
    pub fn to_json(&self) -> String {
        // Serialising these plain data types cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Checks that every answer belongs to an item of `form` and has that item's shape and
    /// choices. Returns the first problem with a JSON pointer to it.
    pub fn check_shape(&self, form: &FormDef) -> Result<(), ReadError> {
        let shape = |pointer: String, problem: ShapeProblem| ReadError::Shape { pointer, problem };
        if self.form_version != form.version {
            return Err(shape(
                "/form_version".to_owned(),
                ShapeProblem::WrongForm {
                    file: self.form_version,
                    form: form.version,
                },
            ));
        }
        for (id, answer) in self.answers.iter() {
            let pointer = format!("/answers/{id}");
            let item = form.item(id).ok_or_else(|| {
                shape(
                    pointer.clone(),
                    ShapeProblem::UnknownItem(id.clone(), form.version),
                )
            })?;
            if let Some(field) = item.bind {
                return Err(shape(
                    pointer,
                    ShapeProblem::BoundItem(id.clone(), field.path().replace('.', "/")),
                ));
            }
            if !item.has_value() {
                return Err(shape(pointer, ShapeProblem::NoteItem(id.clone())));
            }
            check_answer_shape(item, &value_of(answer)).map_err(|p| shape(pointer, p))?;
        }
        for field in [Field::ApplicantSex, Field::ApplicationKind] {
            if let Some(item) = form.item_for_field(field) {
                check_answer_shape(item, &self.value(item))
                    .map_err(|p| shape(format!("/{}", field.path().replace('.', "/")), p))?;
            }
        }
        Ok(())
    }

    /// The value of `item`, wherever the Opinion keeps it.
    pub fn value(&self, item: &Item) -> ValueRef<'_> {
        match item.bind {
            Some(field) => self.field(field),
            None => self.answers.get(&item.id).map_or(ValueRef::Empty, value_of),
        }
    }

    /// The text a bound field holds, to edit it. `None` for the birth date (a date) and for the
    /// 作成依頼 fields, which come from the hub and are not edited.
    pub fn field_text_mut(&mut self, field: Field) -> Option<&mut String> {
        let a = &mut self.applicant;
        let c = &mut self.clinic;
        Some(match field {
            Field::ApplicantName => &mut a.name,
            Field::ApplicantKana => &mut a.kana,
            Field::ApplicantSex => &mut a.sex,
            Field::ApplicantPostalCode => &mut a.postal_code,
            Field::ApplicantAddress => &mut a.address,
            Field::ApplicantPhone => &mut a.phone,
            Field::InsurerNumber => &mut a.insurer_number,
            Field::InsuredNumber => &mut a.insured_number,
            Field::ClinicName => &mut c.name,
            Field::ClinicAddress => &mut c.address,
            Field::ClinicPhone => &mut c.phone,
            Field::ClinicFax => &mut c.fax,
            Field::InstitutionCode => &mut c.institution_code,
            Field::PhysicianName => &mut c.physician_name,
            Field::ApplicantBirthDate
            | Field::RequestId
            | Field::ApplicationDate
            | Field::ApplicationKind
            | Field::RequestedDate
            | Field::DueDate => return None,
        })
    }

    /// The answer of `item` to edit, wherever the Opinion keeps it; an absent answer is made
    /// empty first. `None` for notes and for fields that are not edited (see
    /// [`Opinion::field_text_mut`]).
    pub fn edit(&mut self, item: &Item) -> Option<Editable<'_>> {
        match item.bind {
            Some(Field::ApplicantBirthDate) => Some(Editable::Date(&mut self.applicant.birth_date)),
            Some(field) => self.field_text_mut(field).map(Editable::Text),
            None => {
                if self.answers.get(&item.id).is_none() {
                    self.answers.insert(item.id.clone(), empty_answer(item)?);
                }
                self.answers.get_mut(&item.id).map(Editable::Answer)
            }
        }
    }

    fn field(&self, field: Field) -> ValueRef<'_> {
        let a = &self.applicant;
        let c = &self.clinic;
        let text = |s: &'static str| ValueRef::Text(s);
        let r = self.request.as_ref();
        let req = |f: fn(&Request) -> &String| r.map_or(text(""), |r| ValueRef::Text(f(r)));
        match field {
            Field::ApplicantName => ValueRef::Text(&a.name),
            Field::ApplicantKana => ValueRef::Text(&a.kana),
            Field::ApplicantSex => ValueRef::Text(&a.sex),
            Field::ApplicantBirthDate => ValueRef::Date(&a.birth_date),
            Field::ApplicantPostalCode => ValueRef::Text(&a.postal_code),
            Field::ApplicantAddress => ValueRef::Text(&a.address),
            Field::ApplicantPhone => ValueRef::Text(&a.phone),
            Field::InsurerNumber => ValueRef::Text(&a.insurer_number),
            Field::InsuredNumber => ValueRef::Text(&a.insured_number),
            Field::ClinicName => ValueRef::Text(&c.name),
            Field::ClinicAddress => ValueRef::Text(&c.address),
            Field::ClinicPhone => ValueRef::Text(&c.phone),
            Field::ClinicFax => ValueRef::Text(&c.fax),
            Field::InstitutionCode => ValueRef::Text(&c.institution_code),
            Field::PhysicianName => ValueRef::Text(&c.physician_name),
            Field::RequestId => req(|r| &r.request_id),
            Field::ApplicationDate => req(|r| &r.application_date),
            Field::ApplicationKind => req(|r| &r.application_kind),
            Field::RequestedDate => req(|r| &r.requested_date),
            Field::DueDate => req(|r| &r.due_date),
        }
    }
}

fn value_of(answer: &Answer) -> ValueRef<'_> {
    match answer {
        Answer::Flag(b) => ValueRef::Flag(*b),
        Answer::Text(s) => ValueRef::Text(s),
        Answer::List(l) => ValueRef::List(l),
        Answer::Date(d) => ValueRef::Date(d),
        Answer::Marked(m) => ValueRef::Marked(m),
    }
}

/// The empty answer of an item's shape (`None` for notes).
pub fn empty_answer(item: &Item) -> Option<Answer> {
    Some(match item.kind {
        ItemKind::Note => return None,
        ItemKind::Flag => Answer::Flag(false),
        ItemKind::Multi if item.emphasis => Answer::Marked(Marked::default()),
        ItemKind::Multi | ItemKind::TextList => Answer::List(Vec::new()),
        ItemKind::ReiwaDate => Answer::Date(DateInput::new("reiwa", "", "", "")),
        ItemKind::WarekiDate | ItemKind::OnsetDate => Answer::Date(DateInput::default()),
        ItemKind::Text
        | ItemKind::Multiline
        | ItemKind::Single
        | ItemKind::Number
        | ItemKind::Identifier
        | ItemKind::GregorianDate => Answer::Text(String::new()),
    })
}

/// Every id is a choice of `item`, and none is given twice.
fn check_choices<S: AsRef<str>>(item: &Item, ids: &[S]) -> Result<(), ShapeProblem> {
    for (n, c) in ids.iter().map(AsRef::as_ref).enumerate() {
        if !item.has_choice(c) {
            return Err(ShapeProblem::UnknownChoice {
                item: item.id.clone(),
                choice: c.to_owned(),
            });
        }
        if ids[..n].iter().any(|earlier| earlier.as_ref() == c) {
            return Err(ShapeProblem::DuplicateChoice {
                item: item.id.clone(),
                choice: c.to_owned(),
            });
        }
    }
    Ok(())
}

fn check_answer_shape(item: &Item, value: &ValueRef<'_>) -> Result<(), ShapeProblem> {
    let wrong = |expected| ShapeProblem::WrongShape {
        item: item.id.clone(),
        expected,
    };
    match (item.kind, value) {
        (_, ValueRef::Empty) => Ok(()),
        (ItemKind::Single, ValueRef::Text(s)) => {
            if is_blank(s) {
                Ok(())
            } else {
                check_choices(item, &[s])
            }
        }
        (
            ItemKind::Text
            | ItemKind::Multiline
            | ItemKind::Number
            | ItemKind::Identifier
            | ItemKind::GregorianDate,
            ValueRef::Text(_),
        ) => Ok(()),
        (ItemKind::Multi, ValueRef::List(l)) => check_choices(item, l),
        (ItemKind::Multi, ValueRef::Marked(m)) if item.emphasis => {
            check_choices(item, &m.selected)?;
            check_choices(item, &m.emphasized)
        }
        (ItemKind::TextList, ValueRef::List(_)) => Ok(()),
        (ItemKind::Flag, ValueRef::Flag(_)) => Ok(()),
        (ItemKind::ReiwaDate | ItemKind::WarekiDate | ItemKind::OnsetDate, ValueRef::Date(_)) => {
            Ok(())
        }
        (ItemKind::Single, _) => Err(wrong(Expected::Choice)),
        (ItemKind::Multi, _) if item.emphasis => Err(wrong(Expected::Marked)),
        (ItemKind::Multi, _) => Err(wrong(Expected::Choices)),
        (ItemKind::TextList, _) => Err(wrong(Expected::Texts)),
        (ItemKind::Flag, _) => Err(wrong(Expected::Flag)),
        (ItemKind::ReiwaDate | ItemKind::WarekiDate | ItemKind::OnsetDate, _) => {
            Err(wrong(Expected::Date))
        }
        (ItemKind::Note, _) => Err(ShapeProblem::NoteItem(item.id.clone())),
        (_, _) => Err(wrong(Expected::String)),
    }
}

/// A JSON error without the value it met: serde quotes what was typed (`invalid type: string
/// "山田 花子", expected …`), and an error message must never carry patient data. The kind of
/// problem, the field names of the format and what was expected stay.
fn without_values(detail: &str) -> String {
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = detail.strip_prefix(kind) {
            let what = rest.split([' ', ',']).next().unwrap_or_default();
            return match rest.split_once(", expected ") {
                Some((_, expected)) => format!("{kind}{what}, expected {expected}"),
                None => format!("{kind}{what}"),
            };
        }
    }
    if let Some(rest) = detail.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((_, expected)) => format!("unknown variant, expected {expected}"),
            None => "unknown variant".to_owned(),
        };
    }
    detail.to_owned()
}

#[cfg(test)]
mod json_error_tests {
    #![allow(clippy::unwrap_used)]
    use super::Opinion;

    #[test]
    fn a_json_error_never_shows_the_value_it_met() {
        let valid: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/valid-first-insured.json"))
                .unwrap();
        for (pointer, value) in [
            ("/applicant/insured_number", serde_json::json!(98765432)),
            ("/applicant/name", serde_json::json!(["山田 花子"])),
            ("/format_version", serde_json::json!("秘密の値")),
            (
                "/applicant/birth_date/era",
                serde_json::json!({"x": "秘密の値"}),
            ),
        ] {
            let mut doc = valid.clone();
            *doc.pointer_mut(pointer).unwrap() = value;
            let e = Opinion::from_json(&doc.to_string()).unwrap_err();
            let text = format!("{e:?} {e}");
            for secret in ["98765432", "山田", "秘密"] {
                assert!(!text.contains(secret), "{pointer}: {text}");
            }
        }
    }
}
