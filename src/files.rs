//! Files that hold patient data or keys — the store and SQLite's files beside it, backups and the
//! copies kept at a restore, audit exports, printed PDFs, key files — are for the clinic's OS
//! account only. On Unix the folders this program makes are 0700 and such files 0600, whatever the
//! umask; a store file found looser is tightened when opened. On Windows they inherit the ACL of
//! the user's profile folder, which already keeps other accounts out.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// A file's name as a person knows it (the last part of its path; the whole path when it has
/// none): what the trail and the messages of an import or an export name it by.
pub fn name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Makes `dir` and its missing parents; the folders made are the owner's only. Folders that
/// already exist are left as they are (they may be the user's own, e.g. where a backup goes).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Creates (or empties) `path` for writing, the owner's only.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(path)?;
    // An existing file keeps its mode through open: set it.
    make_private(path)?;
    Ok(f)
}

/// Writes `bytes` to `path`, the owner's only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = create_private(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Copies `from` to `to`, the copy the owner's only (a printed opinion saved elsewhere).
pub fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = File::open(from)?;
    let mut dest = create_private(to)?;
    std::io::copy(&mut src, &mut dest)?;
    dest.sync_all()
}

/// Sets an existing file to the owner's only (0600 on Unix; nothing to do elsewhere).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The suffixes of the files SQLite keeps beside a database.
pub const SIDE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` appended to its file name (`ikensho.sqlite` → `ikensho.sqlite-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// A store file and SQLite's `-wal` and `-shm` beside it, when they exist, the owner's only.
pub fn make_store_private(path: &Path) -> std::io::Result<()> {
    make_private(path)?;
    for suffix in SIDE_SUFFIXES {
        let side = with_suffix(path, suffix);
        if side.exists() {
            make_private(&side)?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn made_folders_and_files_are_the_owners_only_and_loose_ones_are_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("b");
        private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        let f = dir.join("x");
        write_private(&f, b"data").unwrap();
        assert_eq!(mode(&f), 0o600);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&f, b"again").unwrap();
        assert_eq!(mode(&f), 0o600);
        // A folder that exists is left as it is.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o755);
    }
}
