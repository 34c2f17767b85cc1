//! What the window shows as a problem or as good news, kept typed until it is drawn: a message is
//! put into words in the language shown at that moment, so switching the language mid-way
//! translates what is already on the screen.

use std::path::PathBuf;

use crate::card::CardError;
use crate::hub::client::HubError;
use crate::i18n::{Lang, Locales};
use crate::store::StoreError;
use crate::workflow::{Asker, WorkflowError};

use super::{tr, tr_args};

/// Why the hub cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubUnavailable {
    /// No address or CA is set in 設定.
    NotSet,
    /// It is set, but the terminal certificate's password is not kept on this terminal: the
    /// window asks for it.
    NeedsPassword,
    /// It is set, but the client could not be made or the call failed.
    Failed(HubError),
}

/// Why the system's viewer did not open a file.
#[derive(Debug)]
pub enum ViewerError {
    /// There is no program to open files with (`xdg-open` / `open` / `start` is missing).
    Missing,
    /// The opener ran and said it could not open the file (no viewer for PDF).
    Failed(Option<i32>),
    Io(std::io::Error),
}

/// A problem to show, typed until it is drawn.
#[derive(Debug)]
pub enum Problem {
    Store(StoreError),
    Workflow(WorkflowError),
    Card(CardError),
    Hub(HubUnavailable),
    /// The viewer could not open `path`.
    Viewer {
        path: PathBuf,
        error: ViewerError,
    },
    /// A file that could not be read or written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The opinion could not be laid out on the form.
    Print(crate::pdf::PdfError),
    /// One of the window's own messages.
    Said(Said),
    /// The automatic backup into `folder` could not be made.
    Backup {
        folder: PathBuf,
        error: WorkflowError,
    },
}

/// One of the window's own messages: a key of the locales and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Said {
    pub fn new(key: &'static str) -> Said {
        Said {
            key,
            args: Vec::new(),
        }
    }

    pub fn with(key: &'static str, args: Vec<(&'static str, String)>) -> Said {
        Said { key, args }
    }

    pub fn text(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            tr(lang, self.key)
        } else {
            tr_args(lang, self.key, &self.args)
        }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        Problem::Store(e)
    }
}

impl From<WorkflowError> for Problem {
    fn from(e: WorkflowError) -> Problem {
        Problem::Workflow(e)
    }
}

impl From<CardError> for Problem {
    fn from(e: CardError) -> Problem {
        Problem::Card(e)
    }
}

impl From<HubUnavailable> for Problem {
    fn from(e: HubUnavailable) -> Problem {
        Problem::Hub(e)
    }
}

impl From<Said> for Problem {
    fn from(s: Said) -> Problem {
        Problem::Said(s)
    }
}

impl Problem {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let Ok(locales) = Locales::builtin() else {
            return "ikensho: the built-in messages are missing".to_owned();
        };
        match self {
            Problem::Store(e) => crate::store::describe::error(locales, lang, e),
            Problem::Workflow(e) => e.message(locales, lang, Asker::Window),
            Problem::Card(e) => locales.text_with(lang, e.key(), &e.args()),
            Problem::Hub(HubUnavailable::NotSet) => locales.text(lang, "app-hub-not-set", None),
            Problem::Hub(HubUnavailable::NeedsPassword) => {
                locales.text(lang, "app-terminal-password-needed", None)
            }
            Problem::Hub(HubUnavailable::Failed(e)) => locales.text_with(lang, e.key(), &e.args()),
            Problem::Viewer {
                path,
                error: ViewerError::Io(e),
            }
            | Problem::Io { path, error: e } => {
                crate::i18n::io_message(locales, lang, "err-io", path, e)
            }
            Problem::Viewer { path, .. } => locales.text_with(
                lang,
                "app-viewer-missing",
                &[("path", path.display().to_string())],
            ),
            Problem::Print(e) => locales.text(lang, e.key(), None),
            Problem::Said(s) => s.text(lang),
            Problem::Backup { folder, error } => locales.text_with(
                lang,
                "app-backup-auto-failed",
                &[
                    ("folder", folder.display().to_string()),
                    ("detail", error.message(locales, lang, Asker::Window)),
                ],
            ),
        }
    }

    /// The card refused the PIN.
    pub fn wrong_pin(&self) -> bool {
        match self {
            Problem::Workflow(e) => e.wrong_pin(),
            Problem::Card(e) => matches!(e, CardError::WrongPin { .. }),
            _ => false,
        }
    }
}

/// A workflow's error in `lang`, as the window words it.
pub fn workflow_text(e: &WorkflowError, lang: Lang) -> String {
    match Locales::builtin() {
        Ok(locales) => e.message(locales, lang, Asker::Window),
        Err(_) => e.to_string(),
    }
}
