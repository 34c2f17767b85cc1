//! Settings (administrators): the clinic profile, people, the terminal certificate (.p12 and its
//! password, kept by `hub::terminal`), the hub address and CA, the card reader, the signing chain
//! and trust anchors, and backup. Files are named by their path. The screen edits its form; what
//! it saves or writes is done by [`SettingsIntent`]s, after the frame is drawn.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use super::pick::PickFor;
use super::problem::{HubUnavailable, Problem, Said};
use super::work::{Job, Services};
use super::{IkenshoApp, Intent, Screen, theme};
use crate::store::{
    ClinicSettings, ConnectionSettings, NewUser, Role, Session, Store, StoreError, UserInfo,
};

/// What the settings screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsIntent {
    /// Save the clinic's profile.
    SaveClinic,
    /// Add the person typed in.
    AddPerson,
    /// Save the hub address, the card reader and the certificates read from the paths typed.
    SaveConnection,
    /// Import the terminal certificate (.p12) with its password.
    ImportTerminal,
    /// Write a backup to the path typed.
    Backup,
    /// Save the folder of the automatic backups.
    SaveBackupFolder,
    /// Try the hub with the address, CA and terminal certificate typed (or kept).
    TestConnection,
    /// Read the card's certificate (no PIN): whom it is for, its issuer and its end.
    TestCard,
    /// Turn the chosen person's account off (`false`) or on again.
    SetActive(bool),
    /// Lift the chosen person's sign-in lock (or wait) after wrong passwords.
    Unlock,
    /// Set the password typed as the chosen person's new one.
    ResetPassword,
    /// Import the 医見書 CSV file chosen, on a thread.
    ImportIkensyo,
    /// Stop the import running (nothing of its file is kept).
    CancelImport,
}

/// The parts of 設定, in the order the set-up guide goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Clinic,
    People,
    Hub,
    Terminal,
    Card,
    Backup,
    /// The clinic's past opinions from 日医's 医見書.
    Import,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Clinic,
        Section::People,
        Section::Hub,
        Section::Terminal,
        Section::Card,
        Section::Backup,
        Section::Import,
    ];
}

/// What the settings screen edits.
#[derive(Default)]
pub struct SettingsForm {
    pub clinic: ClinicSettings,
    /// The insurers that take 医見書's CSV, as typed (saved with the clinic).
    pub csv_insurers: String,
    pub connection: ConnectionSettings,
    pub users: Vec<UserInfo>,
    pub new_login: String,
    pub new_name: String,
    pub new_role: Option<Role>,
    pub new_password: Zeroizing<String>,
    /// The administrator's own password again, for a physician account.
    pub reauth: Zeroizing<String>,
    /// The person the account actions apply to.
    pub chosen: Option<i64>,
    /// The chosen person's new password.
    pub reset_password: Zeroizing<String>,
    pub p12_path: String,
    pub p12_password: Zeroizing<String>,
    pub hub_ca_path: String,
    pub chain_path: String,
    pub anchors_path: String,
    pub backup_path: String,
    /// The folder of the automatic backups, as typed.
    pub backup_folder: String,
    /// What the automatic backups look like.
    pub backups: super::backups::BackupStatus,
    /// Restoring a backup.
    pub restore: super::restore::RestoreForm,
    /// Importing 医見書's CSV.
    pub import: super::import::ImportForm,
    /// The data file's key is kept behind a passphrase (the restore asks for it).
    pub needs_passphrase: bool,
    /// The connection test running, and its answer.
    pub connection_testing: bool,
    pub connection_test: Option<Result<(), crate::hub::client::HubError>>,
    /// The card test running, and its answer (the reader and the holder).
    pub card_testing: bool,
    pub card_test: Option<Result<(String, crate::sign::cms::Holder), crate::card::CardError>>,
    /// The outcome of the last action on this screen.
    pub result: Option<Result<Said, Problem>>,
    /// A backup asked for here is being written.
    pub backing_up: bool,
}

fn field(ui: &mut Ui, label: String, value: &mut String, _: bool) -> egui::Response {
    super::widgets::labelled_field(ui, &label, value)
}

/// A path typed, or chosen with the platform's dialog ("選ぶ…" asks for `what`).
pub(crate) fn path_field(
    ui: &mut Ui,
    lang: crate::i18n::Lang,
    label: &str,
    value: &mut String,
    what: PickFor,
    picks: &mut Vec<PickFor>,
) {
    super::widgets::labelled_field(ui, &super::tr(lang, label), value);
    let choose = format!(
        "{} — {}",
        super::tr(lang, "app-choose"),
        super::tr(lang, label)
    );
    let button = ui.add(egui::Button::new(super::tr(lang, "app-choose")));
    // Heard (and found) with the field it fills: there is one such button per path.
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &choose));
    if button.on_hover_text(&choose).clicked() {
        picks.push(what);
    }
}

impl IkenshoApp {
    pub(crate) fn load_settings(&mut self) {
        let Some(s) = self.session.clone() else {
            return;
        };
        let mut form = SettingsForm {
            clinic: self.store.clinic_settings().unwrap_or_default(),
            connection: self.store.connection_settings().unwrap_or_default(),
            ..SettingsForm::default()
        };
        match self.store.users(&s) {
            Ok(u) => form.users = u,
            Err(e) => self.problem(e),
        }
        form.csv_insurers = form.clinic.csv_insurers.join(" ");
        form.backup_folder = self
            .store
            .backup_settings()
            .map(|b| b.folder)
            .unwrap_or_default();
        form.backups = super::backups::BackupStatus::of(
            &self.store,
            crate::form::Context::today_in_japan().today,
        );
        form.needs_passphrase =
            !self.store.is_on_server() && crate::store::atrest::needs_passphrase(self.store.path());
        // Work still running on its threads stays shown as running (and its button disabled)
        // when 設定 is shown again: a second backup or import must not start beside it.
        let old = &mut self.settings;
        form.backing_up = old.backing_up;
        form.connection_testing = old.connection_testing;
        form.card_testing = old.card_testing;
        if old.import.running.is_some() {
            form.import = std::mem::take(&mut old.import);
        }
        self.settings = form;
        self.worker.start(&s, Job::Readers);
    }

    /// Carries out what the settings screen asked for.
    pub(crate) fn settings_intent(&mut self, intent: SettingsIntent) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let result = match intent {
            SettingsIntent::SaveClinic => self.save_clinic(&session),
            SettingsIntent::AddPerson => self.add_person(&session),
            SettingsIntent::SaveConnection => self.save_connection(&session),
            SettingsIntent::ImportTerminal => {
                let r = self.import_terminal();
                self.settings.p12_password = Zeroizing::new(String::new());
                if r.is_ok() {
                    self.reload_services();
                }
                r
            }
            SettingsIntent::SetActive(active) => self.person_action(&session, |store, s, u| {
                store.set_active(s, u.id, active).map(|()| {
                    if active {
                        "app-person-reactivated"
                    } else {
                        "app-person-deactivated"
                    }
                })
            }),
            SettingsIntent::Unlock => self.person_action(&session, |store, s, u| {
                store
                    .unlock_sign_in(s, &u.login)
                    .map(|()| "app-person-unlocked")
            }),
            SettingsIntent::ResetPassword => {
                let password = Zeroizing::new(std::mem::take(&mut *self.settings.reset_password));
                self.person_action(&session, |store, s, u| {
                    store
                        .set_password(s, u.id, &password)
                        .map(|()| "app-person-password-set")
                })
            }
            SettingsIntent::TestConnection => {
                self.test_connection();
                return;
            }
            SettingsIntent::ImportIkensyo => {
                self.start_import();
                return;
            }
            SettingsIntent::CancelImport => {
                self.cancel_import();
                return;
            }
            SettingsIntent::TestCard => {
                self.settings.card_testing = true;
                self.settings.card_test = None;
                let reader = self.settings.connection.reader.trim().to_owned();
                self.worker.start(
                    &session,
                    Job::CardTest {
                        reader: (!reader.is_empty()).then_some(reader),
                    },
                );
                return;
            }
            SettingsIntent::SaveBackupFolder => {
                let b = crate::store::BackupSettings {
                    folder: self.settings.backup_folder.trim().to_owned(),
                };
                let r = self.store.set_backup_settings(&session, &b);
                self.settings.backups = super::backups::BackupStatus::of(
                    &self.store,
                    crate::form::Context::today_in_japan().today,
                );
                match r {
                    Ok(()) => {
                        // The first backup at once, not tomorrow morning.
                        self.start_daily_backup();
                        Ok(Said::new("app-settings-saved"))
                    }
                    Err(e) => Err(e.into()),
                }
            }
            SettingsIntent::Backup if self.store.is_on_server() => {
                // A server store's backup is a new file with a key of its own, whose recovery
                // key is shown once: for now at the terminal (`ikensho backup`).
                Err(Said::new("app-backup-server").into())
            }
            SettingsIntent::Backup => {
                // Written on a thread: a large store takes a while to copy and check.
                let dest = PathBuf::from(self.settings.backup_path.trim());
                self.settings.backing_up = true;
                self.worker.start(&session, Job::Backup { dest });
                return;
            }
        };
        self.settings.result = Some(result);
    }

    fn save_clinic(&mut self, session: &Session) -> Result<Said, Problem> {
        self.settings.clinic.csv_insurers =
            crate::store::split_insurers(&self.settings.csv_insurers);
        let doubtful = self.settings.clinic.institution_code_doubtful();
        self.store
            .set_clinic_settings(session, &self.settings.clinic)?;
        Ok(Said::new(if doubtful {
            "app-settings-saved-check-code"
        } else {
            "app-settings-saved"
        }))
    }

    /// Runs `f` on the person chosen in the list, then reads the list again.
    fn person_action(
        &mut self,
        session: &Session,
        f: impl FnOnce(&mut Store, &Session, &UserInfo) -> Result<&'static str, StoreError>,
    ) -> Result<Said, Problem> {
        let Some(user) = self
            .settings
            .users
            .iter()
            .find(|u| Some(u.id) == self.settings.chosen)
            .cloned()
        else {
            return Err(Problem::Store(StoreError::NotFound("user")));
        };
        let key = f(&mut self.store, session, &user)?;
        self.settings.users = self.store.users(session)?;
        Ok(Said::with(key, vec![("login", user.login)]))
    }

    fn add_person(&mut self, session: &Session) -> Result<Said, Problem> {
        let roles: Vec<Role> = self.settings.new_role.into_iter().collect();
        let reauth = std::mem::take(&mut *self.settings.reauth);
        let reauth = Zeroizing::new(reauth);
        self.store.add_user(
            session,
            &NewUser {
                login: self.settings.new_login.trim(),
                name: self.settings.new_name.trim(),
                roles: &roles,
                password: &self.settings.new_password,
            },
            (!reauth.is_empty()).then_some(reauth.as_str()),
        )?;
        self.settings.new_login.clear();
        self.settings.new_name.clear();
        self.settings.new_password = Zeroizing::new(String::new());
        self.settings.users = self.store.users(session)?;
        Ok(Said::new("app-settings-saved"))
    }

    fn save_connection(&mut self, session: &Session) -> Result<Said, Problem> {
        let mut c = self.settings.connection.clone();
        if let Some(p) = read_pem(&self.settings.hub_ca_path)? {
            c.hub_ca_pem = p;
        }
        if let Some(p) = read_pem(&self.settings.chain_path)? {
            c.signing_chain_pem = p;
        }
        if let Some(p) = read_pem(&self.settings.anchors_path)? {
            c.trust_anchors_pem = p;
        }
        self.store.set_connection_settings(session, &c)?;
        self.settings.connection = c;
        self.reload_services();
        Ok(Said::new("app-settings-saved"))
    }

    /// Builds the hub client and card set-up again from the saved settings.
    fn reload_services(&mut self) {
        let data_dir = self.worker.services.data_dir.clone();
        if self.worker.services.from_settings {
            let fresh = self.fresh_services(&data_dir, self.terminal_password.as_ref());
            self.use_services(fresh);
        }
    }

    /// The services the saved settings describe now, with `typed` as the terminal password when
    /// the keyring has none. The dialogs do not depend on the settings, and a card source given
    /// at the start (the demo, a test) stays.
    pub(crate) fn fresh_services(
        &self,
        data_dir: &Path,
        typed: Option<&Zeroizing<String>>,
    ) -> Services {
        let mut fresh = Services::from_store_with(&self.store, data_dir, typed);
        let old = &self.worker.services;
        fresh.picker = old.picker.clone();
        if old.card_given {
            fresh.card = old.card.clone();
            fresh.card_given = true;
        }
        fresh
    }

    /// Works with `fresh` from now on; sending starts again with it.
    pub(crate) fn use_services(&mut self, fresh: Services) {
        self.worker.services = fresh;
        self.worker.stop_delivery();
        if let Some(s) = self.session.clone() {
            self.worker.start_delivery(&s);
        }
    }

    pub(crate) fn settings_screen(&mut self, ui: &mut Ui) {
        let mut intents = Vec::new();
        let mut picks = Vec::new();
        ui.heading(self.t("app-settings-title"));
        self.settings_result(ui);
        super::widgets::scrolled(ui, "settings", |ui| {
            ui.add_space(theme::GAP);
            for (i, section) in Section::ALL.into_iter().enumerate() {
                if i > 0 {
                    ui.separator();
                }
                self.settings_section(ui, section, &mut intents, &mut picks);
            }
        });
        for i in intents {
            self.push(Intent::Settings(i));
        }
        for p in picks {
            self.push(Intent::Pick(p));
        }
    }

    /// One part of 設定 (the set-up guide shows them one at a time).
    pub(crate) fn settings_section(
        &mut self,
        ui: &mut Ui,
        section: Section,
        intents: &mut Vec<SettingsIntent>,
        picks: &mut Vec<PickFor>,
    ) {
        let lang = self.lang;
        // In the guide, its heading names the part and 次へ saves it.
        let guide = self.screen == Screen::Guide;
        match section {
            Section::Clinic => {
                // The clinic.
                if !guide {
                    ui.strong(self.t("app-settings-clinic"));
                }
                let c = &mut self.settings.clinic;
                let labels = [
                    "app-clinic-name",
                    "app-clinic-address",
                    "app-clinic-phone",
                    "app-clinic-fax",
                    "app-clinic-code",
                ];
                let texts: Vec<String> = labels.iter().map(|k| super::tr(self.lang, k)).collect();
                field(ui, texts[0].clone(), &mut c.name, false);
                field(ui, texts[1].clone(), &mut c.address, false);
                field(ui, texts[2].clone(), &mut c.phone, false);
                field(ui, texts[3].clone(), &mut c.fax, false);
                field(ui, texts[4].clone(), &mut c.institution_code, false);
                field(
                    ui,
                    super::tr(lang, "app-clinic-csv-insurers"),
                    &mut self.settings.csv_insurers,
                    false,
                );
                let c = &mut self.settings.clinic;
                ui.checkbox(
                    &mut c.print_physician_name,
                    super::tr(self.lang, "app-clinic-print-name"),
                );
                if !guide && ui.button(self.t("app-save")).clicked() {
                    intents.push(SettingsIntent::SaveClinic);
                }
            }
            Section::People => {
                // People.
                if !guide {
                    ui.strong(self.t("app-settings-people"));
                }
                egui::Grid::new("people")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for u in &self.settings.users {
                            ui.label(&u.login);
                            ui.label(&u.name);
                            let roles: Vec<String> = u
                                .roles
                                .iter()
                                .map(|r| super::tr(self.lang, &format!("role-{}", r.id())))
                                .collect();
                            ui.label(roles.join(&self.t("app-sep")));
                            ui.label(if u.active { "" } else { "×" });
                            ui.end_row();
                        }
                    });
                // One person's account: off or on again, the lock lifted, a new password.
                let chosen_label = ui.label(self.t("app-person-chosen"));
                let shown = self
                    .settings
                    .users
                    .iter()
                    .find(|u| Some(u.id) == self.settings.chosen)
                    .map_or_else(
                        || self.t("app-person-none"),
                        |u| format!("{} — {}", u.login, u.name),
                    );
                egui::ComboBox::from_id_salt("person-chosen")
                    .selected_text(shown)
                    .width(theme::FIELD_WIDTH.min(ui.available_width()))
                    .show_ui(ui, |ui| {
                        for u in &self.settings.users {
                            ui.selectable_value(
                                &mut self.settings.chosen,
                                Some(u.id),
                                format!("{} — {}", u.login, u.name),
                            );
                        }
                    })
                    .response
                    .labelled_by(chosen_label.id);
                let chosen = self
                    .settings
                    .users
                    .iter()
                    .find(|u| Some(u.id) == self.settings.chosen)
                    .cloned();
                ui.add_enabled_ui(chosen.is_some(), |ui| {
                    ui.horizontal_wrapped(|ui| {
                        let active = chosen.as_ref().is_none_or(|u| u.active);
                        let (key, to) = if active {
                            ("app-person-deactivate", false)
                        } else {
                            ("app-person-reactivate", true)
                        };
                        if ui.button(self.t(key)).clicked() {
                            intents.push(SettingsIntent::SetActive(to));
                        }
                        if ui.button(self.t("app-person-unlock")).clicked() {
                            intents.push(SettingsIntent::Unlock);
                        }
                    });
                    super::widgets::labelled_secret(
                        ui,
                        &super::tr(lang, "app-person-new-password"),
                        &mut self.settings.reset_password,
                        egui::Id::unique("settings-reset-password"),
                    );
                    if ui.button(self.t("app-person-reset-password")).clicked() {
                        intents.push(SettingsIntent::ResetPassword);
                    }
                });
                ui.separator();
                field(
                    ui,
                    super::tr(lang, "app-login"),
                    &mut self.settings.new_login,
                    false,
                );
                field(
                    ui,
                    super::tr(lang, "app-person-name"),
                    &mut self.settings.new_name,
                    false,
                );
                ui.horizontal_wrapped(|ui| {
                    for role in [Role::Physician, Role::Clerk, Role::Admin] {
                        ui.radio_value(
                            &mut self.settings.new_role,
                            Some(role),
                            super::tr(lang, &format!("role-{}", role.id())),
                        );
                    }
                });
                super::widgets::labelled_secret(
                    ui,
                    &super::tr(lang, "app-password"),
                    &mut self.settings.new_password,
                    egui::Id::unique("settings-new-password"),
                );
                if self.settings.new_role == Some(Role::Physician) {
                    // Whoever holds a physician account may sign: the administrator confirms.
                    super::widgets::labelled_secret(
                        ui,
                        &super::tr(lang, "app-reauth"),
                        &mut self.settings.reauth,
                        egui::Id::unique("settings-reauth"),
                    );
                }
                if ui.button(self.t("app-add-person")).clicked() {
                    intents.push(SettingsIntent::AddPerson);
                }
            }
            Section::Hub => {
                // The hub and certificates.
                if !guide {
                    ui.strong(self.t("app-settings-hub"));
                }
                field(
                    ui,
                    super::tr(lang, "app-hub-url"),
                    &mut self.settings.connection.hub_url,
                    false,
                );
                path_field(
                    ui,
                    lang,
                    "app-hub-ca",
                    &mut self.settings.hub_ca_path,
                    PickFor::HubCa,
                    picks,
                );
                path_field(
                    ui,
                    lang,
                    "app-signing-chain",
                    &mut self.settings.chain_path,
                    PickFor::SigningChain,
                    picks,
                );
                path_field(
                    ui,
                    lang,
                    "app-trust-anchors",
                    &mut self.settings.anchors_path,
                    PickFor::TrustAnchors,
                    picks,
                );
                for (have, key) in [
                    (&self.settings.connection.hub_ca_pem, "app-hub-ca"),
                    (
                        &self.settings.connection.signing_chain_pem,
                        "app-signing-chain",
                    ),
                    (
                        &self.settings.connection.trust_anchors_pem,
                        "app-trust-anchors",
                    ),
                ] {
                    let state = if have.trim().is_empty() {
                        "app-not-set"
                    } else {
                        "app-set"
                    };
                    ui.label(
                        RichText::new(format!(
                            "{}: {}",
                            super::tr(lang, key),
                            super::tr(lang, state)
                        ))
                        .color(theme::MUTED),
                    );
                }
                if !guide && ui.button(self.t("app-save")).clicked() {
                    intents.push(SettingsIntent::SaveConnection);
                }
            }
            Section::Terminal => {
                // The terminal certificate.
                if !guide {
                    ui.strong(self.t("app-settings-terminal"));
                }
                path_field(
                    ui,
                    lang,
                    "app-p12-path",
                    &mut self.settings.p12_path,
                    PickFor::TerminalP12,
                    picks,
                );
                super::widgets::labelled_secret(
                    ui,
                    &super::tr(lang, "app-p12-password"),
                    &mut self.settings.p12_password,
                    egui::Id::unique("settings-p12-password"),
                );
                ui.horizontal_wrapped(|ui| {
                    if ui.button(self.t("app-import")).clicked() {
                        intents.push(SettingsIntent::ImportTerminal);
                    }
                    if test_button(
                        ui,
                        &self.t("app-conn-test"),
                        self.settings.connection_testing,
                    ) {
                        intents.push(SettingsIntent::TestConnection);
                    }
                });
                match &self.settings.connection_test {
                    Some(Ok(())) => {
                        ui.colored_label(theme::OK, self.t("app-conn-ok"));
                    }
                    Some(Err(e)) => {
                        ui.colored_label(theme::ERROR, connection_problem(lang, e));
                    }
                    None => {}
                }
            }
            Section::Card => {
                // The card reader.
                if !guide {
                    ui.strong(self.t("app-settings-card"));
                }
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label(super::tr(lang, "app-pin-reader"));
                    let readers = &self.review.readers;
                    let connection = &mut self.settings.connection;
                    let shown = if connection.reader.is_empty() {
                        super::tr(lang, "app-reader-first")
                    } else {
                        connection.reader.clone()
                    };
                    egui::ComboBox::from_id_salt("settings-reader")
                        .selected_text(shown)
                        .width(theme::FIELD_WIDTH.min(ui.available_width()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(
                                &mut connection.reader,
                                String::new(),
                                super::tr(lang, "app-reader-first"),
                            );
                            for r in readers {
                                ui.selectable_value(&mut connection.reader, r.clone(), r);
                            }
                        })
                        .response
                        .labelled_by(l.id);
                });
                ui.horizontal_wrapped(|ui| {
                    if !guide && ui.button(self.t("app-save")).clicked() {
                        intents.push(SettingsIntent::SaveConnection);
                    }
                    if test_button(ui, &self.t("app-card-test"), self.settings.card_testing) {
                        intents.push(SettingsIntent::TestCard);
                    }
                });
                self.card_test_result(ui);
            }
            Section::Backup => {
                // Backup.
                if !guide {
                    ui.strong(self.t("app-settings-backup"));
                }
                if self.store.is_on_server() {
                    ui.label(self.t("app-backup-auto-server"));
                } else {
                    ui.label(RichText::new(self.t("app-backup-auto-explain")).color(theme::MUTED));
                    path_field(
                        ui,
                        lang,
                        "app-backup-folder",
                        &mut self.settings.backup_folder,
                        PickFor::BackupFolder,
                        picks,
                    );
                    if ui.button(self.t("app-backup-folder-use")).clicked() {
                        intents.push(SettingsIntent::SaveBackupFolder);
                    }
                    let b = &self.settings.backups;
                    let last = match b.last() {
                        Some(d) => {
                            super::tr_args(lang, "app-backup-last", &[("date", d.to_string())])
                        }
                        None => super::tr(lang, "app-backup-none-yet"),
                    };
                    ui.label(last);
                    let warning = if b.folder.is_none() {
                        Some(super::tr(lang, "app-backup-no-folder"))
                    } else if b.missing {
                        Some(super::tr(lang, "app-backup-folder-gone"))
                    } else if b.overdue {
                        Some(super::tr(lang, "app-backup-overdue"))
                    } else {
                        None
                    };
                    if let Some(w) = warning {
                        ui.colored_label(theme::ERROR, w);
                    }
                }
                ui.add_space(theme::GAP);
                path_field(
                    ui,
                    lang,
                    "app-backup-path",
                    &mut self.settings.backup_path,
                    PickFor::BackupFile,
                    picks,
                );
                if test_button(ui, &self.t("app-backup"), self.settings.backing_up) {
                    intents.push(SettingsIntent::Backup);
                }
                if !guide && !self.store.is_on_server() {
                    self.restore_part(ui, picks);
                }
            }
            Section::Import => self.import_part(ui, intents, picks),
        }
    }

    /// What the last action on 設定 (or a part of the guide) did: saved, or why not.
    pub(crate) fn settings_result(&self, ui: &mut Ui) {
        match &self.settings.result {
            Some(Ok(said)) => {
                ui.colored_label(theme::OK, said.text(self.lang));
            }
            Some(Err(p)) => {
                ui.colored_label(theme::ERROR, p.text(self.lang));
            }
            None => {}
        }
    }

    /// The connection test: the client is made here from what is typed (a wrong .p12 password
    /// or an unreadable CA is told at once), the call to the hub runs on a thread.
    fn test_connection(&mut self) {
        self.settings.connection_test = None;
        match self.hub_client_as_typed() {
            Ok(client) => {
                if let Some(s) = self.session.clone() {
                    self.settings.connection_testing = true;
                    self.worker.start(&s, Job::TestConnection(Box::new(client)));
                }
            }
            Err(e) => self.settings.connection_test = Some(Err(e)),
        }
    }

    /// A client of the hub from the settings as typed: the CA file chosen (else the one saved),
    /// the .p12 chosen with its password (else the terminal kept in the data folder).
    fn hub_client_as_typed(
        &self,
    ) -> Result<crate::hub::client::HubClient, crate::hub::client::HubError> {
        use crate::hub::client::{HubClient, HubError, Terminal};
        let ca = match read_pem(&self.settings.hub_ca_path) {
            Ok(Some(pem)) => pem,
            Ok(None) => self.settings.connection.hub_ca_pem.clone(),
            Err(_) => return Err(HubError::HubCa),
        };
        let p12 = self.settings.p12_path.trim();
        let terminal = if p12.is_empty() {
            let account = self.store.path().display().to_string();
            crate::hub::terminal::load_terminal(&self.worker.services.data_dir, &account, || {
                self.terminal_password.clone()
            })?
        } else {
            let bytes = std::fs::read(p12).map_err(|_| HubError::Terminal)?;
            Terminal::from_p12(&bytes, &self.settings.p12_password)?
        };
        HubClient::new(
            self.settings.connection.hub_url.trim(),
            ca.as_bytes(),
            terminal,
        )
    }

    /// What the card test read: whom the card is for, the issuer, the end (with a warning from
    /// 90 days before it), or why nothing could be read.
    fn card_test_result(&self, ui: &mut Ui) {
        let lang = self.lang;
        match &self.settings.card_test {
            Some(Ok((reader, h))) => {
                let now = jiff::Timestamp::now();
                let end = h
                    .not_after
                    .to_zoned(crate::form::wareki::japan())
                    .date()
                    .to_string();
                ui.label(super::tr_args(
                    lang,
                    "app-card-read",
                    &[("reader", reader.clone())],
                ));
                ui.label(super::tr_args(
                    lang,
                    "app-card-holder",
                    &[("name", h.name.clone())],
                ));
                ui.label(super::tr_args(
                    lang,
                    "app-card-issuer",
                    &[("issuer", h.issuer.clone())],
                ));
                let days = h.days_left(now);
                let line = super::tr_args(
                    lang,
                    "app-card-expiry",
                    &[("date", end), ("days", days.max(0).to_string())],
                );
                if days < 0 {
                    ui.colored_label(theme::ERROR, super::tr(lang, "app-card-expired"));
                } else if h.expires_soon(now) {
                    ui.colored_label(theme::WARNING, line);
                    ui.colored_label(theme::WARNING, super::tr(lang, "app-card-expires-soon"));
                } else {
                    ui.label(line);
                }
            }
            Some(Err(e)) => {
                ui.colored_label(theme::ERROR, super::tr_args(lang, e.key(), &e.args()));
            }
            None => {}
        }
    }

    fn import_terminal(&mut self) -> Result<Said, Problem> {
        let path = PathBuf::from(self.settings.p12_path.trim());
        let bytes = std::fs::read(&path).map_err(|error| Problem::Io {
            path: path.clone(),
            error,
        })?;
        let data_dir = self.worker.services.data_dir.clone();
        let account = self.store.path().display().to_string();
        let imported = crate::hub::terminal::import_p12(
            &data_dir,
            &account,
            &bytes,
            &self.settings.p12_password,
        )
        .map_err(|e| Problem::Hub(HubUnavailable::Failed(e)))?;
        // Kept in memory for this run too: without a keyring the hub works until the window
        // closes, and the password is asked at the next start.
        self.terminal_password = Some(self.settings.p12_password.clone());
        Ok(Said::new(if imported.in_keyring {
            "app-terminal-imported"
        } else {
            "app-terminal-imported-no-keyring"
        }))
    }
}

/// A button that starts a test on a thread: off, with a spinner beside it, while `testing`.
/// Whether it was pressed.
fn test_button(ui: &mut Ui, label: &str, testing: bool) -> bool {
    let pressed = ui.add_enabled(!testing, egui::Button::new(label)).clicked();
    if testing {
        ui.spinner();
    }
    pressed
}

/// What the connection test says of `e`, in plain words.
fn connection_problem(lang: crate::i18n::Lang, e: &crate::hub::client::HubError) -> String {
    use crate::hub::client::HubError;
    let key = match e {
        HubError::NoNetwork => "app-conn-unreachable",
        HubError::TerminalRefused => "app-conn-refused",
        HubError::UntrustedHub => "app-conn-untrusted",
        HubError::Terminal => "app-conn-p12",
        HubError::HubCa => "app-conn-ca",
        other => return super::tr_args(lang, other.key(), &other.args()),
    };
    super::tr(lang, key)
}

/// The text of the PEM file at `path`; `None` when no path was typed.
fn read_pem(path: &str) -> Result<Option<String>, Problem> {
    let path = path.trim();
    if path.is_empty() {
        return Ok(None);
    }
    std::fs::read_to_string(path)
        .map(Some)
        .map_err(|error| Problem::Io {
            path: Path::new(path).to_path_buf(),
            error,
        })
}
