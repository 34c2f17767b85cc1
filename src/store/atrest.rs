//! Encryption at rest.
//!
//! The store file and every backup are SQLCipher databases: each page is encrypted with AES-256
//! and carries an HMAC, under one random 256-bit **data key**. Without the key nothing in the
//! file is readable — not to `sqlite3`, not to `strings`.
//!
//! The data key is kept where the set-up chose ([`Keeping`]). A small description beside the
//! store (`<store>.keys`, JSON) names the key by its id (never the key itself) and says where it
//! is kept:
//! - **the OS credential store** (Keychain on macOS, Credential Manager on Windows), which keeps
//!   it across reboots. On Linux the credential store this build uses is the kernel keyring,
//!   emptied at every reboot, so it is not offered there;
//! - **a key file** readable only by the clinic's OS account, in a folder outside the data folder;
//! - **a passphrase** asked at each start: the description then holds the key wrapped with
//!   AES-256-GCM under a key derived from the passphrase with Argon2id.
//!
//! The **recovery key** is the data key written for people: 56 letters and digits in groups of
//! four, the last few a check. It is shown once at set-up (and after a re-key) and opens the
//! store when everything else is lost.

use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Result, StoreError};

const KEY_LEN: usize = 32;
/// Letters of the recovery key that are a check, not key.
const CHECK_LEN: usize = 3;
/// The shortest passphrase accepted (it guards the whole store against someone holding a copy).
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The store's data key. Wiped when dropped; its `Debug` shows only its id.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id())
    }
}

impl DataKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> DataKey {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(&mut *k);
        DataKey(k)
    }

    fn from_slice(bytes: &[u8]) -> Option<DataKey> {
        let arr: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(DataKey(Zeroizing::new(arr)))
    }

    /// A short public name for the key (16 hex digits of a hash): which key, never the key.
    pub fn id(&self) -> String {
        let d = Sha256::new()
            .chain_update(b"ikensho data key id\0")
            .chain_update(*self.0)
            .finalize();
        hex(&d[..8])
    }

    /// The value for SQLCipher's `PRAGMA key` / `PRAGMA rekey`: a raw key, used as is (no
    /// password derivation at each open).
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"{}\"", &*self.pragma_text()))
    }

    /// The raw key as SQLCipher reads it (`x'…'`), for `ATTACH … KEY ?` and for tools that open
    /// the file directly (the sqlcipher shell's `PRAGMA key`).
    pub fn pragma_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex(&*self.0)))
    }

    /// The recovery key: the data key and a check, in base32 (A–Z, 2–7), groups of four.
    pub fn recovery_key(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(self.0.to_vec());
        bytes.extend_from_slice(&recovery_check(&*self.0));
        let plain = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&bytes));
        let mut out = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 4));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    /// Reads a recovery key as a person typed it: any case, with or without the dashes and
    /// spaces, 0/1/8 read as O/I/B.
    pub fn from_recovery_key(text: &str) -> Result<DataKey> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| match c.to_ascii_uppercase() {
                    '0' => 'O',
                    '1' => 'I',
                    '8' => 'B',
                    c => c,
                })
                .collect(),
        );
        let bytes = Zeroizing::new(
            data_encoding::BASE32_NOPAD
                .decode(cleaned.as_bytes())
                .map_err(|_| StoreError::BadRecoveryKey)?,
        );
        if bytes.len() != KEY_LEN + CHECK_LEN {
            return Err(StoreError::BadRecoveryKey);
        }
        let (key, check) = bytes.split_at(KEY_LEN);
        if recovery_check(key) != check {
            return Err(StoreError::BadRecoveryKey);
        }
        DataKey::from_slice(key).ok_or(StoreError::BadRecoveryKey)
    }
}

fn recovery_check(key: &[u8]) -> [u8; CHECK_LEN] {
    let d = Sha256::new()
        .chain_update(b"ikensho recovery key\0")
        .chain_update(key)
        .finalize();
    let mut out = [0u8; CHECK_LEN];
    out.copy_from_slice(&d[..CHECK_LEN]);
    out
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Where the data key is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keeping {
    /// The OS credential store (Keychain, Credential Manager). Protects a copied store file or
    /// backup; the key stays with the clinic's OS account on this PC.
    CredentialStore,
    /// A key file in this folder, readable only by the clinic's OS account. Protects a copied
    /// store file or backup, not a stolen disk that holds the folder too.
    KeyFolder(PathBuf),
    /// A passphrase asked at each start. Protects a stolen disk too; without the passphrase
    /// (or the recovery key) nobody can open the store, not even after a reboot.
    Passphrase,
}

impl Keeping {
    /// The name used in the description file and on the command line.
    pub fn id(&self) -> &'static str {
        match self {
            Keeping::CredentialStore => "credential-store",
            Keeping::KeyFolder(_) => "key-file",
            Keeping::Passphrase => "passphrase",
        }
    }

    /// Whether this platform's OS credential store keeps a key across a reboot (the Linux
    /// kernel keyring does not).
    pub fn credential_store_persists() -> bool {
        cfg!(any(target_os = "windows", target_os = "macos"))
    }

    /// What a set-up proposes: the credential store where it persists, else a key file in the
    /// program's configuration folder.
    pub fn default_for_platform() -> Option<Keeping> {
        if Keeping::credential_store_persists() {
            Some(Keeping::CredentialStore)
        } else {
            default_key_folder().map(Keeping::KeyFolder)
        }
    }
}

/// The folder for key files: `keys` in the program's configuration folder (not the data folder,
/// so that copying the data folder does not copy the key).
pub fn default_key_folder() -> Option<PathBuf> {
    directories::ProjectDirs::from("jp", "ikensho", "ikensho").map(|p| p.config_dir().join("keys"))
}

/// What the description beside the store says (no key in clear).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Description {
    format: u32,
    key_id: String,
    keeping: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wrapped: Option<String>,
}

/// Where the store's key is kept, as its description says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAt {
    pub key_id: String,
    pub keeping: Keeping,
    /// For a key file: the file.
    pub key_file: Option<PathBuf>,
}

fn description_path(store: &Path) -> PathBuf {
    crate::files::with_suffix(store, ".keys")
}

fn pending_path(store: &Path) -> PathBuf {
    crate::files::with_suffix(store, ".keys.next")
}

const CREDENTIAL_SERVICE: &str = "ikensho-store-key";

fn credential(key_id: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(CREDENTIAL_SERVICE, key_id).map_err(|e| StoreError::CredentialStore {
        detail: e.to_string(),
    })
}

/// The Argon2id parameters for a passphrase: 64 MiB, 3 passes (about half a second here).
fn passphrase_kek(passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let params =
        argon2::Params::new(64 * 1024, 3, 1, Some(KEY_LEN)).map_err(|_| StoreError::Hash)?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    a.hash_password_into(passphrase.as_bytes(), salt, &mut *out)
        .map_err(|_| StoreError::Hash)?;
    Ok(out)
}

fn aead(kek: &[u8]) -> Result<ring::aead::LessSafeKey> {
    let unbound =
        ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, kek).map_err(|_| StoreError::Hash)?;
    Ok(ring::aead::LessSafeKey::new(unbound))
}

fn wrap(key: &DataKey, passphrase: &str) -> Result<(String, String)> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = passphrase_kek(passphrase, &salt)?;
    let mut buf = Zeroizing::new(key.0.to_vec());
    aead(&*kek)?
        .seal_in_place_append_tag(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(key.id().as_bytes()),
            &mut *buf,
        )
        .map_err(|_| StoreError::Hash)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&buf);
    Ok((b64.encode(salt), b64.encode(out)))
}

fn unwrap(d: &Description, passphrase: &str) -> Result<DataKey> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let broken = || StoreError::KeyMissing {
        path: PathBuf::new(),
    };
    let salt = d
        .salt
        .as_deref()
        .and_then(|s| b64.decode(s).ok())
        .ok_or_else(broken)?;
    let wrapped = d
        .wrapped
        .as_deref()
        .and_then(|s| b64.decode(s).ok())
        .filter(|w| w.len() > 12)
        .ok_or_else(broken)?;
    let (nonce, sealed) = wrapped.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().map_err(|_| broken())?;
    let kek = passphrase_kek(passphrase, &salt)?;
    let mut buf = Zeroizing::new(sealed.to_vec());
    let plain = aead(&*kek)?
        .open_in_place(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(d.key_id.as_bytes()),
            &mut buf,
        )
        .map_err(|_| StoreError::WrongPassphrase)?;
    DataKey::from_slice(plain).ok_or(StoreError::WrongPassphrase)
}

/// Whether `passphrase` may guard a store: long enough, not one repeated character.
pub fn passphrase_acceptable(passphrase: &str) -> bool {
    let trimmed = passphrase.trim();
    let mut chars = trimmed.chars();
    let first = chars.next();
    trimmed.chars().count() >= MIN_PASSPHRASE_CHARS && !chars.all(|c| Some(c) == first)
}

/// Puts `key` where `keeping` says and returns the description that finds it again.
fn put(key: &DataKey, keeping: &Keeping, passphrase: Option<&str>) -> Result<Description> {
    let mut d = Description {
        format: 1,
        key_id: key.id(),
        keeping: keeping.id().to_owned(),
        key_file: None,
        salt: None,
        wrapped: None,
    };
    match keeping {
        Keeping::CredentialStore => {
            if !Keeping::credential_store_persists() {
                return Err(StoreError::NoPersistentCredentialStore);
            }
            let hexkey = Zeroizing::new(hex(&*key.0));
            credential(&d.key_id)?.set_password(&hexkey).map_err(|e| {
                StoreError::CredentialStore {
                    detail: e.to_string(),
                }
            })?;
        }
        Keeping::KeyFolder(dir) => {
            crate::files::private_dir(dir).map_err(|e| StoreError::io(dir, &e))?;
            let file = dir.join(format!("ikensho-{}.key", d.key_id));
            let text = Zeroizing::new(format!(
                "ikensho data key 1\n{}\n{}\n",
                d.key_id,
                hex(&*key.0)
            ));
            crate::files::write_private(&file, text.as_bytes())
                .map_err(|e| StoreError::io(&file, &e))?;
            d.key_file = Some(std::path::absolute(&file).unwrap_or(file));
        }
        Keeping::Passphrase => {
            let p = passphrase.ok_or(StoreError::PassphraseNeeded)?;
            if !passphrase_acceptable(p) {
                return Err(StoreError::WeakPassphrase);
            }
            let (salt, wrapped) = wrap(key, p)?;
            d.salt = Some(salt);
            d.wrapped = Some(wrapped);
        }
    }
    Ok(d)
}

fn write_description(path: &Path, d: &Description) -> Result<()> {
    let text = serde_json::to_string_pretty(d).map_err(|e| StoreError::io(path, &e.into()))?;
    let part = crate::files::with_suffix(path, ".part");
    crate::files::write_private(&part, text.as_bytes()).map_err(|e| StoreError::io(&part, &e))?;
    std::fs::rename(&part, path).map_err(|e| StoreError::io(path, &e))
}

fn read_description(path: &Path) -> Result<Option<Description>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::io(path, &e.into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, &e)),
    }
}

/// Keeps `key` for the store at `store` as `keeping` says and writes its description,
/// replacing what was there (the key kept before is forgotten).
pub fn keep(
    store: &Path,
    key: &DataKey,
    keeping: &Keeping,
    passphrase: Option<&str>,
) -> Result<()> {
    let before = read_description(&description_path(store))?;
    let d = put(key, keeping, passphrase)?;
    write_description(&description_path(store), &d)?;
    if let Some(old) = before.filter(|o| o.key_id != d.key_id || o.keeping != d.keeping) {
        forget_kept(&old, d.key_file.as_deref());
    }
    Ok(())
}

/// Keeps `key` as the store's next key (a re-key in progress): until [`commit`], the store opens
/// with either.
pub(crate) fn stage(
    store: &Path,
    key: &DataKey,
    keeping: &Keeping,
    passphrase: Option<&str>,
) -> Result<()> {
    let d = put(key, keeping, passphrase)?;
    write_description(&pending_path(store), &d)
}

/// Makes the staged key the store's key and forgets the one before.
pub(crate) fn commit(store: &Path) -> Result<()> {
    let Some(next) = read_description(&pending_path(store))? else {
        return Ok(());
    };
    let before = read_description(&description_path(store))?;
    std::fs::rename(pending_path(store), description_path(store))
        .map_err(|e| StoreError::io(&description_path(store), &e))?;
    if let Some(old) = before.filter(|o| o.key_id != next.key_id) {
        forget_kept(&old, next.key_file.as_deref());
    }
    Ok(())
}

/// Drops a staged key that never became the store's.
pub(crate) fn abandon(store: &Path) {
    if let Ok(Some(next)) = read_description(&pending_path(store)) {
        forget_kept(&next, None);
    }
    let _ = std::fs::remove_file(pending_path(store));
}

fn forget_kept(d: &Description, keep_file: Option<&Path>) {
    match d.keeping.as_str() {
        "credential-store" => {
            if let Ok(entry) = credential(&d.key_id) {
                let _ = entry.delete_credential();
            }
        }
        "key-file" => {
            if let Some(f) = d.key_file.as_deref().filter(|f| Some(*f) != keep_file) {
                let _ = std::fs::remove_file(f);
            }
        }
        _ => {}
    }
}

/// Forgets the store's key and its description (a set-up that failed, before anything was
/// written with the key).
pub fn forget(store: &Path) {
    if let Ok(Some(d)) = read_description(&description_path(store)) {
        forget_kept(&d, None);
    }
    let _ = std::fs::remove_file(description_path(store));
    abandon(store);
}

/// Where the store's key is kept, when the store has a description.
pub fn kept_at(store: &Path) -> Result<Option<KeptAt>> {
    Ok(read_description(&description_path(store))?.map(|d| KeptAt {
        keeping: match d.keeping.as_str() {
            "credential-store" => Keeping::CredentialStore,
            "passphrase" => Keeping::Passphrase,
            _ => Keeping::KeyFolder(
                d.key_file
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            ),
        },
        key_file: d.key_file,
        key_id: d.key_id,
    }))
}

/// The key kept for the store at `store` (a key file or the OS credential store; not one behind
/// a passphrase), for tools that open the file directly.
pub fn kept_key(store: &Path) -> Result<Option<DataKey>> {
    Ok(candidates(store, None)?.and_then(|mut k| (!k.is_empty()).then(|| k.remove(0))))
}

/// Whether opening the store needs a passphrase.
pub fn needs_passphrase(store: &Path) -> bool {
    matches!(kept_at(store), Ok(Some(k)) if k.keeping == Keeping::Passphrase)
}

fn fetch(store: &Path, d: &Description, passphrase: Option<&str>) -> Result<DataKey> {
    let missing = || StoreError::KeyMissing {
        path: store.to_path_buf(),
    };
    let key = match d.keeping.as_str() {
        "credential-store" => {
            let hexkey =
                Zeroizing::new(credential(&d.key_id)?.get_password().map_err(|e| match e {
                    keyring::Error::NoEntry => missing(),
                    e => StoreError::CredentialStore {
                        detail: e.to_string(),
                    },
                })?);
            parse_hex_key(&hexkey).ok_or_else(missing)?
        }
        "key-file" => {
            let file = d.key_file.as_deref().ok_or_else(missing)?;
            let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|_| missing())?);
            let mut lines = text.lines();
            if lines.next() != Some("ikensho data key 1") || lines.next() != Some(&d.key_id) {
                return Err(missing());
            }
            parse_hex_key(lines.next().unwrap_or_default()).ok_or_else(missing)?
        }
        "passphrase" => {
            let p = passphrase.ok_or(StoreError::PassphraseNeeded)?;
            unwrap(d, p).map_err(|e| match e {
                StoreError::KeyMissing { .. } => missing(),
                e => e,
            })?
        }
        _ => return Err(missing()),
    };
    if key.id() != d.key_id {
        return Err(missing());
    }
    Ok(key)
}

fn parse_hex_key(text: &str) -> Option<DataKey> {
    let text = text.trim();
    if text.len() != KEY_LEN * 2 {
        return None;
    }
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(DataKey(out))
}

/// The keys that may open the store at `store`, in the order to try: its key, then the one
/// of a re-key that was interrupted. `None` when the store has no description (a store from
/// before encryption, or one whose description was lost).
pub(crate) fn candidates(store: &Path, passphrase: Option<&str>) -> Result<Option<Vec<DataKey>>> {
    let Some(d) = read_description(&description_path(store))? else {
        return Ok(None);
    };
    let mut keys = vec![fetch(store, &d, passphrase)?];
    if let Ok(Some(next)) = read_description(&pending_path(store))
        && let Ok(k) = fetch(store, &next, passphrase)
    {
        keys.push(k);
    }
    Ok(Some(keys))
}

/// Whether `path` is a plain (unencrypted) SQLite file.
pub fn is_plain(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_recovery_key_reads_back_as_typed_and_refuses_a_slip() {
        let k = DataKey::generate();
        let r = k.recovery_key();
        assert_eq!(r.len(), 56 + 13, "{}", r.len());
        assert_eq!(DataKey::from_recovery_key(&r).unwrap(), k);
        let typed = r.to_lowercase().replace('-', " ").replace('o', "0");
        assert_eq!(DataKey::from_recovery_key(&typed).unwrap(), k);
        // One letter wrong is caught by the check.
        let mut slip: Vec<char> = r.chars().collect();
        slip[5] = if slip[5] == 'A' { 'B' } else { 'A' };
        let slip: String = slip.into_iter().collect();
        assert!(matches!(
            DataKey::from_recovery_key(&slip),
            Err(StoreError::BadRecoveryKey)
        ));
        assert!(DataKey::from_recovery_key("").is_err());
        assert!(!format!("{k:?}").contains(&hex(&*k.0)));
    }

    #[test]
    fn a_passphrase_unwraps_only_its_own_key() {
        let k = DataKey::generate();
        let (salt, wrapped) = wrap(&k, "correct horse battery").unwrap();
        let d = Description {
            format: 1,
            key_id: k.id(),
            keeping: "passphrase".into(),
            key_file: None,
            salt: Some(salt),
            wrapped: Some(wrapped),
        };
        assert_eq!(unwrap(&d, "correct horse battery").unwrap(), k);
        assert!(matches!(
            unwrap(&d, "correct horse batterx"),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(!passphrase_acceptable("short"));
        assert!(!passphrase_acceptable("aaaaaaaaaaaaaaaa"));
        assert!(passphrase_acceptable("診察室の合言葉は桜並木です"));
    }
}
