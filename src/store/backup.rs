//! Backup and restore with SQLite's online backup: safe while the program runs, because SQLite
//! copies a consistent snapshot page by page under its own locks.

use std::path::{Path, PathBuf};

use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::atrest::{self, DataKey, Keeping};
use super::audit::{self, Actor, Event};
use super::users::{Role, Roles, password_matches};
use super::{
    Action, Result, Session, Store, StoreError, Unlock, apply_key, check_file, check_writer, db,
};

/// Copies all of `src` into `dst` in one step: the destination sees the whole copy or nothing.
fn copy(src: &Connection, dst: &mut Connection) -> Result<()> {
    let b = rusqlite::backup::Backup::new(src, dst)?;
    loop {
        // Anything but Done (busy, locked) means: wait for the other connection, try again.
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

fn stamp() -> String {
    jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .strftime("%Y%m%d-%H%M%S")
        .to_string()
}

/// `name` with `suffix` added, in the same folder.
use crate::files::with_suffix as sibling;

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the store as it was before the restore was kept.
    pub previous: Option<PathBuf>,
    /// A new key made for a backup from before encryption restored where no key was kept:
    /// its recovery key is shown once.
    pub new_key: Option<DataKey>,
}

/// What a backup's manifest (`<backup>.manifest.json`, beside it) says was written: the head of
/// its audit trail and the file's SHA-256, so that a backup swapped for another, or one whose
/// trail was cut and re-chained, is noticed at the restore.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: u32,
    made_at: String,
    key_id: Option<String>,
    audit_entries: i64,
    audit_head: String,
    sha256: String,
}

fn manifest_path(backup: &Path) -> PathBuf {
    sibling(backup, ".manifest.json")
}

fn file_sha256(path: &Path) -> Result<String> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::io(path, &e))?;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|e| StoreError::io(path, &e))?;
    Ok(format!("{:x}", h.finalize()))
}

impl Manifest {
    fn of(file: &Path, key: Option<&DataKey>) -> Result<Manifest> {
        // The copy's own head (a restore checks the whole chain against it).
        let conn = open_read_only(file, key)?;
        let (entries, head): (i64, Option<String>) = conn.query_row(
            "SELECT (SELECT count(*) FROM audit), (SELECT hash FROM audit_head WHERE one = 1)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        drop(conn);
        Ok(Manifest {
            format: 1,
            made_at: super::now(),
            key_id: key.map(DataKey::id),
            audit_entries: entries,
            audit_head: head.unwrap_or_else(|| super::audit::GENESIS.to_owned()),
            sha256: file_sha256(file)?,
        })
    }

    fn write(&self, backup: &Path) -> Result<()> {
        let p = manifest_path(backup);
        let text = serde_json::to_string_pretty(self).map_err(|e| StoreError::io(&p, &e.into()))?;
        crate::files::write_private(&p, text.as_bytes()).map_err(|e| StoreError::io(&p, &e))
    }

    fn read(backup: &Path) -> Result<Option<Manifest>> {
        let p = manifest_path(backup);
        match std::fs::read(&p) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|_| StoreError::BackupMismatch {
                        path: backup.to_path_buf(),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(&p, &e)),
        }
    }
}

/// A backup to restore from.
#[derive(Debug, Clone, Copy)]
pub struct BackupFile<'a> {
    pub path: &'a Path,
    /// The backup's key, from its recovery key, when it is not the live store's (a backup from
    /// before a re-key, or from another PC).
    pub key: Option<&'a DataKey>,
}

/// Opens `path` read-only with `key` (none for a plain file).
fn open_read_only(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    apply_key(&conn, key, path)?;
    Ok(conn)
}

/// Opens (or makes) `path` for writing, keyed with `key`.
fn open_keyed(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    apply_key(&conn, key, path)?;
    Ok(conn)
}

/// Writes the database at `from` (keyed `from_key`) into a new file `to` under `to_key`: the
/// way SQLCipher changes a file's key (its online backup copies pages as they are).
fn export(from: &Path, from_key: Option<&DataKey>, to: &Path, to_key: &DataKey) -> Result<()> {
    let _ = std::fs::remove_file(to);
    crate::files::create_private(to).map_err(|e| StoreError::io(to, &e))?;
    let conn = open_keyed(to, Some(to_key))?;
    let from_text = from.to_string_lossy().into_owned();
    let attach_key = match from_key {
        Some(k) => k.pragma_text(),
        None => zeroize::Zeroizing::new(String::new()),
    };
    conn.execute(
        "ATTACH DATABASE ?1 AS src KEY ?2",
        rusqlite::params![from_text, attach_key.as_str()],
    )?;
    conn.query_row("SELECT sqlcipher_export('main', 'src')", [], |_| Ok(()))?;
    let app_id: i32 = conn.query_row("PRAGMA src.application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA src.user_version", [], |r| r.get(0))?;
    conn.execute_batch(&format!(
        "PRAGMA main.application_id = {app_id}; PRAGMA main.user_version = {version}; DETACH DATABASE src;"
    ))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    drop(conn);
    check_file(to, Some(to_key))
}

impl Store {
    /// Writes a consistent copy of the store to `dest` (administrators only), encrypted with the
    /// store's key. The copy is written beside `dest` first, checked with `integrity_check`,
    /// then renamed into place.
    pub fn backup(&mut self, session: &Session, dest: &Path) -> Result<()> {
        self.check(session, Action::Administer)?;
        self.backup_as(&session.actor(), dest)
    }

    /// [`Store::backup`] in `actor`'s name, without asking for a role (the automatic backup).
    pub(super) fn backup_as(&mut self, actor: &Actor<'_>, dest: &Path) -> Result<()> {
        let tmp = sibling(dest, ".part");
        let _ = std::fs::remove_file(&tmp);
        // The copy holds everything the store does: the owner's only from the first byte.
        crate::files::create_private(&tmp).map_err(|e| StoreError::io(&tmp, &e))?;
        {
            let mut dst = open_keyed(&tmp, self.key.as_ref())?;
            copy(self.file_conn("file backup")?, &mut dst)?;
            // A single file: no -wal beside the copy.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
        }
        check_file(&tmp, self.key.as_ref())?;
        let manifest = Manifest::of(&tmp, self.key.as_ref())?;
        manifest.write(dest)?;
        std::fs::rename(&tmp, dest).map_err(|e| StoreError::io(dest, &e))?;
        self.write(|tx| audit::append(tx, actor, &Event::new("backup")))
    }

    /// Writes the whole store — on a server, where [`Store::backup`] has no file to copy — into a
    /// new ordinary store file `dest` (administrators only), with a manifest like any backup's:
    /// the file opens as a store on its own, and `store copy` brings it into either backend. It
    /// is encrypted under a new data key kept as `keeping` says; the key is returned for its
    /// recovery key. A copy that fails leaves no file behind.
    pub fn backup_to_new_file(
        &mut self,
        session: &Session,
        dest: &Path,
        keeping: &Keeping,
        passphrase: Option<&str>,
    ) -> Result<DataKey> {
        self.check(session, Action::Administer)?;
        let (mut target, key) = Store::create(dest, keeping, passphrase)?;
        let written = self
            .copy_into(&mut target)
            .and_then(|_| {
                drop(target);
                Manifest::of(dest, Some(&key))
            })
            .and_then(|m| m.write(dest));
        if let Err(e) = written {
            atrest::forget(dest);
            let _ = std::fs::remove_file(manifest_path(dest));
            let _ = std::fs::remove_file(super::witness::path(dest));
            let _ = std::fs::remove_file(dest);
            for suffix in crate::files::SIDE_SUFFIXES {
                let _ = std::fs::remove_file(sibling(dest, suffix));
            }
            return Err(e);
        }
        self.write(|tx| audit::append(tx, &session.actor(), &Event::new("backup")))?;
        Ok(key)
    }

    /// Replaces the store at `live` with the backup `from`.
    ///
    /// The person must be an administrator of the live store, checked there (with its sign-in
    /// throttle) and the restore written into its audit trail before anything is replaced; only
    /// when there is no readable live store (a new PC, a damaged file) is the backup's own
    /// administrator asked for. A backup whose audit trail is not intact is refused before
    /// anything else. The store as it was is first copied to `<live>.before-restore-<time>`
    /// (or, when it is damaged, moved there), so nothing is lost. Safe while the program runs:
    /// other connections see the restored content. The restored store keeps the live store's
    /// key; on a PC without one it takes the backup's (kept as `keeping` says), or a new key for
    /// a backup from before encryption (returned, for its recovery key).
    pub fn restore(
        live: &Path,
        unlock: Unlock<'_>,
        from: BackupFile<'_>,
        login: &str,
        password: &str,
        keeping: &Keeping,
    ) -> Result<Restored> {
        // The live store, when it can be opened: the one whose administrator decides.
        let live_exists = std::fs::metadata(live).is_ok_and(|m| m.len() > 0);
        let mut current = if live_exists {
            match Store::open_unlocked(live, unlock, super::Durability::Full) {
                Ok(s) => Some(s),
                Err(
                    e @ (StoreError::PassphraseNeeded
                    | StoreError::WrongPassphrase
                    | StoreError::CredentialStore { .. }),
                ) => return Err(e),
                Err(_) => None,
            }
        } else {
            None
        };
        // The live store's key: the one it opened with, else the one kept for it (a damaged
        // file's key is still kept).
        let live_key = match current.as_ref() {
            Some(s) => s.key.clone(),
            None => match unlock {
                Unlock::Key(k) => Some(vec![k.clone()]),
                Unlock::Kept => atrest::candidates(live, None).ok().flatten(),
                Unlock::Passphrase(p) => atrest::candidates(live, Some(p)).ok().flatten(),
            }
            .and_then(|mut keys| (!keys.is_empty()).then(|| keys.remove(0))),
        };
        let from_key = from.key.or(live_key.as_ref());
        let backup = from.path;
        if !atrest::is_plain(backup) && from_key.is_none() {
            return Err(StoreError::KeyMissing {
                path: backup.to_path_buf(),
            });
        }
        check_file(backup, from_key)?;
        let src = open_read_only(backup, from_key)?;
        check_writer(&src, backup)?;
        // A backup whose trail or versions were changed is not restored (before the login is
        // even looked at), nor one that is not what its manifest says was written.
        let check = super::audit::verify_chain(&src)?;
        if !check.is_intact() {
            return Err(StoreError::BackupNotIntact {
                path: backup.to_path_buf(),
                problems: check.problems.len(),
            });
        }
        if let Some(m) = Manifest::read(backup)? {
            let sha = file_sha256(backup)?;
            if m.sha256 != sha || m.audit_head != check.head {
                return Err(StoreError::BackupMismatch {
                    path: backup.to_path_buf(),
                });
            }
        }
        let actor = match current.as_mut() {
            Some(store) => {
                let session = store.sign_in(login, password)?;
                store.check(&session, Action::Administer)?;
                store.write(|tx| {
                    audit::append(
                        tx,
                        &session.actor(),
                        &Event::new("restore").detail(&format!("from {}", backup.display())),
                    )
                })?;
                (session.user_id(), session.login().to_owned())
            }
            None => authenticate_in_backup(&src, login, password)?,
        };
        // The key the restored store has: the live store's, else the one kept for it, else the
        // backup's, else a new one.
        let mut new_key = None;
        let target = match live_key.clone() {
            Some(k) => k,
            None => {
                let k = from_key.cloned().unwrap_or_else(|| {
                    let k = DataKey::generate();
                    new_key = Some(k.clone());
                    k
                });
                if let Some(dir) = live.parent().filter(|d| !d.as_os_str().is_empty()) {
                    crate::files::private_dir(dir).map_err(|e| StoreError::io(dir, &e))?;
                }
                atrest::keep(live, &k, keeping, None)?;
                k
            }
        };
        // The backup under the target key: as it is, or re-encrypted into a file beside it.
        let converted = sibling(live, ".restore-part");
        let source = if from_key == Some(&target) {
            src
        } else {
            drop(src);
            export(backup, from_key, &converted, &target)?;
            open_read_only(&converted, Some(&target))?
        };
        let previous = sibling(live, &format!(".before-restore-{}", stamp()));
        let kept = if let Some(store) = current.take() {
            // Keep a copy, then restore into the live file under SQLite's locks, so that open
            // connections see the restored content.
            let db::Db::Lite(mut conn) = store.db else {
                return Err(StoreError::FileOnly {
                    what: "file restore",
                });
            };
            crate::files::create_private(&previous).map_err(|e| StoreError::io(&previous, &e))?;
            let mut keep = open_keyed(&previous, Some(&target))?;
            copy(&conn, &mut keep)?;
            keep.pragma_update(None, "journal_mode", "DELETE")?;
            copy(&source, &mut conn)?;
            Some(previous)
        } else {
            if live_exists {
                // Damaged or unreadable: move it (and its WAL files) aside untouched.
                std::fs::rename(live, &previous).map_err(|e| StoreError::io(live, &e))?;
                for ext in crate::files::SIDE_SUFFIXES {
                    let side = sibling(live, ext);
                    if side.exists() {
                        let _ = std::fs::rename(&side, sibling(&previous, ext));
                    }
                }
            }
            crate::files::create_private(live).map_err(|e| StoreError::io(live, &e))?;
            let mut fresh = open_keyed(live, Some(&target))?;
            copy(&source, &mut fresh)?;
            live_exists.then_some(previous)
        };
        drop(source);
        let _ = std::fs::remove_file(&converted);
        let mut store = Store::open_unlocked(live, Unlock::Key(&target), super::Durability::Full)?;
        let actor = Actor {
            user_id: Some(actor.0),
            login: &actor.1,
        };
        store.write(|tx| audit::append(tx, &actor, &Event::new("restore")))?;
        // The trail went back on purpose (and says so): the head noted beside the file starts
        // again from here.
        let head = super::audit::verify_chain(&store.db)?.head;
        let seq: i64 = db::Sql::query_row(
            &store.db,
            "SELECT coalesce(max(seq), 0) FROM audit",
            db::params![],
            |r| r.get(0),
        )?;
        super::witness::reset(live, seq, &head)
            .map_err(|e| StoreError::io(&super::witness::path(live), &e))?;
        Ok(Restored {
            previous: kept,
            new_key,
        })
    }

    /// Encrypts the store under a new data key, kept as `keeping` says (administrators). A store
    /// from before encryption is encrypted here. Returns the new key, for its recovery key; the
    /// old key and its recovery key no longer open the store (backups made before still need
    /// them). Other connections to the file must be closed first.
    pub fn rekey(
        &mut self,
        session: &Session,
        keeping: &Keeping,
        passphrase: Option<&str>,
    ) -> Result<DataKey> {
        self.check(session, Action::Administer)?;
        self.file_conn("key")?;
        let new = DataKey::generate();
        atrest::stage(&self.path, &new, keeping, passphrase)?;
        let done = match self.key.clone() {
            Some(_) => self.rekey_in_place(&new),
            None => self.encrypt_plain(&new),
        };
        if let Err(e) = done {
            atrest::abandon(&self.path);
            return Err(e);
        }
        atrest::commit(&self.path)?;
        self.key = Some(new.clone());
        self.write(|tx| audit::append(tx, &session.actor(), &Event::new("rekey")))?;
        Ok(new)
    }

    fn rekey_in_place(&mut self, new: &DataKey) -> Result<()> {
        // Re-keying rewrites every page; outside WAL, so that no page is left under the old key.
        let conn = self.file_conn("key")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        let sql = zeroize::Zeroizing::new(format!("PRAGMA rekey = {};", &*new.pragma()));
        let r = conn.execute_batch(&sql);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        r?;
        Ok(())
    }

    fn encrypt_plain(&mut self, new: &DataKey) -> Result<()> {
        let part = sibling(&self.path, ".encrypt-part");
        self.file_conn("key")?
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        export(&self.path, None, &part, new)?;
        // Swap the files with no connection open on the plain one.
        let old = std::mem::replace(&mut self.db, db::Db::Lite(Connection::open_in_memory()?));
        drop(old);
        for suffix in crate::files::SIDE_SUFFIXES {
            let _ = std::fs::remove_file(sibling(&self.path, suffix));
        }
        std::fs::rename(&part, &self.path).map_err(|e| StoreError::io(&self.path, &e))?;
        let conn = open_keyed(&self.path, Some(new))?;
        super::configure(&conn, super::Durability::Full).map_err(StoreError::Sqlite)?;
        self.db = db::Db::Lite(conn);
        Ok(())
    }

    /// Keeps the key this store was opened with (from its recovery key) as `keeping` says
    /// (administrators): after a lost key file or credential store, a forgotten passphrase, or
    /// on a new PC.
    pub fn keep_key(
        &mut self,
        session: &Session,
        keeping: &Keeping,
        passphrase: Option<&str>,
    ) -> Result<()> {
        self.check(session, Action::Administer)?;
        self.file_conn("key")?;
        let Some(key) = self.key.clone() else {
            return Err(StoreError::NotFound("key"));
        };
        atrest::keep(&self.path, &key, keeping, passphrase)?;
        self.write(|tx| audit::append(tx, &session.actor(), &Event::new("key-kept")))
    }
}

/// Checks `login` and `password` against the backup's own people (when there is no live store
/// to ask): the same work for an unknown login as for a wrong password.
fn authenticate_in_backup(src: &Connection, login: &str, password: &str) -> Result<(i64, String)> {
    let user: Option<(i64, String, String)> = src
        .query_row(
            "SELECT id, roles, password_hash FROM users WHERE login = ?1 AND active",
            [login.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let stored = user
        .as_ref()
        .map_or(super::users::decoy(), |u| u.2.as_str());
    let matches = password_matches(password, stored);
    let Some((user_id, roles, _)) = user.filter(|_| matches) else {
        return Err(StoreError::SignIn);
    };
    if !Roles::from_db(&roles).has(Role::Admin) {
        return Err(StoreError::Refused {
            login: login.trim().to_owned(),
            action: Action::Administer,
            needed: Role::Admin,
        });
    }
    Ok((user_id, login.trim().to_owned()))
}
