//! The window before the store is open, for a store that needs a secret first: the passphrase
//! of a data file whose key is kept behind one, or this terminal's database password for a
//! store on the clinic server when the OS credential store does not keep it (every Linux
//! terminal after a restart). It is asked here (in a secret field, wiped after use), then the
//! usual window opens on the store. A wrong secret opens nothing and says so.

use std::path::PathBuf;

use egui::Ui;
use zeroize::{Zeroize, Zeroizing};

use crate::i18n::Lang;
use crate::store::server::ServerLocation;
use crate::store::{Durability, Store, Unlock};

use super::problem::Problem;
use super::{IkenshoApp, Services, theme, tr, widgets};

/// What the window opens once the store is.
type Open = Box<dyn FnOnce(&Store) -> Services>;

/// What the secret opens.
pub enum Behind {
    /// A data file whose key is kept behind a passphrase.
    Passphrase(PathBuf),
    /// The store on the clinic server, and this terminal's data folder.
    Server(ServerLocation, PathBuf),
}

/// The passphrase (or password) screen.
pub struct Locked {
    behind: Behind,
    /// Keep the server password in the OS credential store once it opened the store.
    remember: bool,
    lang: Lang,
    passphrase: Zeroizing<String>,
    problem: Option<Problem>,
    focus: bool,
    /// The secret was submitted: `logic` tries it before the next frame is drawn.
    submitted: bool,
    services: Option<Open>,
}

/// The window: locked until the passphrase opens the store, then the program.
pub enum Root {
    Locked(Box<Locked>),
    /// The first start: no data yet.
    Setup(Box<super::first_run::FirstRun>),
    Open(Box<IkenshoApp>),
    /// The store could not be opened again after a restore: said, for the program to be started
    /// again.
    Failed(Problem, Lang),
}

impl Root {
    /// The window for the store at `path`, its key behind a passphrase; `services` makes the
    /// program's services once the store is open.
    pub fn locked(
        ctx: &egui::Context,
        behind: Behind,
        lang: Lang,
        services: impl FnOnce(&Store) -> Services + 'static,
    ) -> Root {
        theme::fonts(ctx);
        theme::apply(ctx, 1.0);
        Root::Locked(Box::new(Locked {
            behind,
            remember: true,
            lang,
            passphrase: Zeroizing::new(String::new()),
            problem: None,
            focus: true,
            submitted: false,
            services: Some(Box::new(services)),
        }))
    }

    /// The first start's screen on `first`.
    pub fn setup(ctx: &egui::Context, first: super::first_run::FirstRun) -> Root {
        theme::fonts(ctx);
        theme::apply(ctx, 1.0);
        Root::Setup(Box::new(first))
    }

    /// The program, once open (tests).
    pub fn app(&self) -> Option<&IkenshoApp> {
        match self {
            Root::Open(a) => Some(a),
            Root::Locked(_) | Root::Setup(_) | Root::Failed(..) => None,
        }
    }

    /// The program, once open (tests).
    pub fn app_mut(&mut self) -> Option<&mut IkenshoApp> {
        match self {
            Root::Open(a) => Some(a),
            Root::Locked(_) | Root::Setup(_) | Root::Failed(..) => None,
        }
    }

    /// Carries out the restore the program asked for: its threads and store closed, the file
    /// restored, the store opened again at the sign-in screen (the lock screen when its key is
    /// behind a passphrase).
    fn restore(&mut self, ctx: &egui::Context, req: &super::restore::RestoreRequest) {
        let Root::Open(app) = self else {
            return;
        };
        let live = app.store.path().to_path_buf();
        let lang = app.lang;
        let services = app.worker.services.clone();
        if !app.worker.shutdown(std::time::Duration::from_secs(30)) {
            app.message = Some(super::problem::Said::new("app-restore-busy").into());
            return;
        }
        // The window's own connection goes with it.
        *self = Root::Failed(
            Problem::Said(super::problem::Said::new("app-restore-busy")),
            lang,
        );
        let outcome = super::restore::carry_out(&live, req);
        *self = match super::restore::reopen(&live) {
            Ok(store) => {
                let mut app = IkenshoApp::new(ctx, store, lang, services);
                app.restored(outcome);
                Root::Open(Box::new(app))
            }
            Err(crate::store::StoreError::PassphraseNeeded) => {
                Root::locked(ctx, Behind::Passphrase(live), lang, move |_| services)
            }
            Err(e) => Root::Failed(Problem::Store(e), lang),
        };
        ctx.request_repaint();
    }
}

impl Locked {
    /// Whether a server password that opened the store is kept in the OS credential store
    /// (the box on the screen; on by default).
    pub fn remember_password(&mut self, remember: bool) {
        self.remember = remember;
    }

    /// Draws the screen; a submitted secret is tried by `logic`. True when one was submitted.
    fn ui(&mut self, ui: &mut Ui) -> bool {
        let lang = self.lang;
        let mut submit = false;
        let server = match &self.behind {
            Behind::Server(loc, _) => Some(loc.display()),
            Behind::Passphrase(_) => None,
        };
        let (explain, field_label, hint) = if server.is_some() {
            (
                "app-server-password-explain",
                "app-server-password",
                "app-server-password-hint",
            )
        } else {
            (
                "app-unlock-explain",
                "app-unlock-passphrase",
                "app-unlock-recovery",
            )
        };
        egui::CentralPanel::default().show(ui, |ui| {
            widgets::scrolled(ui, "locked", |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space((ui.available_height() * 0.1).clamp(theme::GAP, 60.0));
                    ui.heading(tr(lang, "app-title"));
                    ui.add_space(theme::GAP * 2.0);
                    ui.label(tr(lang, explain));
                    if let Some(server) = &server {
                        ui.label(egui::RichText::new(server).monospace());
                    }
                    ui.add_space(theme::GAP);
                    let width = theme::FIELD_WIDTH.min(ui.available_width());
                    let label = ui.label(tr(lang, field_label));
                    let field = widgets::secret_field(
                        ui,
                        &mut self.passphrase,
                        egui::Id::unique("unlock-passphrase"),
                        width,
                    )
                    .labelled_by(label.id);
                    if std::mem::take(&mut self.focus) {
                        field.request_focus();
                    }
                    let enter = field.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if server.is_some() {
                        ui.checkbox(&mut self.remember, tr(lang, "app-server-password-remember"));
                    }
                    ui.add_space(theme::GAP);
                    if ui.button(tr(lang, "app-unlock")).clicked() || enter {
                        submit = true;
                    }
                    if let Some(p) = &self.problem {
                        ui.colored_label(theme::ERROR, p.text(lang));
                    }
                    ui.add_space(theme::GAP);
                    ui.label(tr(lang, hint));
                    ui.add_space(theme::GAP * 2.0);
                    if ui.button(tr(lang, "app-lang")).clicked() {
                        self.lang = match lang {
                            Lang::Ja => Lang::En,
                            Lang::En => Lang::Ja,
                        };
                    }
                });
            });
        });
        self.submitted = submit && !self.passphrase.is_empty();
        self.submitted
    }

    /// Tries the submitted secret, outside drawing: the store when it opened it. The secret is
    /// wiped either way.
    fn logic(&mut self) -> Option<Store> {
        if !std::mem::take(&mut self.submitted) {
            return None;
        }
        let opened = match &self.behind {
            // Argon2id takes about half a second, once, before anything else can be shown.
            Behind::Passphrase(path) => {
                Store::open_unlocked(path, Unlock::Passphrase(&self.passphrase), Durability::Full)
            }
            Behind::Server(loc, folder) => {
                let opened = Store::open_server(loc, &self.passphrase, folder);
                if opened.is_ok()
                    && self.remember
                    && let Err(e) = crate::store::server::keep_password(loc, &self.passphrase)
                {
                    // Open all the same: it is asked again at the next start.
                    tracing::warn!(error = %e, "the database password could not be kept");
                }
                opened
            }
        };
        self.passphrase.zeroize();
        match opened {
            Ok(store) => Some(store),
            Err(e) => {
                self.problem = Some(Problem::Store(e));
                self.focus = true;
                None
            }
        }
    }
}

impl eframe::App for Root {
    /// Before drawing: what the last frame asked for (a secret to try, the first start's data
    /// file or server, a restore) is carried out here, and the window it opens takes over.
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        match self {
            Root::Open(app) => {
                app.logic(ctx, frame);
                if let Some(req) = app.take_restore() {
                    self.restore(ctx, &req);
                }
            }
            Root::Failed(..) => {}
            Root::Locked(l) => {
                if let Some(store) = l.logic()
                    && let Some(services) = l.services.take()
                {
                    let lang = l.lang;
                    let services = services(&store);
                    *self = Root::Open(Box::new(IkenshoApp::new(ctx, store, lang, services)));
                    ctx.request_repaint();
                }
            }
            Root::Setup(first) => {
                if let Some(opened) = first.logic(ctx)
                    && let Some(services) = first.services.take()
                {
                    use super::first_run::Opened;
                    let (store, session) = match opened {
                        Opened::Guide(store, session) => (store, Some(session)),
                        Opened::SignIn(store) => (store, None),
                    };
                    let services = services(&store);
                    let mut app = IkenshoApp::new(ctx, store, first.lang, services);
                    match session {
                        Some(session) => app.start_guide(session),
                        None => app.notify(
                            super::problem::Said::new("app-first-server-connected"),
                            super::Screen::SignIn,
                        ),
                    }
                    *self = Root::Open(Box::new(app));
                    ctx.request_repaint();
                }
            }
        }
    }

    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        let asked = match self {
            Root::Open(app) => {
                app.ui(ui, frame);
                app.restore_asked()
            }
            Root::Failed(problem, lang) => {
                let lang = *lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading(tr(lang, "app-title"));
                    ui.colored_label(theme::ERROR, problem.text(lang));
                    ui.label(tr(lang, "app-restart"));
                });
                false
            }
            Root::Locked(l) => l.ui(ui),
            Root::Setup(first) => first.ui(ui),
        };
        if asked {
            // Carried out by `logic` at once, not at the next event.
            ui.ctx().request_repaint();
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        if let Root::Open(app) = self {
            app.on_exit(gl);
        }
    }
}
