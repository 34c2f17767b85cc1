//! The first start on a PC with no data: where the data lives and the first administrator.
//! On this PC: the data file is made, encrypted, its recovery key shown once to be written
//! down, and the set-up guide goes on signed in as that administrator; a set-up that fails
//! leaves no file behind. On the clinic server (prepared by its administrator as the README
//! says): its address and this terminal's password, the address kept in the data folder for the
//! next starts; a server with people goes to the sign-in screen, an empty one asks for its first
//! administrator and goes on with the guide.

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

/// Where the data lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    ThisPc,
    Server,
}

/// What the first start opened.
pub enum Opened {
    /// A new store and its first administrator: the set-up guide.
    Guide(Store, Session),
    /// A clinic server that has its people: the sign-in screen.
    SignIn(Store),
}

/// The first start's screen.
pub struct FirstRun {
    pub place: Place,
    /// The clinic server's address (`postgresql://…?sslrootcert=…`) and this terminal's
    /// password for it.
    pub server_url: String,
    pub server_password: Zeroizing<String>,
    /// Keep that password in the OS credential store.
    pub remember: bool,
    /// Connected to a server that has no people yet: its first administrator comes next.
    on_server: Option<Store>,
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
    /// Ready to open.
    opened: Option<Opened>,
    /// Give ログインID the keyboard focus at the next frame.
    focus: bool,
    /// The clinic server's CA certificate (a path; chosen with the dialog or typed).
    pub server_ca: String,
    /// The platform's file dialog (a test's scripted one in tests).
    pub picker: std::sync::Arc<dyn super::pick::Picker>,
    /// The dialog open on its thread: the file chosen, or none.
    picking: Option<std::sync::mpsc::Receiver<Option<PathBuf>>>,
    /// What a button asked for, carried out by `logic` before the next frame is drawn.
    asked: Option<Ask>,
    pub(crate) services: Option<Open>,
}

/// What the screen's buttons ask for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ask {
    Make,
    Connect,
    GoOn,
    PickCa,
}

impl FirstRun {
    pub fn new(path: PathBuf, keeping: Keeping, lang: Lang, services: Open) -> FirstRun {
        FirstRun {
            place: Place::ThisPc,
            server_url: String::new(),
            server_password: Zeroizing::new(String::new()),
            remember: true,
            on_server: None,
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
            opened: None,
            focus: true,
            server_ca: String::new(),
            picker: std::sync::Arc::new(super::pick::NativePicker),
            picking: None,
            asked: None,
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
        if let Some(mut store) = self.on_server.take() {
            let added = store
                .add_first_admin(&NewUser {
                    login: &login,
                    name: &name,
                    roles: &[Role::Admin],
                    password: &self.password,
                })
                .and_then(|_| store.sign_in(&login, &self.password));
            match added {
                Ok(session) => self.opened = Some(Opened::Guide(store, session)),
                Err(e) => {
                    self.problem = Some(Problem::Store(e));
                    self.on_server = Some(store);
                }
            }
        } else {
            match make_store(&self.path, &self.keeping, &login, &name, &self.password) {
                Ok((store, session, key)) => self.made = Some((store, session, key)),
                Err(e) => self.problem = Some(Problem::Store(e)),
            }
        }
        self.password = Zeroizing::new(String::new());
        self.again = Zeroizing::new(String::new());
    }

    /// Opens the file dialog for the server's CA on a thread of its own (it waits for the
    /// person); `logic` takes the answer.
    fn pick_ca(&mut self, ctx: &egui::Context) {
        use super::pick::PickFor;
        let title = super::tr(self.lang, "app-first-server-ca");
        if super::pick::ON_MAIN_THREAD {
            // macOS opens dialogs on the main thread only.
            if let Some(path) = self.picker.pick(&PickFor::ServerCa.kind(), &title) {
                self.server_ca = path.display().to_string();
            }
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let picker = self.picker.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(picker.pick(&PickFor::ServerCa.kind(), &title));
            ctx.request_repaint();
        });
        self.picking = Some(rx);
    }

    /// Connects to the clinic server typed, and points this data folder at it.
    fn connect(&mut self) {
        self.problem = None;
        let ca = self.server_ca.trim();
        let url = if ca.is_empty() {
            self.server_url.clone()
        } else {
            crate::store::server::with_ca(&self.server_url, std::path::Path::new(ca))
        };
        let loc = match crate::store::server::Location::parse(&url) {
            Ok(crate::store::server::Location::Server(loc)) => loc,
            Ok(crate::store::server::Location::File(_)) => {
                self.problem = Some(Problem::Store(StoreError::BadLocation {
                    reason: "not a server",
                }));
                return;
            }
            Err(e) => {
                self.problem = Some(Problem::Store(e));
                return;
            }
        };
        let data_dir = self.path.parent().map(PathBuf::from).unwrap_or_default();
        let password = std::mem::take(&mut self.server_password);
        let opened = Store::open_server(&loc, &password, &data_dir).and_then(|store| {
            crate::store::server::keep_location(&data_dir, &loc)?;
            if self.remember
                && let Err(e) = crate::store::server::keep_password(&loc, &password)
            {
                // Connected all the same: it is asked again at the next start.
                tracing::warn!(error = %e, "the database password could not be kept");
            }
            Ok(store)
        });
        match opened.and_then(|store| Ok((store.has_users()?, store))) {
            Ok((true, store)) => self.opened = Some(Opened::SignIn(store)),
            Ok((false, store)) => self.on_server = Some(store),
            Err(e) => self.problem = Some(Problem::Store(e)),
        }
    }

    /// Carries out what a button asked for (making the data file, connecting to the server,
    /// going on from the recovery key) outside drawing; what it opened once it is done.
    pub(crate) fn logic(&mut self, ctx: &egui::Context) -> Option<Opened> {
        if let Some(rx) = &self.picking {
            match rx.try_recv() {
                Ok(chosen) => {
                    if let Some(path) = chosen {
                        self.server_ca = path.display().to_string();
                    }
                    self.picking = None;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.picking = None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        match self.asked.take() {
            Some(Ask::Make) => self.make(),
            Some(Ask::Connect) => self.connect(),
            Some(Ask::PickCa) if self.picking.is_none() => self.pick_ca(ctx),
            Some(Ask::PickCa) => {}
            Some(Ask::GoOn) if self.written_down => {
                return self
                    .made
                    .take()
                    .map(|(store, session, _)| Opened::Guide(store, session));
            }
            Some(Ask::GoOn) | None => {}
        }
        self.opened.take()
    }

    /// Draws the screen; its buttons ask `logic` for what they do. True when something was
    /// asked.
    pub(crate) fn ui(&mut self, ui: &mut Ui) -> bool {
        let lang = self.lang;
        let mut make = false;
        let mut go_on = false;
        let mut connect = false;
        let mut pick_ca = false;
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
                let connected = self.on_server.is_some();
                ui.add_enabled_ui(!connected, |ui| {
                    ui.radio_value(
                        &mut self.place,
                        Place::ThisPc,
                        tr(lang, "app-first-this-pc"),
                    );
                });
                if self.place == Place::ThisPc {
                    ui.label(RichText::new(self.path.display().to_string()).monospace());
                }
                ui.add_enabled_ui(!connected, |ui| {
                    ui.radio_value(&mut self.place, Place::Server, tr(lang, "app-first-server"));
                });
                if self.place == Place::Server && !connected {
                    ui.label(RichText::new(tr(lang, "app-first-server-note")).color(theme::MUTED));
                    widgets::labelled_field(
                        ui,
                        &tr(lang, "app-first-server-url"),
                        &mut self.server_url,
                    );
                    let mut picks = Vec::new();
                    super::settings::path_field(
                        ui,
                        lang,
                        "app-first-server-ca",
                        &mut self.server_ca,
                        super::pick::PickFor::ServerCa,
                        &mut picks,
                    );
                    pick_ca = !picks.is_empty();
                    widgets::labelled_secret(
                        ui,
                        &tr(lang, "app-server-password"),
                        &mut self.server_password,
                        egui::Id::unique("first-server-password"),
                    );
                    ui.checkbox(&mut self.remember, tr(lang, "app-server-password-remember"));
                    if let Some(p) = &self.problem {
                        ui.colored_label(theme::ERROR, p.text(lang));
                    }
                    connect = ui.button(tr(lang, "app-first-connect")).clicked();
                    return;
                }
                if connected {
                    ui.colored_label(theme::OK, tr(lang, "app-first-server-empty"));
                }
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
                let make_key = if connected {
                    "app-first-register"
                } else {
                    "app-first-make"
                };
                make = ui.button(tr(lang, make_key)).clicked();
            });
        });
        self.asked = if make {
            Some(Ask::Make)
        } else if connect {
            Some(Ask::Connect)
        } else if go_on {
            Some(Ask::GoOn)
        } else if pick_ca {
            Some(Ask::PickCa)
        } else {
            None
        };
        self.asked.is_some()
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
        crate::files::private_dir(dir).map_err(|e| StoreError::io(dir, &e))?;
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
