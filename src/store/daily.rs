//! Backups without remembering: one automatic backup a day into the clinic's backup folder,
//! named with its date (`ikensho-2026-12-02.sqlite`, its manifest beside it), written and
//! checked as `ikensho backup` writes them; the last 14 days and the last backup of each of the
//! last 12 months are kept, older ones removed. Only files named this way are ever removed.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::audit::Actor;
use super::db::{Sql, params};
use super::{Result, Store, StoreError};

/// How many daily and monthly backups are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    pub days: usize,
    pub months: usize,
}

impl Default for Keep {
    fn default() -> Keep {
        Keep {
            days: 14,
            months: 12,
        }
    }
}

/// After how many days without a backup the window warns.
pub const OVERDUE_AFTER_DAYS: i64 = 2;

const PREFIX: &str = "ikensho-";
const SUFFIX: &str = ".sqlite";

/// The automatic backup's file name for `day`.
pub fn file_name(day: Date) -> String {
    format!("{PREFIX}{day}{SUFFIX}")
}

/// The day of an automatic backup's file name (none for any other file).
fn day_of(name: &str) -> Option<Date> {
    let day = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let date: Date = day.parse().ok()?;
    (date.to_string() == day).then_some(date)
}

/// The automatic backups in `folder`, newest first.
pub fn backups(folder: &Path) -> Result<Vec<(Date, PathBuf)>> {
    let entries = std::fs::read_dir(folder).map_err(|e| StoreError::io(folder, &e))?;
    let mut out: Vec<(Date, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            day_of(name.to_str()?).map(|d| (d, e.path()))
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.0));
    Ok(out)
}

/// Of the backups `all` (any order), those to remove: all but the newest `keep.days`, and the
/// newest of each of the last `keep.months` months that have one.
pub fn to_remove(all: &[(Date, PathBuf)], keep: Keep) -> Vec<PathBuf> {
    let mut newest_first: Vec<&(Date, PathBuf)> = all.iter().collect();
    newest_first.sort_by_key(|b| std::cmp::Reverse(b.0));
    let mut kept_months: Vec<(i16, i8)> = Vec::new();
    let mut remove = Vec::new();
    for (i, (day, path)) in newest_first.into_iter().enumerate() {
        let month = (day.year(), day.month());
        let daily = i < keep.days;
        let monthly = !kept_months.contains(&month) && kept_months.len() < keep.months;
        if monthly {
            kept_months.push(month);
        }
        if !daily && !monthly {
            remove.push(path.clone());
        }
    }
    remove
}

/// Whether the last backup (`None`: none at all) is too old at `today`.
pub fn overdue(last: Option<Date>, today: Date) -> bool {
    last.is_none_or(|d| {
        today
            .since(d)
            .is_ok_and(|span| i64::from(span.get_days()) > OVERDUE_AFTER_DAYS)
    })
}

/// What the day's backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Daily {
    /// There is one of today already.
    Done(PathBuf),
    /// Written now; these older ones were removed.
    Written {
        path: PathBuf,
        removed: Vec<PathBuf>,
    },
}

impl Store {
    /// The day's automatic backup into `folder` (which must be there: it is made when the setting is saved), unless one of `today` is
    /// there: written and checked as [`Store::backup`] writes one, recorded in the trail as the
    /// program's, then the backups beyond `keep` removed. A file store only: a server store's
    /// backup is a new file with a key of its own ([`Store::backup_to_new_file`]).
    pub fn daily_backup(&mut self, folder: &Path, today: Date, keep: Keep) -> Result<Daily> {
        if self.is_on_server() {
            return Err(StoreError::FileOnly {
                what: "automatic backup",
            });
        }
        let path = folder.join(file_name(today));
        if std::fs::metadata(&path).is_ok() {
            return Ok(Daily::Done(path));
        }
        self.write_daily(folder, today, keep)
    }

    /// At the end of a day's work (the window closing): today's backup written again when
    /// anything changed since the last backup, so that the folder holds the day's work and not
    /// only the morning's. `None` when nothing changed.
    pub fn daily_backup_again(
        &mut self,
        folder: &Path,
        today: Date,
        keep: Keep,
    ) -> Result<Option<Daily>> {
        if self.is_on_server() {
            return Err(StoreError::FileOnly {
                what: "automatic backup",
            });
        }
        if !self.changed_since_backup()? {
            return Ok(None);
        }
        self.write_daily(folder, today, keep).map(Some)
    }

    /// Whether the trail has anything but sign-ins, reads and backups since the last backup.
    pub fn changed_since_backup(&self) -> Result<bool> {
        let last: Option<i64> = self.db.query_opt(
            "SELECT seq FROM audit WHERE action = 'backup' ORDER BY seq DESC LIMIT 1",
            params![],
            |r| r.get(0),
        )?;
        let changed: Option<i64> = self.db.query_opt(
            "SELECT seq FROM audit WHERE seq > ?1 AND action NOT IN
               ('backup', 'sign-in', 'sign-in-failed', 'sign-in-locked', 'open',
                'export-audit', 'reauth-failed')
             LIMIT 1",
            params![last.unwrap_or(0)],
            |r| r.get(0),
        )?;
        Ok(changed.is_some())
    }

    /// Writes today's backup (over one of today), then removes what `keep` lets go.
    fn write_daily(&mut self, folder: &Path, today: Date, keep: Keep) -> Result<Daily> {
        let path = folder.join(file_name(today));
        if !folder.is_dir() {
            // Made when the setting was saved: gone now means a drive or share not there.
            return Err(StoreError::FolderMissing {
                path: folder.to_path_buf(),
            });
        }
        self.backup_as(&Actor::SYSTEM, &path)?;
        let mut removed = Vec::new();
        for old in to_remove(&backups(folder)?, keep) {
            if old == path {
                continue;
            }
            let manifest = crate::files::with_suffix(&old, ".manifest.json");
            if std::fs::remove_file(&old).is_ok() {
                let _ = std::fs::remove_file(manifest);
                removed.push(old);
            }
        }
        Ok(Daily::Written { path, removed })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn days(from: Date, n: i64) -> Vec<(Date, PathBuf)> {
        (0..n)
            .map(|i| {
                let d = from.checked_add(jiff::Span::new().days(i)).unwrap();
                (d, PathBuf::from(file_name(d)))
            })
            .collect()
    }

    #[test]
    fn names_are_read_back_and_nothing_else_counts() {
        let d = jiff::civil::date(2026, 12, 2);
        assert_eq!(file_name(d), "ikensho-2026-12-02.sqlite");
        assert_eq!(day_of(&file_name(d)), Some(d));
        for other in [
            "ikensho.sqlite",
            "ikensho-2026-12-02.sqlite.manifest.json",
            "ikensho-2026-13-02.sqlite",
            "ikensho-2026-2-2.sqlite",
            "notes-2026-12-02.sqlite",
        ] {
            assert_eq!(day_of(other), None, "{other}");
        }
    }

    #[test]
    fn fourteen_days_and_twelve_months_are_kept() {
        // A backup every day for two years, up to 2026-12-02.
        let all = days(jiff::civil::date(2024, 12, 3), 730);
        let today = all.last().unwrap().0;
        assert_eq!(today, jiff::civil::date(2026, 12, 2));
        let removed = to_remove(&all, Keep::default());
        let kept: Vec<Date> = all
            .iter()
            .filter(|(_, p)| !removed.contains(p))
            .map(|(d, _)| *d)
            .collect();
        // The last 14 days …
        for i in 0..14 {
            let d = today.checked_sub(jiff::Span::new().days(i)).unwrap();
            assert!(kept.contains(&d), "{d}");
        }
        // … and the newest of each of the last 12 months: December and November are among the
        // fourteen, January to October add their last day.
        assert_eq!(kept.len(), 14 + 10, "{kept:?}");
        for (y, m, last) in [(2026, 11, 30), (2026, 10, 31), (2026, 1, 31)] {
            assert!(kept.contains(&jiff::civil::date(y, m, last)), "{y}-{m}");
        }
        assert!(!kept.contains(&jiff::civil::date(2025, 12, 31)));
        // Fewer than that: nothing removed.
        assert!(to_remove(&days(today, 5), Keep::default()).is_empty());
    }

    #[test]
    fn overdue_after_two_days_or_without_any() {
        let today = jiff::civil::date(2026, 12, 2);
        assert!(overdue(None, today));
        assert!(!overdue(Some(today), today));
        assert!(!overdue(Some(jiff::civil::date(2026, 11, 30)), today));
        assert!(overdue(Some(jiff::civil::date(2026, 11, 29)), today));
    }
}
