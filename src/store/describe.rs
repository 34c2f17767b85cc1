//! The store's errors and audit findings in the user's language.

use super::{AuditProblem, MIN_PASSWORD_CHARS, StoreError};
use crate::form::FormDef;
use crate::form::describe::read_error;
use crate::i18n::{Lang, Locales};

fn thing_key(what: &str) -> &'static str {
    match what {
        "version" => "thing-version",
        "user" => "thing-user",
        "physician" => "thing-physician",
        _ => "thing-opinion",
    }
}

fn setting_key(setting: &str) -> &'static str {
    match setting {
        "institution_code" => "setting-institution_code",
        "phone" => "setting-phone",
        "fax" => "setting-fax",
        "login" => "setting-login",
        "hub_url" => "setting-hub_url",
        "hub_ca_pem" => "setting-hub_ca_pem",
        "signing_chain_pem" => "setting-signing_chain_pem",
        "trust_anchors_pem" => "setting-trust_anchors_pem",
        "idle_sign_out_minutes" => "setting-idle_sign_out_minutes",
        _ => "setting-clinic",
    }
}

/// The message for a store error. Item ids are shown with their labels from the current form.
pub fn error(locales: &Locales, lang: Lang, e: &StoreError) -> String {
    let t = |key: &str| locales.text(lang, key, None);
    let path = |p: &std::path::Path| p.display().to_string();
    let a: Vec<(&str, String)> = match e {
        StoreError::Open { path: p, detail } | StoreError::Damaged { path: p, detail } => {
            vec![("path", path(p)), ("detail", detail.clone())]
        }
        StoreError::Io {
            path: p,
            kind,
            detail,
        } => vec![
            ("path", path(p)),
            (
                "detail",
                crate::i18n::io_kind_detail(locales, lang, *kind, detail),
            ),
        ],
        StoreError::BackupNotIntact { path: p, problems } => {
            vec![("path", path(p)), ("problems", problems.to_string())]
        }
        StoreError::NotADatabase { path: p }
        | StoreError::Missing { path: p }
        | StoreError::FolderMissing { path: p }
        | StoreError::Exists { path: p }
        | StoreError::BackupMismatch { path: p }
        | StoreError::KeyMissing { path: p }
        | StoreError::WrongKey { path: p }
        | StoreError::Empty { path: p } => {
            vec![("path", path(p))]
        }
        StoreError::TooNew {
            path: p,
            found,
            known,
        } => vec![
            ("path", path(p)),
            ("found", found.to_string()),
            ("known", known.to_string()),
        ],
        StoreError::Sqlite(e) => vec![("detail", e.to_string())],
        StoreError::CredentialStore { detail }
        | StoreError::ServerTls { detail }
        | StoreError::ServerQuery { detail }
        | StoreError::ServerGone { detail } => {
            vec![("detail", detail.clone())]
        }
        StoreError::Column {
            index,
            expected,
            found,
        } => vec![
            ("index", index.to_string()),
            ("expected", (*expected).to_owned()),
            ("found", (*found).to_owned()),
        ],
        StoreError::NotEmpty { store } => vec![("store", store.clone())],
        StoreError::FileOnly { what } => vec![("what", (*what).to_owned())],
        StoreError::BadLocation { reason } => vec![("reason", (*reason).to_owned())],
        StoreError::ServerSignIn { user } => vec![("user", user.clone())],
        StoreError::ServerHasStore { database, version } => {
            vec![
                ("database", database.clone()),
                ("version", version.to_string()),
            ]
        }
        StoreError::ServerNotStore { database } => vec![("database", database.clone())],
        StoreError::ServerNoRole { role } => vec![("role", role.clone())],
        StoreError::JournalUnreadable { path } => vec![("path", path.display().to_string())],
        StoreError::ServerBehind {
            database,
            found,
            known,
        } => vec![
            ("database", database.clone()),
            ("found", found.to_string()),
            ("known", known.to_string()),
        ],
        StoreError::ServerUnreachable { server, detail } => {
            vec![("server", server.clone()), ("detail", detail.clone())]
        }
        StoreError::WeakPassphrase => {
            vec![("min", super::atrest::MIN_PASSPHRASE_CHARS.to_string())]
        }
        StoreError::Migration(d) | StoreError::Form(d) => vec![("detail", d.clone())],
        StoreError::Refused {
            login,
            action,
            needed,
        } => vec![
            ("login", login.clone()),
            ("action", t(&format!("action-{}", action.id()))),
            ("role", t(&format!("role-{}", needed.id()))),
        ],
        StoreError::Frozen(v) | StoreError::Tampered { version: v } => {
            vec![("version", v.to_string())]
        }
        StoreError::Conflict {
            expected,
            found,
            by,
        } => {
            vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
                (
                    "by",
                    if by.is_empty() {
                        "none".to_owned()
                    } else {
                        by.clone()
                    },
                ),
            ]
        }
        StoreError::Transition { from, to } => vec![
            ("from", t(&format!("state-{}", from.id()))),
            ("to", t(&format!("state-{}", to.id()))),
        ],
        StoreError::Unreviewed { items } | StoreError::Unconfirmed { items } => {
            let form = FormDef::builtin(crate::form::FormVersion::R8).ok();
            let sep = if lang == Lang::Ja { "、" } else { ", " };
            let labels: Vec<String> = items
                .iter()
                .map(|id| match form.and_then(|f| f.item(id)) {
                    Some(item) => t(&item.label_key()),
                    None => id.clone(),
                })
                .collect();
            vec![
                ("count", items.len().to_string()),
                ("items", labels.join(sep)),
            ]
        }
        StoreError::NotValid(n) => vec![("count", n.to_string())],
        StoreError::TooSoon { seconds } => vec![("seconds", seconds.to_string())],
        StoreError::Locked { minutes } => vec![("minutes", minutes.to_string())],
        StoreError::NotFound(what) => vec![("what", t(thing_key(what)))],
        StoreError::Shape(r) => vec![("detail", read_error(locales, lang, r))],
        StoreError::LoginTaken(login) | StoreError::NoLongerActive { login } => {
            vec![("login", login.clone())]
        }
        StoreError::WeakPassword => vec![("min", MIN_PASSWORD_CHARS.to_string())],
        StoreError::BadSetting { setting } => vec![("setting", t(setting_key(setting)))],
        StoreError::CertificateName { on_card, account } => {
            vec![("on_card", on_card.clone()), ("account", account.clone())]
        }
        StoreError::SignIn
        | StoreError::ReauthNeeded
        | StoreError::ReauthFailed
        | StoreError::OtherCertificate
        | StoreError::PassphraseNeeded
        | StoreError::WrongPassphrase
        | StoreError::BadRecoveryKey
        | StoreError::NoPersistentCredentialStore
        | StoreError::NothingToRenew
        | StoreError::RoleConflict
        | StoreError::NoRole
        | StoreError::AlreadySetUp
        | StoreError::Hash
        | StoreError::Unsigned
        | StoreError::Cancelled => vec![],
        StoreError::NotFinal { opinion_id } => vec![("id", opinion_id.to_string())],
    };
    locales.text_with(lang, e.key(), &a)
}

/// The message for one problem of the audit trail.
pub fn audit_problem(locales: &Locales, lang: Lang, p: &AuditProblem) -> String {
    let (key, a) = match *p {
        AuditProblem::Altered { seq } => ("audit-altered", vec![("seq", seq.to_string())]),
        AuditProblem::Broken { seq } => ("audit-broken", vec![("seq", seq.to_string())]),
        AuditProblem::Missing { from, to } => (
            "audit-missing",
            vec![("from", from.to_string()), ("to", to.to_string())],
        ),
        AuditProblem::TailMissing { last, head } => (
            "audit-tail-missing",
            vec![("last", last.to_string()), ("head", head.to_string())],
        ),
        AuditProblem::HeadMismatch { seq } => {
            ("audit-head-mismatch", vec![("seq", seq.to_string())])
        }
        AuditProblem::VersionBody { version } => {
            ("audit-version-body", vec![("version", version.to_string())])
        }
        AuditProblem::VersionUnrecorded { version } => (
            "audit-version-unrecorded",
            vec![("version", version.to_string())],
        ),
        AuditProblem::RolledBack { noted, last } => (
            "audit-rolled-back",
            vec![("noted", noted.to_string()), ("last", last.to_string())],
        ),
        AuditProblem::WitnessMismatch { seq } => {
            ("audit-witness-mismatch", vec![("seq", seq.to_string())])
        }
    };
    locales.text_with(lang, key, &a)
}
