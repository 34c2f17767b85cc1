//! The clinic's terminal certificate for the hub. `import_p12` checks the `.p12` with its password,
//! copies it into the data folder (owner-only), and puts the password into the OS keyring (macOS
//! Keychain, Windows Credential Manager, the Linux kernel keyring) — never into the database and
//! never in clear on disk. Where no keyring works, nothing is stored: the program asks for the
//! password when sending starts and keeps it only in memory.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::client::{HubError, Terminal};

/// The keyring service name of the terminal password.
pub const SERVICE: &str = "jp.ikensho.hub-terminal";
/// The file the `.p12` is kept in, inside the data folder.
pub const P12_FILE: &str = "terminal.p12";

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub path: PathBuf,
    /// Whether the password went into the OS keyring (else it will be asked for).
    pub in_keyring: bool,
}

fn entry(account: &str) -> Option<keyring::Entry> {
    keyring::Entry::new(SERVICE, account).ok()
}

/// Stores the password in the OS keyring; `false` when there is no working keyring.
pub fn store_password(account: &str, password: &Zeroizing<String>) -> bool {
    entry(account).is_some_and(|e| e.set_password(password).is_ok())
}

/// The password from the OS keyring, if it is there.
pub fn load_password(account: &str) -> Option<Zeroizing<String>> {
    entry(account)?.get_password().ok().map(Zeroizing::new)
}

pub fn forget_password(account: &str) {
    if let Some(e) = entry(account) {
        let _ = e.delete_credential();
    }
}

/// Checks `p12` with `password`, keeps it as `<data_dir>/terminal.p12` and the password in the
/// keyring under `account` (the data folder's identity, e.g. its path).
pub fn import_p12(
    data_dir: &Path,
    account: &str,
    p12: &[u8],
    password: &Zeroizing<String>,
) -> Result<Imported, HubError> {
    Terminal::from_p12(p12, password)?;
    crate::files::private_dir(data_dir).map_err(|e| HubError::Other(e.to_string()))?;
    let path = data_dir.join(P12_FILE);
    let part = data_dir.join(format!("{P12_FILE}.part"));
    crate::files::write_private(&part, p12).map_err(|e| HubError::Other(e.to_string()))?;
    std::fs::rename(&part, &path).map_err(|e| HubError::Other(e.to_string()))?;
    Ok(Imported {
        path,
        in_keyring: store_password(account, password),
    })
}

/// The terminal kept in `data_dir`: the password from the keyring, or from `ask` when the keyring
/// has none.
pub fn load_terminal(
    data_dir: &Path,
    account: &str,
    ask: impl FnOnce() -> Option<Zeroizing<String>>,
) -> Result<Terminal, HubError> {
    let password = load_password(account)
        .or_else(ask)
        .ok_or(HubError::Terminal)?;
    open_terminal(data_dir, &password)
}

/// The terminal kept in `data_dir`, opened with `password` (found by the caller).
pub fn open_terminal(data_dir: &Path, password: &Zeroizing<String>) -> Result<Terminal, HubError> {
    let p12 = std::fs::read(data_dir.join(P12_FILE)).map_err(|_| HubError::Terminal)?;
    Terminal::from_p12(&p12, password)
}
