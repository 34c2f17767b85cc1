//! Restoring a backup from the window (administrators, a data file on this PC): the backup chosen
//! from the automatic ones or with the file dialog, the administrator's password again (they must
//! be an administrator in the backup too), the recovery key when the backup was made under another
//! key, and a confirmation. The checks are the library's, as for `ikensho restore`: the manifest,
//! the audit trail, the data as it was kept beside. The window cannot replace the file it has
//! open, so it hands the request to [`super::lock::Root`], which closes the window's store and
//! threads, restores, and opens the store again at the sign-in screen.

use std::path::PathBuf;

use egui::Ui;
use zeroize::Zeroizing;

use super::problem::{Problem, Said};
use super::{IkenshoApp, Intent, Screen, theme, widgets};
use crate::store::atrest::DataKey;
use crate::store::{Durability, Store, StoreError, Unlock};

/// What the restore part of 設定 asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreIntent {
    /// Check what was typed and ask for the confirmation.
    Ask,
    /// Confirmed: restore.
    Confirm,
    Cancel,
}

/// What the restore part of 設定 edits.
#[derive(Default)]
pub struct RestoreForm {
    /// The backup file.
    pub path: String,
    /// The administrator's password again.
    pub password: Zeroizing<String>,
    /// The backup's recovery key, when it was made under another key.
    pub recovery_key: Zeroizing<String>,
    /// The data file's passphrase, when its key is kept behind one.
    pub passphrase: Zeroizing<String>,
    /// The confirmation is shown.
    pub confirming: bool,
    pub problem: Option<Problem>,
}

/// A restore for the window's root to carry out.
pub struct RestoreRequest {
    pub from: PathBuf,
    pub key: Option<DataKey>,
    pub login: String,
    pub password: Zeroizing<String>,
    pub passphrase: Option<Zeroizing<String>>,
}

/// What a restore did, said at the sign-in screen afterwards.
pub struct Outcome {
    pub said: Result<Said, Problem>,
    /// A new key's recovery key (a backup from before encryption), shown once.
    pub recovery_key: Option<Zeroizing<String>>,
}

impl IkenshoApp {
    pub(crate) fn restore_intent(&mut self, intent: RestoreIntent) {
        match intent {
            RestoreIntent::Cancel => self.settings.restore.confirming = false,
            RestoreIntent::Ask => {
                let f = &mut self.settings.restore;
                f.problem = None;
                let path = PathBuf::from(f.path.trim());
                if f.path.trim().is_empty() || !path.is_file() {
                    f.problem = Some(Problem::Store(StoreError::Missing { path }));
                    return;
                }
                if f.password.is_empty() {
                    f.problem = Some(Said::new("app-restore-password-needed").into());
                    return;
                }
                if !f.recovery_key.trim().is_empty()
                    && let Err(e) = DataKey::from_recovery_key(&f.recovery_key)
                {
                    f.problem = Some(Problem::Store(e));
                    return;
                }
                f.confirming = true;
            }
            RestoreIntent::Confirm => {
                let Some(s) = &self.session else {
                    return;
                };
                let f = &mut self.settings.restore;
                f.confirming = false;
                let key = if f.recovery_key.trim().is_empty() {
                    None
                } else {
                    DataKey::from_recovery_key(&f.recovery_key).ok()
                };
                self.restore_request = Some(RestoreRequest {
                    from: PathBuf::from(f.path.trim()),
                    key,
                    login: s.login().to_owned(),
                    password: std::mem::take(&mut f.password),
                    passphrase: (!f.passphrase.is_empty())
                        .then(|| std::mem::take(&mut f.passphrase)),
                });
                f.recovery_key = Zeroizing::new(String::new());
            }
        }
    }

    /// Whether a confirmed restore waits for the root.
    pub fn restore_asked(&self) -> bool {
        self.restore_request.is_some()
    }

    /// A restore asked for and confirmed, for the root to carry out.
    pub fn take_restore(&mut self) -> Option<RestoreRequest> {
        self.restore_request.take()
    }

    /// The restore part of 設定's backup section.
    pub(crate) fn restore_part(&mut self, ui: &mut Ui, picks: &mut Vec<super::pick::PickFor>) {
        let lang = self.lang;
        ui.add_space(theme::GAP);
        ui.label(egui::RichText::new(self.t("app-restore-title")).strong());
        ui.label(egui::RichText::new(self.t("app-restore-explain")).color(theme::MUTED));
        if !self.settings.backups.found.is_empty() {
            let mut chosen = None;
            ui.horizontal_wrapped(|ui| {
                for (day, path) in self.settings.backups.found.iter().take(5) {
                    if ui.button(day.to_string()).clicked() {
                        chosen = Some(path.display().to_string());
                    }
                }
            });
            if let Some(p) = chosen {
                self.settings.restore.path = p;
            }
        }
        super::settings::path_field(
            ui,
            lang,
            "app-restore-file",
            &mut self.settings.restore.path,
            super::pick::PickFor::RestoreFile,
            picks,
        );
        let f = &mut self.settings.restore;
        widgets::labelled_secret(
            ui,
            &super::tr(lang, "app-restore-password"),
            &mut f.password,
            egui::Id::unique("restore-password"),
        );
        widgets::labelled_secret(
            ui,
            &super::tr(lang, "app-restore-recovery-key"),
            &mut f.recovery_key,
            egui::Id::unique("restore-recovery-key"),
        );
        if self.settings.needs_passphrase {
            widgets::labelled_secret(
                ui,
                &super::tr(lang, "app-unlock-passphrase"),
                &mut f.passphrase,
                egui::Id::unique("restore-passphrase"),
            );
        }
        if let Some(p) = &f.problem {
            ui.colored_label(theme::ERROR, p.text(lang));
        }
        if ui.button(super::tr(lang, "app-restore")).clicked() {
            self.push(Intent::Restore(RestoreIntent::Ask));
        }
    }

    /// The confirmation, over everything else.
    pub(crate) fn restore_dialog(&mut self, ctx: &egui::Context) {
        if !self.settings.restore.confirming {
            return;
        }
        let mut answer = None;
        let busy = self.busy();
        egui::Modal::new(egui::Id::unique("restore-confirm")).show(ctx, |ui| {
            ui.set_max_width(theme::FIELD_WIDTH * 1.6);
            ui.label(self.t_args(
                "app-restore-confirm",
                &[("path", self.settings.restore.path.trim().to_owned())],
            ));
            if busy {
                ui.colored_label(theme::WARNING, self.t("app-restore-busy"));
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .add_enabled(!busy, egui::Button::new(self.t("app-restore-go")))
                    .clicked()
                {
                    answer = Some(RestoreIntent::Confirm);
                }
                if ui.button(self.t("app-cancel")).clicked() {
                    answer = Some(RestoreIntent::Cancel);
                }
            });
        });
        if let Some(a) = answer {
            self.push(Intent::Restore(a));
        }
    }

    /// After a restore: the sign-in screen says what happened (and shows a new recovery key).
    pub fn restored(&mut self, outcome: Outcome) {
        match outcome.said {
            Ok(said) => self.notify(said, Screen::SignIn),
            Err(p) => self.message = Some(p),
        }
        self.recovery_key = outcome.recovery_key;
    }

    /// A new recovery key, shown once until the person says it was written down.
    pub(crate) fn recovery_key_dialog(&mut self, ctx: &egui::Context) {
        let Some(key) = &self.recovery_key else {
            return;
        };
        let mut done = false;
        egui::Modal::new(egui::Id::unique("new-recovery-key")).show(ctx, |ui| {
            ui.set_max_width(theme::FIELD_WIDTH * 1.8);
            ui.strong(self.t("app-first-recovery-title"));
            ui.label(self.t("app-first-recovery-explain"));
            ui.label(egui::RichText::new(key.as_str()).monospace());
            done = ui.button(self.t("app-first-written-down")).clicked();
        });
        if done {
            self.push(super::Intent::RecoveryKeyWrittenDown);
        }
    }
}

/// Carries out `req` on the data file at `live`, which nothing of this process has open any
/// more: the library's restore with its checks, the data as it was kept beside.
pub fn carry_out(live: &std::path::Path, req: &RestoreRequest) -> Outcome {
    let unlock = match &req.passphrase {
        Some(p) => Unlock::Passphrase(p),
        None => Unlock::Kept,
    };
    let Some(keeping) = crate::store::atrest::Keeping::default_for_platform() else {
        return Outcome {
            said: Err(Said::new("app-restore-no-keeping").into()),
            recovery_key: None,
        };
    };
    let from = crate::store::BackupFile {
        path: &req.from,
        key: req.key.as_ref(),
    };
    match Store::restore(live, unlock, from, &req.login, &req.password, &keeping) {
        Ok(r) => Outcome {
            said: Ok(Said::with(
                "app-restored",
                vec![
                    ("path", req.from.display().to_string()),
                    (
                        "previous",
                        r.previous
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                    ),
                ],
            )),
            recovery_key: r.new_key.map(|k| k.recovery_key()),
        },
        Err(e) => Outcome {
            said: Err(Problem::Store(e)),
            recovery_key: None,
        },
    }
}

/// Opens the store at `live` again after a restore (the key as kept).
pub fn reopen(live: &std::path::Path) -> Result<Store, StoreError> {
    Store::open_unlocked(live, Unlock::Kept, Durability::Full)
}
