//! The program's own widgets and layouts, shared by every screen: scrolling that follows the
//! keyboard focus, choices that flow into as many columns as fit, line edits that never grow past
//! their panel, and the width tests behind the narrow layouts.

use egui::{Align, Layout, Response, Ui, Vec2, vec2};

use super::theme;

/// A vertical scroll area that fills its panel (so its bar sits at the panel's edge) and follows
/// the keyboard focus: a widget reached with Tab is scrolled into view.
pub fn scrolled<R>(
    ui: &mut Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    add: impl FnOnce(&mut Ui) -> R,
) -> R {
    egui::ScrollArea::vertical()
        .id_salt(salt)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let r = add(ui);
            keep_focus_visible(ui);
            r
        })
        .inner
}

/// Called at the end of a scroll area's content: when the keyboard focus arrived at one of its
/// widgets in this frame, scroll (at once) so that the widget is wholly visible. egui moves the
/// focus with Tab but does not scroll to it; without this a person tabs into the hidden part.
pub fn keep_focus_visible(ui: &Ui) {
    let ctx = ui.ctx();
    let Some(id) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let Some(r) = ctx.read_response(id) else {
        return;
    };
    if !r.gained_focus() {
        return;
    }
    // The widget is this area's when it lies in its content and is not visible elsewhere (a
    // widget of another panel has its visible part outside this area's clip rectangle).
    let visible_elsewhere =
        r.interact_rect.is_positive() && !ui.clip_rect().contains_rect(r.interact_rect);
    if !ui.min_rect().expand(1.0).contains_rect(r.rect) || visible_elsewhere {
        return;
    }
    let clip = ui.clip_rect();
    if clip.contains_rect(r.rect) {
        return;
    }
    // Wholly out of view (a jump, or Tab into the hidden part): bring it to the middle; partly
    // visible: scroll just enough, so that tabbing along a row does not shake the page.
    let align = (!clip.intersects(r.rect)).then_some(Align::Center);
    ui.scroll_to_rect_animation(r.rect, align, egui::style::ScrollAnimation::none());
}

/// The width `text` takes in the body font on one line.
pub fn text_width(ui: &Ui, text: &str) -> f32 {
    egui::WidgetText::from(text)
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}

/// The width of a button with `text`.
pub fn button_width(ui: &Ui, text: &str) -> f32 {
    text_width(ui, text) + ui.spacing().button_padding.x * 2.0
}

/// The width of a checkbox or radio button with `text` (the box, the gap, the text).
pub fn choice_width(ui: &Ui, text: &str) -> f32 {
    let s = ui.spacing();
    s.icon_width + s.icon_spacing + text_width(ui, text)
}

/// Lays out `widths.len()` choices in columns of one width — as many as fit, reading left to
/// right, then down, which is also the Tab order — so that no choice ever leaves the panel. A
/// choice wider than the panel wraps its text inside it. `extra_line` reserves a second line in
/// every cell (for 「特に必要」 under a chosen service) so that choosing never moves the rest.
pub fn choice_grid(
    ui: &mut Ui,
    widths: &[f32],
    extra_line: bool,
    mut add: impl FnMut(&mut Ui, usize),
) {
    let n = widths.len();
    if n == 0 {
        return;
    }
    let avail = ui.available_width().max(1.0);
    let gap = theme::GAP * 2.0;
    let widest = widths
        .iter()
        .copied()
        .fold(theme::CHOICE_MIN_WIDTH, f32::max);
    let cols = (((avail + gap) / (widest + gap)).floor() as usize).clamp(1, n);
    let cell = if cols == 1 { avail } else { widest };
    for row in (0..n).step_by(cols) {
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for k in row..(row + cols).min(n) {
                ui.allocate_ui_with_layout(vec2(cell, 0.0), Layout::top_down(Align::Min), |ui| {
                    ui.set_width(cell);
                    ui.spacing_mut().item_spacing.y = theme::GAP * 0.3;
                    let before = ui.min_rect().height();
                    add(ui, k);
                    if extra_line
                        && ui.min_rect().height() - before < ui.spacing().interact_size.y * 1.9
                    {
                        ui.add_space(ui.spacing().interact_size.y);
                    }
                });
            }
        });
    }
}

/// A one-line text field `width` wide at most, never wider than what is left of the row.
pub fn line_edit(
    ui: &mut Ui,
    s: &mut String,
    id: egui::Id,
    label: egui::Id,
    width: f32,
) -> Response {
    let w = width.min(ui.available_width()).max(theme::NUMBER_WIDTH);
    ui.add(egui::TextEdit::singleline(s).id(id).desired_width(w))
        .labelled_by(label)
}

/// A labelled field for forms (settings): label and field side by side when there is room, the
/// label above the field when there is not.
pub fn labelled_field(ui: &mut Ui, label: &str, value: &mut String, password: bool) -> Response {
    let label_w = theme::FIELD_WIDTH * 0.8;
    let field_w = theme::FIELD_WIDTH * 1.4;
    let side_by_side = ui.available_width() >= label_w + field_w + theme::GAP;
    let add = |ui: &mut Ui| {
        let l = if side_by_side {
            ui.add_sized(
                Vec2::new(label_w, ui.spacing().interact_size.y),
                egui::Label::new(label),
            )
        } else {
            ui.label(label)
        };
        let w = field_w.min(ui.available_width());
        ui.add(
            egui::TextEdit::singleline(value)
                .password(password)
                .desired_width(w),
        )
        .labelled_by(l.id)
    };
    // One row of the usual height (not a layout that would take all the height left).
    if side_by_side {
        ui.horizontal(add).inner
    } else {
        ui.vertical(add).inner
    }
}
