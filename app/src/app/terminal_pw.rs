//! The terminal certificate's password, asked in the window when the OS keyring does not keep it
//! (every Linux terminal without a desktop keyring after a restart): once per sign-in, in a secret
//! field wiped after use, with "この端末に記憶する" where a keyring works. Typed once, it is kept in
//! memory for as long as the program runs, so the hub works for everyone who signs in after. Put
//! off ("あとで"), the hub stays unavailable and says why; nothing fails in silence.

use zeroize::Zeroizing;

use super::problem::{HubUnavailable, Problem, Said};
use super::{IkenshoApp, Intent, theme, widgets};

/// What the prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalPwIntent {
    /// Open the terminal certificate with the password typed.
    Submit,
    /// Not now: asked again at the next sign-in.
    Later,
}

/// The prompt's state.
pub struct TerminalPw {
    pub open: bool,
    pub password: Zeroizing<String>,
    /// Keep the password in the OS keyring once it opened the certificate.
    pub remember: bool,
    pub problem: Option<Problem>,
    focus: bool,
}

impl Default for TerminalPw {
    fn default() -> TerminalPw {
        TerminalPw {
            open: false,
            password: Zeroizing::new(String::new()),
            remember: true,
            problem: None,
            focus: false,
        }
    }
}

impl IkenshoApp {
    /// At sign-in: asks for the terminal certificate's password when the hub needs it.
    pub(crate) fn ask_terminal_password(&mut self) {
        if matches!(
            self.worker.services.hub_problem,
            Some(HubUnavailable::NeedsPassword)
        ) {
            self.terminal_pw = TerminalPw {
                open: true,
                focus: true,
                ..TerminalPw::default()
            };
        }
    }

    pub(crate) fn terminal_pw_intent(&mut self, intent: TerminalPwIntent) {
        match intent {
            TerminalPwIntent::Later => self.terminal_pw = TerminalPw::default(),
            TerminalPwIntent::Submit => self.submit_terminal_password(),
        }
    }

    fn submit_terminal_password(&mut self) {
        let typed = Zeroizing::new(std::mem::take(&mut *self.terminal_pw.password));
        if typed.is_empty() {
            return;
        }
        let data_dir = self.worker.services.data_dir.clone();
        let fresh = self.fresh_services(&data_dir, Some(&typed));
        if let Some(HubUnavailable::Failed(e)) = &fresh.hub_problem {
            self.terminal_pw.problem = Some(Problem::Hub(HubUnavailable::Failed(e.clone())));
            self.terminal_pw.focus = true;
            return;
        }
        let mut said = Said::new("app-terminal-password-taken");
        if self.terminal_pw.remember {
            let account = self.store.path().display().to_string();
            if !crate::hub::terminal::store_password(&account, &typed) {
                said = Said::new("app-terminal-password-not-kept");
            }
        }
        self.terminal_password = Some(typed);
        self.terminal_pw = TerminalPw::default();
        self.use_services(fresh);
        let screen = self.screen;
        self.notify(said, screen);
    }

    /// The prompt, over everything else while it is open.
    pub(crate) fn terminal_pw_dialog(&mut self, ctx: &egui::Context) {
        if !self.terminal_pw.open {
            return;
        }
        let lang = self.lang;
        let mut submit = false;
        let mut later = false;
        let screen = ctx.content_rect();
        egui::Modal::new(egui::Id::unique("terminal-password")).show(ctx, |ui| {
            ui.set_width((theme::FIELD_WIDTH * 1.6).min(screen.width() - theme::GAP * 6.0));
            // On a small window with large text the explanation scrolls; what changes (the
            // problem) and the buttons stay outside, always in view.
            let enter = egui::ScrollArea::vertical()
                .max_height(screen.height() - theme::GAP * 16.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.heading(super::tr(lang, "app-terminal-password-title"));
                    ui.label(super::tr(lang, "app-terminal-password-explain"));
                    ui.add_space(theme::GAP);
                    let field = widgets::labelled_secret(
                        ui,
                        &super::tr(lang, "app-p12-password"),
                        &mut self.terminal_pw.password,
                        egui::Id::unique("terminal-password-field"),
                    );
                    if std::mem::take(&mut self.terminal_pw.focus) {
                        field.request_focus();
                    }
                    ui.checkbox(
                        &mut self.terminal_pw.remember,
                        super::tr(lang, "app-server-password-remember"),
                    );
                    field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
                })
                .inner;
            if let Some(p) = &self.terminal_pw.problem {
                ui.colored_label(theme::ERROR, p.text(lang));
            }
            ui.add_space(theme::GAP);
            ui.horizontal_wrapped(|ui| {
                submit = ui
                    .button(super::tr(lang, "app-terminal-password-open"))
                    .clicked()
                    || enter;
                later = ui
                    .button(super::tr(lang, "app-terminal-password-later"))
                    .clicked();
            });
        });
        if submit {
            self.push(Intent::TerminalPassword(TerminalPwIntent::Submit));
        } else if later {
            self.push(Intent::TerminalPassword(TerminalPwIntent::Later));
        }
    }
}
