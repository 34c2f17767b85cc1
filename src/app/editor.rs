//! The editor: the form in printed order, one section at a time, with the section list and its
//! progress on the left and the findings on the right. Every item has its label, a help text from
//! the 手引き, its findings inline, and for a copied-forward opinion what changed since the last
//! one and a 確認済 mark. Edits change the Opinion in memory; the window saves after every frame
//! that changed it (autosave), so closing the window loses nothing.

use egui::{Align, Id, RichText, Ui};

use super::theme;
use crate::form::def::{Field, Item, ItemKind};
use crate::form::describe::Describer;
use crate::form::normalize::{is_blank, nfkc_trim};
use crate::form::opinion::{Answer, DateInput, Editable, ValueRef};
use crate::form::validate::validate_shown;
use crate::form::{Context, Era, FormDef, Opinion, Report, Severity, WarekiDate};
use crate::i18n::{Lang, Locales};
use crate::store::{ItemMark, Origin, State};

/// An opinion open in the editor.
pub struct Editor {
    pub opinion_id: i64,
    pub version_id: i64,
    pub revision: i64,
    pub version_number: i64,
    pub state: State,
    pub opinion: Opinion,
    pub form: &'static FormDef,
    /// Whether this copy may be edited (a draft, by someone who may edit).
    pub editable: bool,
    pub marks: Vec<ItemMark>,
    /// The last opinion, when this one was copied forward from it.
    pub previous: Option<Opinion>,
    /// The municipality's reason, after a 差し戻し.
    pub note: Option<String>,
    pub report: Report,
    shown: Vec<bool>,
    /// The section shown.
    pub section: usize,
    /// The item to give the keyboard focus at the next frame.
    pub focus: Option<String>,
    /// The item that has the keyboard focus.
    pub current: Option<String>,
    /// The item whose help is open.
    help: Option<String>,
    /// Changed since the last save.
    pub dirty: bool,
    /// A save failed: the message (the edit stays in memory and is saved again).
    pub save_error: Option<String>,
}

/// What the editor asks the window to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorIntent {
    /// Mark copied-forward items as confirmed unchanged (確認済).
    Confirm(Vec<String>),
    /// The physician has looked at what the clerk entered.
    ReviewClerkItems,
}

impl Editor {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        opinion_id: i64,
        version_id: i64,
        revision: i64,
        version_number: i64,
        state: State,
        opinion: Opinion,
        form: &'static FormDef,
        editable: bool,
        marks: Vec<ItemMark>,
    ) -> Editor {
        let mut e = Editor {
            opinion_id,
            version_id,
            revision,
            version_number,
            state,
            opinion,
            form,
            editable,
            marks,
            previous: None,
            note: None,
            report: Report::default(),
            shown: Vec::new(),
            section: 0,
            focus: None,
            current: None,
            help: None,
            dirty: false,
            save_error: None,
        };
        e.revalidate();
        e
    }

    /// Validates again and works out which items apply (after every change).
    pub fn revalidate(&mut self) {
        (self.report, self.shown) =
            validate_shown(&self.opinion, self.form, &Context::today_in_japan());
    }

    fn mark(&self, id: &str) -> Option<&ItemMark> {
        self.marks.iter().find(|m| m.item == id)
    }

    /// Items that need attention, in printed order: findings, copied-forward items not confirmed
    /// yet, and (for a physician) items a clerk changed.
    pub fn attention(&self, physician: bool) -> Vec<String> {
        self.form
            .items
            .iter()
            .enumerate()
            .filter(|(i, item)| {
                self.shown.get(*i).copied().unwrap_or(true)
                    && (self.report.for_item(&item.id).next().is_some()
                        || self.mark(&item.id).is_some_and(|m| {
                            m.origin == Some(Origin::Carried) || (physician && m.clerk_pending)
                        }))
            })
            .map(|(_, item)| item.id.clone())
            .collect()
    }

    /// Moves to the next item that needs attention after the current one (wrapping round).
    pub fn jump_next(&mut self, physician: bool) -> bool {
        let list = self.attention(physician);
        let here = self
            .current
            .as_deref()
            .and_then(|id| self.form.index_of(id));
        let next = list
            .iter()
            .find(|id| match (self.form.index_of(id), here) {
                (Some(i), Some(h)) => i > h,
                _ => true,
            })
            .or_else(|| list.first())
            .cloned();
        match next {
            Some(id) => {
                self.jump_to(&id);
                true
            }
            None => false,
        }
    }

    /// Shows the section of `id` and gives the item the focus.
    pub fn jump_to(&mut self, id: &str) {
        if let Some(item) = self.form.item(id) {
            self.section = item.section;
            self.focus = Some(id.to_owned());
            self.current = Some(id.to_owned());
        }
    }

    /// Answered items of a section that count for its progress: (answered, applicable).
    pub fn progress(&self, section: usize) -> (usize, usize) {
        let Some(s) = self.form.sections.get(section) else {
            return (0, 0);
        };
        let mut done = 0;
        let mut all = 0;
        for i in s.items.clone() {
            let item = &self.form.items[i];
            if !item.has_value() || !self.shown.get(i).copied().unwrap_or(true) {
                continue;
            }
            if item.required.is_none() && item.required_when.is_none() {
                continue;
            }
            all += 1;
            if self.opinion.value(item).is_answered() {
                done += 1;
            }
        }
        (done, all)
    }

    fn section_has(&self, section: usize, severity: Severity) -> bool {
        self.report.findings.iter().any(|f| {
            f.severity == severity
                && self
                    .form
                    .item(&f.item)
                    .is_some_and(|item| item.section == section)
        })
    }

    /// The section list (left panel).
    pub fn sections_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let l = locales();
        for (i, s) in self.form.sections.iter().enumerate() {
            let (done, all) = self.progress(i);
            let title = text(l, lang, &s.label_key());
            let mark = if self.section_has(i, Severity::Error) {
                "●"
            } else if done == all {
                "✓"
            } else {
                "○"
            };
            let label = format!("{mark} {title}  {done}/{all}");
            let color = if self.section_has(i, Severity::Error) {
                theme::ERROR
            } else if done == all {
                theme::OK
            } else {
                theme::TEXT
            };
            let r = ui.selectable_label(self.section == i, RichText::new(label).color(color));
            if r.clicked() {
                self.section = i;
            }
        }
    }

    /// The findings panel (right): each finding jumps to its item.
    pub fn findings_ui(&mut self, ui: &mut Ui, lang: Lang, physician: bool) {
        let l = locales();
        let d = Describer {
            locales: l,
            lang,
            form: self.form,
        };
        let errors = self.report.count(Severity::Error);
        let warnings = self.report.count(Severity::Warning);
        ui.heading(text(l, lang, "app-findings"));
        ui.label(l.text_with(
            lang,
            "app-findings-count",
            &[
                ("errors", errors.to_string()),
                ("warnings", warnings.to_string()),
            ],
        ));
        if ui
            .button(text(l, lang, "app-next-attention"))
            .on_hover_text("F8")
            .clicked()
        {
            self.jump_next(physician);
        }
        ui.separator();
        let mut jump = None;
        egui::ScrollArea::vertical()
            .id_salt("findings")
            .show(ui, |ui| {
                for f in &self.report.findings {
                    let color = match f.severity {
                        Severity::Error => theme::ERROR,
                        Severity::Warning => theme::WARNING,
                    };
                    let head = format!("{} {}", d.severity(f.severity), d.item_path(&f.item));
                    ui.label(RichText::new(head).color(color).size(theme::SMALL_PT));
                    if ui.link(d.finding(f)).clicked() {
                        jump = Some(f.item.clone());
                    }
                    ui.add_space(theme::GAP * 0.5);
                }
            });
        if let Some(id) = jump {
            self.jump_to(&id);
        }
    }

    /// The items of the current section (centre).
    pub fn items_ui(&mut self, ui: &mut Ui, lang: Lang, intents: &mut Vec<EditorIntent>) {
        let l = locales();
        let form = self.form;
        let Some(section) = form.sections.get(self.section) else {
            return;
        };
        let range = section.items.clone();
        ui.heading(text(l, lang, &section.label_key()));
        ui.add_space(theme::GAP);
        let mut changed = false;
        for i in range {
            if !self.shown.get(i).copied().unwrap_or(true) {
                continue;
            }
            let item = &form.items[i];
            changed |= self.item_ui(ui, l, lang, item, intents);
            ui.add_space(theme::GAP);
        }
        if changed {
            self.dirty = true;
            self.revalidate();
        }
    }

    fn item_ui(
        &mut self,
        ui: &mut Ui,
        l: &Locales,
        lang: Lang,
        item: &'static Item,
        intents: &mut Vec<EditorIntent>,
    ) -> bool {
        let label_text = text(l, lang, &item.label_key());
        if item.kind == ItemKind::Note {
            ui.label(RichText::new(label_text).color(theme::MUTED));
            return false;
        }
        let required = item.required.is_some() || item.required_when.is_some();
        let mut changed = false;
        let mut label_id = None;
        ui.horizontal_wrapped(|ui| {
            let r = ui.label(RichText::new(label_text.clone()).strong());
            label_id = Some(r.id);
            if required {
                ui.label(RichText::new(text(l, lang, "app-required")).color(theme::ERROR));
            }
            if !item.help.is_empty() {
                let open = self.help.as_deref() == Some(item.id.as_str());
                let help = ui
                    .small_button(text(l, lang, "app-help"))
                    .on_hover_ui(|ui| {
                        // Formatted only while hovered, not in every frame.
                        ui.label(text(l, lang, &item.help));
                    });
                if help.clicked() {
                    self.help = if open { None } else { Some(item.id.clone()) };
                }
            }
            self.marks_ui(ui, l, lang, item, intents);
        });
        if self.help.as_deref() == Some(item.id.as_str()) {
            egui::Frame::group(ui.style())
                .fill(theme::HELP_FILL)
                .show(ui, |ui| {
                    ui.label(text(l, lang, &item.help));
                });
        }
        let label_id = label_id.unwrap_or(Id::NULL);
        let focus_me = self.focus.as_deref() == Some(item.id.as_str());
        let enabled = self.editable;
        let out = ui
            .add_enabled_ui(enabled, |ui| self.value_ui(ui, l, lang, item, label_id))
            .inner;
        changed |= out.changed;
        if focus_me {
            if let Some(first) = &out.first {
                first.request_focus();
                first.scroll_to_me(Some(Align::Center));
            }
            self.focus = None;
        }
        if out.focused {
            self.current = Some(item.id.clone());
        }
        let d = Describer {
            locales: l,
            lang,
            form: self.form,
        };
        for f in self.report.for_item(&item.id) {
            let color = match f.severity {
                Severity::Error => theme::ERROR,
                Severity::Warning => theme::WARNING,
            };
            ui.label(
                RichText::new(format!("{} {}", d.severity(f.severity), d.finding(f))).color(color),
            );
        }
        changed
    }

    fn marks_ui(
        &self,
        ui: &mut Ui,
        l: &Locales,
        lang: Lang,
        item: &Item,
        intents: &mut Vec<EditorIntent>,
    ) {
        let Some(m) = self.mark(&item.id) else {
            return;
        };
        match m.origin {
            Some(Origin::Carried) => {
                ui.label(RichText::new(text(l, lang, "app-carried")).color(theme::ACCENT));
                if self.editable && ui.small_button(text(l, lang, "app-confirm")).clicked() {
                    intents.push(EditorIntent::Confirm(vec![item.id.clone()]));
                }
            }
            Some(Origin::Confirmed) => {
                ui.label(RichText::new(text(l, lang, "app-confirmed")).color(theme::OK));
            }
            Some(Origin::Changed) => {
                let before = self
                    .previous
                    .as_ref()
                    .map(|p| value_text(l, lang, self.form, item, p.value(item)))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(l.text_with(lang, "app-changed", &[("before", before)]))
                        .color(theme::WARNING),
                );
            }
            None => {}
        }
        if m.clerk_pending {
            ui.label(RichText::new(text(l, lang, "app-clerk-pending")).color(theme::ACCENT));
        }
    }

    /// The input widgets of one item.
    fn value_ui(
        &mut self,
        ui: &mut Ui,
        l: &Locales,
        lang: Lang,
        item: &'static Item,
        label: Id,
    ) -> Out {
        let mut out = Out::default();
        if item.kind == ItemKind::GregorianDate
            || matches!(item.bind, Some(Field::RequestId | Field::ApplicationKind))
        {
            let v = value_text(l, lang, self.form, item, self.opinion.value(item));
            let shown = if v.is_empty() { "—".to_owned() } else { v };
            ui.label(shown);
            return out;
        }
        let Some(value) = self.opinion.edit(item) else {
            return out;
        };
        match value {
            Editable::Text(s) => text_or_single(ui, l, lang, item, s, label, &mut out),
            Editable::Date(d) => date_ui(ui, l, lang, item, d, label, &mut out),
            Editable::Answer(a) => answer_ui(ui, l, lang, item, a, label, &mut out),
        }
        out
    }
}

fn locales() -> &'static Locales {
    // The built-in locales are checked by the tests; without them nothing would show at all.
    #[allow(clippy::expect_used)]
    Locales::builtin().expect("built-in locales")
}

fn text(l: &Locales, lang: Lang, key: &str) -> String {
    l.text(lang, key, None)
}

/// What an item's widgets did this frame.
#[derive(Default)]
struct Out {
    /// The first widget: it takes the focus on a jump.
    first: Option<egui::Response>,
    changed: bool,
    /// One of its widgets has the keyboard focus.
    focused: bool,
}

impl Out {
    fn seen(&mut self, r: egui::Response) {
        self.focused |= r.has_focus();
        self.changed |= r.changed();
        if self.first.is_none() {
            self.first = Some(r);
        }
    }
}

/// The id of the `k`-th input widget of an item (the first one takes the focus on a jump).
pub fn widget_id(item: &str, k: usize) -> Id {
    Id::unique(("item", item, k))
}

fn choice_label(l: &Locales, lang: Lang, item: &Item, c: &str) -> String {
    l.text(lang, &item.choice_label_key(c), None)
}

/// A value as one line of text (for what changed since the last opinion, and read-only fields).
pub fn value_text(l: &Locales, lang: Lang, form: &FormDef, item: &Item, v: ValueRef<'_>) -> String {
    let d = Describer {
        locales: l,
        lang,
        form,
    };
    match v {
        ValueRef::Empty => String::new(),
        ValueRef::Flag(b) => if b { "✓" } else { "" }.to_owned(),
        ValueRef::Text(s) if item.kind == ItemKind::Single => {
            if s.is_empty() {
                String::new()
            } else {
                choice_label(l, lang, item, s)
            }
        }
        ValueRef::Text(s) if item.kind == ItemKind::GregorianDate => s
            .parse::<jiff::civil::Date>()
            .map(|date| d.date(date))
            .unwrap_or_else(|_| s.to_owned()),
        ValueRef::Text(s) => s.to_owned(),
        ValueRef::List(list) if item.kind == ItemKind::Multi => list
            .iter()
            .map(|c| choice_label(l, lang, item, c))
            .collect::<Vec<_>>()
            .join("・"),
        ValueRef::List(list) => list.join("・"),
        ValueRef::Marked(m) => m
            .selected
            .iter()
            .map(|c| choice_label(l, lang, item, c))
            .collect::<Vec<_>>()
            .join("・"),
        ValueRef::Date(date) => {
            if date.is_blank() {
                String::new()
            } else {
                let era = Era::from_id(&date.era)
                    .map(|e| l.text(lang, &format!("era-{}", e.id()), None))
                    .unwrap_or_default();
                let part = |s: &str, unit: &str| {
                    if is_blank(s) {
                        String::new()
                    } else {
                        format!("{}{unit}", nfkc_trim(s))
                    }
                };
                format!(
                    "{era}{}{}{}",
                    part(&date.year, "年"),
                    part(&date.month, "月"),
                    part(&date.day, "日")
                )
            }
        }
    }
}

/// Full-width digits become ASCII when the field is left (what the validator reads anyway).
fn normalise_on_leave(r: &egui::Response, s: &mut String) -> bool {
    if r.lost_focus() {
        let n = nfkc_trim(s);
        if n != *s && n.chars().all(|c| c.is_ascii_digit() || "-.() ".contains(c)) {
            *s = n;
            return true;
        }
    }
    false
}

fn line_edit(ui: &mut Ui, s: &mut String, id: Id, label: Id, width: f32) -> egui::Response {
    ui.add(egui::TextEdit::singleline(s).id(id).desired_width(width))
        .labelled_by(label)
}

fn text_or_single(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    s: &mut String,
    label: Id,
    out: &mut Out,
) {
    if item.kind == ItemKind::Single {
        single_ui(ui, l, lang, item, s, out);
    } else {
        text_ui(ui, l, lang, item, s, label, out);
    }
}

fn text_ui(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    s: &mut String,
    label: Id,
    out: &mut Out,
) {
    let id = widget_id(&item.id, 0);
    if item.kind == ItemKind::Multiline {
        let r = ui
            .add(
                egui::TextEdit::multiline(s)
                    .id(id)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        out.seen(r);
        if let Some(fit) = item.fit {
            let n = s.chars().count();
            let color = if n > fit.chars {
                theme::WARNING
            } else {
                theme::MUTED
            };
            ui.label(
                RichText::new(l.text_with(
                    lang,
                    "app-chars",
                    &[("count", n.to_string()), ("fit", fit.chars.to_string())],
                ))
                .color(color)
                .size(theme::SMALL_PT),
            );
        }
        return;
    }
    let width = match item.kind {
        ItemKind::Number | ItemKind::Identifier => theme::NUMBER_WIDTH * 2.5,
        _ => theme::FIELD_WIDTH * 1.5,
    };
    ui.horizontal(|ui| {
        let r = line_edit(ui, s, id, label, width);
        if matches!(item.kind, ItemKind::Number | ItemKind::Identifier) {
            out.changed |= normalise_on_leave(&r, s);
        }
        out.seen(r);
        if let Some(unit) = &item.unit {
            ui.label(text(l, lang, &format!("unit-{unit}")));
        }
    });
}

fn single_ui(ui: &mut Ui, l: &Locales, lang: Lang, item: &Item, s: &mut String, out: &mut Out) {
    ui.horizontal_wrapped(|ui| {
        for (k, c) in item.choices.iter().enumerate() {
            let on = s == c;
            let r = ui
                .push_id(widget_id(&item.id, k), |ui| {
                    ui.radio(on, choice_label(l, lang, item, c))
                })
                .inner;
            if r.clicked() {
                // Choosing the chosen one again clears it.
                *s = if on { String::new() } else { c.clone() };
                out.changed = true;
            }
            out.seen(r);
        }
    });
}

fn date_ui(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    d: &mut DateInput,
    label: Id,
    out: &mut Out,
) {
    ui.horizontal_wrapped(|ui| {
        if item.kind == ItemKind::ReiwaDate {
            ui.label(text(l, lang, "era-reiwa"));
            if d.era.is_empty() {
                d.era = "reiwa".to_owned();
                out.changed = true;
            }
        } else {
            let era_label = |id: &str| {
                if id.is_empty() {
                    "—".to_owned()
                } else {
                    text(l, lang, &format!("era-{id}"))
                }
            };
            let mut picked = false;
            let r = egui::ComboBox::from_id_salt(widget_id(&item.id, 9))
                .selected_text(era_label(&d.era))
                .width(theme::NUMBER_WIDTH * 1.4)
                .show_ui(ui, |ui| {
                    for e in &item.eras {
                        if ui
                            .selectable_label(d.era == e.id(), era_label(e.id()))
                            .clicked()
                        {
                            d.era = e.id().to_owned();
                            picked = true;
                        }
                    }
                })
                .response
                .labelled_by(label);
            out.seen(r);
            out.changed |= picked;
        }
        for (k, (part, unit)) in [
            (&mut d.year, "年"),
            (&mut d.month, "月"),
            (&mut d.day, "日"),
        ]
        .into_iter()
        .enumerate()
        {
            let r = line_edit(ui, part, widget_id(&item.id, k), label, theme::NUMBER_WIDTH);
            out.changed |= normalise_on_leave(&r, part);
            out.seen(r);
            ui.label(unit);
        }
        if item.kind == ItemKind::OnsetDate {
            ui.label(RichText::new(text(l, lang, "app-onset-partial")).color(theme::MUTED));
        }
        // The Gregorian date beside it, or why it cannot be read yet.
        if !d.is_blank() {
            ui.label(gregorian(l, lang, item, d));
        }
    });
}

fn gregorian(l: &Locales, lang: Lang, item: &Item, d: &DateInput) -> RichText {
    use crate::form::wareki::Precision;
    let partial = item.kind == ItemKind::OnsetDate;
    match WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, partial)
        .and_then(|w| w.range().map(|r| (w, r.0)))
    {
        Ok((w, first)) => {
            let iso = match w.precision() {
                Precision::Day => first.to_string(),
                Precision::Month => first.strftime("%Y-%m").to_string(),
                Precision::Year => first.year().to_string(),
            };
            RichText::new(l.text_with(lang, "app-gregorian", &[("date", iso)])).color(theme::MUTED)
        }
        Err(_) => RichText::new(text(l, lang, "app-date-unreadable")).color(theme::WARNING),
    }
}

fn answer_ui(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    a: &mut Answer,
    label: Id,
    out: &mut Out,
) {
    match a {
        Answer::Flag(b) => {
            let r = ui
                .push_id(widget_id(&item.id, 0), |ui| {
                    ui.checkbox(b, text(l, lang, &item.label_key()))
                })
                .inner;
            out.seen(r);
        }
        Answer::Text(s) => text_or_single(ui, l, lang, item, s, label, out),
        Answer::Date(d) => date_ui(ui, l, lang, item, d, label, out),
        Answer::List(list) if item.kind == ItemKind::Multi => {
            multi_ui(ui, l, lang, item, list, None, out);
        }
        Answer::List(list) => list_ui(ui, l, lang, item, list, label, out),
        Answer::Marked(m) => {
            multi_ui(
                ui,
                l,
                lang,
                item,
                &mut m.selected,
                Some(&mut m.emphasized),
                out,
            );
        }
    }
}

fn multi_ui(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    selected: &mut Vec<String>,
    mut emphasized: Option<&mut Vec<String>>,
    out: &mut Out,
) {
    ui.horizontal_wrapped(|ui| {
        for (k, c) in item.choices.iter().enumerate() {
            let mut on = selected.contains(c);
            let r = ui
                .push_id(widget_id(&item.id, k), |ui| {
                    ui.checkbox(&mut on, choice_label(l, lang, item, c))
                })
                .inner;
            if r.changed() {
                if on {
                    // An exclusive choice clears the others, and any other clears it.
                    if item.exclusive.contains(c) {
                        selected.clear();
                    } else {
                        selected.retain(|s| !item.exclusive.contains(s));
                    }
                    selected.push(c.clone());
                    // Keep the printed order.
                    selected.sort_by_key(|s| item.choices.iter().position(|x| x == s));
                } else {
                    selected.retain(|s| s != c);
                }
                if let Some(e) = emphasized.as_deref_mut() {
                    e.retain(|s| selected.contains(s));
                }
            }
            out.seen(r);
            if on && let Some(e) = emphasized.as_deref_mut() {
                let mut high = e.contains(c);
                let h = ui
                    .push_id(widget_id(&item.id, 100 + k), |ui| {
                        ui.checkbox(&mut high, text(l, lang, "app-emphasis"))
                    })
                    .inner;
                if h.changed() {
                    if high {
                        e.push(c.clone());
                    } else {
                        e.retain(|s| s != c);
                    }
                }
                out.seen(h);
            }
        }
    });
}

fn list_ui(
    ui: &mut Ui,
    l: &Locales,
    lang: Lang,
    item: &Item,
    list: &mut Vec<String>,
    label: Id,
    out: &mut Out,
) {
    let mut remove = None;
    for (k, entry) in list.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let r = line_edit(
                ui,
                entry,
                widget_id(&item.id, k),
                label,
                theme::FIELD_WIDTH * 1.5,
            );
            out.seen(r);
            if ui.small_button(text(l, lang, "app-remove")).clicked() {
                remove = Some(k);
            }
        });
    }
    if let Some(k) = remove {
        list.remove(k);
        out.changed = true;
    }
    let add = ui.button(text(l, lang, "app-add"));
    if add.clicked() {
        list.push(String::new());
        out.changed = true;
    }
    out.seen(add);
}
