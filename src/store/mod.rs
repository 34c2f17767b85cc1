//! The store: opinions and their versions, people and roles, the hash-chained audit trail and
//! the clinic settings, in one encrypted SQLite file on this PC or in a PostgreSQL database on
//! the clinic's server that several terminals share (the same statements, through `db`).
//!
//! Every write is one transaction with its audit entry (`IMMEDIATE` in WAL mode with
//! `synchronous = FULL` in a file; behind one advisory lock on the server): a save either
//! happened completely, with its audit entry, or not at all, even across a power cut. Roles are
//! enforced here, not only by the screens: each call takes the [`Session`] of the person signed in.
//! Nothing here logs; errors name items and ids, never what was typed about an applicant.

pub mod atrest;
mod audit;
mod backup;
mod copy;
pub mod daily;
pub(crate) mod db;
pub mod describe;
pub mod editing;
mod finish;
pub mod journal;
mod keys;
mod marks;
mod model;
mod opinions;
pub mod outbox;
mod past;
mod renew;
mod schema;
pub mod schema_pg;
mod search;
pub mod server;
mod settings;
mod state;
mod users;
mod versions;
pub mod witness;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

pub use audit::{AuditCheck, AuditProblem};
pub use backup::{BackupFile, Restored};
pub use copy::Copied;
pub use finish::{Finish, SignerCert};
pub use keys::search_key;
pub use model::{
    Draft, ItemMark, NewOpinion, OpenedOpinion, OpinionInfo, Origin, Saved, VersionInfo,
};
pub use past::{PastOpinion, PastOutcome};
pub use search::Query;
pub use settings::{
    BackupSettings, ClinicSettings, ConnectionSettings, DEFAULT_IDLE_MINUTES, DisplaySettings,
    MAX_IDLE_MINUTES, split_insurers,
};
pub use state::{HubEvent, State};
pub use users::{
    LOCK_AFTER, LOCK_MINUTES, MIN_PASSWORD_CHARS, NewUser, Role, Roles, Session, THROTTLE_AFTER,
    UserInfo, password_acceptable,
};

/// Removes a data file that a set-up made and could not finish: the file, its side files, its
/// witness and its kept key.
pub fn remove_files(path: &Path) {
    atrest::forget(path);
    let _ = std::fs::remove_file(witness::path(path));
    let _ = std::fs::remove_file(path);
    for suffix in crate::files::SIDE_SUFFIXES {
        let _ = std::fs::remove_file(crate::files::with_suffix(path, suffix));
    }
}

/// What a person asks the store to do, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open an applicant's opinion, list or search opinions.
    Open,
    /// Create or edit a draft.
    Edit,
    /// Finalise a version (確定).
    Finalise,
    /// Record an HPKI signature.
    Sign,
    /// Queue a version for sending to the hub.
    Send,
    /// Print the final version on paper.
    PrintFinal,
    /// Review items a clerk changed.
    Review,
    /// Add people, change roles and passwords.
    ManageUsers,
    /// Change the clinic settings.
    Settings,
    /// Take a backup, restore one, export the audit trail.
    Administer,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Open,
        Action::Edit,
        Action::Finalise,
        Action::Sign,
        Action::Send,
        Action::PrintFinal,
        Action::Review,
        Action::ManageUsers,
        Action::Settings,
        Action::Administer,
    ];

    /// The id used in messages (`action-<id>` in the locales).
    pub fn id(self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::Edit => "edit",
            Action::Finalise => "finalise",
            Action::Sign => "sign",
            Action::Send => "send",
            Action::PrintFinal => "print-final",
            Action::Review => "review",
            Action::ManageUsers => "manage-users",
            Action::Settings => "settings",
            Action::Administer => "administer",
        }
    }
}

/// Why the store refused or failed. The text never contains what was typed about an applicant.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open {path}: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("there is no data file at {path}")]
    Missing { path: PathBuf },
    /// The backup folder is not there (a USB drive not plugged in, a share not connected): the
    /// automatic backup never makes it on the local disk in its place.
    #[error("the backup folder {path} is not there")]
    FolderMissing { path: PathBuf },
    /// The data file is there but empty (0 bytes): something went wrong with it, and it is
    /// never set up again silently over what it held.
    #[error("the data file {path} is empty")]
    Empty { path: PathBuf },
    /// A set-up where a data file is already.
    #[error("there is a data file at {path} already")]
    Exists { path: PathBuf },
    /// The store is encrypted and its key is not where its description says (or there is no
    /// description): the recovery key opens it.
    #[error("the key of {path} is not where it was kept")]
    KeyMissing { path: PathBuf },
    /// The key found does not open this file (another store's, or a backup from before a
    /// re-key).
    #[error("the key does not open {path}")]
    WrongKey { path: PathBuf },
    #[error("the store's passphrase is needed")]
    PassphraseNeeded,
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the passphrase is too short or too simple")]
    WeakPassphrase,
    #[error("not a recovery key (a letter may be wrong)")]
    BadRecoveryKey,
    #[error("the OS credential store failed: {detail}")]
    CredentialStore { detail: String },
    #[error("this system's credential store forgets keys at a reboot")]
    NoPersistentCredentialStore,
    /// `--store` / `IKENSHO_STORE` is not a usable place for the store (`reason` names the part).
    #[error("the store address is not usable ({reason})")]
    BadLocation { reason: &'static str },
    /// The server's certificate is not the clinic CA's for that host (or TLS failed).
    #[error("the server's certificate was not accepted: {detail}")]
    ServerTls { detail: String },
    /// The server refused the terminal's database password.
    #[error("the server refused the password of {user}")]
    ServerSignIn { user: String },
    /// No server answered.
    #[error("the server {server} cannot be reached: {detail}")]
    ServerUnreachable { server: String, detail: String },
    /// The server refused a statement.
    #[error("the server refused: {detail}")]
    ServerQuery { detail: String },
    /// The connection to the server was lost (the server stopped, the network went away).
    #[error("the connection to the server was lost: {detail}")]
    ServerGone { detail: String },
    /// A column did not hold what the store reads from it (a bug, or a database changed by hand).
    #[error("column {index} holds {found}, not {expected}")]
    Column {
        index: usize,
        expected: &'static str,
        found: &'static str,
    },
    /// A copy into a store that holds something already.
    #[error("{store} is not empty")]
    NotEmpty { store: String },
    /// Something only a data file has (its key, a re-key), asked of a server store.
    #[error("a store on a server has no {what}")]
    FileOnly { what: &'static str },
    /// A set-up on a database that holds an ikensho store already.
    #[error("{database} holds an ikensho store already (schema {version})")]
    ServerHasStore { database: String, version: i64 },
    /// The database holds something that is not an ikensho store.
    #[error("{database} holds something that is not an ikensho store")]
    ServerNotStore { database: String },
    /// This terminal's journal of unsaved drafts does not open (changed, or the database
    /// password changed since it was written): it is left as it is.
    #[error("the journal {path} cannot be read")]
    JournalUnreadable { path: PathBuf },
    /// The terminals' role named at the set-up does not exist (or is not a plain role name).
    #[error("there is no role {role} on the server")]
    ServerNoRole { role: String },
    /// The server's store is older than this program, and this terminal's role may not bring it
    /// up to date: the tables' owner does.
    #[error("{database} is at schema {found}; this program needs {known}")]
    ServerBehind {
        database: String,
        found: i64,
        known: i64,
    },
    /// A backup whose audit trail is not intact (or whose versions do not match it): nothing
    /// is restored from it.
    #[error("the backup {path} is not intact ({problems} problem(s) in its audit trail)")]
    BackupNotIntact { path: PathBuf, problems: usize },
    /// The backup is not the file its manifest says was written (another file, or its trail cut
    /// and chained again).
    #[error("the backup {path} does not match its manifest")]
    BackupMismatch { path: PathBuf },
    /// A version's body is not what the program wrote and the audit trail recorded: it was
    /// changed outside the program, and nothing is finalised, signed, sent or printed from it.
    #[error("version {version} was changed outside the program")]
    Tampered { version: i64 },
    #[error("{path} is damaged and was left untouched: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path} is not an ikensho database")]
    NotADatabase { path: PathBuf },
    #[error("{path} was written by a newer ikensho (schema {found}; this program knows {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(String),
    #[error("sign-in failed: unknown login or wrong password")]
    SignIn,
    /// The person signed in has been deactivated since: nothing more is done for them.
    #[error("{login} is no longer active")]
    NoLongerActive { login: String },
    /// Too many wrong passwords for this login in a row: wait this many seconds.
    #[error("too many wrong passwords: wait {seconds} s")]
    TooSoon { seconds: i64 },
    /// Ten wrong passwords in a row: the login is locked for this many more minutes (or until
    /// an administrator unlocks it).
    #[error("the login is locked for {minutes} min")]
    Locked { minutes: i64 },
    #[error("{login} may not {}: it needs the {needed} role", action.id())]
    Refused {
        login: String,
        action: Action,
        needed: Role,
    },
    #[error("version {0} is frozen; editing it makes a new version")]
    Frozen(i64),
    /// A save from a copy older than the draft: someone (`by`, their name) saved it elsewhere
    /// meanwhile.
    #[error("the draft was saved elsewhere meanwhile (revision {found}; this copy has {expected})")]
    Conflict {
        expected: i64,
        found: i64,
        by: String,
    },
    #[error("an opinion that is {} cannot become {}", from.id(), to.id())]
    Transition { from: State, to: State },
    #[error("{} item(s) changed by a clerk wait for a physician's review", items.len())]
    Unreviewed { items: Vec<String> },
    #[error("{} item(s) carried over from the last opinion are not confirmed", items.len())]
    Unconfirmed { items: Vec<String> },
    #[error("validation finds {0} error(s)")]
    NotValid(usize),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the opinion does not fit its form: {0}")]
    Shape(crate::form::ReadError),
    #[error("no finished opinion of this applicant to start the renewal from")]
    NothingToRenew,
    #[error("the login {0} is taken")]
    LoginTaken(String),
    #[error("a person cannot be both physician and clerk")]
    RoleConflict,
    #[error("a person needs at least one role")]
    NoRole,
    #[error("the password is shorter than {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("the first administrator exists already")]
    AlreadySetUp,
    /// Making a physician account needs the administrator's own password again.
    #[error("re-enter your own password to make a physician account")]
    ReauthNeeded,
    /// The administrator's password, entered again, was wrong.
    #[error("the password entered again is wrong")]
    ReauthFailed,
    /// The card's certificate is for another name than the account's: an administrator
    /// confirms the binding first.
    #[error("the card's certificate is for {on_card}, the account is {account}")]
    CertificateName { on_card: String, account: String },
    /// The account signs with another HPKI certificate (bound at its first signature).
    #[error("this is not the HPKI certificate bound to the account")]
    OtherCertificate,
    #[error("the password could not be hashed")]
    Hash,
    #[error("{setting} is not valid")]
    BadSetting { setting: &'static str },
    /// A file could not be read or written: its kind is said in the reader's language, the
    /// system's own words (`detail`) only for a kind without words of ours.
    #[error("{path}: {detail}")]
    Io {
        path: PathBuf,
        kind: std::io::ErrorKind,
        detail: String,
    },
    #[error("the form definition cannot be loaded: {0}")]
    Form(String),
    #[error("a signature is needed before sending")]
    Unsigned,
    /// The opinion's current version is a draft: only a finalised one is written for others.
    #[error("opinion {opinion_id} is not finalised")]
    NotFinal { opinion_id: i64 },
    /// The person stopped an import: nothing of the file was kept.
    #[error("cancelled; nothing of it was kept")]
    Cancelled,
}

impl StoreError {
    /// A file problem at `path`.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            kind: e.kind(),
            detail: e.to_string(),
        }
    }

    /// Whether the server could not be reached or went away (not a refusal): the same call may
    /// work once it is back.
    pub fn is_server_lost(&self) -> bool {
        matches!(
            self,
            StoreError::ServerGone { .. } | StoreError::ServerUnreachable { .. }
        )
    }

    /// The message key in `locales/*/store.ftl`.
    pub fn key(&self) -> &'static str {
        match self {
            StoreError::Open { .. } => "store-open",
            StoreError::Missing { .. } => "store-missing",
            StoreError::FolderMissing { .. } => "store-folder-missing",
            StoreError::Empty { .. } => "store-empty",
            StoreError::Exists { .. } => "store-exists",
            StoreError::KeyMissing { .. } => "store-key-missing",
            StoreError::WrongKey { .. } => "store-wrong-key",
            StoreError::PassphraseNeeded => "store-passphrase-needed",
            StoreError::WrongPassphrase => "store-wrong-passphrase",
            StoreError::WeakPassphrase => "store-weak-passphrase",
            StoreError::BadRecoveryKey => "store-bad-recovery-key",
            StoreError::CredentialStore { .. } => "store-credential-store",
            StoreError::NoPersistentCredentialStore => "store-no-persistent-credential-store",
            StoreError::BadLocation { .. } => "store-bad-location",
            StoreError::ServerTls { .. } => "store-server-tls",
            StoreError::ServerSignIn { .. } => "store-server-sign-in",
            StoreError::ServerUnreachable { .. } => "store-server-unreachable",
            StoreError::ServerQuery { .. } => "store-server-query",
            StoreError::ServerGone { .. } => "store-server-gone",
            StoreError::FileOnly { .. } => "store-file-only",
            StoreError::NotEmpty { .. } => "store-not-empty",
            StoreError::Column { .. } => "store-column",
            StoreError::ServerHasStore { .. } => "store-server-has-store",
            StoreError::ServerNotStore { .. } => "store-server-not-store",
            StoreError::ServerNoRole { .. } => "store-server-no-role",
            StoreError::JournalUnreadable { .. } => "store-journal-unreadable",
            StoreError::ServerBehind { .. } => "store-server-behind",
            StoreError::Tampered { .. } => "store-tampered",
            StoreError::BackupNotIntact { .. } => "store-backup-not-intact",
            StoreError::BackupMismatch { .. } => "store-backup-mismatch",
            StoreError::Damaged { .. } => "store-damaged",
            StoreError::NotADatabase { .. } => "store-not-database",
            StoreError::TooNew { .. } => "store-too-new",
            StoreError::Sqlite(_) => "store-sqlite",
            StoreError::Migration(_) => "store-migration",
            StoreError::SignIn => "store-sign-in",
            StoreError::TooSoon { .. } => "store-too-soon",
            StoreError::NoLongerActive { .. } => "store-no-longer-active",
            StoreError::Locked { .. } => "store-locked",
            StoreError::Refused { .. } => "store-refused",
            StoreError::Frozen(_) => "store-frozen",
            StoreError::Conflict { .. } => "store-conflict",
            StoreError::Transition { .. } => "store-transition",
            StoreError::Unreviewed { .. } => "store-unreviewed",
            StoreError::Unconfirmed { .. } => "store-unconfirmed",
            StoreError::NotValid(_) => "store-not-valid",
            StoreError::NotFound(_) => "store-not-found",
            StoreError::Shape(_) => "store-shape",
            StoreError::NothingToRenew => "store-nothing-to-renew",
            StoreError::LoginTaken(_) => "store-login-taken",
            StoreError::RoleConflict => "store-role-conflict",
            StoreError::NoRole => "store-no-role",
            StoreError::WeakPassword => "store-weak-password",
            StoreError::AlreadySetUp => "store-already-set-up",
            StoreError::ReauthNeeded => "store-reauth-needed",
            StoreError::ReauthFailed => "store-reauth-failed",
            StoreError::CertificateName { .. } => "store-certificate-name",
            StoreError::OtherCertificate => "store-other-certificate",
            StoreError::Hash => "store-hash",
            StoreError::BadSetting { .. } => "store-bad-setting",
            StoreError::Io { .. } => "store-io",
            StoreError::Form(_) => "store-form",
            StoreError::Unsigned => "store-unsigned",
            StoreError::Cancelled => "store-cancelled",
            StoreError::NotFinal { .. } => "store-not-final",
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = FULL`: a save that returned survives a power cut (the default).
    Full,
    /// `synchronous = NORMAL`: survives a crash of the program, may lose the last saves on a power
    /// cut. For bulk imports and benchmarks.
    Normal,
}

/// The draft store: one SQLite file (encrypted: see [`atrest`]), or a database on the clinic's
/// PostgreSQL server ([`server`]).
pub struct Store {
    db: db::Db,
    /// The data file; for a server store, its address (for names and messages).
    path: PathBuf,
    /// Where the audit head is noted ([`witness`]): beside the file, or for a server store in
    /// this terminal's data folder.
    witness: PathBuf,
    /// The data key the file was opened with; `None` for a plain file from before encryption
    /// and for a server store.
    key: Option<atrest::DataKey>,
    /// For a server store: where it is and the terminal's password, for more connections.
    server: Option<(server::ServerLocation, zeroize::Zeroizing<String>)>,
    /// The last audit entry this connection noted beside the file ([`witness`]).
    noted: i64,
}

/// The store file in the platform's data folder, or in `$IKENSHO_DATA_DIR` when set.
pub fn default_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("ikensho.sqlite"))
}

/// The folder for ikensho's data: `$IKENSHO_DATA_DIR`, or the platform's data folder.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("IKENSHO_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("jp", "ikensho", "ikensho").map(|p| p.data_dir().to_path_buf())
}

/// How to find the key of an encrypted store.
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// Where the set-up kept it (a key file, the OS credential store).
    Kept,
    /// Unwrapped with the passphrase asked at start.
    Passphrase(&'a str),
    /// This key (from the recovery key).
    Key(&'a atrest::DataKey),
}

impl Store {
    /// Makes a new, encrypted store at `path` (and its folder) with a new data key, kept as
    /// `keeping` says. Refuses where a file is already. Returns the key, for the recovery key
    /// shown once to the administrator.
    pub fn create(
        path: &Path,
        keeping: &atrest::Keeping,
        passphrase: Option<&str>,
    ) -> Result<(Store, atrest::DataKey)> {
        Store::create_with(path, keeping, passphrase, Durability::Full)
    }

    /// [`Store::create`] with a chosen durability.
    pub fn create_with(
        path: &Path,
        keeping: &atrest::Keeping,
        passphrase: Option<&str>,
        durability: Durability,
    ) -> Result<(Store, atrest::DataKey)> {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        let open_err = |e: std::io::Error| StoreError::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        // The folder and the file the owner's only before SQLite writes to them (its -wal and
        // -shm take the file's mode).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::private_dir(dir).map_err(open_err)?;
        }
        let key = atrest::DataKey::generate();
        atrest::keep(path, &key, keeping, passphrase)?;
        let made = crate::files::create_private(path)
            .map_err(open_err)
            .and_then(|_| Store::connect_new(path, key.clone(), durability));
        match made {
            Ok(store) => Ok((store, key)),
            Err(e) => {
                atrest::forget(path);
                let _ = std::fs::remove_file(path);
                for suffix in crate::files::SIDE_SUFFIXES {
                    let _ = std::fs::remove_file(crate::files::with_suffix(path, suffix));
                }
                Err(e)
            }
        }
    }

    fn connect_new(path: &Path, key: atrest::DataKey, durability: Durability) -> Result<Store> {
        Store::migrated(path, Some(key), durability, true)
    }

    /// A connection to `path` with `key`, configured, migrated to the latest schema (made ours
    /// first when `new`), its triggers in place.
    fn migrated(
        path: &Path,
        key: Option<atrest::DataKey>,
        durability: Durability,
        new: bool,
    ) -> Result<Store> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, &e))?;
        apply_key(&conn, key.as_ref(), path)?;
        configure(&conn, durability).map_err(|e| open_error(path, &e))?;
        if new {
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        }
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        conn.execute_batch(schema::TRIGGERS)?;
        Ok(Store {
            db: db::Db::Lite(conn),
            path: path.to_path_buf(),
            witness: path.to_path_buf(),
            key,
            server: None,
            noted: 0,
        })
    }

    /// Opens the existing store at `path` with its kept key. The file is first checked
    /// read-only with `PRAGMA integrity_check`; a damaged file is refused and left untouched,
    /// and so is an empty (0-byte) one ([`StoreError::Empty`]). Never makes a store: see
    /// [`Store::create`].
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_unlocked(path, Unlock::Kept, Durability::Full)
    }

    /// [`Store::open`] with a chosen durability.
    pub fn open_with(path: &Path, durability: Durability) -> Result<Store> {
        Store::open_unlocked(path, Unlock::Kept, durability)
    }

    /// Opens the existing store at `path`, its key found as `unlock` says.
    pub fn open_unlocked(path: &Path, unlock: Unlock<'_>, durability: Durability) -> Result<Store> {
        match std::fs::metadata(path) {
            Ok(m) if m.len() == 0 => {
                return Err(StoreError::Empty {
                    path: path.to_path_buf(),
                });
            }
            Ok(_) => {}
            Err(_) => {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                });
            }
        }
        let key = find_key(path, unlock)?;
        check_file(path, key.as_ref())?;
        crate::files::make_store_private(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        Store::migrated(path, key, durability, false)
    }

    /// The SQLite connection of a store in a file; `what` names what was asked of a server store.
    fn file_conn(&self, what: &'static str) -> Result<&Connection> {
        self.db.lite().ok_or(StoreError::FileOnly { what })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file is encrypted (a store from before encryption is not, until re-keyed).
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// This store's file, checked and migrated when this connection opened it: more connections
    /// to it (for worker threads) skip the integrity check and the migrations.
    pub fn checked_file(&self) -> CheckedFile {
        CheckedFile {
            path: self.path.clone(),
            key: self.key.clone(),
            server: self.server.clone(),
            witness: self.witness.clone(),
        }
    }

    /// Opens the store in the database at `loc` with the terminal's `password`, migrating it to
    /// this program's schema. A database without an ikensho store is refused (`ikensho store
    /// init` makes one). `folder` is this terminal's data folder, where the audit head it saw is
    /// noted ([`witness`]).
    pub fn open_server(
        loc: &server::ServerLocation,
        password: &str,
        folder: &Path,
    ) -> Result<Store> {
        let mut client = server::connect(loc, password)?;
        server::migrate(&mut client, loc)?;
        let display = loc.display();
        let witness = folder.join(format!("server-{}", &sha256_hex(display.as_bytes())[..16]));
        Ok(Store::on_server(client, loc, password, witness))
    }

    fn on_server(
        client: postgres::Client,
        loc: &server::ServerLocation,
        password: &str,
        witness: PathBuf,
    ) -> Store {
        let display = loc.display();
        Store {
            db: db::Db::Pg(Box::new(std::cell::RefCell::new(db::Pg::new(client)))),
            path: PathBuf::from(display),
            witness,
            key: None,
            server: Some((loc.clone(), zeroize::Zeroizing::new(password.to_owned()))),
            noted: 0,
        }
    }

    /// Listens to what the terminals change in this store (`None` for a file: one terminal).
    pub fn listen(&self) -> Result<Option<server::Listener>> {
        listener(self.server.as_ref())
    }

    /// After the server went away ([`StoreError::ServerGone`]): connects to it again, with the
    /// same location and password. A file store has nothing to do.
    pub fn reconnect(&mut self) -> Result<()> {
        let Some((loc, password)) = &self.server else {
            return Ok(());
        };
        let client = server::connect(loc, password)?;
        self.db = db::Db::Pg(Box::new(std::cell::RefCell::new(db::Pg::new(client))));
        Ok(())
    }

    /// Where the store is on the server, as this connection reached it (`None` for a file).
    pub fn server_location(&self) -> Option<&server::ServerLocation> {
        self.server.as_ref().map(|(loc, _)| loc)
    }

    /// Whether the store is on a server.
    pub fn is_on_server(&self) -> bool {
        self.server.is_some()
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is committed, or none.
    fn write<T>(&mut self, f: impl FnOnce(&db::Tx<'_>) -> Result<T>) -> Result<T> {
        let (out, head) = self.db.transaction(f)?;
        self.note_head(head);
        Ok(out)
    }

    /// After a commit that moved the audit head to `head`: notes it beside the file too
    /// ([`witness`]). The save itself is done; a note that cannot be written is logged, not an
    /// error.
    fn note_head(&mut self, head: Option<db::Head>) {
        if let Some((seq, hash)) = head.filter(|(seq, _)| *seq > self.noted) {
            if let Err(e) = witness::note(&self.witness, seq, &hash) {
                tracing::warn!(error = %e, "the audit head could not be noted beside the store");
            }
            self.noted = seq;
        }
    }
}

/// The key that opens the store at `path`: none for a plain file from before encryption; for an
/// encrypted one, as `unlock` says (the kept key, or the one of an interrupted re-key).
fn find_key(path: &Path, unlock: Unlock<'_>) -> Result<Option<atrest::DataKey>> {
    if atrest::is_plain(path) {
        return Ok(None);
    }
    let keys = match unlock {
        Unlock::Key(k) => return Ok(Some(k.clone())),
        Unlock::Kept => atrest::candidates(path, None)?,
        Unlock::Passphrase(p) => atrest::candidates(path, Some(p))?,
    };
    let Some(keys) = keys else {
        // No key is kept for it. An encrypted store is whole pages of 4096 bytes; anything else
        // is not a store at all.
        let whole_pages = std::fs::metadata(path).is_ok_and(|m| m.len() % 4096 == 0);
        return Err(if whole_pages {
            StoreError::KeyMissing {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::NotADatabase {
                path: path.to_path_buf(),
            }
        });
    };
    for (i, k) in keys.into_iter().enumerate() {
        // Only whether the key opens the file: the integrity check follows once, with it.
        let probe = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, &e))
        .and_then(|conn| apply_key(&conn, Some(&k), path));
        match probe {
            Err(StoreError::WrongKey { .. }) => {}
            _ => {
                if i > 0 {
                    // A re-key finished in the file but not in its description.
                    atrest::commit(path)?;
                }
                return Ok(Some(k));
            }
        }
    }
    Err(StoreError::WrongKey {
        path: path.to_path_buf(),
    })
}

/// Gives SQLCipher the key (before anything else is read) and checks that it opens the file.
fn apply_key(conn: &Connection, key: Option<&atrest::DataKey>, path: &Path) -> Result<()> {
    let Some(key) = key else {
        return Ok(());
    };
    let sql = zeroize::Zeroizing::new(format!("PRAGMA key = {};", &*key.pragma()));
    conn.execute_batch(&sql).map_err(|e| open_error(path, &e))?;
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey {
                path: path.to_path_buf(),
            })
        }
        Err(e) => Err(open_error(path, &e)),
    }
}

/// A store file this process has opened, checked and migrated (see [`Store::checked_file`]).
#[derive(Clone)]
pub struct CheckedFile {
    path: PathBuf,
    key: Option<atrest::DataKey>,
    server: Option<(server::ServerLocation, zeroize::Zeroizing<String>)>,
    witness: PathBuf,
}

impl std::fmt::Debug for CheckedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key nor the password.
        f.debug_struct("CheckedFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A listener on the server store at `server` (`None` for a file).
fn listener(
    server: Option<&(server::ServerLocation, zeroize::Zeroizing<String>)>,
) -> Result<Option<server::Listener>> {
    server
        .map(|(loc, password)| server::Listener::new(loc, password))
        .transpose()
}

impl CheckedFile {
    /// [`Store::listen`] without a store connection of its own (a listener lost and made again).
    pub fn listen(&self) -> Result<Option<server::Listener>> {
        listener(self.server.as_ref())
    }

    /// Another connection to the file, with the same settings as the first, refusing a file
    /// that has since been replaced by one that is not ikensho's or is newer.
    pub fn connect(&self) -> Result<Store> {
        if let Some((loc, password)) = &self.server {
            let client = server::connect(loc, password)?;
            return Ok(Store::on_server(
                client,
                loc,
                password,
                self.witness.clone(),
            ));
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(&self.path, &e))?;
        apply_key(&conn, self.key.as_ref(), &self.path)?;
        configure(&conn, Durability::Full).map_err(|e| open_error(&self.path, &e))?;
        check_writer(&conn, &self.path)?;
        Ok(Store {
            db: db::Db::Lite(conn),
            path: self.path.clone(),
            witness: self.path.clone(),
            key: self.key.clone(),
            server: None,
            noted: 0,
        })
    }
}

/// Whether the database has no tables and no application id or schema version yet.
fn is_blank(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema)
                AND (SELECT application_id FROM pragma_application_id()) = 0
                AND (SELECT user_version FROM pragma_user_version()) = 0",
        [],
        |r| r.get(0),
    )
}

/// Refuses a file that is not ikensho's, or that a newer ikensho wrote.
fn check_writer(conn: &Connection, path: &Path) -> Result<()> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != schema::APPLICATION_ID {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > schema::latest() {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: schema::latest(),
        });
    }
    Ok(())
}

fn configure(conn: &Connection, durability: Durability) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidQuery);
    }
    let sync = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // 16 MiB of page cache (the default is 2 MiB): a list of thousands of opinions stays in memory.
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Deleted content is overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

/// Opens `path` read-only (with `key` when it is encrypted), runs `PRAGMA integrity_check` and
/// refuses a file that is not ikensho's (unless blank) or is from a newer ikensho. Nothing is
/// written to the file.
fn check_file(path: &Path, key: Option<&atrest::DataKey>) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(path, &e))?;
    apply_key(&conn, key, path)?;
    let rows: rusqlite::Result<Vec<String>> = conn
        .prepare("PRAGMA integrity_check(20)")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => {
            if is_blank(&conn).map_err(|e| open_error(path, &e))? {
                Ok(())
            } else {
                check_writer(&conn, path)
            }
        }
        Ok(rows) => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: rows.join("; "),
        }),
        // An encrypted page that does not decrypt (its HMAC fails) is a damaged page: the key
        // opened the first one.
        Err(e) if key.is_some() => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
        Err(e) => Err(open_error(path, &e)),
    }
}

fn open_error(path: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path,
            detail: e.to_string(),
        },
        _ => StoreError::Open {
            path,
            detail: e.to_string(),
        },
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Now, as stored: RFC 3339 in UTC.
pub(crate) fn now() -> String {
    jiff::Timestamp::now().to_string()
}
