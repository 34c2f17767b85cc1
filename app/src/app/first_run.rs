//! The first start on a PC with no data: where the data lives (this PC; a clinic server is
//! prepared by the administrator as the README says, so that choice is shown and not offered
//! here) and the first administrator. The data file is made, encrypted, its recovery key shown
//! once to be written down, and the set-up guide goes on signed in as that administrator. A
//! set-up that fails leaves no file behind.

use std::path::PathBuf;

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use crate::i18n::Lang;
use crate::store::atrest::Keeping;
use crate::store::{NewUser, Role, Session, Store, StoreError};

use super::problem::{Problem, Said};
use super::{Services, theme, tr, widgets};

/// What the window opens once the store is made.
pub(crate) type Open = Box<dyn FnOnce(&Store) -> Services>;

/// The first start's screen.
pub struct FirstRun {
    /// Where the data file goes.
    pub path: PathBuf,
    keeping: Keeping,
    pub lang: Lang,
    pub login: String,
    pub name: String,
    pub password: Zeroizing<String>,
    pub again: Zeroizing<String>,
    pub problem: Option<Problem>,
    /// Made: the store, the administrator signed in, and the recovery key to write down.
    made: Option<(Store, Session, Zeroizing<String>)>,
    /// The recovery key was written down.
    pub written_down: bool,
    /// Give ログインID the keyboard focus at the next frame.
    focus: bool,
    pub(crate) services: Option<Open>,
}

impl FirstRun {
    pub fn new(path: PathBuf, keeping: Keeping, lang: Lang, services: Open) -> FirstRun {
        FirstRun {
            path,
            keeping,
            lang,
            login: String::new(),
            name: String::new(),
            password: Zeroizing::new(String::new()),
            again: Zeroizing::new(String::new()),
            problem: None,
            made: None,
            written_down: false,
            focus: true,
            services: Some(services),
        }
    }

    /// Whether the data file is made (the recovery key is being shown).
    pub fn is_made(&self) -> bool {
        self.made.is_some()
    }

    /// Makes the data file and the first administrator.
    fn make(&mut self) {
        self.problem = None;
        let login = self.login.trim().to_owned();
        let name = self.name.trim().to_owned();
        if login.is_empty() || name.is_empty() {
            self.problem = Some(Said::new("app-first-fill-all").into());
            return;
        }
        if *self.password != *self.again {
            self.problem = Some(Said::new("app-first-password-mismatch").into());
            self.password = Zeroizing::new(String::new());
            self.again = Zeroizing::new(String::new());
            return;
        }
        match make_store(&self.path, &self.keeping, &login, &name, &self.password) {
            Ok((store, session, key)) => self.made = Some((store, session, key)),
            Err(e) => self.problem = Some(Problem::Store(e)),
        }
        self.password = Zeroizing::new(String::new());
        self.again = Zeroizing::new(String::new());
    }

    /// Draws the screen; the store and the administrator's session once the recovery key was
    /// written down.
    pub(crate) fn ui(&mut self, ui: &mut Ui) -> Option<(Store, Session)> {
        let lang = self.lang;
        let mut make = false;
        let mut go_on = false;
        egui::CentralPanel::default().show(ui, |ui| {
            widgets::scrolled(ui, "first-run", |ui| {
                ui.heading(tr(lang, "app-first-title"));
                if ui.button(tr(lang, "app-lang")).clicked() {
                    self.lang = match lang {
                        Lang::Ja => Lang::En,
                        Lang::En => Lang::Ja,
                    };
                }
                ui.add_space(theme::GAP);
                if let Some((_, _, key)) = &self.made {
                    ui.strong(tr(lang, "app-first-recovery-title"));
                    ui.label(tr(lang, "app-first-recovery-explain"));
                    ui.add_space(theme::GAP);
                    ui.add(egui::Label::new(
                        RichText::new(key.as_str()).monospace().size(18.0),
                    ));
                    ui.add_space(theme::GAP);
                    ui.checkbox(&mut self.written_down, tr(lang, "app-first-written-down"));
                    go_on = ui
                        .add_enabled(
                            self.written_down,
                            egui::Button::new(tr(lang, "app-first-go-on")),
                        )
                        .clicked();
                    return;
                }
                ui.label(tr(lang, "app-first-explain"));
                ui.add_space(theme::GAP);
                ui.strong(tr(lang, "app-first-where"));
                let mut here = true;
                ui.radio_value(&mut here, true, tr(lang, "app-first-this-pc"));
                ui.label(RichText::new(self.path.display().to_string()).monospace());
                ui.add_enabled_ui(false, |ui| {
                    ui.radio_value(&mut here, false, tr(lang, "app-first-server"));
                });
                ui.label(RichText::new(tr(lang, "app-first-server-note")).color(theme::MUTED));
                ui.add_space(theme::GAP);
                ui.strong(tr(lang, "app-first-admin"));
                ui.label(RichText::new(tr(lang, "app-first-admin-explain")).color(theme::MUTED));
                let login = widgets::labelled_field(ui, &tr(lang, "app-login"), &mut self.login);
                if std::mem::take(&mut self.focus) {
                    login.request_focus();
                }
                widgets::labelled_field(ui, &tr(lang, "app-person-name"), &mut self.name);
                widgets::labelled_secret(
                    ui,
                    &tr(lang, "app-password"),
                    &mut self.password,
                    egui::Id::unique("first-password"),
                );
                widgets::labelled_secret(
                    ui,
                    &tr(lang, "app-first-password-again"),
                    &mut self.again,
                    egui::Id::unique("first-password-again"),
                );
                ui.add_space(theme::GAP);
                if let Some(p) = &self.problem {
                    ui.colored_label(theme::ERROR, p.text(lang));
                }
                make = ui.button(tr(lang, "app-first-make")).clicked();
            });
        });
        if make {
            self.make();
        }
        if go_on && self.written_down {
            return self.made.take().map(|(store, session, _)| (store, session));
        }
        None
    }
}

/// Makes the data file at `path` with its key kept as `keeping`, and its first administrator;
/// returns the store, the administrator signed in and the recovery key. Nothing is left behind
/// when a step fails.
pub fn make_store(
    path: &std::path::Path,
    keeping: &Keeping,
    login: &str,
    name: &str,
    password: &str,
) -> Result<(Store, Session, Zeroizing<String>), StoreError> {
    if let Some(dir) = path.parent() {
        crate::files::private_dir(dir).map_err(|e| StoreError::Io {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        })?;
    }
    let (mut store, key) = Store::create(path, keeping, None)?;
    let made = store
        .add_first_admin(&NewUser {
            login,
            name,
            roles: &[Role::Admin],
            password,
        })
        .and_then(|_| store.sign_in(login, password));
    match made {
        Ok(session) => Ok((store, session, key.recovery_key())),
        Err(e) => {
            drop(store);
            crate::store::remove_files(path);
            Err(e)
        }
    }
}
