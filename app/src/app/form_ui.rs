//! Drawing the editor: the section list with progress, the worklist (要確認) that F8 walks, and the
//! items of a section in printed order — each with its label, 必須 or 推奨, a help text from the
//! 手引き, its findings on a line that is kept when they go away, and for a copied-forward opinion
//! what changed since the last one and a 確認済 mark. Choices flow into as many columns as fit.

use egui::{Align, Id, RichText, Ui};

use super::editor::{Attention, Editor, EditorIntent, Entry};
use super::{theme, widgets};
use crate::form::def::{Field, Item, ItemKind};
use crate::form::describe::Describer;
use crate::form::normalize::{is_blank, nfkc_trim};
use crate::form::opinion::{Answer, DateInput, Editable, ValueRef};
use crate::form::{Era, FormDef, Severity, WarekiDate};
use crate::i18n::{Lang, Locales};
use crate::store::Origin;

/// How long the item F8 went to stays highlighted (seconds).
const FLASH_SECONDS: f64 = 2.5;

pub(crate) fn locales() -> &'static Locales {
    // The built-in locales are checked by the tests; without them nothing would show at all.
    #[allow(clippy::expect_used)]
    Locales::builtin().expect("built-in locales")
}

fn text(l: &Locales, lang: Lang, key: &str) -> String {
    l.text(lang, key, None)
}

fn severity_color(s: Severity) -> egui::Color32 {
    match s {
        Severity::Error => theme::ERROR,
        Severity::Warning => theme::WARNING,
    }
}

fn attention_color(a: Attention) -> egui::Color32 {
    match a {
        Attention::Error => theme::ERROR,
        Attention::Warning => theme::WARNING,
        Attention::Clerk | Attention::Carried => theme::ACCENT,
    }
}

impl Editor {
    /// The line of a section in the section list: mark, title, progress.
    fn section_line(&self, l: &Locales, lang: Lang, i: usize) -> RichText {
        let (done, all) = self.progress(i);
        let title = text(l, lang, &self.form.sections[i].label_key());
        let error = self.section_has(i, Severity::Error);
        let (mark, color) = if error {
            ("●", theme::ERROR)
        } else if done == all {
            ("✓", theme::OK)
        } else {
            ("○", theme::TEXT)
        };
        RichText::new(format!("{mark} {title}  {done}/{all}")).color(color)
    }

    /// The section list (left panel).
    pub fn sections_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let l = locales();
        for i in 0..self.form.sections.len() {
            let line = self.section_line(l, lang, i);
            let r = ui.add(egui::Button::selectable(self.section == i, line).wrap());
            if r.clicked() {
                self.section = i;
            }
        }
    }

    /// The section chooser of a narrow window (instead of the list).
    pub fn section_picker(&mut self, ui: &mut Ui, lang: Lang) {
        let l = locales();
        let current = self.section_line(l, lang, self.section);
        // Room left for 次の節 → after it.
        let next_w = super::widgets::button_width(ui, &text(l, lang, "app-next-section"));
        let width = (ui.available_width() - next_w - theme::GAP * 3.0)
            .clamp(theme::NUMBER_WIDTH * 2.0, theme::FIELD_WIDTH * 1.3);
        // The picker takes just this width: a long section name is cut short, never pushing
        // 次の節 → (and with it the whole form) past the window's edge.
        let size = egui::vec2(width, ui.spacing().interact_size.y);
        ui.allocate_ui_with_layout(size, egui::Layout::left_to_right(Align::Center), |ui| {
            ui.set_max_width(width);
            egui::ComboBox::from_id_salt("picker-of-sections")
                .selected_text(current)
                .width(width)
                .truncate()
                .show_ui(ui, |ui| {
                    for i in 0..self.form.sections.len() {
                        let line = self.section_line(l, lang, i);
                        if ui.selectable_label(self.section == i, line).clicked() {
                            self.section = i;
                        }
                    }
                })
                .response
                .on_hover_text(text(l, lang, "app-section"));
        });
    }

    /// The counts of the worklist in one line (the header of a narrow window).
    pub fn worklist_summary(lang: Lang, physician: bool, list: &[Entry]) -> String {
        let l = locales();
        let counts = Editor::counts(list);
        let parts: Vec<String> = Attention::ALL
            .iter()
            .filter(|k| physician || **k != Attention::Clerk)
            .map(|k| {
                l.text_with(
                    lang,
                    k.key(),
                    &[("count", counts.get(k).copied().unwrap_or(0).to_string())],
                )
            })
            .collect();
        parts.join(&text(l, lang, "app-sep"))
    }

    /// The worklist (要確認, right panel): how many of each kind, where F8 stands, and every entry
    /// as a link to its item.
    pub fn worklist_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        physician: bool,
        list: &[Entry],
        intents: &mut Vec<EditorIntent>,
    ) {
        let l = locales();
        let d = Describer {
            locales: l,
            lang,
            form: self.form,
        };
        ui.heading(text(l, lang, "app-findings"));
        let counts = Editor::counts(list);
        for kind in Attention::ALL {
            if kind == Attention::Clerk && !physician {
                continue;
            }
            let n = counts.get(&kind).copied().unwrap_or(0);
            let color = if n == 0 {
                theme::MUTED
            } else {
                attention_color(kind)
            };
            ui.label(
                RichText::new(l.text_with(lang, kind.key(), &[("count", n.to_string())]))
                    .color(color),
            );
        }
        let next = ui
            .add_enabled(
                !list.is_empty(),
                egui::Button::new(text(l, lang, "app-next-attention")).wrap(),
            )
            .on_hover_text("F8");
        if next.clicked() {
            self.jump_next(physician);
        }
        if let Some((kind, k, n)) = self.position(list) {
            ui.label(
                RichText::new(l.text_with(
                    lang,
                    "app-attention-at",
                    &[
                        (
                            "kind",
                            l.text_with(lang, kind.key(), &[("count", n.to_string())]),
                        ),
                        ("k", k.to_string()),
                    ],
                ))
                .color(attention_color(kind)),
            );
        }
        ui.separator();
        if list.is_empty() {
            ui.colored_label(theme::OK, text(l, lang, "app-attention-none"));
            return;
        }
        let mut jump = None;
        widgets::scrolled(ui, "worklist", |ui| {
            let mut last = None;
            for e in list {
                if last != Some(e.kind) {
                    last = Some(e.kind);
                    let n = counts.get(&e.kind).copied().unwrap_or(0);
                    ui.add_space(theme::GAP * 0.5);
                    let head = l.text_with(lang, e.kind.key(), &[("count", n.to_string())]);
                    ui.label(
                        RichText::new(format!("■ {head}"))
                            .strong()
                            .color(attention_color(e.kind)),
                    );
                    if e.kind == Attention::Clerk
                        && self.editable
                        && ui
                            .add(egui::Button::new(text(l, lang, "app-review-clerk")).wrap())
                            .clicked()
                    {
                        intents.push(EditorIntent::ReviewClerkItems);
                    }
                }
                let here = self.at.as_ref() == Some(e);
                let what = match e.kind {
                    Attention::Error | Attention::Warning => {
                        let sev = if e.kind == Attention::Error {
                            Severity::Error
                        } else {
                            Severity::Warning
                        };
                        self.report
                            .for_item(&e.item)
                            .filter(|f| f.severity == sev)
                            .map(|f| d.finding(f))
                            .collect::<Vec<_>>()
                            .join(" ")
                    }
                    _ => String::new(),
                };
                ui.label(
                    RichText::new(d.item_path(&e.item))
                        .size(theme::SMALL_PT)
                        .color(theme::MUTED),
                );
                let link_text = if what.is_empty() {
                    self.form
                        .item(&e.item)
                        .map(|i| text(l, lang, &i.label_key()))
                        .unwrap_or_default()
                } else {
                    what
                };
                let link_text = if here {
                    RichText::new(format!("▶ {link_text}")).strong()
                } else {
                    RichText::new(link_text)
                };
                if ui.link(link_text).clicked() {
                    jump = Some(e.clone());
                }
            }
        });
        if let Some(e) = jump {
            self.jump_to(&e.item);
            self.at = Some(e);
        }
    }

    /// The items of the current section (centre).
    pub fn items_ui(&mut self, ui: &mut Ui, lang: Lang, intents: &mut Vec<EditorIntent>) {
        let l = locales();
        let form = self.form;
        let Some(section) = form.sections.get(self.section) else {
            return;
        };
        if self.reserved_for != Some(self.section) {
            self.reserved.clear();
            self.reserved_for = Some(self.section);
        }
        ui.horizontal_wrapped(|ui| {
            ui.heading(text(l, lang, &section.label_key()));
            let carried = self.carried_in(self.section);
            if self.editable && !carried.is_empty() {
                let label = l.text_with(
                    lang,
                    "app-confirm-section",
                    &[("count", carried.len().to_string())],
                );
                if ui.button(label).clicked() {
                    intents.push(EditorIntent::Confirm(carried));
                }
            }
        });
        ui.add_space(theme::GAP);
        let mut changed = false;
        for i in section.items.clone() {
            if !self.shown(i) {
                continue;
            }
            changed |= self.item_ui(ui, l, lang, i, intents);
            ui.add_space(theme::GAP * 0.5);
        }
        if changed {
            self.follow_age();
            self.dirty = true;
            self.revalidate();
        }
    }

    fn item_ui(
        &mut self,
        ui: &mut Ui,
        l: &Locales,
        lang: Lang,
        index: usize,
        intents: &mut Vec<EditorIntent>,
    ) -> bool {
        let item: &'static Item = &self.form.items[index];
        let label_text = text(l, lang, &item.label_key());
        if item.kind == ItemKind::Note {
            ui.label(RichText::new(label_text).color(theme::MUTED));
            ui.add_space(theme::GAP);
            return false;
        }
        // The item F8 went to: a frame and a background that fade.
        let now = ui.input(|i| i.time);
        let mut flash = 0.0;
        if let Some((id, start)) = &mut self.flash
            && *id == item.id
        {
            let t0 = *start.get_or_insert(now);
            flash = (1.0 - ((now - t0) / FLASH_SECONDS).clamp(0.0, 1.0)) as f32;
            if flash > 0.0 {
                // A gentle fade: a frame every 50 ms is enough, and tests do not wait for it.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
            }
        }
        if flash <= 0.0
            && self
                .flash
                .as_ref()
                .is_some_and(|(id, t)| *id == item.id && t.is_some())
        {
            self.flash = None;
        }
        let frame = egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(4, 2))
            .corner_radius(4.0)
            .fill(theme::FLASH_FILL.gamma_multiply(flash))
            .stroke(egui::Stroke::new(2.0, theme::ACCENT.gamma_multiply(flash)));
        frame
            .show(ui, |ui| self.item_body(ui, l, lang, item, index, intents))
            .inner
    }

    fn item_body(
        &mut self,
        ui: &mut Ui,
        l: &Locales,
        lang: Lang,
        item: &'static Item,
        index: usize,
        intents: &mut Vec<EditorIntent>,
    ) -> bool {
        let label_text = text(l, lang, &item.label_key());
        let mut changed = false;
        let mut label_id = None;
        ui.horizontal_wrapped(|ui| {
            let r = ui.label(RichText::new(label_text.clone()).strong());
            label_id = Some(r.id);
            match self.required(index) {
                Some(Severity::Error) => {
                    ui.label(RichText::new(text(l, lang, "app-required")).color(theme::ERROR));
                }
                Some(Severity::Warning) => {
                    ui.label(RichText::new(text(l, lang, "app-recommended")).color(theme::MUTED));
                }
                None => {}
            }
            if !item.help.is_empty() {
                let open = self.help.as_deref() == Some(item.id.as_str());
                // Out of the Tab order (like the mark's button below): Tab goes from field to
                // field, and the IME is not turned off by a stop on a button between them.
                let help = ui
                    .add(
                        egui::Button::new(text(l, lang, "app-help"))
                            .small()
                            .sense(egui::Sense::CLICK),
                    )
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
                first.scroll_to_me_animation(
                    Some(Align::Center),
                    egui::style::ScrollAnimation::none(),
                );
            }
            self.focus = None;
        }
        if out.focused {
            self.current = Some(item.id.clone());
        }
        self.findings_line(ui, l, lang, item);
        changed
    }

    /// The findings of an item, on a line whose height is kept when they go away (until another
    /// section is shown), so that the next field does not move under the pointer.
    fn findings_line(&mut self, ui: &mut Ui, l: &Locales, lang: Lang, item: &Item) {
        let d = Describer {
            locales: l,
            lang,
            form: self.form,
        };
        let before = ui.min_rect().bottom();
        for f in self.report.for_item(&item.id) {
            ui.label(
                RichText::new(format!("{} {}", d.severity(f.severity), d.finding(f)))
                    .color(severity_color(f.severity)),
            );
        }
        let grown = ui.min_rect().bottom() - before;
        let keep = self.reserved.entry(item.id.clone()).or_insert(0.0);
        if grown > *keep {
            *keep = grown;
        }
        // The space up to the kept height (the spacing before a line counts in both).
        let missing = *keep - grown - ui.spacing().item_spacing.y;
        if missing > 0.0 {
            ui.add_space(missing);
        }
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
                let confirm = egui::Button::new(text(l, lang, "app-confirm"))
                    .small()
                    .sense(egui::Sense::CLICK);
                if self.editable && ui.add(confirm).clicked() {
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

/// A 和暦 date as typed, in the reader's language: 昭和40年8月15日, or Shōwa 40-8-15 in English.
pub fn wareki_text(l: &Locales, lang: Lang, date: &DateInput) -> String {
    let era = Era::from_id(&date.era)
        .map(|e| l.text(lang, &format!("era-{}", e.id()), None))
        .unwrap_or_default();
    let part = |s: &str| (!is_blank(s)).then(|| nfkc_trim(s));
    let (y, m, d) = (part(&date.year), part(&date.month), part(&date.day));
    match lang {
        Lang::Ja => {
            let mut s = era;
            for (v, unit) in [(y, "年"), (m, "月"), (d, "日")] {
                if let Some(v) = v {
                    s.push_str(&v);
                    s.push_str(unit);
                }
            }
            s
        }
        Lang::En => {
            let mut s = era;
            if let Some(y) = y {
                s.push(' ');
                s.push_str(&y);
            }
            for v in [m, d].into_iter().flatten() {
                s.push('-');
                s.push_str(&v);
            }
            s
        }
    }
}

/// A value as one line of text (for what changed since the last opinion, read-only fields and
/// the review's summary).
pub fn value_text(l: &Locales, lang: Lang, form: &FormDef, item: &Item, v: ValueRef<'_>) -> String {
    let d = Describer {
        locales: l,
        lang,
        form,
    };
    let sep = text(l, lang, "app-sep");
    let unit = |s: String| match &item.unit {
        Some(u) if !s.is_empty() => {
            let u = l.text(lang, &format!("unit-{u}"), None);
            match lang {
                Lang::Ja => format!("{s}{u}"),
                Lang::En => format!("{s} {u}"),
            }
        }
        _ => s,
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
        ValueRef::Text(s) => unit(s.to_owned()),
        ValueRef::List(list) if item.kind == ItemKind::Multi => list
            .iter()
            .map(|c| choice_label(l, lang, item, c))
            .collect::<Vec<_>>()
            .join(&sep),
        ValueRef::List(list) => list.join(&sep),
        ValueRef::Marked(m) => m
            .selected
            .iter()
            .map(|c| {
                let label = choice_label(l, lang, item, c);
                if m.emphasized.contains(c) {
                    l.text_with(lang, "app-emphasized", &[("label", label)])
                } else {
                    label
                }
            })
            .collect::<Vec<_>>()
            .join(&sep),
        ValueRef::Date(date) => {
            if date.is_blank() {
                String::new()
            } else {
                wareki_text(l, lang, date)
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
        // Ten lines, or as many as leave room to see it whole when the window is very small
        // for its zoom (it grows with its text either way).
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let fit = ((ui.clip_rect().height() * 0.7) / line).floor() as usize;
        let rows = fit.clamp(theme::MULTILINE_MIN_ROWS, theme::MULTILINE_ROWS);
        let r = ui
            .add(
                egui::TextEdit::multiline(s)
                    .id(id)
                    .desired_rows(rows)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        out.seen(r);
        if let Some(fit) = item.fit {
            let n = s.chars().count();
            let mut args = vec![("count", n.to_string()), ("fit", fit.chars.to_string())];
            // Over the box: say by how much, so the physician knows how far to shorten.
            let (key, color) = if n > fit.chars {
                args.push(("over", (n - fit.chars).to_string()));
                ("app-chars-over", theme::WARNING)
            } else {
                ("app-chars", theme::MUTED)
            };
            ui.label(
                RichText::new(l.text_with(lang, key, &args))
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
        let unit = item
            .unit
            .as_ref()
            .map(|u| text(l, lang, &format!("unit-{u}")));
        let unit_w = unit
            .as_deref()
            .map(|u| widgets::text_width(ui, u) + theme::GAP)
            .unwrap_or(0.0);
        let room = ui.available_width() - unit_w;
        let r = widgets::line_edit(ui, s, id, label, width.min(room));
        if matches!(item.kind, ItemKind::Number | ItemKind::Identifier) {
            out.changed |= normalise_on_leave(&r, s);
        }
        out.seen(r);
        if let Some(unit) = unit {
            ui.label(unit);
        }
    });
}

fn single_ui(ui: &mut Ui, l: &Locales, lang: Lang, item: &Item, s: &mut String, out: &mut Out) {
    let labels: Vec<String> = item
        .choices
        .iter()
        .map(|c| choice_label(l, lang, item, c))
        .collect();
    let widths: Vec<f32> = labels
        .iter()
        .map(|t| widgets::choice_width(ui, t))
        .collect();
    widgets::choice_grid(ui, &widths, false, |ui, k| {
        let c = &item.choices[k];
        let on = s == c;
        let r = ui
            .push_id(widget_id(&item.id, k), |ui| {
                ui.radio(on, labels[k].as_str())
            })
            .inner;
        if r.clicked() {
            // Choosing the chosen one again clears it.
            *s = if on { String::new() } else { c.clone() };
            out.changed = true;
        }
        out.seen(r);
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
                .width(theme::NUMBER_WIDTH * 1.6)
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
            (&mut d.year, "app-date-year"),
            (&mut d.month, "app-date-month"),
            (&mut d.day, "app-date-day"),
        ]
        .into_iter()
        .enumerate()
        {
            let r =
                widgets::line_edit(ui, part, widget_id(&item.id, k), label, theme::NUMBER_WIDTH);
            out.changed |= normalise_on_leave(&r, part);
            out.seen(r);
            ui.label(text(l, lang, unit));
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
    let labels: Vec<String> = item
        .choices
        .iter()
        .map(|c| choice_label(l, lang, item, c))
        .collect();
    let emphasis = text(l, lang, "app-emphasis");
    let widths: Vec<f32> = labels
        .iter()
        .map(|t| widgets::choice_width(ui, t))
        .collect();
    let with_emphasis = emphasized.is_some();
    widgets::choice_grid(ui, &widths, with_emphasis, |ui, k| {
        let c = &item.choices[k];
        let mut on = selected.contains(c);
        let r = ui
            .push_id(widget_id(&item.id, k), |ui| {
                ui.checkbox(&mut on, labels[k].as_str())
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
                    ui.horizontal(|ui| {
                        ui.add_space(ui.spacing().icon_width);
                        ui.checkbox(&mut high, emphasis.as_str())
                    })
                    .inner
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
    let remove_text = text(l, lang, "app-remove");
    for (k, entry) in list.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let room = ui.available_width() - widgets::button_width(ui, &remove_text) - theme::GAP;
            let r = widgets::line_edit(
                ui,
                entry,
                widget_id(&item.id, k),
                label,
                (theme::FIELD_WIDTH * 1.5).min(room),
            );
            out.seen(r);
            if ui.small_button(remove_text.as_str()).clicked() {
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
