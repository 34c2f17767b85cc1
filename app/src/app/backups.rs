//! Backups without remembering, in the window: the day's backup into the clinic's backup folder
//! at the first sign-in of the day (on a thread: the window goes on), written again when the
//! window closes after a day's work, and what 設定 says about them — the last one, a warning
//! when it is older than two days or the folder is not there. A store on the clinic server is
//! backed up on the server (README); these are for the data file of a PC.

use std::path::PathBuf;

use jiff::civil::Date;

use super::problem::{Problem, Said};
use super::work::Job;
use super::{IkenshoApp, Screen};
use crate::store::Store;
use crate::store::daily::{self, Daily, Keep};
use crate::workflow::WorkflowError;

/// What 設定 says about the automatic backups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackupStatus {
    /// The folder set (none: not set yet).
    pub folder: Option<PathBuf>,
    /// The automatic backups there, newest first (what the restore offers).
    pub found: Vec<(Date, PathBuf)>,
    /// The folder set is not there.
    pub missing: bool,
    /// No backup, or the last is older than two days.
    pub overdue: bool,
}

impl BackupStatus {
    /// The status of the backups in the folder `store`'s settings name, at `today`.
    pub fn of(store: &Store, today: Date) -> BackupStatus {
        let Some(folder) = auto_folder(store) else {
            return BackupStatus::default();
        };
        let missing = !folder.is_dir();
        let found = daily::backups(&folder).unwrap_or_default();
        BackupStatus {
            overdue: daily::overdue(found.first().map(|b| b.0), today),
            folder: Some(folder),
            found,
            missing,
        }
    }

    /// The day of the newest backup.
    pub fn last(&self) -> Option<Date> {
        self.found.first().map(|b| b.0)
    }

    /// Whether 設定 should warn.
    pub fn warns(&self) -> bool {
        self.folder.is_none() || self.missing || self.overdue
    }
}

/// The folder of the automatic backups: set, and a data file to back up (a server store is
/// backed up on the server).
fn auto_folder(store: &Store) -> Option<PathBuf> {
    if store.is_on_server() {
        return None;
    }
    store.backup_settings().ok().and_then(|b| b.folder())
}

fn today() -> Date {
    crate::form::Context::today_in_japan().today
}

impl IkenshoApp {
    /// At sign-in: the day's backup, on a thread, when a folder is set (a file store only).
    pub(crate) fn start_daily_backup(&mut self) {
        let Some(folder) = auto_folder(&self.store) else {
            return;
        };
        if let Some(s) = &self.session {
            self.worker.start(
                s,
                Job::DailyBackup {
                    folder,
                    today: today(),
                },
            );
        }
    }

    /// The day's backup came back.
    pub(crate) fn daily_backup_done(
        &mut self,
        folder: PathBuf,
        result: Result<Daily, WorkflowError>,
    ) {
        match result {
            Ok(Daily::Written { path, .. }) => {
                let screen = self.screen;
                self.notify(
                    Said::with(
                        "app-backup-auto-done",
                        vec![("path", path.display().to_string())],
                    ),
                    screen,
                );
            }
            Ok(Daily::Done(_)) => {}
            Err(error) => self.problem(Problem::Backup { folder, error }),
        }
        if self.screen == Screen::Settings {
            self.settings.backups = BackupStatus::of(&self.store, today());
        }
    }

    /// When the window closes: today's backup again if anything changed since the last one. The
    /// window is going: a failure is logged (no patient data in it) and said at the next start
    /// by the overdue warning.
    pub(crate) fn backup_at_exit(&mut self) {
        let Some(folder) = auto_folder(&self.store) else {
            return;
        };
        if let Err(e) = self
            .store
            .daily_backup_again(&folder, today(), Keep::default())
        {
            tracing::warn!(error = %e, "the backup at exit could not be written");
        }
    }
}
