//! Backup and restore with SQLite's online backup: safe while the program runs, because SQLite
//! copies a consistent snapshot page by page under its own locks.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::audit::{self, Actor, Event};
use super::users::{Role, Roles, password_matches};
use super::{Action, Result, Session, Store, StoreError, check_file, check_writer};

fn io(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Copies all of `src` into `dst` in one step: the destination sees the whole copy or nothing.
fn copy(src: &Connection, dst: &mut Connection) -> Result<()> {
    let b = Backup::new(src, dst)?;
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
}

impl Store {
    /// Writes a consistent copy of the store to `dest` (administrators only). The copy is written
    /// beside `dest` first, checked with `integrity_check`, then renamed into place.
    pub fn backup(&mut self, session: &Session, dest: &Path) -> Result<()> {
        self.check(session, Action::Administer)?;
        let tmp = sibling(dest, ".part");
        let _ = std::fs::remove_file(&tmp);
        // The copy holds everything the store does: the owner's only from the first byte.
        crate::files::create_private(&tmp).map_err(|e| io(&tmp, &e))?;
        {
            let mut dst = Connection::open(&tmp).map_err(|e| StoreError::Open {
                path: tmp.clone(),
                detail: e.to_string(),
            })?;
            copy(&self.conn, &mut dst)?;
            // A single file: no -wal beside the copy.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
        }
        check_file(&tmp)?;
        std::fs::rename(&tmp, dest).map_err(|e| io(dest, &e))?;
        self.write(|tx| audit::append(tx, &session.actor(), &Event::new("backup")))
    }

    /// Replaces the store at `live` with the backup at `from`. The person must be an
    /// administrator in the backup. The store as it was is first copied to
    /// `<live>.before-restore-<time>` (or, when it is damaged, moved there), so nothing is lost.
    /// Safe while the program runs: other connections see the restored content.
    pub fn restore(live: &Path, from: &Path, login: &str, password: &str) -> Result<Restored> {
        check_file(from)?;
        let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        check_writer(&src, from)?;
        // A backup whose trail or versions were changed is not restored (before the login is
        // even looked at: nothing about the live store depends on it).
        let check = super::audit::verify_chain(&src)?;
        if !check.is_intact() {
            return Err(StoreError::BackupNotIntact {
                path: from.to_path_buf(),
                problems: check.problems.len(),
            });
        }
        let user: Option<(i64, String, String)> = src
            .query_row(
                "SELECT id, roles, password_hash FROM users WHERE login = ?1 AND active",
                [login.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        // The same work for an unknown login as for a wrong password.
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
        let previous = sibling(live, &format!(".before-restore-{}", stamp()));
        let exists = std::fs::metadata(live).is_ok_and(|m| m.len() > 0);
        let kept = if exists && check_file(live).is_ok() {
            // Keep a copy, then restore into the live file under SQLite's locks, so that open
            // connections see the restored content.
            let mut current = Connection::open(live)?;
            crate::files::create_private(&previous).map_err(|e| io(&previous, &e))?;
            let mut keep = Connection::open(&previous)?;
            copy(&current, &mut keep)?;
            keep.pragma_update(None, "journal_mode", "DELETE")?;
            copy(&src, &mut current)?;
            Some(previous)
        } else {
            if exists {
                // Damaged: move it (and its WAL files) aside untouched.
                std::fs::rename(live, &previous).map_err(|e| io(live, &e))?;
                for ext in crate::files::SIDE_SUFFIXES {
                    let side = sibling(live, ext);
                    if side.exists() {
                        let _ = std::fs::rename(&side, sibling(&previous, ext));
                    }
                }
            }
            crate::files::create_private(live).map_err(|e| io(live, &e))?;
            let mut fresh = Connection::open(live)?;
            copy(&src, &mut fresh)?;
            exists.then_some(previous)
        };
        let mut store = Store::open(live)?;
        let actor = Actor {
            user_id: Some(user_id),
            login: login.trim(),
        };
        store.write(|tx| audit::append(tx, &actor, &Event::new("restore")))?;
        Ok(Restored { previous: kept })
    }
}
