//! The set-up guide after the first start: 設定's parts one at a time — the clinic, the people,
//! the hub, the terminal certificate (with the connection test), the card reader (with the card
//! test), the backup folder — each saved with 次へ, or left for later. Every part stays in 設定
//! to be changed afterwards. At the end the administrator signs out and the physician signs in.

use egui::Ui;

use super::settings::{Section, SettingsIntent};
use super::{IkenshoApp, Intent, Screen, theme};
use crate::store::Session;

/// What the guide asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideIntent {
    /// Save this part and go on.
    Next,
    /// Go on without saving (it can be done later in 設定).
    Later,
    Back,
    /// Done: sign out, for the people to sign in.
    Finish,
}

/// Where the guide is: an index into [`Section::ALL`]; past the last, the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guide {
    pub step: usize,
}

impl Guide {
    /// The part shown, `None` at the end.
    pub fn section(self) -> Option<Section> {
        Section::ALL.get(self.step).copied()
    }
}

fn title_key(s: Section) -> &'static str {
    match s {
        Section::Clinic => "app-settings-clinic",
        Section::People => "app-settings-people",
        Section::Hub => "app-settings-hub",
        Section::Terminal => "app-settings-terminal",
        Section::Card => "app-settings-card",
        Section::Backup => "app-settings-backup",
        Section::Import => "app-settings-import",
    }
}

fn explain_key(s: Section) -> &'static str {
    match s {
        Section::Clinic => "app-guide-clinic",
        Section::People => "app-guide-people",
        Section::Hub => "app-guide-hub",
        Section::Terminal => "app-guide-terminal",
        Section::Card => "app-guide-card",
        Section::Backup => "app-guide-backup",
        Section::Import => "app-guide-import",
    }
}

impl IkenshoApp {
    /// The guide, signed in as the administrator the first start made.
    pub fn start_guide(&mut self, session: Session) {
        self.session = Some(session);
        self.guide = Guide::default();
        self.show(Screen::Settings);
        self.screen = Screen::Guide;
    }

    /// Carries out what the guide asked for.
    pub(crate) fn guide_intent(&mut self, intent: GuideIntent) {
        match intent {
            GuideIntent::Back => {
                self.guide.step = self.guide.step.saturating_sub(1);
                self.settings.result = None;
            }
            GuideIntent::Later => self.guide_advance(),
            GuideIntent::Next => {
                let Some(section) = self.guide.section() else {
                    return;
                };
                let s = &self.settings;
                let saves: Vec<SettingsIntent> = match section {
                    Section::Clinic => vec![SettingsIntent::SaveClinic],
                    Section::People if !s.new_login.trim().is_empty() => {
                        vec![SettingsIntent::AddPerson]
                    }
                    Section::People => Vec::new(),
                    Section::Hub | Section::Card => vec![SettingsIntent::SaveConnection],
                    Section::Terminal if !s.p12_path.trim().is_empty() => {
                        vec![SettingsIntent::ImportTerminal]
                    }
                    Section::Terminal => Vec::new(),
                    Section::Backup if !s.backup_folder.trim().is_empty() => {
                        vec![SettingsIntent::SaveBackupFolder]
                    }
                    Section::Backup => Vec::new(),
                    // Importing starts with its own button; 次へ leaves it running.
                    Section::Import => Vec::new(),
                };
                for save in saves {
                    self.settings_intent(save);
                    if matches!(self.settings.result, Some(Err(_))) {
                        // Said on the screen; the guide stays on this part.
                        return;
                    }
                }
                self.guide_advance();
            }
            GuideIntent::Finish => {
                self.guide = Guide::default();
                self.apply_one(Intent::SignOut);
                self.notify(
                    super::problem::Said::new("app-guide-finished"),
                    Screen::SignIn,
                );
            }
        }
    }

    fn guide_advance(&mut self) {
        self.guide.step = (self.guide.step + 1).min(Section::ALL.len());
        self.settings.result = None;
    }

    pub(crate) fn guide_screen(&mut self, ui: &mut Ui) {
        let section = self.guide.section();
        let mut asked = None;
        // The way on, always in sight below the part (which scrolls).
        egui::Panel::bottom("guide-nav").show(ui, |ui| {
            ui.add_space(theme::GAP / 2.0);
            ui.horizontal_wrapped(|ui| {
                if self.guide.step > 0 && ui.button(self.t("app-guide-back")).clicked() {
                    asked = Some(GuideIntent::Back);
                }
                if section.is_some() {
                    if ui.button(self.t("app-guide-later")).clicked() {
                        asked = Some(GuideIntent::Later);
                    }
                    if ui.button(self.t("app-guide-next")).clicked() {
                        asked = Some(GuideIntent::Next);
                    }
                } else if ui.button(self.t("app-guide-finish")).clicked() {
                    asked = Some(GuideIntent::Finish);
                }
            });
            ui.add_space(theme::GAP / 2.0);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let n = Section::ALL.len();
            let heading = match section {
                Some(s) => self.t_args(
                    "app-guide-title",
                    &[
                        ("step", (self.guide.step + 1).to_string()),
                        ("steps", n.to_string()),
                        ("part", self.t(title_key(s))),
                    ],
                ),
                None => self.t("app-guide-done-title"),
            };
            ui.heading(heading);
            self.settings_result(ui);
            let mut intents = Vec::new();
            let mut picks = Vec::new();
            super::widgets::scrolled(ui, "guide", |ui| match section {
                Some(s) => {
                    ui.label(self.t(explain_key(s)));
                    ui.add_space(theme::GAP);
                    self.settings_section(ui, s, &mut intents, &mut picks);
                }
                None => {
                    ui.label(self.t("app-guide-done"));
                }
            });
            for i in intents {
                self.push(Intent::Settings(i));
            }
            for p in picks {
                self.push(Intent::Pick(p));
            }
        });
        if let Some(i) = asked {
            self.push(Intent::Guide(i));
        }
    }
}
