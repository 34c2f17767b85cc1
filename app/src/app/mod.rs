//! The desktop program (eframe/egui). One state, intents, screens. Each frame: `logic` (eframe's,
//! also run while the window is hidden) takes in what the threads finished; `input` handles the
//! keys that act on the whole window; the screens draw the state and push intents (they edit only
//! the values of their own widgets); `apply` carries the intents out through the same library calls the CLI uses (the store, the
//! workflows), so the store's role rules hold here too (the screens only hide what a role may
//! not do). Card, network and PDF work runs on threads (`work`), never on the UI thread.

pub mod backups;
pub mod editor;
pub mod first_run;
pub mod form_ui;
pub mod guide;
pub mod ime;
pub mod import;
pub mod lock;
pub mod offline;
pub mod paper;
pub mod pick;
pub mod problem;
pub mod restore;
pub mod review;
pub mod screens;
pub mod settings;
pub mod terminal_pw;
pub mod theme;
pub mod together;
pub mod widgets;
pub mod work;

use zeroize::Zeroizing;

use crate::form::FormDef;
use crate::i18n::{Lang, Locales};
use crate::store::outbox::OutboxEntry;
use crate::store::{
    Action, DisplaySettings, OpinionInfo, Query, Session, State, Store, StoreError,
};
use editor::{Editor, EditorIntent};
use problem::{Problem, Said};
use work::{Done, Worker};

pub use work::Services;

/// What a screen asks for; applied once per frame, after the screens are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    SignIn,
    SignOut,
    Search,
    Show(Screen),
    /// Open an opinion in the editor.
    Open(i64),
    /// Start a renewal from this opinion's latest final version (copy-forward).
    Renew(i64),
    /// A new opinion, with the clinic and the physician filled in (asked for on paper).
    NewOpinion,
    Editor(EditorIntent),
    /// A clerk hands the draft to the physician.
    HandOver,
    /// The physician goes on to review and sign.
    Review,
    /// Reopen a finalised or returned opinion as a new version.
    Reopen(i64),
    Zoom(f32),
    ToggleLang,
    /// Nobody touched the window for the clinic's idle time: sign out (the draft is saved).
    IdleSignOut,
    /// Put away the problem shown.
    Dismiss,
    /// Put away the good news shown.
    DismissNotice,
    /// Print the opinion in the editor to a PDF: a draft copy, or the final copy (from the
    /// review, with what the physician confirmed there).
    Print(paper::PrintKind),
    /// Open a printed PDF, or its folder, in the system's viewer.
    OpenViewer(std::path::PathBuf),
    /// The PIN dialog of the review.
    Pin(review::PinIntent),
    /// The settings screen (administrators).
    Settings(settings::SettingsIntent),
    /// Show (`true`) or close the box that says which ikensho this is.
    About(bool),
    /// The prompt for the terminal certificate's password.
    TerminalPassword(terminal_pw::TerminalPwIntent),
    /// Choose a path with the platform's dialog.
    Pick(pick::PickFor),
    /// The set-up guide.
    Guide(guide::GuideIntent),
    /// Restoring a backup (administrators).
    Restore(restore::RestoreIntent),
    /// Stay signed in (the question before signing out with an unsaved edit is put away).
    StaySignedIn,
    /// The new recovery key was written down: it is wiped and no longer shown.
    RecoveryKeyWrittenDown,
    /// Show or fold the editor's section list (`true`) or its worklist (`false`), whatever the
    /// width would choose (given: what is shown now).
    TogglePanel {
        sections: bool,
        shown: bool,
    },
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    List,
    Editor,
    Review,
    Outbox,
    Paper,
    Settings,
    /// The set-up guide after the first start.
    Guide,
}

/// The whole state of the program.
pub struct IkenshoApp {
    pub store: Store,
    pub lang: Lang,
    pub screen: Screen,
    pub session: Option<Session>,
    pub login: String,
    password: Zeroizing<String>,
    /// A problem to show on the current screen.
    pub message: Option<Problem>,
    /// Something that went well (saved, sent…).
    pub notice: Option<Said>,
    pub search: String,
    pub rows: Vec<OpinionInfo>,
    intents: Vec<Intent>,
    pub editor: Option<Editor>,
    pub review: review::Review,
    pub outbox: Vec<OutboxEntry>,
    pub paper: paper::Paper,
    pub settings: settings::SettingsForm,
    pub worker: Worker,
    pub zoom: f32,
    zoom_changed: bool,
    /// An IME composition is under way (preedit shown, not committed).
    pub composing: bool,
    /// The editor's side panels as the person chose them.
    pub panels: screens::Panels,
    /// How many of 医見書's CSV files this window wrote on which day: the next file's proposed
    /// name counts on (through sign-outs; the dialog asks before replacing a file).
    pub csv_written: Option<(jiff::civil::Date, u32)>,
    /// Give ログインID the keyboard focus at the next frame.
    focus_login: bool,
    /// Signing out was asked for while an edit could not be saved: ask first.
    pub confirm_sign_out: bool,
    /// The screen a notice belongs to: it goes when another screen is shown.
    notice_on: Screen,
    /// When the person last pressed a key or moved the pointer (egui's clock, seconds).
    last_activity: f64,
    /// Seconds without input after which the window signs out (the clinic's setting).
    idle_limit: f64,
    /// The number of the last layout asked of the worker ([`work::Job::Layout`]).
    layout_seq: u64,
    /// This terminal's name, as others see it when it has a draft open.
    terminal: String,
    /// This window, in the store's note of who has which draft open.
    token: String,
    /// The draft this window holds, and when the hold was last renewed (egui's clock).
    held: Option<(i64, f64)>,
    /// Who has which opinion open in other windows (for the list).
    pub holders: Vec<crate::store::editing::Holder>,
    /// This terminal's journal of edits the server has not taken yet (a server store).
    pub journal: Option<crate::store::journal::Journal>,
    /// A problem met before anyone signed in (the journal does not open), shown after.
    startup_problem: Option<Problem>,
    /// The server is away: since when, and the look for it.
    pub lost: Option<offline::Lost>,
    /// When the list was last read (HH:MM), said when it could not be read again.
    pub rows_as_of: Option<String>,
    /// Wakes the window from other threads.
    repaint: egui::Context,
    /// The box that says which ikensho this is, open.
    pub about: bool,
    /// The prompt for the terminal certificate's password (when the keyring has none).
    pub terminal_pw: terminal_pw::TerminalPw,
    /// The terminal certificate's password as typed in this run (kept in memory only).
    terminal_password: Option<Zeroizing<String>>,
    /// Where the set-up guide is.
    pub guide: guide::Guide,
    /// A restore confirmed, for the window's root to carry out.
    restore_request: Option<restore::RestoreRequest>,
    /// A new recovery key to show once (after a restore that made a key).
    recovery_key: Option<Zeroizing<String>>,
}

impl IkenshoApp {
    pub fn new(ctx: &egui::Context, store: Store, lang: Lang, services: Services) -> IkenshoApp {
        theme::fonts(ctx);
        let zoom = store.display_settings().map(|d| d.zoom).unwrap_or(1.0);
        theme::apply(ctx, zoom);
        // The IME stays on when the focus moves from one text field to the next.
        ctx.add_plugin(ime::KeepImeAcrossFields::default());
        let terminal = together::terminal_name(&services.data_dir);
        let (journal, startup_problem) = match store.journal(&services.data_dir) {
            Ok(j) => (j, None),
            Err(e) => (None, Some(Problem::Store(e))),
        };
        let worker = Worker::new(services, &store, ctx.clone());
        IkenshoApp {
            store,
            lang,
            screen: Screen::SignIn,
            session: None,
            login: String::new(),
            password: Zeroizing::new(String::new()),
            message: None,
            notice: None,
            search: String::new(),
            rows: Vec::new(),
            intents: Vec::new(),
            editor: None,
            review: review::Review::default(),
            outbox: Vec::new(),
            paper: paper::Paper::default(),
            settings: settings::SettingsForm::default(),
            worker,
            zoom,
            // Applied again at the first frame: the window's own scale is known only then.
            zoom_changed: true,
            composing: false,
            panels: screens::Panels::default(),
            csv_written: None,
            focus_login: true,
            confirm_sign_out: false,
            notice_on: Screen::SignIn,
            last_activity: 0.0,
            idle_limit: f64::from(crate::store::DEFAULT_IDLE_MINUTES) * 60.0,
            layout_seq: 0,
            terminal,
            token: crate::store::editing::new_token(),
            held: None,
            holders: Vec::new(),
            journal,
            startup_problem,
            lost: None,
            rows_as_of: None,
            repaint: ctx.clone(),
            about: false,
            terminal_pw: terminal_pw::TerminalPw::default(),
            terminal_password: None,
            guide: guide::Guide::default(),
            restore_request: None,
            recovery_key: None,
        }
    }

    /// Shows `said` as good news on `screen` (it goes when another screen is shown).
    pub(crate) fn notify(&mut self, said: Said, screen: Screen) {
        self.notice = Some(said);
        self.notice_on = screen;
    }

    /// Whether an edit is still unsaved (a save failed, or an IME composition is open).
    pub fn unsaved(&self) -> bool {
        self.editor.as_ref().is_some_and(|ed| {
            ed.editable && ed.dirty && (ed.save_error.is_some() || self.composing)
        })
    }

    pub(crate) fn t(&self, key: &str) -> String {
        tr(self.lang, key)
    }

    pub(crate) fn t_args(&self, key: &str, pairs: &[(&str, String)]) -> String {
        tr_args(self.lang, key, pairs)
    }

    pub(crate) fn push(&mut self, intent: Intent) {
        self.intents.push(intent);
    }

    /// Asks for `intent` from outside the screens (tests, the demo): applied at the next frame,
    /// like anything a screen asks for.
    pub fn request(&mut self, intent: Intent) {
        self.intents.push(intent);
    }

    /// Whether the person signed in may do `action` (screens hide the rest).
    pub fn may(&self, action: Action) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.roles().allow(action))
    }

    /// Shows `problem` on the current screen.
    pub(crate) fn problem(&mut self, problem: impl Into<Problem>) {
        let problem = problem.into();
        if offline::is_lost(&problem) {
            // Said by the banner, which stays until the server is back.
            return self.server_lost();
        }
        self.message = Some(problem);
    }

    /// Whether background work is still running (the tests wait for it).
    pub fn busy(&self) -> bool {
        self.worker.busy()
    }

    /// Carries out the intents of this frame; `true` when there were any.
    pub fn apply(&mut self) -> bool {
        let any = !self.intents.is_empty();
        while !self.intents.is_empty() {
            for intent in std::mem::take(&mut self.intents) {
                self.apply_one(intent);
            }
        }
        any
    }

    fn apply_one(&mut self, intent: Intent) {
        match intent {
            Intent::SignIn => self.sign_in(),
            Intent::SignOut => {
                self.save_editor();
                if self.unsaved() && !self.confirm_sign_out {
                    self.confirm_sign_out = true;
                    return;
                }
                self.confirm_sign_out = false;
                self.release_hold();
                self.focus_login = true;
                self.panels = screens::Panels::default();
                self.worker.stop_delivery();
                self.session = None;
                self.login.clear();
                self.search.clear();
                self.rows.clear();
                self.outbox.clear();
                self.editor = None;
                self.review = review::Review::default();
                self.paper = paper::Paper::default();
                self.settings = settings::SettingsForm::default();
                self.terminal_pw = terminal_pw::TerminalPw::default();
                self.message = None;
                self.notice = None;
                self.screen = Screen::SignIn;
            }
            Intent::Search => self.refresh_list(),
            Intent::Show(screen) => self.show(screen),
            Intent::Open(id) => self.open(id),
            Intent::Renew(id) => self.renew(id),
            Intent::NewOpinion => self.new_opinion(),
            Intent::Editor(e) => self.editor_intent(e),
            Intent::HandOver => self.hand_over(),
            Intent::Review => self.start_review(),
            Intent::Reopen(id) => self.reopen(id),
            Intent::Zoom(z) => self.set_zoom(z),
            Intent::ToggleLang => {
                self.lang = match self.lang {
                    Lang::Ja => Lang::En,
                    Lang::En => Lang::Ja,
                };
            }
            Intent::IdleSignOut => {
                self.apply_one(Intent::SignOut);
                if self.session.is_none() {
                    self.notify(Said::new("app-idle-signed-out"), Screen::SignIn);
                }
            }
            Intent::Dismiss => self.message = None,
            Intent::DismissNotice => self.notice = None,
            Intent::Print(kind) => self.print(kind),
            Intent::OpenViewer(path) => {
                if let Some(s) = &self.session {
                    self.paper.viewer_error = None;
                    self.worker.start(s, work::Job::OpenViewer(path));
                }
            }
            Intent::Pin(p) => self.pin_intent(p),
            Intent::Settings(i) => self.settings_intent(i),
            Intent::About(open) => self.about = open,
            Intent::StaySignedIn => self.confirm_sign_out = false,
            // Zeroizing wipes it as it drops.
            Intent::RecoveryKeyWrittenDown => self.recovery_key = None,
            Intent::TogglePanel { sections, shown } => {
                if sections {
                    self.panels.sections = Some(!shown);
                } else {
                    self.panels.worklist = Some(!shown);
                }
            }
            Intent::TerminalPassword(i) => self.terminal_pw_intent(i),
            Intent::Pick(what) => self.pick(what),
            Intent::Guide(i) => self.guide_intent(i),
            Intent::Restore(i) => self.restore_intent(i),
        }
    }

    fn sign_in(&mut self) {
        let password = Zeroizing::new(std::mem::take(&mut *self.password));
        match self.store.sign_in(self.login.trim(), &password) {
            Ok(s) => {
                self.idle_limit = self
                    .store
                    .clinic_settings()
                    .map_or(crate::store::DEFAULT_IDLE_MINUTES, |c| c.idle_minutes())
                    .into();
                self.idle_limit *= 60.0;
                self.worker.start_delivery(&s);
                let lists = s.roles().allow(Action::Open);
                self.session = Some(s);
                self.message = self.startup_problem.take();
                self.notice = None;
                // What this person typed while the server was away, saved now.
                self.replay_journal();
                // An administrator who writes no opinions lands on 設定.
                if lists {
                    self.screen = Screen::List;
                    self.refresh_list();
                } else {
                    self.show(Screen::Settings);
                }
                self.ask_terminal_password();
                self.start_daily_backup();
            }
            Err(e) => self.problem(e),
        }
    }

    fn show(&mut self, screen: Screen) {
        self.save_editor();
        self.message = None;
        if screen != self.notice_on {
            self.notice = None;
        }
        self.paper.viewer_error = None;
        match screen {
            Screen::List => self.refresh_list(),
            Screen::Outbox => self.refresh_outbox(),
            Screen::Settings => self.load_settings(),
            Screen::Paper => {
                self.paper.printed = None;
                self.prepare_preview();
            }
            _ => {}
        }
        self.screen = screen;
    }

    pub(crate) fn refresh_list(&mut self) {
        let Some(s) = &self.session else {
            return;
        };
        let q = Query {
            text: self.search.clone(),
            ..Query::default()
        };
        match self.store.search(s, &q) {
            Ok(mut rows) => {
                // Drafts past their 提出期限 first, the most overdue at the top.
                let today = crate::form::Context::today_in_japan().today.to_string();
                let overdue = |r: &OpinionInfo| {
                    r.state.is_draft() && r.due_date.as_deref().is_some_and(|d| d < today.as_str())
                };
                rows.sort_by(|a, b| match (overdue(a), overdue(b)) {
                    (true, true) => a.due_date.cmp(&b.due_date),
                    (true, false) => std::cmp::Ordering::Less,
                    (false, true) => std::cmp::Ordering::Greater,
                    (false, false) => std::cmp::Ordering::Equal,
                });
                self.rows = rows;
                self.rows_as_of = Some(offline::read_at());
                self.refresh_holders();
            }
            Err(e) => self.problem(e),
        }
    }

    pub(crate) fn refresh_outbox(&mut self) {
        let Some(s) = &self.session else {
            return;
        };
        match self.store.outbox_entries(s) {
            Ok(lines) => self.outbox = lines,
            Err(e) => self.problem(e),
        }
    }

    fn open(&mut self, opinion_id: i64) {
        self.save_editor();
        let Some(s) = self.session.clone() else {
            return;
        };
        let opened = match self.store.open_opinion(&s, opinion_id) {
            Ok(o) => o,
            Err(e) => return self.problem(e),
        };
        let form = match FormDef::builtin(opened.opinion.form_version) {
            Ok(f) => f,
            Err(e) => return self.problem(StoreError::Form(e.to_string())),
        };
        let editable = opened.info.state.is_draft() && s.roles().allow(Action::Edit);
        let mut editor = Editor::new(opened, form, editable);
        // What the last opinion said, for the items that changed since (copy-forward).
        if let Ok(Some(from_version)) = self.store.renewed_from(opinion_id)
            && let Ok(prev) = self.store.open_version(&s, from_version)
        {
            editor.previous = Some(prev.opinion);
        }
        editor.earlier_opinion = self.store.has_earlier_opinion(&s, opinion_id).ok();
        editor.revalidate();
        editor.prefill(crate::form::Context::today_in_japan().today);
        self.editor = Some(editor);
        self.message = None;
        self.notice = None;
        self.screen = Screen::Editor;
        self.save_editor();
    }

    fn renew(&mut self, opinion_id: i64) {
        let Some(s) = self.session.clone() else {
            return;
        };
        let Some(row) = self.rows.iter().find(|r| r.id == opinion_id).cloned() else {
            return;
        };
        let today = crate::form::Context::today_in_japan().today;
        match self
            .store
            .renew(&s, &row.insurer_number, &row.insured_number, None, today)
        {
            Ok(draft) => self.open(draft.opinion_id),
            Err(e) => self.problem(e),
        }
    }

    fn new_opinion(&mut self) {
        let Some(s) = self.session.clone() else {
            return;
        };
        let today = crate::form::Context::today_in_japan().today;
        let new = crate::store::NewOpinion {
            applicant: crate::form::opinion::Applicant::default(),
            request: None,
            physician: None,
        };
        match self.store.create_opinion(&s, new, today) {
            Ok(draft) => self.open(draft.opinion_id),
            Err(e) => self.problem(e),
        }
    }

    fn reopen(&mut self, opinion_id: i64) {
        let Some(s) = self.session.clone() else {
            return;
        };
        match self.store.reopen(&s, opinion_id) {
            Ok(_) => self.open(opinion_id),
            Err(e) => self.problem(e),
        }
    }

    /// Saves the editor's opinion when it changed (autosave: after every frame with an edit).
    pub fn save_editor(&mut self) {
        let (Some(s), Some(ed)) = (&self.session, &mut self.editor) else {
            return;
        };
        // A composition in progress is not text yet: it is saved once committed. After a
        // conflict, nothing is saved until the person chose how to go on.
        if !ed.dirty || !ed.editable || self.composing || ed.conflict.is_some() {
            return;
        }
        // The server is away: kept on this terminal until it is back.
        if self.lost.is_some() {
            self.keep_locally();
            return;
        }
        match self
            .store
            .autosave(s, ed.version_id, ed.revision, &ed.opinion)
        {
            Ok(saved) => {
                ed.revision = saved.revision;
                ed.dirty = false;
                ed.save_error = None;
                ed.base.clone_from(&ed.opinion);
                if std::mem::take(&mut ed.kept_locally)
                    && let Some(j) = &self.journal
                    && let Err(e) = j.remove(ed.version_id)
                {
                    ed.save_error = Some(Problem::Store(e));
                }
                if !saved.changed.is_empty()
                    && let Ok(m) = self.store.marks(s, ed.version_id)
                {
                    ed.marks = m;
                }
            }
            Err(e) if together::is_conflict(&e) => self.on_conflict(e),
            Err(e) if e.is_server_lost() => {
                self.server_lost();
                self.keep_locally();
            }
            Err(e) => {
                // The edit stays in memory and is saved again at the next frame.
                ed.save_error = Some(Problem::Store(e));
            }
        }
    }

    fn editor_intent(&mut self, intent: EditorIntent) {
        if matches!(intent, EditorIntent::KeepMine | EditorIntent::TakeTheirs) {
            return self.conflict_intent(&intent);
        }
        self.save_editor();
        let (Some(s), Some(ed)) = (&self.session, &mut self.editor) else {
            return;
        };
        let result = match &intent {
            EditorIntent::Confirm(items) => self.store.confirm_items(s, ed.version_id, items),
            EditorIntent::ReviewClerkItems => self.store.review_items(s, ed.version_id, &[]),
            EditorIntent::KeepMine | EditorIntent::TakeTheirs => return,
        };
        match result.and_then(|()| self.store.marks(s, ed.version_id)) {
            Ok(m) => ed.marks = m,
            Err(e) => self.problem(e),
        }
    }

    fn hand_over(&mut self) {
        self.save_editor();
        let (Some(s), Some(ed)) = (&self.session, &self.editor) else {
            return;
        };
        match self
            .store
            .hand_over(s, ed.opinion_id, State::AwaitingPhysician)
        {
            Ok(()) => {
                self.notify(Said::new("app-handed-over"), Screen::List);
                self.editor = None;
                self.show(Screen::List);
            }
            Err(e) => self.problem(e),
        }
    }

    fn set_zoom(&mut self, zoom: f32) {
        self.zoom = zoom.clamp(0.75, 2.0);
        if let Some(s) = &self.session {
            let _ = self
                .store
                .set_display_settings(s, &DisplaySettings { zoom: self.zoom });
        }
        self.zoom_changed = true;
    }

    /// Takes in what the threads finished.
    fn take_work(&mut self) {
        for done in self.worker.take() {
            match done {
                Done::Delivery(Ok(_)) | Done::Changed => {
                    if self.screen == Screen::Outbox {
                        self.refresh_outbox();
                    } else if self.screen == Screen::List {
                        self.refresh_list();
                    }
                }
                Done::Delivery(Err(e)) => self.problem(e),
                Done::DeliveryRestarted => self.problem(Said::new("app-delivery-restarted")),
                Done::Readers(r) => self.review.readers_done(r),
                Done::CardStatus(r) => {
                    if self.review.card_done(r)
                        && let Some(reader) = &self.review.reader
                    {
                        // Chosen by hand: this terminal uses it when two readers hold cards.
                        let _ = self.worker.services.card.remember(reader);
                    }
                }
                Done::Route(r) => self.review.route_done(r),
                Done::Signed { opinion_id, result } => self.signed(opinion_id, result),
                Done::Printed(r) => self.printed(r),
                Done::Viewer(r) => self.paper.viewer_error = r.err(),
                Done::Laid { seq, result } => self.laid(seq, result),
                Done::DailyBackup { folder, result } => self.daily_backup_done(folder, result),
                Done::Picked { what, path } => self.picked(what, path),
                Done::ConnectionTested(r) => {
                    self.settings.connection_testing = false;
                    self.settings.connection_test = Some(r);
                }
                Done::CardTested(r) => {
                    self.settings.card_testing = false;
                    self.settings.card_test = Some(r);
                }
                Done::Imported(r) => self.imported(r),
                Done::CsvExported(r) => {
                    if r.is_ok() {
                        self.count_csv_written();
                    }
                    self.paper.csv = Some(r);
                }
                Done::BackedUp(r) => {
                    self.settings.backing_up = false;
                    self.settings.result = Some(
                        r.map(|dest| {
                            Said::with(
                                "app-backup-done",
                                vec![("path", dest.display().to_string())],
                            )
                        })
                        .map_err(Problem::from),
                    );
                }
            }
        }
    }

    /// Signs out after the clinic's idle time without a key or a pointer moved (医療情報システムの
    /// 安全管理: automatic log-off), saving the draft first. Not while a job runs (a signature, a
    /// print) or an edit could not be saved yet; until then the window wakes up to check.
    fn idle(&mut self, ctx: &egui::Context) {
        let (now, touched) = ctx.input(|i| (i.time, !i.raw.events.is_empty()));
        if touched || self.session.is_none() {
            self.last_activity = now;
        }
        if self.session.is_none() {
            return;
        }
        let left = self.idle_limit - (now - self.last_activity);
        if left <= 0.0 && !self.busy() && !self.unsaved() && !self.composing {
            self.save_editor();
            self.push(Intent::IdleSignOut);
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(left.max(1.0)));
        }
    }

    /// While an IME composes, Enter confirms the composition: it must not reach the widgets as
    /// "submit" or "move on".
    fn filter_ime(&mut self, ctx: &egui::Context) {
        ctx.input_mut(|i| {
            let mut composing = self.composing;
            i.events.retain(|e| match e {
                egui::Event::Ime(egui::ImeEvent::Preedit { text, .. }) => {
                    composing = !text.is_empty();
                    true
                }
                egui::Event::Ime(egui::ImeEvent::Commit(_)) => {
                    composing = false;
                    true
                }
                egui::Event::Key {
                    key: egui::Key::Enter,
                    ..
                } => !composing,
                _ => true,
            });
            self.composing = composing;
        });
    }
}

impl eframe::App for IkenshoApp {
    /// Every frame, and also while the window is hidden when a thread asked for a repaint: takes
    /// in what the threads finished and carries out what follows from it.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.take_work();
        let now = ctx.input(|i| i.time);
        // Who has the draft on screen: taken, renewed or let go with the screen shown.
        self.sync_hold(now);
        if self.held.is_some() {
            ctx.request_repaint_after(crate::store::editing::RENEW_EVERY);
        }
        self.look_for_server(now);
        if self.lost.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.apply();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.input(&ctx);
        self.draw(ui, &ctx);
        if self.apply() {
            // What changed is drawn at once, not at the next event.
            ctx.request_repaint();
        }
        self.save_editor();
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Closing the window loses nothing: the last edit is saved.
        self.save_editor();
        self.release_hold();
        self.backup_at_exit();
    }
}

impl IkenshoApp {
    /// Before drawing: the zoom asked for, the IME's state and the keys that act on the whole
    /// window.
    fn input(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.zoom_changed) {
            ctx.set_zoom_factor(self.zoom);
        }
        self.idle(ctx);
        self.filter_ime(ctx);
        if self.screen == Screen::Editor
            && ctx.input(|i| i.key_pressed(egui::Key::F8))
            && let Some(ed) = &mut self.editor
        {
            let physician = self
                .session
                .as_ref()
                .is_some_and(|s| s.roles().allow(Action::Sign));
            ed.jump_next(physician);
        }
    }

    /// The screens: they read the state and push intents.
    fn draw(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        if self.session.is_some() {
            self.top_bar(ui);
        }
        if self.lost.is_some() {
            egui::Panel::top("offline").show(ui, |ui| self.offline_banner(ui));
        }
        match self.screen {
            Screen::SignIn => {
                egui::CentralPanel::default().show(ui, |ui| self.sign_in_screen(ui));
            }
            Screen::List => {
                egui::CentralPanel::default().show(ui, |ui| self.list_screen(ui));
            }
            Screen::Editor => self.editor_screen(ui),
            Screen::Review => self.review_screen(ui),
            Screen::Outbox => {
                egui::CentralPanel::default().show(ui, |ui| self.outbox_screen(ui));
            }
            Screen::Paper => {
                egui::CentralPanel::default().show(ui, |ui| self.paper_screen(ui));
            }
            Screen::Settings => {
                egui::CentralPanel::default().show(ui, |ui| self.settings_screen(ui));
            }
            Screen::Guide => self.guide_screen(ui),
        }
        self.pin_dialog(ctx);
        self.sign_out_dialog(ctx);
        self.about_dialog(ctx);
        self.terminal_pw_dialog(ctx);
        self.restore_dialog(ctx);
        self.recovery_key_dialog(ctx);
    }

    /// Which ikensho this is: its version, the forms it writes, when it was built.
    fn about_dialog(&mut self, ctx: &egui::Context) {
        if !self.about {
            return;
        }
        let mut close = false;
        egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
            ui.set_max_width(theme::FIELD_WIDTH * 1.5);
            ui.heading(self.t("app-title"));
            for line in crate::cli::LONG_VERSION.lines() {
                ui.label(line);
            }
            ui.add_space(theme::GAP);
            close = ui.button(self.t("app-dismiss")).clicked();
        });
        if close {
            self.push(Intent::About(false));
        }
    }

    /// Asks before signing out loses an edit that could not be saved.
    fn sign_out_dialog(&mut self, ctx: &egui::Context) {
        if !self.confirm_sign_out {
            return;
        }
        let mut go = false;
        let mut stay = false;
        egui::Modal::new(egui::Id::unique("unsaved-at-sign-out")).show(ctx, |ui| {
            ui.set_max_width(theme::FIELD_WIDTH * 1.5);
            ui.label(self.t("app-sign-out-unsaved"));
            ui.horizontal_wrapped(|ui| {
                go = ui.button(self.t("app-sign-out-anyway")).clicked();
                stay = ui.button(self.t("app-cancel")).clicked();
            });
        });
        if stay {
            self.push(Intent::StaySignedIn);
        }
        if go {
            self.push(Intent::SignOut);
        }
    }
}

/// The text of `key` in `lang` (the key itself when the built-in locales are missing).
pub(crate) fn tr(lang: Lang, key: &str) -> String {
    Locales::builtin()
        .map(|l| l.text(lang, key, None))
        .unwrap_or_else(|_| key.to_owned())
}

/// The text of `key` in `lang` with its placeables (the key itself without the built-in locales).
pub(crate) fn tr_args(lang: Lang, key: &str, pairs: &[(&str, String)]) -> String {
    Locales::builtin()
        .map(|l| l.text_with(lang, key, pairs))
        .unwrap_or_else(|_| key.to_owned())
}

fn window_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 860.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("ikensho — 主治医意見書"),
        ..Default::default()
    }
}

/// Opens the window on `store` (blocks until it is closed).
pub fn run(store: Store, lang: Lang, services: Services) -> Result<(), eframe::Error> {
    eframe::run_native(
        "ikensho",
        window_options(),
        Box::new(move |cc| {
            Ok(Box::new(lock::Root::Open(Box::new(IkenshoApp::new(
                &cc.egui_ctx,
                store,
                lang,
                services,
            )))))
        }),
    )
}

/// Opens the window on a PC with no data yet: the first start's screen, then the set-up guide
/// (blocks until the window is closed).
pub fn run_first(first: first_run::FirstRun) -> Result<(), eframe::Error> {
    eframe::run_native(
        "ikensho",
        window_options(),
        Box::new(move |cc| Ok(Box::new(lock::Root::setup(&cc.egui_ctx, first)))),
    )
}

/// Opens the window on the store at `path` whose key is kept behind a passphrase: the window
/// asks for it first (blocks until the window is closed).
pub fn run_locked(
    behind: lock::Behind,
    lang: Lang,
    services: impl FnOnce(&Store) -> Services + 'static,
) -> Result<(), eframe::Error> {
    eframe::run_native(
        "ikensho",
        window_options(),
        Box::new(move |cc| {
            Ok(Box::new(lock::Root::locked(
                &cc.egui_ctx,
                behind,
                lang,
                services,
            )))
        }),
    )
}
