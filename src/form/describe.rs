//! Findings, labels and file errors as text in the reader's language.

use fluent_bundle::{FluentArgs, FluentValue};
use jiff::civil::Date;

use super::def::{FormDef, Severity};
use super::opinion::{FORMAT_VERSION, ReadError, ShapeProblem};
use super::validate::{Arg, Finding};
use super::wareki::WarekiDate;
use crate::i18n::{Lang, Locales};

/// Text in one language, with the form whose labels it uses.
pub struct Describer<'a> {
    pub locales: &'a Locales,
    pub lang: Lang,
    pub form: &'a FormDef,
}

impl Describer<'_> {
    fn text(&self, key: &str, args: Option<&FluentArgs>) -> String {
        self.locales.text(self.lang, key, args)
    }

    /// The label of an item; the id itself for an unknown item.
    pub fn item_label(&self, id: &str) -> String {
        match self.form.item(id) {
            Some(item) => self.text(&item.label_key(), None),
            None => id.to_owned(),
        }
    }

    /// "section › item", for lists of findings.
    pub fn item_path(&self, id: &str) -> String {
        match self.form.item(id) {
            Some(item) => {
                let section = &self.form.sections[item.section];
                format!(
                    "{} › {}",
                    self.text(&section.label_key(), None),
                    self.text(&item.label_key(), None)
                )
            }
            None => id.to_owned(),
        }
    }

    pub fn choice_label(&self, item: &str, choice: &str) -> String {
        match self.form.item(item) {
            Some(i) => self.text(&i.choice_label_key(choice), None),
            None => choice.to_owned(),
        }
    }

    pub fn severity(&self, s: Severity) -> String {
        self.text(
            match s {
                Severity::Error => "severity-error",
                Severity::Warning => "severity-warning",
            },
            None,
        )
    }

    /// A date as people write it: 令和8年11月21日, or 2026-11-21 in English.
    pub fn date(&self, d: Date) -> String {
        match (self.lang, WarekiDate::from_date(d)) {
            (Lang::Ja, Some(w)) => format!(
                "{}{}年{}月{}日",
                self.text(&format!("era-{}", w.era.id()), None),
                if w.year == 1 {
                    "元".to_owned()
                } else {
                    w.year.to_string()
                },
                d.month(),
                d.day()
            ),
            _ => d.to_string(),
        }
    }

    /// The message of a finding.
    pub fn finding(&self, f: &Finding) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &f.args {
            let value: FluentValue = match arg {
                Arg::Text(s) => visible(s).into(),
                Arg::Number(n) => (*n).into(),
                Arg::Item(id) => self.item_label(id).into(),
                Arg::Choice { item, choice } => self.choice_label(item, choice).into(),
                Arg::Era(e) => self.text(&format!("era-{}", e.id()), None).into(),
                Arg::Date(d) => self.date(*d).into(),
                Arg::Form(v) => self
                    .text(&format!("form-{}", v.as_str().to_ascii_lowercase()), None)
                    .into(),
            };
            args.set(*name, value);
        }
        self.text(f.message, Some(&args))
    }
}

/// Why an opinion file cannot be read, with where.
pub fn read_error(locales: &Locales, lang: Lang, e: &ReadError) -> String {
    let mut args = FluentArgs::new();
    let key = match e {
        ReadError::Json {
            line,
            column,
            detail,
        } => {
            args.set("line", *line);
            args.set("column", *column);
            args.set("detail", detail.clone());
            "err-json"
        }
        ReadError::NotAnOpinion { found } => {
            args.set("found", found.clone());
            "err-not-opinion"
        }
        ReadError::FormatVersion { found } => {
            args.set("found", *found);
            args.set("supported", FORMAT_VERSION);
            "err-format-version"
        }
        ReadError::Shape { pointer, problem } => {
            let detail = shape_problem(locales, lang, problem);
            args.set("pointer", pointer.clone());
            args.set("detail", detail);
            "err-at"
        }
    };
    locales.text(lang, key, Some(&args))
}

fn shape_problem(locales: &Locales, lang: Lang, p: &ShapeProblem) -> String {
    let mut args = FluentArgs::new();
    let key = match p {
        ShapeProblem::WrongForm { file, form } => {
            args.set("file", file.as_str());
            args.set("form", form.as_str());
            "err-wrong-form"
        }
        ShapeProblem::UnknownItem(item, form) => {
            args.set("item", item.clone());
            args.set("form", form.as_str());
            "err-unknown-item"
        }
        ShapeProblem::BoundItem(item, path) => {
            args.set("item", item.clone());
            args.set("path", path.clone());
            "err-bound-item"
        }
        ShapeProblem::NoteItem(item) => {
            args.set("item", item.clone());
            "err-note-item"
        }
        ShapeProblem::WrongShape { item, expected } => {
            args.set("item", item.clone());
            args.set("expected", locales.text(lang, expected.key(), None));
            "err-wrong-shape"
        }
        ShapeProblem::UnknownChoice { item, choice } => {
            args.set("item", item.clone());
            args.set("choice", choice.clone());
            "err-unknown-choice"
        }
        ShapeProblem::DuplicateChoice { item, choice } => {
            args.set("item", item.clone());
            args.set("choice", choice.clone());
            "err-duplicate-choice"
        }
        ShapeProblem::NotAnObject => "err-not-an-object",
        ShapeProblem::NotAnObjectOrNull => "err-not-an-object-or-null",
    };
    locales.text(lang, key, Some(&args))
}

/// `s` as it may be shown on a terminal or a screen: control characters (ESC, NUL…) and the
/// marks that reorder text (RLO, LRI…) are written as `U+XXXX`, so typed text can neither drive
/// the terminal nor disguise itself.
pub fn visible(s: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(hidden) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if hidden(c) {
                format!("U+{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod visible_tests {
    use super::visible;

    #[test]
    fn control_and_reordering_characters_are_spelled_out() {
        assert_eq!(visible("髙橋"), "髙橋");
        assert_eq!(visible("a\u{1b}[31mb"), "aU+001B[31mb");
        assert_eq!(visible("x\u{202E}y\0"), "xU+202EyU+0000");
        assert_eq!(visible("\u{2067}"), "U+2067");
    }
}
