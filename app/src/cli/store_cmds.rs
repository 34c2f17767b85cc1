//! Store commands: people, the audit trail, backup and restore, clinic settings.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use zeroize::Zeroizing;

use super::error::{CliError, Outcome, UnknownValue};
use super::{args, exit};
use crate::i18n::{Lang, Locales};
use crate::store::{
    self, ClinicSettings, Durability, NewUser, Role, Session, Store, StoreError, Unlock, atrest,
};

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a person. The very first one becomes the administrator and needs no --as.
    /// Passwords are asked for (from standard input when it is not a terminal: one per line).
    Add {
        /// Login name (unique, one per person: no shared IDs).
        login: String,
        /// Full name; for a physician, as printed as 医師氏名.
        #[arg(long)]
        name: String,
        /// physician, clerk or admin; may be given more than once.
        #[arg(long = "role", value_parser = parse_role)]
        roles: Vec<Role>,
        /// The administrator doing it.
        #[arg(long = "as")]
        as_login: Option<String>,
        /// For the set-up (the first person): where to keep the store's data key.
        #[command(flatten)]
        keeping: KeepingArgs,
    },
    /// List everyone with an account.
    List {
        #[arg(long = "as")]
        as_login: String,
    },
    /// Turn an account off: the person can no longer sign in, and a session still open is
    /// refused at its next step. Accounts are never deleted (the audit trail names them).
    Deactivate {
        login: String,
        #[arg(long = "as")]
        as_login: String,
    },
    /// Turn an account on again.
    Reactivate {
        login: String,
        #[arg(long = "as")]
        as_login: String,
    },
    /// Set a new password for someone (asked for after the administrator's own).
    Password {
        login: String,
        #[arg(long = "as")]
        as_login: String,
    },
    /// Bind a physician's HPKI certificate to their account (when its name is not the account's,
    /// or after a new card). Your own password is asked again.
    BindCard {
        login: String,
        /// The certificate (PEM or DER), e.g. read from the card with `ikensho sign`'s reader.
        #[arg(long)]
        cert: PathBuf,
        #[arg(long = "as")]
        as_login: String,
    },
    /// Lift the lock (or the wait) after wrong passwords for a login.
    Unlock {
        login: String,
        /// The administrator doing it.
        #[arg(long = "as")]
        as_login: String,
    },
}

/// Where the store's data key is kept (see `ikensho store`).
#[derive(clap::Args, Debug, Default)]
pub struct KeepingArgs {
    /// key-file: a file only this OS account can read, outside the data folder (protects a
    /// copied data file or backup); passphrase: asked at each start (protects a stolen disk too);
    /// credential-store: the OS credential store (Windows, macOS). Default: credential-store on
    /// Windows and macOS, key-file elsewhere.
    #[arg(long = "key-in", value_parser = parse_keeping)]
    key_in: Option<&'static str>,
    /// The folder for the key file (default: `keys` in the program's configuration folder).
    #[arg(long)]
    key_folder: Option<PathBuf>,
}

fn parse_keeping(s: &str) -> Result<&'static str, UnknownValue> {
    ["key-file", "passphrase", "credential-store"]
        .into_iter()
        .find(|k| *k == s)
        .ok_or_else(|| UnknownValue {
            what: "key keeping",
            value: s.to_owned(),
            expected: "key-file, passphrase or credential-store",
        })
}

#[derive(Subcommand, Debug)]
pub enum StoreCmd {
    /// Whether the data file is encrypted and where its key is kept.
    Info,
    /// Make the store's tables in an empty database on the clinic's PostgreSQL server
    /// (postgresql://USER@HOST:PORT/DATABASE?sslrootcert=CA.pem). The terminal's database
    /// password is asked for. A database that holds anything is refused and left as it is.
    Init {
        url: String,
        /// The role the terminals connect as: it may read and write rows, never change the
        /// tables, their rules or the audit trail. Make it before (see the README).
        #[arg(long)]
        terminals: String,
    },
    /// Copy everything (opinions, versions, signatures, outbox, settings, people, the audit
    /// trail) from one store into a new, empty one: this PC's file to the clinic server or
    /// back. Each is a file path or postgresql://…; a new file's key is kept as --key-in says.
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// When --to is an empty database on the server: the terminals' role (as for init).
        #[arg(long)]
        terminals: Option<String>,
        #[command(flatten)]
        keeping: KeepingArgs,
    },
    /// Keep this terminal's database password for the server store (--store) in the OS
    /// credential store, after checking it with the server; --forget removes it.
    Password {
        #[arg(long)]
        forget: bool,
    },
    /// Encrypt the store under a new data key (a store from before encryption is encrypted
    /// here), kept where you say; shows the new recovery key once. Close the window first.
    Rekey {
        #[arg(long = "as")]
        as_login: String,
        #[command(flatten)]
        keeping: KeepingArgs,
    },
    /// Open the store with its recovery key (asked for) and keep the key again where you say:
    /// after a lost key file or credential store, a forgotten passphrase, or on a new PC.
    Unlock {
        #[arg(long = "as")]
        as_login: String,
        #[command(flatten)]
        keeping: KeepingArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the hash chain of the audit trail. Exit 0 intact, 2 tampered.
    Verify,
    /// Write the audit trail as CSV for an inspection (administrators).
    Export {
        /// Where to write; standard output when omitted.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long = "as")]
        as_login: String,
    },
}

/// Clinic settings to change; none given shows them.
#[derive(clap::Args, Debug)]
pub struct ClinicArgs {
    /// 医療機関名
    #[arg(long)]
    name: Option<String>,
    /// 医療機関所在地
    #[arg(long)]
    address: Option<String>,
    /// 電話
    #[arg(long)]
    phone: Option<String>,
    /// FAX
    #[arg(long)]
    fax: Option<String>,
    /// 医療機関コード (10 digits)
    #[arg(long)]
    institution_code: Option<String>,
    /// Print 医師氏名 on paper (記名) instead of leaving it blank for 自署: true or false.
    #[arg(long)]
    print_physician_name: Option<bool>,
    /// Minutes without use after which the window signs out (1 to 240; default 15).
    #[arg(long)]
    idle_sign_out_minutes: Option<u32>,
    /// The 保険者番号 of the insurers that take 医見書's CSV file instead of paper, separated by
    /// spaces or commas ("" for none).
    #[arg(long)]
    csv_insurers: Option<String>,
    /// The administrator doing it (needed to change).
    #[arg(long = "as")]
    as_login: Option<String>,
}

fn parse_role(s: &str) -> Result<Role, UnknownValue> {
    Role::parse(s).ok_or_else(|| UnknownValue {
        what: "role",
        value: s.to_owned(),
        expected: "physician, clerk or admin",
    })
}

/// What the store commands share.
pub struct Ctx<'a> {
    pub locales: &'a Locales,
    pub lang: Lang,
    pub data_dir: Option<PathBuf>,
    /// `--store` / `$IKENSHO_STORE` as given.
    pub store: Option<String>,
}

impl Ctx<'_> {
    pub(crate) fn say(&self, key: &str, pairs: &[(&str, String)]) {
        eprintln!("{}", self.locales.text_with(self.lang, key, pairs));
    }

    fn db_path(&self) -> Option<PathBuf> {
        match &self.data_dir {
            Some(d) => Some(d.join("ikensho.sqlite")),
            None => store::default_path(),
        }
    }

    /// The data folder: `--data-dir`, `$IKENSHO_DATA_DIR` or the platform's.
    pub(crate) fn folder(&self) -> Result<PathBuf, CliError> {
        self.data_dir
            .clone()
            .or_else(store::data_dir)
            .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))
    }

    /// Where the store is: `--store` (a file or a server), or the data folder's file.
    pub(crate) fn location(&self) -> Result<store::server::Location, CliError> {
        match self.store.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(text) => Ok(store::server::Location::parse(text)?),
            None => {
                // A data folder pointed at the clinic server by the first start.
                if let Ok(folder) = self.folder()
                    && let Some(kept) = store::server::kept_location(&folder)
                {
                    return Ok(kept?);
                }
                Ok(store::server::Location::File(self.store_path()?))
            }
        }
    }

    /// The terminal's database password for `loc`: kept in the OS credential store, or asked.
    pub(crate) fn server_password(
        &self,
        loc: &store::server::ServerLocation,
    ) -> Result<Zeroizing<String>, CliError> {
        match store::server::kept_password(loc) {
            Ok(Some(p)) => Ok(p),
            _ => self.secret("cli-db-password"),
        }
    }

    /// Opens the existing store: only the set-up (`user add` of the first person) or `store
    /// init` makes one. A store kept behind a passphrase asks for it first; a server store takes
    /// the terminal's database password.
    pub(crate) fn open(&self) -> Result<Store, CliError> {
        if let store::server::Location::Server(loc) = self.location()? {
            let password = self.server_password(&loc)?;
            return Ok(Store::open_server(&loc, &password, &self.folder()?)?);
        }
        let path = self.store_path()?;
        let passphrase = self.passphrase_for(&path)?;
        let unlock = match &passphrase {
            Some(p) => Unlock::Passphrase(p),
            None => Unlock::Kept,
        };
        Ok(Store::open_unlocked(&path, unlock, Durability::Full)?)
    }

    /// The store's file: `--store` when it names one, else the data folder's. A server store
    /// has none ([`StoreError::FileOnly`]).
    pub(crate) fn store_path(&self) -> Result<PathBuf, CliError> {
        if let Some(text) = self.store.as_deref().filter(|s| !s.trim().is_empty()) {
            return match store::server::Location::parse(text)? {
                store::server::Location::File(path) => Ok(path),
                store::server::Location::Server(_) => {
                    Err(StoreError::FileOnly { what: "data file" }.into())
                }
            };
        }
        self.db_path()
            .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))
    }

    /// The store's passphrase, asked for when its key is kept behind one.
    fn passphrase_for(&self, path: &Path) -> Result<Option<Zeroizing<String>>, CliError> {
        if std::fs::metadata(path).is_ok() && atrest::needs_passphrase(path) {
            Ok(Some(self.secret("cli-store-passphrase")?))
        } else {
            Ok(None)
        }
    }

    /// Where to keep a new data key, as asked, with the passphrase when it is one (asked twice
    /// at a terminal).
    fn keeping(
        &self,
        args: &KeepingArgs,
    ) -> Result<(atrest::Keeping, Option<Zeroizing<String>>), CliError> {
        let keeping = match args.key_in {
            Some("passphrase") => atrest::Keeping::Passphrase,
            Some("credential-store") => atrest::Keeping::CredentialStore,
            Some(_) => atrest::Keeping::KeyFolder(
                args.key_folder
                    .clone()
                    .or_else(atrest::default_key_folder)
                    .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))?,
            ),
            None => match &args.key_folder {
                Some(d) => atrest::Keeping::KeyFolder(d.clone()),
                None => atrest::Keeping::default_for_platform()
                    .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))?,
            },
        };
        let passphrase = if keeping == atrest::Keeping::Passphrase {
            Some(new_secret(self, "cli-new-passphrase")?)
        } else {
            None
        };
        Ok((keeping, passphrase))
    }

    /// Says where the key of the store at `path` is kept and what that protects against.
    fn say_where_kept(&self, keeping: &atrest::Keeping, path: &Path) {
        match keeping {
            atrest::Keeping::KeyFolder(_) => {
                let file = atrest::kept_at(path)
                    .ok()
                    .flatten()
                    .and_then(|k| k.key_file)
                    .map(|f| f.display().to_string())
                    .unwrap_or_default();
                self.say("cli-key-in-file", &[("path", file)]);
            }
            atrest::Keeping::Passphrase => self.say("cli-key-in-passphrase", &[]),
            atrest::Keeping::CredentialStore => self.say("cli-key-in-credential-store", &[]),
        }
    }

    /// Says where the key is kept and what that protects against, then shows the recovery key
    /// (on standard output, once).
    fn show_key(&self, keeping: &atrest::Keeping, key: &atrest::DataKey, path: &Path) {
        self.say_where_kept(keeping, path);
        if !atrest::Keeping::credential_store_persists() {
            self.say("cli-key-no-credential-store", &[]);
        }
        let code = key.recovery_key();
        let a = args(&[("key", code.to_string()), ("id", key.id())]);
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            self.locales.text(self.lang, "cli-recovery-key", Some(&a))
        );
    }

    /// A password or PIN typed (hidden) or read from standard input.
    pub(crate) fn secret(&self, key: &str) -> Result<Zeroizing<String>, CliError> {
        read_secret(&self.locales.text(self.lang, key, None)).map_err(|e| CliError::reading("-", e))
    }

    pub(crate) fn sign_in(&self, store: &mut Store, login: &str) -> Result<Session, CliError> {
        let password = self.secret("cli-password")?;
        Ok(store.sign_in(login, &password)?)
    }
}

/// Reads a password: hidden from a terminal, or one line of standard input.
pub(crate) fn read_secret(prompt: &str) -> std::io::Result<Zeroizing<String>> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map(Zeroizing::new);
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line)?;
    let len = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(len);
    Ok(line)
}

/// The new person's password, typed twice at a terminal (once per line from a pipe).
fn new_password(ctx: &Ctx<'_>) -> Result<Zeroizing<String>, CliError> {
    new_secret(ctx, "cli-new-password")
}

/// A new secret asked for with the prompt `key`: typed twice at a terminal, once per line from a
/// pipe.
fn new_secret(ctx: &Ctx<'_>, key: &str) -> Result<Zeroizing<String>, CliError> {
    let secret = ctx.secret(key)?;
    if std::io::stdin().is_terminal() {
        let again = ctx.secret("cli-new-password-again")?;
        if *again != *secret {
            return Err(CliError::said(exit::FAILED, "cli-password-mismatch", &[]));
        }
    }
    Ok(secret)
}

fn new_user<'a>(
    login: &'a str,
    name: &'a str,
    roles: &'a [Role],
    password: &'a str,
) -> NewUser<'a> {
    NewUser {
        login,
        name,
        roles,
        password,
    }
}

/// Removes a store file this command made, with SQLite's files and its key beside it.
fn remove_store_files(path: &Path) {
    store::remove_files(path);
}

/// The id of the person with `login` (case as the store compares it).
fn user_id(store: &Store, admin: &Session, login: &str) -> Result<i64, CliError> {
    store
        .users(admin)?
        .into_iter()
        .find(|u| u.login.eq_ignore_ascii_case(login.trim()))
        .map(|u| u.id)
        .ok_or(CliError::Store(StoreError::NotFound("user")))
}

fn set_active(ctx: &Ctx<'_>, login: String, as_login: &str, active: bool) -> Outcome {
    let mut store = ctx.open()?;
    let admin = ctx.sign_in(&mut store, as_login)?;
    let id = user_id(&store, &admin, &login)?;
    store.set_active(&admin, id, active)?;
    let key = if active {
        "cli-user-reactivated"
    } else {
        "cli-user-deactivated"
    };
    ctx.say(key, &[("login", login)]);
    Ok(exit::CLEAN)
}

pub fn user(ctx: &Ctx<'_>, cmd: UserCmd) -> Outcome {
    match cmd {
        UserCmd::Add {
            login,
            name,
            roles,
            as_login,
            keeping,
        } => {
            let first = match as_login {
                Some(a) => {
                    // An administrator adds someone to an existing store: never creates one.
                    let mut store = ctx.open()?;
                    let admin = ctx.sign_in(&mut store, &a)?;
                    let password = new_password(ctx)?;
                    // A physician account: the administrator's own password once more.
                    let confirm = if roles.contains(&Role::Physician) {
                        Some(ctx.secret("cli-reauth")?)
                    } else {
                        None
                    };
                    store.add_user(
                        &admin,
                        &new_user(&login, &name, &roles, &password),
                        confirm.as_ref().map(|c| c.as_str()),
                    )?;
                    false
                }
                None => {
                    // The set-up: the first person, who becomes the administrator. The only
                    // command that makes a store file, and only where there is no file at all;
                    // on a server, `store init` made the store and this adds the first person.
                    let on_server = matches!(ctx.location()?, store::server::Location::Server(_));
                    let path = if on_server {
                        None
                    } else {
                        Some(ctx.store_path()?)
                    };
                    if let Some(path) = path.filter(|p| std::fs::metadata(p).is_err()) {
                        let password = new_password(ctx)?;
                        let (how, passphrase) = ctx.keeping(&keeping)?;
                        let (mut store, key) =
                            Store::create(&path, &how, passphrase.as_deref().map(|p| p.as_str()))?;
                        let added =
                            store.add_first_admin(&new_user(&login, &name, &roles, &password));
                        if let Err(e) = added {
                            // A set-up that failed leaves nothing behind.
                            drop(store);
                            remove_store_files(&path);
                            return Err(e.into());
                        }
                        ctx.show_key(&how, &key, &path);
                    } else {
                        let mut store = ctx.open()?;
                        if store.has_users()? {
                            return Err(CliError::said(exit::USAGE, "cli-needs-as", &[]));
                        }
                        let password = new_password(ctx)?;
                        store.add_first_admin(&new_user(&login, &name, &roles, &password))?;
                    }
                    true
                }
            };
            let mut all = roles.clone();
            if first && !all.contains(&Role::Admin) {
                all.push(Role::Admin);
            }
            let labels: Vec<String> = all
                .iter()
                .map(|r| {
                    ctx.locales
                        .text(ctx.lang, &format!("role-{}", r.id()), None)
                })
                .collect();
            ctx.say(
                "cli-user-added",
                &[("login", login), ("roles", labels.join(", "))],
            );
            Ok(exit::CLEAN)
        }
        UserCmd::Deactivate { login, as_login } => set_active(ctx, login, &as_login, false),
        UserCmd::Reactivate { login, as_login } => set_active(ctx, login, &as_login, true),
        UserCmd::Password { login, as_login } => {
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let id = user_id(&store, &admin, &login)?;
            let password = new_password(ctx)?;
            store.set_password(&admin, id, &password)?;
            ctx.say("cli-user-password-set", &[("login", login)]);
            Ok(exit::CLEAN)
        }
        UserCmd::BindCard {
            login,
            cert,
            as_login,
        } => {
            let bytes = std::fs::read(&cert).map_err(|e| CliError::reading(&cert, e))?;
            let der = match x509_cert::Certificate::load_pem_chain(&bytes) {
                Ok(certs) if !certs.is_empty() => der::Encode::to_der(&certs[0])
                    .map_err(|_| CliError::NotPem { path: cert.clone() })?,
                _ => bytes,
            };
            let Some(subject) = crate::sign::cms::subject_name(&der) else {
                return Err(CliError::NotPem { path: cert });
            };
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let id = user_id(&store, &admin, &login)?;
            let confirm = ctx.secret("cli-reauth")?;
            store.bind_certificate(
                &admin,
                id,
                store::SignerCert {
                    der: &der,
                    name: &subject,
                },
                &confirm,
            )?;
            ctx.say("cli-card-bound", &[("login", login), ("subject", subject)]);
            Ok(exit::CLEAN)
        }
        UserCmd::Unlock { login, as_login } => {
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            store.unlock_sign_in(&admin, &login)?;
            ctx.say("cli-user-unlocked", &[("login", login)]);
            Ok(exit::CLEAN)
        }
        UserCmd::List { as_login } => {
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let mut out = std::io::stdout().lock();
            for u in store.users(&admin)? {
                let roles: Vec<&str> = u.roles.iter().map(Role::id).collect();
                let active = if u.active {
                    "cli-user-active"
                } else {
                    "cli-user-inactive"
                };
                let a = args(&[
                    ("login", u.login),
                    ("name", u.name),
                    ("roles", roles.join(",")),
                    ("active", ctx.locales.text(ctx.lang, active, None)),
                ]);
                let _ = writeln!(
                    out,
                    "{}",
                    ctx.locales.text(ctx.lang, "cli-user-line", Some(&a))
                );
            }
            Ok(exit::CLEAN)
        }
    }
}

pub fn audit(ctx: &Ctx<'_>, cmd: AuditCmd) -> Outcome {
    match cmd {
        AuditCmd::Verify => {
            let store = ctx.open()?;
            let check = store.verify_audit()?;
            let mut out = std::io::stdout().lock();
            for p in &check.problems {
                let _ = writeln!(
                    out,
                    "{}",
                    store::describe::audit_problem(ctx.locales, ctx.lang, p)
                );
            }
            let entries = check.entries.to_string();
            if check.is_intact() {
                let a = args(&[("entries", entries), ("head", check.head.clone())]);
                let _ = writeln!(
                    out,
                    "{}",
                    ctx.locales.text(ctx.lang, "audit-intact", Some(&a))
                );
                Ok(exit::CLEAN)
            } else {
                let a = args(&[
                    ("count", check.problems.len().to_string()),
                    ("entries", entries),
                ]);
                let _ = writeln!(
                    out,
                    "{}",
                    ctx.locales.text(ctx.lang, "audit-tampered", Some(&a))
                );
                Ok(exit::ERRORS)
            }
        }
        AuditCmd::Export { output, as_login } => {
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let header = Store::audit_columns()
                .map(|c| ctx.locales.text(ctx.lang, &format!("audit-col-{c}"), None));
            let (n, path) = match &output {
                Some(p) => {
                    let mut file =
                        crate::files::create_private(p).map_err(|e| StoreError::io(p, &e))?;
                    let n = store.export_audit(&admin, &mut file, &header)?;
                    file.sync_all().map_err(|e| StoreError::io(p, &e))?;
                    (n, p.display().to_string())
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    let n = store.export_audit(&admin, &mut out, &header)?;
                    (n, "-".to_owned())
                }
            };
            ctx.say(
                "cli-audit-exported",
                &[("count", n.to_string()), ("path", path)],
            );
            Ok(exit::CLEAN)
        }
    }
}

pub fn backup(ctx: &Ctx<'_>, path: &Path, as_login: &str, keeping: &KeepingArgs) -> Outcome {
    let mut store = ctx.open()?;
    let admin = ctx.sign_in(&mut store, as_login)?;
    if store.is_on_server() {
        let (how, passphrase) = ctx.keeping(keeping)?;
        let key = store.backup_to_new_file(
            &admin,
            path,
            &how,
            passphrase.as_deref().map(|p| p.as_str()),
        )?;
        ctx.say(
            "cli-backup-written",
            &[("path", path.display().to_string())],
        );
        ctx.show_key(&how, &key, path);
        return Ok(exit::CLEAN);
    }
    store.backup(&admin, path)?;
    ctx.say(
        "cli-backup-written",
        &[("path", path.display().to_string())],
    );
    Ok(exit::CLEAN)
}

pub fn restore(ctx: &Ctx<'_>, from: &Path, as_login: &str, recovery_key: bool) -> Outcome {
    if let store::server::Location::Server(_) = ctx.location()? {
        // The server's store is never overwritten in place: the backup goes into a new, empty
        // database (which the terminals are then pointed at).
        return Err(CliError::said(exit::USAGE, "cli-restore-server", &[]));
    }
    let live = ctx.store_path()?;
    // Asked in this order (one line each from a pipe): the store's passphrase when it has one,
    // the backup's recovery key when asked for, the administrator's password.
    let passphrase = ctx.passphrase_for(&live)?;
    let backup_key = if recovery_key {
        let text = ctx.secret("cli-recovery-key-prompt")?;
        Some(atrest::DataKey::from_recovery_key(&text)?)
    } else {
        None
    };
    let password = ctx.secret("cli-password")?;
    let unlock = match &passphrase {
        Some(p) => Unlock::Passphrase(p),
        None => Unlock::Kept,
    };
    let keeping = atrest::Keeping::default_for_platform()
        .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))?;
    let from_file = store::BackupFile {
        path: from,
        key: backup_key.as_ref(),
    };
    let restored = Store::restore(&live, unlock, from_file, as_login, &password, &keeping)?;
    ctx.say("cli-restored", &[("path", from.display().to_string())]);
    if let Some(p) = restored.previous {
        ctx.say("cli-previous-kept", &[("path", p.display().to_string())]);
    }
    if let Some(key) = restored.new_key {
        ctx.show_key(&keeping, &key, &live);
    }
    Ok(exit::CLEAN)
}

pub fn store_cmd(ctx: &Ctx<'_>, cmd: StoreCmd) -> Outcome {
    match cmd {
        StoreCmd::Info => {
            let path = ctx.store_path()?;
            if std::fs::metadata(&path).is_err() {
                return Err(StoreError::Missing { path }.into());
            }
            let kept = atrest::kept_at(&path)?;
            let plain = atrest::is_plain(&path);
            let mut out = std::io::stdout().lock();
            let line =
                |key: &str, pairs: &[(&str, String)]| ctx.locales.text_with(ctx.lang, key, pairs);
            let _ = writeln!(
                out,
                "{}",
                line("cli-store-file", &[("path", path.display().to_string())])
            );
            if plain {
                let _ = writeln!(out, "{}", line("cli-store-plain", &[]));
                return Ok(exit::WARNINGS);
            }
            match kept {
                None => {
                    let _ = writeln!(
                        out,
                        "{}",
                        line("store-key-missing", &[("path", path.display().to_string())])
                    );
                    Ok(exit::FAILED)
                }
                Some(k) => {
                    let how = match (&k.keeping, &k.key_file) {
                        (atrest::Keeping::KeyFolder(_), Some(f)) => {
                            line("cli-key-in-file", &[("path", f.display().to_string())])
                        }
                        (atrest::Keeping::Passphrase, _) => line("cli-key-in-passphrase", &[]),
                        _ => line("cli-key-in-credential-store", &[]),
                    };
                    let _ = writeln!(out, "{}", line("cli-store-encrypted", &[("id", k.key_id)]));
                    let _ = writeln!(out, "{how}");
                    Ok(exit::CLEAN)
                }
            }
        }
        StoreCmd::Init { url, terminals } => {
            let store::server::Location::Server(loc) = store::server::Location::parse(&url)? else {
                return Err(CliError::said(exit::USAGE, "cli-store-init-file", &[]));
            };
            let password = ctx.secret("cli-db-password")?;
            let version = store::server::init(&loc, &password, &terminals)?;
            ctx.say(
                "cli-store-initialised",
                &[
                    ("database", loc.display()),
                    ("version", version.to_string()),
                ],
            );
            Ok(exit::CLEAN)
        }
        StoreCmd::Copy {
            from,
            to,
            terminals,
            keeping,
        } => {
            use store::server::Location;
            let mut source = match Location::parse(&from)? {
                Location::File(path) => {
                    let passphrase = ctx.passphrase_for(&path)?;
                    let unlock = match &passphrase {
                        Some(p) => Unlock::Passphrase(p),
                        None => Unlock::Kept,
                    };
                    Store::open_unlocked(&path, unlock, Durability::Full)?
                }
                Location::Server(loc) => {
                    let password = ctx.server_password(&loc)?;
                    Store::open_server(&loc, &password, &ctx.folder()?)?
                }
            };
            let mut target = match Location::parse(&to)? {
                Location::File(path) => {
                    let (how, passphrase) = ctx.keeping(&keeping)?;
                    let (store, key) =
                        Store::create(&path, &how, passphrase.as_deref().map(|p| p.as_str()))?;
                    ctx.show_key(&how, &key, &path);
                    store
                }
                Location::Server(loc) => {
                    let password = ctx.server_password(&loc)?;
                    let mut client = store::server::connect(&loc, &password)?;
                    if store::server::holds(&mut client)? == store::server::Holds::Nothing {
                        drop(client);
                        let Some(terminals) = &terminals else {
                            return Err(CliError::said(
                                exit::USAGE,
                                "cli-store-terminals-needed",
                                &[],
                            ));
                        };
                        store::server::init(&loc, &password, terminals)?;
                    }
                    Store::open_server(&loc, &password, &ctx.folder()?)?
                }
            };
            let copied = source.copy_into(&mut target)?;
            let rows: u64 = copied.rows.iter().map(|(_, n)| n).sum();
            ctx.say(
                "cli-store-copied",
                &[
                    ("rows", rows.to_string()),
                    ("entries", copied.audit.entries.to_string()),
                    ("head", copied.audit.head.clone()),
                ],
            );
            Ok(exit::CLEAN)
        }
        StoreCmd::Password { forget } => {
            let store::server::Location::Server(loc) = ctx.location()? else {
                return Err(CliError::said(exit::USAGE, "cli-store-password-file", &[]));
            };
            if forget {
                store::server::forget_password(&loc)?;
                ctx.say(
                    "cli-store-password-forgotten",
                    &[("database", loc.display())],
                );
            } else {
                let password = ctx.secret("cli-db-password")?;
                store::server::keep_password(&loc, &password)?;
                ctx.say("cli-store-password-kept", &[("database", loc.display())]);
            }
            Ok(exit::CLEAN)
        }
        StoreCmd::Rekey { as_login, keeping } => {
            let mut store = ctx.open()?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let (how, passphrase) = ctx.keeping(&keeping)?;
            let key = store.rekey(&admin, &how, passphrase.as_deref().map(|p| p.as_str()))?;
            ctx.say("cli-rekeyed", &[]);
            ctx.show_key(&how, &key, store.path());
            Ok(exit::CLEAN)
        }
        StoreCmd::Unlock { as_login, keeping } => {
            let path = ctx.store_path()?;
            let text = ctx.secret("cli-recovery-key-prompt")?;
            let key = atrest::DataKey::from_recovery_key(&text)?;
            let mut store = Store::open_unlocked(&path, Unlock::Key(&key), Durability::Full)?;
            let admin = ctx.sign_in(&mut store, &as_login)?;
            let (how, passphrase) = ctx.keeping(&keeping)?;
            store.keep_key(&admin, &how, passphrase.as_deref().map(|p| p.as_str()))?;
            ctx.say("cli-key-kept-again", &[]);
            ctx.say_where_kept(&how, &path);
            Ok(exit::CLEAN)
        }
    }
}

pub fn clinic(ctx: &Ctx<'_>, c: ClinicArgs) -> Outcome {
    let mut store = ctx.open()?;
    let mut s: ClinicSettings = store.clinic_settings()?;
    let changes = [
        (c.name, &mut s.name),
        (c.address, &mut s.address),
        (c.phone, &mut s.phone),
        (c.fax, &mut s.fax),
        (c.institution_code, &mut s.institution_code),
    ];
    let mut changed = false;
    if let Some(p) = c.print_physician_name {
        s.print_physician_name = p;
        changed = true;
    }
    if let Some(m) = c.idle_sign_out_minutes {
        s.idle_sign_out_minutes = Some(m);
        changed = true;
    }
    if let Some(list) = &c.csv_insurers {
        s.csv_insurers = crate::store::split_insurers(list);
        changed = true;
    }
    for (new, field) in changes {
        if let Some(v) = new {
            *field = v;
            changed = true;
        }
    }
    if changed {
        let Some(login) = c.as_login else {
            return Err(CliError::said(exit::USAGE, "cli-needs-as", &[]));
        };
        let admin = ctx.sign_in(&mut store, &login)?;
        store.set_clinic_settings(&admin, &s)?;
        ctx.say("cli-clinic-saved", &[]);
        if s.institution_code_doubtful() {
            ctx.say("cli-clinic-check-code", &[]);
        }
    } else {
        let text = serde_json::to_string_pretty(&s).unwrap_or_default();
        let _ = writeln!(std::io::stdout().lock(), "{text}");
    }
    Ok(exit::CLEAN)
}

/// Opens the window on the data folder's store.
pub fn gui(ctx: &Ctx<'_>) -> Outcome {
    if !super::has_display() {
        return Err(CliError::said(exit::FAILED, "cli-no-display-gui", &[]));
    }
    if let store::server::Location::Server(loc) = ctx.location()? {
        let folder = ctx.folder()?;
        // The kept password, when there is one and the server still takes it.
        let opened = match store::server::kept_password(&loc) {
            Ok(Some(password)) => match Store::open_server(&loc, &password, &folder) {
                Err(StoreError::ServerSignIn { .. }) => None,
                other => Some(other?),
            },
            _ => None,
        };
        if let Some(store) = opened {
            let services = crate::app::Services::from_store(&store, &folder);
            crate::app::run(store, ctx.lang, services)?;
            return Ok(exit::CLEAN);
        }
        // None kept, or the server no longer takes it: the window asks for the terminal's
        // database password (there may be no terminal to ask in).
        let data_dir = folder.clone();
        crate::app::run_locked(
            crate::app::lock::Behind::Server(loc, folder),
            ctx.lang,
            move |store| crate::app::Services::from_store(store, &data_dir),
        )?;
        return Ok(exit::CLEAN);
    }
    let path = ctx.store_path()?;
    let data_dir = path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    if std::fs::metadata(&path).is_err() {
        // No data yet: the first start's screen, then the set-up guide.
        let keeping = atrest::Keeping::default_for_platform()
            .ok_or_else(|| CliError::said(exit::USAGE, "cli-no-data-dir", &[]))?;
        crate::app::run_first(crate::app::first_run::FirstRun::new(
            path,
            keeping,
            ctx.lang,
            Box::new(move |store| crate::app::Services::from_store(store, &data_dir)),
        ))?;
        return Ok(exit::CLEAN);
    }
    if std::fs::metadata(&path).is_ok() && atrest::needs_passphrase(&path) {
        // The window asks for the passphrase (there may be no terminal to ask in).
        crate::app::run_locked(
            crate::app::lock::Behind::Passphrase(path),
            ctx.lang,
            move |store| crate::app::Services::from_store(store, &data_dir),
        )?;
        return Ok(exit::CLEAN);
    }
    let store = ctx.open()?;
    let services = crate::app::Services::from_store(&store, &data_dir);
    crate::app::run(store, ctx.lang, services)?;
    Ok(exit::CLEAN)
}
