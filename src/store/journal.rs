//! A terminal's journal of drafts not yet saved on the server: when the clinic server cannot be
//! reached, each edit is kept here (in the data folder, owner-only, encrypted) until the server
//! is back and takes it, so that nothing typed is lost — not even when the window is closed or
//! the PC switched off meanwhile.
//!
//! One entry per draft: the last content typed (`mine`), and what the server held when this
//! terminal last saw it (`base`, at `revision`), so that a save refused because someone else
//! saved meanwhile can be put together with theirs ([`crate::form::changes::reapply`]).
//!
//! The file is AES-256-GCM under a key derived (Argon2id, a salt of its own) from the terminal's
//! database password: whoever can read the journal could read the whole server store, and no
//! key of its own needs keeping.

use std::path::{Path, PathBuf};

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::{Result, Store, StoreError};
use crate::form::Opinion;

const MAGIC: &[u8; 4] = b"IKJ1";
const SALT_LEN: usize = 16;
const AAD: &[u8] = b"ikensho journal v1";

/// A draft edit the server has not taken yet.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    /// Who typed it (their login): it is saved again in their name only.
    pub login: String,
    pub opinion_id: i64,
    pub version_id: i64,
    /// The draft's revision on the server when this terminal last saw it.
    pub revision: i64,
    /// What the server held at `revision`.
    pub base: Opinion,
    /// What was typed since.
    pub mine: Opinion,
    /// When it was last kept (RFC 3339).
    pub at: String,
}

/// The journal of one server store on this terminal.
pub struct Journal {
    path: PathBuf,
    salt: [u8; SALT_LEN],
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn unreadable(path: &Path) -> StoreError {
    StoreError::JournalUnreadable {
        path: path.to_path_buf(),
    }
}

fn derive(password: &str, salt: &[u8; SALT_LEN]) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut *key)
        .map_err(|e| {
            StoreError::io(
                Path::new("journal key"),
                &std::io::Error::other(e.to_string()),
            )
        })?;
    Ok(key)
}

impl Store {
    /// This terminal's journal of the server store, in `folder` (`None` for a file store: it
    /// is on this PC, and saves go straight into it).
    pub fn journal(&self, folder: &Path) -> Result<Option<Journal>> {
        let Some((loc, password)) = &self.server else {
            return Ok(None);
        };
        let name = &super::sha256_hex(loc.display().as_bytes())[..16];
        Journal::open(&folder.join(format!("server-{name}.journal")), password).map(Some)
    }
}

impl Journal {
    /// The journal at `path`, keyed from `password`; made (empty) when there is none.
    fn open(path: &Path, password: &str) -> Result<Journal> {
        let salt = match std::fs::read(path) {
            Ok(bytes) => {
                if bytes.len() < MAGIC.len() + SALT_LEN || &bytes[..4] != MAGIC {
                    return Err(unreadable(path));
                }
                let mut salt = [0u8; SALT_LEN];
                salt.copy_from_slice(&bytes[4..4 + SALT_LEN]);
                salt
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut salt = [0u8; SALT_LEN];
                rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
                salt
            }
            Err(e) => return Err(StoreError::io(path, &e)),
        };
        let journal = Journal {
            path: path.to_path_buf(),
            salt,
            key: derive(password, &salt)?,
        };
        // A journal that does not open with this password (changed since) is left as it is.
        journal.pending()?;
        Ok(journal)
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sealing_key(&self) -> Result<LessSafeKey> {
        UnboundKey::new(&AES_256_GCM, &*self.key)
            .map(LessSafeKey::new)
            .map_err(|_| unreadable(&self.path))
    }

    /// What waits to be saved, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(&self.path, &e)),
        };
        let head = MAGIC.len() + SALT_LEN;
        if bytes.len() < head + NONCE_LEN {
            return Err(unreadable(&self.path));
        }
        let nonce = Nonce::try_assume_unique_for_key(&bytes[head..head + NONCE_LEN])
            .map_err(|_| unreadable(&self.path))?;
        let mut sealed = Zeroizing::new(bytes[head + NONCE_LEN..].to_vec());
        let plain = self
            .sealing_key()?
            .open_in_place(nonce, Aad::from(AAD), &mut sealed)
            .map_err(|_| unreadable(&self.path))?;
        let mut all: Vec<Pending> =
            serde_json::from_slice(plain).map_err(|_| unreadable(&self.path))?;
        all.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(all)
    }

    fn write(&self, all: &[Pending]) -> Result<()> {
        if all.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(StoreError::io(&self.path, &e)),
            };
        }
        let mut plain = Zeroizing::new(
            serde_json::to_vec(all).map_err(|e| StoreError::io(&self.path, &e.into()))?,
        );
        let mut nonce = [0u8; NONCE_LEN];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
        let tag = self
            .sealing_key()?
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(AAD),
                &mut plain,
            )
            .map_err(|_| unreadable(&self.path))?;
        let mut out = Vec::with_capacity(4 + SALT_LEN + NONCE_LEN + plain.len() + 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&plain);
        out.extend_from_slice(tag.as_ref());
        // Whole or not at all: written beside it, then put in its place.
        let tmp = crate::files::with_suffix(&self.path, ".part");
        crate::files::write_private(&tmp, &out).map_err(|e| StoreError::io(&tmp, &e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| StoreError::io(&self.path, &e))
    }

    /// Keeps `edit`: a draft's latest content. A draft already waiting keeps its `base` and
    /// `revision` (the server has not taken anything since) and gets the new content.
    pub fn put(&self, edit: Pending) -> Result<()> {
        let mut all = self.pending()?;
        match all.iter_mut().find(|p| p.version_id == edit.version_id) {
            Some(p) => {
                p.mine = edit.mine;
                p.at = edit.at;
                p.login = edit.login;
            }
            None => all.push(edit),
        }
        self.write(&all)
    }

    /// The server took the draft `version_id` (or its edits were dropped on purpose).
    pub fn remove(&self, version_id: i64) -> Result<()> {
        let mut all = self.pending()?;
        let before = all.len();
        all.retain(|p| p.version_id != version_id);
        if all.len() == before {
            return Ok(());
        }
        self.write(&all)
    }
}
