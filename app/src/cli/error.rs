//! Why a command stopped, kept typed until [`super::run`] prints it once, in the language asked
//! for, and turns it into the exit code.

use std::path::PathBuf;

use super::exit;
use crate::card::CardError;
use crate::form::describe::read_error;
use crate::form::{FormLoadError, ReadError};
use crate::i18n::{Lang, Locales};
use crate::sign::cms::{SignError, VerifyError};
use crate::store::StoreError;
use crate::workflow::{Asker, WorkflowError};

/// A command's exit code when it ran to the end (validate's findings, audit's verdict…).
pub type Outcome = Result<u8, CliError>;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error(transparent)]
    Card(#[from] CardError),
    /// A signature that does not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// An opinion file that cannot be read as one.
    #[error("{}: {error}", path.display())]
    Read { path: PathBuf, error: ReadError },
    /// A built-in form that does not load (a fault of the build).
    #[error(transparent)]
    Form(#[from] FormLoadError),
    /// A file that could not be read (`writing` false) or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        writing: bool,
        #[source]
        source: std::io::Error,
    },
    /// A file that should hold PEM certificates and does not.
    #[error("{}: not PEM certificates", path.display())]
    NotPem { path: PathBuf },
    /// The window could not be opened.
    #[error(transparent)]
    Window(#[from] eframe::Error),
    /// The demo world could not be made or started.
    #[cfg(feature = "demo")]
    #[error(transparent)]
    Demo(#[from] ikensho_testkit::demo::DemoError),
    /// The hub simulator could not start.
    #[cfg(feature = "demo")]
    #[error("hub simulator: {0}")]
    HubSim(ikensho_testkit::demo::DemoError),
    /// The test PKI could not be made or written.
    #[cfg(feature = "demo")]
    #[error(transparent)]
    TestPki(#[from] ikensho_testkit::sign_pki::PkiError),
    /// One of the command line's own messages, with the exit code it stops with.
    #[error("{key}")]
    Said {
        code: u8,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

impl From<SignError> for CliError {
    fn from(e: SignError) -> CliError {
        match e {
            SignError::Card(c) => CliError::Card(c),
            other => CliError::Workflow(WorkflowError::Sign(other)),
        }
    }
}

impl CliError {
    /// One of our own messages.
    pub fn said(code: u8, key: &'static str, args: &[(&'static str, String)]) -> CliError {
        CliError::Said {
            code,
            key,
            args: args.to_vec(),
        }
    }

    /// A file that could not be read.
    pub fn reading(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            writing: false,
            source,
        }
    }

    /// A file that could not be written.
    pub fn writing(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            writing: true,
            source,
        }
    }

    /// The exit code the program stops with.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Store(e) => store_code(e),
            CliError::Workflow(e) => match e {
                WorkflowError::Store(s) => store_code(s),
                WorkflowError::Sign(SignError::Card(c)) => card_code(c),
                WorkflowError::Pdf(_) | WorkflowError::Write { .. } => exit::UNREADABLE,
                _ => exit::FAILED,
            },
            CliError::Card(e) => card_code(e),
            CliError::Verify(_) => exit::ERRORS,
            CliError::Read { .. }
            | CliError::Form(_)
            | CliError::Io { .. }
            | CliError::NotPem { .. } => exit::UNREADABLE,
            CliError::Window(_) => exit::FAILED,
            #[cfg(feature = "demo")]
            CliError::Demo(_) | CliError::HubSim(_) | CliError::TestPki(_) => exit::FAILED,
            CliError::Said { code, .. } => *code,
        }
    }

    /// The message in `lang`, naming what is wrong and where.
    pub fn message(&self, locales: &Locales, lang: Lang) -> String {
        let with = |key: &str, pairs: &[(&str, String)]| locales.text_with(lang, key, pairs);
        match self {
            CliError::Store(e) => crate::store::describe::error(locales, lang, e),
            CliError::Workflow(e) => e.message(locales, lang, Asker::CommandLine),
            CliError::Card(e) => with(e.key(), &e.args()),
            CliError::Verify(e) => with(e.key(), &[("detail", e.to_string())]),
            CliError::Read { path, error } => {
                format!("{}: {}", path.display(), read_error(locales, lang, error))
            }
            CliError::Form(e) => with("err-form", &[("detail", e.to_string())]),
            CliError::Io {
                path,
                writing,
                source,
            } => {
                let key = if *writing {
                    "cli-cannot-write"
                } else {
                    "err-io"
                };
                crate::i18n::io_message(locales, lang, key, path, source)
            }
            CliError::NotPem { path } => {
                with("verify-not-pem", &[("path", path.display().to_string())])
            }
            CliError::Window(e) => with("cli-window-failed", &[("detail", e.to_string())]),
            #[cfg(feature = "demo")]
            CliError::Demo(e) => with("cli-demo-failed", &[("detail", e.to_string())]),
            #[cfg(feature = "demo")]
            CliError::HubSim(e) => with("cli-hub-sim-failed", &[("detail", e.to_string())]),
            #[cfg(feature = "demo")]
            CliError::TestPki(e) => with("cli-test-pki-failed", &[("detail", e.to_string())]),
            CliError::Said { key, args, .. } => with(key, args),
        }
    }
}

fn store_code(e: &StoreError) -> u8 {
    match e {
        StoreError::Open { .. }
        | StoreError::Missing { .. }
        | StoreError::Empty { .. }
        | StoreError::KeyMissing { .. }
        | StoreError::ServerUnreachable { .. }
        | StoreError::ServerTls { .. }
        | StoreError::BadLocation { .. }
        | StoreError::WrongKey { .. }
        | StoreError::Damaged { .. }
        | StoreError::NotADatabase { .. }
        | StoreError::TooNew { .. }
        | StoreError::Io { .. } => exit::UNREADABLE,
        _ => exit::FAILED,
    }
}

fn card_code(e: &CardError) -> u8 {
    match e {
        CardError::NoService
        | CardError::NoReader
        | CardError::UnknownReader(_)
        | CardError::NoCard => exit::UNREADABLE,
        _ => exit::FAILED,
    }
}

/// A value the command line does not know (a language, a form, a role…).
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} '{value}' (use {expected})")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}
