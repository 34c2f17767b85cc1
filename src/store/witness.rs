//! The head of the audit trail kept outside the data file too.
//!
//! `audit_head` inside the file remembers the last entry, so a deleted tail shows; but someone who
//! rolls back the tail *and* `audit_head` together (or puts an older copy of the whole file in
//! place) leaves a trail that is consistent in itself. So each write that moves the head also
//! appends `seq hash` to a small file beside the store (`<store>.audit-head`, the owner's only),
//! after the transaction committed: the file can only be ahead of the trail by what a crash lost
//! between the two, never behind. `audit verify` then checks that the trail still reaches the
//! highest head noted there, with the same hash. Each backup's manifest holds its head the same way.
//!
//! It is a tripwire, not a seal: someone who can rewrite the data file can rewrite this file too.
//! On Linux an administrator can make it append-only (`chattr +a`), which the program keeps to.
//! When it grows past 1 MiB it is rewritten to its last line, which is all a check needs.

use std::io::Write;
use std::path::{Path, PathBuf};

const COMPACT_AT: u64 = 1 << 20;

/// The witness file of the store at `store`.
pub fn path(store: &Path) -> PathBuf {
    crate::files::with_suffix(store, ".audit-head")
}

/// Notes that the trail reached `seq` with `hash`.
pub(crate) fn note(store: &Path, seq: i64, hash: &str) -> std::io::Result<()> {
    let p = path(store);
    if std::fs::metadata(&p).is_ok_and(|m| m.len() > COMPACT_AT) {
        // Ignored when the file was made append-only: it keeps growing, which is fine.
        let _ = reset(store, seq, hash);
        return Ok(());
    }
    let mut o = std::fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    // One write of one short line: appends from several connections do not mix within a line.
    o.open(&p)?.write_all(format!("{seq} {hash}\n").as_bytes())
}

/// Starts the file again at `seq` and `hash` (after a restore, which rolls the trail back on
/// purpose and says so in it).
pub(crate) fn reset(store: &Path, seq: i64, hash: &str) -> std::io::Result<()> {
    let p = path(store);
    let part = crate::files::with_suffix(&p, ".part");
    crate::files::write_private(&part, format!("{seq} {hash}\n").as_bytes())?;
    std::fs::rename(&part, &p)
}

/// The highest head noted, when the file exists. Lines that are not `seq hash` (a torn last
/// write) are skipped.
pub(crate) fn highest(store: &Path) -> std::io::Result<Option<(i64, String)>> {
    let text = match std::fs::read_to_string(path(store)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| {
            let (seq, hash) = l.split_once(' ')?;
            let seq: i64 = seq.parse().ok()?;
            (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (seq, hash.to_owned()))
        })
        .max_by_key(|(seq, _)| *seq))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_highest_head_wins_whatever_the_order_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ikensho.sqlite");
        assert_eq!(highest(&store).unwrap(), None);
        let h = |c: char| c.to_string().repeat(64);
        note(&store, 2, &h('b')).unwrap();
        note(&store, 3, &h('c')).unwrap();
        note(&store, 1, &h('a')).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(path(&store))
            .unwrap()
            .write_all(b"4 dd")
            .unwrap();
        assert_eq!(highest(&store).unwrap(), Some((3, h('c'))));
        reset(&store, 1, &h('a')).unwrap();
        assert_eq!(highest(&store).unwrap(), Some((1, h('a'))));
    }
}
