//! Fluent bundles for the two languages: Japanese (the default) and English. Every label, choice,
//! help text and message lives in `locales/<lang>/*.ftl`; the files are built into the program.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::{LanguageIdentifier, langid};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja-JP",
            Lang::En => "en-US",
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Ja => langid!("ja-JP"),
            Lang::En => langid!("en-US"),
        }
    }

    /// Reads `ja`, `ja-JP`, `en`, `en-US` (any case).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "ja-jp" | "jp" => Some(Lang::Ja),
            "en" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The Fluent source files of one language, as built into the program: (file name, text).
pub fn sources(lang: Lang) -> [(&'static str, &'static str); 9] {
    match lang {
        Lang::Ja => [
            ("form.ftl", include_str!("../locales/ja-JP/form.ftl")),
            ("help.ftl", include_str!("../locales/ja-JP/help.ftl")),
            (
                "messages.ftl",
                include_str!("../locales/ja-JP/messages.ftl"),
            ),
            ("store.ftl", include_str!("../locales/ja-JP/store.ftl")),
            ("print.ftl", include_str!("../locales/ja-JP/print.ftl")),
            ("card.ftl", include_str!("../locales/ja-JP/card.ftl")),
            ("hub.ftl", include_str!("../locales/ja-JP/hub.ftl")),
            ("app.ftl", include_str!("../locales/ja-JP/app.ftl")),
            ("import.ftl", include_str!("../locales/ja-JP/import.ftl")),
        ],
        Lang::En => [
            ("form.ftl", include_str!("../locales/en-US/form.ftl")),
            ("help.ftl", include_str!("../locales/en-US/help.ftl")),
            (
                "messages.ftl",
                include_str!("../locales/en-US/messages.ftl"),
            ),
            ("store.ftl", include_str!("../locales/en-US/store.ftl")),
            ("print.ftl", include_str!("../locales/en-US/print.ftl")),
            ("card.ftl", include_str!("../locales/en-US/card.ftl")),
            ("hub.ftl", include_str!("../locales/en-US/hub.ftl")),
            ("app.ftl", include_str!("../locales/en-US/app.ftl")),
            ("import.ftl", include_str!("../locales/en-US/import.ftl")),
        ],
    }
}

/// A locale file that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("locales/{lang}/{file}: {problem}")]
pub struct LocaleError {
    pub lang: &'static str,
    pub file: &'static str,
    pub problem: String,
}

struct Bundle {
    bundle: FluentBundle<FluentResource>,
    keys: BTreeSet<String>,
}

/// Both languages' messages.
pub struct Locales {
    ja: Bundle,
    en: Bundle,
}

impl Locales {
    /// The locales built into the program, read once.
    pub fn builtin() -> Result<&'static Locales, &'static LocaleError> {
        static CELL: OnceLock<Result<Locales, LocaleError>> = OnceLock::new();
        CELL.get_or_init(Locales::load).as_ref()
    }

    fn load() -> Result<Locales, LocaleError> {
        Ok(Locales {
            ja: load_bundle(Lang::Ja)?,
            en: load_bundle(Lang::En)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// Every message id defined for `lang`.
    pub fn keys(&self, lang: Lang) -> &BTreeSet<String> {
        &self.bundle(lang).keys
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).keys.contains(key)
    }

    /// The text of message `key`. A missing key yields the key itself in brackets, so a gap shows
    /// on screen instead of vanishing; the locale tests make sure none is missing.
    pub fn text(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let b = &self.bundle(lang).bundle;
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            return format!("[{key}]");
        };
        let mut errors = Vec::new();
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// The text of message `key` with its placeables given as name–value pairs.
    pub fn text_with(&self, lang: Lang, key: &str, pairs: &[(&str, String)]) -> String {
        self.text(lang, key, Some(&args(pairs)))
    }
}

/// Fluent arguments from name–value pairs. A value that is a plain count (a decimal integer of
/// up to 9 digits without a leading zero) is passed as a number, so that plural forms
/// (`[one] 1 error *[other] { $count } errors`) select on it; it prints the same digits.
pub fn args<'a>(pairs: &[(&'a str, String)]) -> FluentArgs<'a> {
    let mut a = FluentArgs::new();
    for (k, v) in pairs {
        let count = v.len() <= 9
            && (v == "0" || (!v.starts_with('0') && v.bytes().all(|b| b.is_ascii_digit())))
            && !v.is_empty();
        match v.parse::<u32>() {
            Ok(n) if count => a.set(*k, n),
            _ => a.set(*k, v.clone()),
        }
    }
    a
}

/// What went wrong with a file, in `lang`: the common cases in words, the system's own text
/// (which is English) only for the rest.
pub fn io_detail(locales: &Locales, lang: Lang, e: &std::io::Error) -> String {
    io_kind_detail(locales, lang, e.kind(), &e.to_string())
}

/// What went wrong with a file of kind `kind`, in `lang`; `system` (the system's own words) for
/// a kind without words of ours.
pub fn io_kind_detail(
    locales: &Locales,
    lang: Lang,
    kind: std::io::ErrorKind,
    system: &str,
) -> String {
    use std::io::ErrorKind;
    let key = match kind {
        ErrorKind::NotFound => "io-not-found",
        ErrorKind::PermissionDenied => "io-permission-denied",
        ErrorKind::AlreadyExists => "io-already-exists",
        ErrorKind::StorageFull => "io-storage-full",
        ErrorKind::IsADirectory => "io-is-a-directory",
        ErrorKind::InvalidData => "io-invalid-data",
        _ => return system.to_owned(),
    };
    locales.text(lang, key, None)
}

/// A file problem as a message: `key` (`err-io`, or a key of the same shape) with the file's
/// path and [`io_detail`].
pub fn io_message(
    locales: &Locales,
    lang: Lang,
    key: &str,
    path: &std::path::Path,
    e: &std::io::Error,
) -> String {
    locales.text_with(
        lang,
        key,
        &[
            ("path", path.display().to_string()),
            ("detail", io_detail(locales, lang, e)),
        ],
    )
}

fn load_bundle(lang: Lang) -> Result<Bundle, LocaleError> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Isolation marks (U+2068/U+2069) show as boxes on screen and on paper.
    bundle.set_use_isolating(false);
    let mut keys = BTreeSet::new();
    for (file, text) in sources(lang) {
        let err = |problem: String| LocaleError {
            lang: lang.tag(),
            file,
            problem,
        };
        let resource = FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| {
            err(errors
                .iter()
                .map(|e| format!("line {}: {}", line_of(text, e.pos.start), e.kind))
                .collect::<Vec<_>>()
                .join("; "))
        })?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.insert(m.id.name.to_owned());
            }
        }
        bundle.add_resource(resource).map_err(|errors| {
            err(errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "))
        })?;
    }
    Ok(Bundle { bundle, keys })
}

/// 1-based line number of byte offset `pos` in `text`.
pub fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(pos)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
