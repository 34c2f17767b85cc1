//! The desktop program (eframe/egui). One state, intents, screens: screens read the state and
//! push intents; `apply` carries them out through the same library calls the CLI uses, so the
//! store's role rules hold here too (the screens only hide what a role may not do).
//!
//! Built so far: fonts and theme, sign-in per person, and the list of opinions with search.
//! The editor, review and signature, 送信状況, paper and settings screens follow (issue 7).

pub mod theme;

use fluent_bundle::FluentArgs;
use zeroize::Zeroizing;

use crate::i18n::{Lang, Locales};
use crate::store::{OpinionInfo, Query, Session, Store};

/// What a screen asks for; applied once per frame, after the screens are drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    SignIn,
    SignOut,
    Search,
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    List,
}

/// The whole state of the program.
pub struct IkenshoApp {
    pub store: Store,
    pub lang: Lang,
    pub screen: Screen,
    pub session: Option<Session>,
    pub login: String,
    password: Zeroizing<String>,
    /// A message for the user on the current screen (an error after a failed sign-in).
    pub message: Option<String>,
    pub search: String,
    pub rows: Vec<OpinionInfo>,
    intents: Vec<Intent>,
}

impl IkenshoApp {
    pub fn new(ctx: &egui::Context, store: Store, lang: Lang) -> IkenshoApp {
        theme::fonts(ctx);
        theme::apply(ctx, 1.0);
        IkenshoApp {
            store,
            lang,
            screen: Screen::SignIn,
            session: None,
            login: String::new(),
            password: Zeroizing::new(String::new()),
            message: None,
            search: String::new(),
            rows: Vec::new(),
            intents: Vec::new(),
        }
    }

    fn t(&self, key: &str) -> String {
        Locales::builtin()
            .map(|l| l.text(self.lang, key, None))
            .unwrap_or_else(|_| key.to_owned())
    }

    fn t_args(&self, key: &str, args: &FluentArgs<'_>) -> String {
        Locales::builtin()
            .map(|l| l.text(self.lang, key, Some(args)))
            .unwrap_or_else(|_| key.to_owned())
    }

    /// Carries out the intents of this frame.
    pub fn apply(&mut self) {
        for intent in std::mem::take(&mut self.intents) {
            match intent {
                Intent::SignIn => {
                    let password = std::mem::take(&mut *self.password);
                    let password = Zeroizing::new(password);
                    match self.store.sign_in(self.login.trim(), &password) {
                        Ok(s) => {
                            self.session = Some(s);
                            self.message = None;
                            self.screen = Screen::List;
                            self.intents.push(Intent::Search);
                            self.apply();
                        }
                        Err(e) => {
                            self.message = Locales::builtin()
                                .ok()
                                .map(|l| crate::store::describe::error(l, self.lang, &e));
                        }
                    }
                }
                Intent::SignOut => {
                    self.session = None;
                    self.rows.clear();
                    self.screen = Screen::SignIn;
                }
                Intent::Search => {
                    if let Some(s) = &self.session {
                        let q = Query {
                            text: self.search.clone(),
                            ..Query::default()
                        };
                        match self.store.search(s, &q) {
                            Ok(rows) => self.rows = rows,
                            Err(e) => {
                                self.message = Locales::builtin()
                                    .ok()
                                    .map(|l| crate::store::describe::error(l, self.lang, &e));
                            }
                        }
                    }
                }
            }
        }
    }

    fn sign_in_screen(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(self.t("app-title"));
            ui.add_space(theme::GAP * 2.0);
            let login_label = ui.label(self.t("app-login"));
            ui.add(egui::TextEdit::singleline(&mut self.login).desired_width(theme::FIELD_WIDTH))
                .labelled_by(login_label.id);
            let pw_label = ui.label(self.t("app-password"));
            let pw = ui
                .add(
                    egui::TextEdit::singleline(&mut *self.password)
                        .password(true)
                        .desired_width(theme::FIELD_WIDTH),
                )
                .labelled_by(pw_label.id);
            let enter = pw.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(theme::GAP);
            if ui.button(self.t("app-sign-in")).clicked() || enter {
                self.intents.push(Intent::SignIn);
            }
            if let Some(m) = &self.message {
                ui.colored_label(theme::ERROR, m);
            }
        });
    }

    fn list_screen(&mut self, ui: &mut egui::Ui) {
        let who = self
            .session
            .as_ref()
            .map(|s| s.name().to_owned())
            .unwrap_or_default();
        ui.horizontal(|ui| {
            ui.heading(self.t("app-list-title"));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(self.t("app-sign-out")).clicked() {
                    self.intents.push(Intent::SignOut);
                }
                let mut a = FluentArgs::new();
                a.set("name", who.clone());
                ui.label(self.t_args("app-signed-in-as", &a));
            });
        });
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label(self.t("app-search"));
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.search).desired_width(theme::FIELD_WIDTH))
                .labelled_by(label.id);
            if r.changed() {
                self.intents.push(Intent::Search);
            }
        });
        ui.add_space(theme::GAP);
        if self.rows.is_empty() {
            ui.colored_label(theme::MUTED, self.t("app-empty"));
            return;
        }
        let locales = Locales::builtin().ok();
        egui::Grid::new("opinions")
            .striped(true)
            .spacing(egui::vec2(theme::GAP * 2.0, theme::GAP))
            .show(ui, |ui| {
                for key in [
                    "app-col-state",
                    "app-col-name",
                    "app-col-day",
                    "app-col-due",
                    "app-col-request",
                ] {
                    ui.strong(self.t(key));
                }
                ui.end_row();
                for row in &self.rows {
                    let state = locales
                        .map(|l| l.text(self.lang, &format!("state-{}", row.state.id()), None))
                        .unwrap_or_default();
                    ui.label(state);
                    ui.label(&row.name);
                    ui.label(&row.day);
                    ui.label(row.due_date.as_deref().unwrap_or("—"));
                    ui.label(row.request_id.as_deref().unwrap_or("—"));
                    ui.end_row();
                }
            });
    }
}

impl eframe::App for IkenshoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::SignIn => self.sign_in_screen(ui),
            Screen::List => self.list_screen(ui),
        });
        self.apply();
    }
}

/// Opens the window on `store` (blocks until it is closed).
pub fn run(store: Store, lang: Lang) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1100.0, 760.0])
            .with_title("ikensho — 主治医意見書"),
        ..Default::default()
    };
    eframe::run_native(
        "ikensho",
        options,
        Box::new(move |cc| Ok(Box::new(IkenshoApp::new(&cc.egui_ctx, store, lang)))),
    )
    .map_err(|e| e.to_string())
}
