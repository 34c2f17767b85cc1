//! The paper route: the opinion on the official two-page A4 form (様式) as a PDF.
//!
//! `check` lays the form out and reports, before anything is printed, every item whose text does
//! not fit its box even at the smallest size and every character the font cannot show; `render`
//! lays it out and writes the PDF. Text that does not fit is never clipped silently: its box ends
//! with →別紙 and the whole text is printed on a continuation sheet (別紙) after the two pages.

pub mod emit;
pub mod fit;
pub mod font;
pub mod layout;
pub mod sheet;

use crate::form::def::{FormDef, Severity};
use crate::form::opinion::Opinion;
use crate::form::validate::{Arg, Finding};
use crate::i18n::Locales;

pub use layout::{Sheet, SheetOptions as PrintOptions};

/// Fluent keys of the print findings (`locales/*/print.ftl`).
pub mod msg {
    pub const OVERFLOW: &str = "print-overflow";
    pub const MISSING_GLYPH: &str = "print-missing-glyph";
    pub const ALL: [&str; 2] = [OVERFLOW, MISSING_GLYPH];
}

/// Why no PDF could be made. Both are faults of the build, not of the opinion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the built-in font could not be read")]
    Font,
    #[error("the built-in locales could not be read")]
    Locales,
}

impl PdfError {
    pub fn key(&self) -> &'static str {
        match self {
            PdfError::Font => "print-error-font",
            PdfError::Locales => "print-error-locales",
        }
    }
}

/// A printed opinion.
#[derive(Debug, Clone)]
pub struct Printed {
    pub bytes: Vec<u8>,
    /// Two, plus the continuation sheets when text did not fit.
    pub pages: usize,
    /// What the paper does not show as typed (the same as [`check`]).
    pub findings: Vec<Finding>,
}

fn parts() -> Result<(&'static font::Font, &'static Locales), PdfError> {
    let font = font::Font::builtin().ok_or(PdfError::Font)?;
    let locales = Locales::builtin().map_err(|_| PdfError::Locales)?;
    Ok((font, locales))
}

/// Lays `op` out on its form.
pub fn sheet(form: &FormDef, op: &Opinion, opts: PrintOptions) -> Result<Sheet, PdfError> {
    let (font, locales) = parts()?;
    Ok(layout::lay_out(form, op, locales, font, opts))
}

/// The warnings to show before printing: items whose text does not fit their box at the smallest
/// size (with how many characters are over), and characters the font lacks (printed as 〓).
pub fn check(form: &FormDef, op: &Opinion, opts: PrintOptions) -> Result<Vec<Finding>, PdfError> {
    check_sheet(form, &sheet(form, op, opts)?)
}

/// [`check`] of a sheet already laid out.
pub fn check_sheet(form: &FormDef, sheet: &Sheet) -> Result<Vec<Finding>, PdfError> {
    let (font, _) = parts()?;
    Ok(findings(form, sheet, font))
}

fn findings(form: &FormDef, sheet: &Sheet, font: &font::Font) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    // One finding per item and kind, however many places show the item (the page-2 header
    // repeats the name).
    let mut warn = |item: &str, message, detail: (&'static str, Arg)| {
        if !out.iter().any(|f| f.item == item && f.message == message) {
            out.push(Finding {
                severity: Severity::Warning,
                item: item.to_owned(),
                message,
                args: vec![("item", Arg::Item(item.to_owned())), detail],
                fix: None,
            });
        }
    };
    for p in &sheet.placed {
        let over = p.fitted.as_ref().map_or(0, |f| f.over);
        if over > 0 {
            warn(&p.item, msg::OVERFLOW, ("over", Arg::Number(over as f64)));
        }
        let missing = font.missing(&p.text);
        if !missing.is_empty() {
            warn(&p.item, msg::MISSING_GLYPH, ("chars", Arg::Text(missing)));
        }
    }
    // In printed order of the items, like the validation report.
    out.sort_by_key(|f| form.index_of(&f.item).unwrap_or(usize::MAX));
    out
}

/// The PDF of `op` on its form.
pub fn render(form: &FormDef, op: &Opinion, opts: PrintOptions) -> Result<Printed, PdfError> {
    let (font, _) = parts()?;
    let sheet = sheet(form, op, opts)?;
    let findings = findings(form, &sheet, font);
    let bytes = emit::emit(&sheet.pages, font, "主治医意見書");
    Ok(Printed {
        bytes,
        pages: sheet.pages.len(),
        findings,
    })
}

/// Why a final print waits because text would go on to a continuation sheet on the R8 form, in
/// `lang`, naming the items: `print-continuation-refused` for the command line,
/// `app-review-continuation` for the window.
pub fn continuation_message(
    locales: &Locales,
    lang: crate::i18n::Lang,
    key: &str,
    items: &[String],
) -> String {
    let form = FormDef::builtin(crate::form::FormVersion::R8).ok();
    let labels: Vec<String> = items
        .iter()
        .map(|id| match form.and_then(|f| f.item(id)) {
            Some(item) => locales.text(lang, &item.label_key(), None),
            None => id.clone(),
        })
        .collect();
    locales.text_with(
        lang,
        key,
        &[("items", labels.join(&locales.text(lang, "app-sep", None)))],
    )
}
