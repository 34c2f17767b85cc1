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

/// The longest secret a [`secret_field`] takes, in characters.
pub const SECRET_MAX_CHARS: usize = 128;

/// A field for a PIN, a password or a passphrase, typed into `secret` and shown as dots.
///
/// Unlike egui's `TextEdit`, it keeps no undo history, no layout of the text and no second
/// buffer: the characters go straight into `secret`, whose room is reserved once (so that it is
/// never moved, leaving a copy behind), and the caller wipes it after use (`Zeroizing`). No IME:
/// a PIN or a password is typed as it is. Tab moves on; Backspace takes the last character
/// back; a paste (a password manager) is taken as typed.
pub fn secret_field(
    ui: &mut Ui,
    secret: &mut zeroize::Zeroizing<String>,
    id: egui::Id,
    width: f32,
) -> Response {
    let reserve = SECRET_MAX_CHARS * 4;
    if secret.capacity() < reserve {
        // Empty at this point in practice (a new field); a longer one is moved once, wiped.
        let mut bigger = zeroize::Zeroizing::new(String::with_capacity(reserve));
        bigger.push_str(secret);
        *secret = bigger;
    }
    let height =
        ui.spacing().interact_size.y.max(
            ui.text_style_height(&egui::TextStyle::Body) + 2.0 * ui.spacing().button_padding.y,
        );
    let w = width.min(ui.available_width()).max(theme::NUMBER_WIDTH);
    let (rect, _) = ui.allocate_exact_size(vec2(w, height), egui::Sense::hover());
    let mut response = ui.interact(rect, id, egui::Sense::click());
    if response.clicked() {
        response.request_focus();
    }
    let enabled = ui.is_enabled();
    if enabled && response.has_focus() {
        let mut changed = false;
        ui.input(|i| {
            for e in &i.events {
                match e {
                    egui::Event::Text(t) | egui::Event::Paste(t) => {
                        for c in t.chars().filter(|c| !c.is_control()) {
                            if secret.chars().count() < SECRET_MAX_CHARS {
                                secret.push(c);
                                changed = true;
                            }
                        }
                    }
                    egui::Event::Key {
                        key: egui::Key::Backspace,
                        pressed: true,
                        modifiers,
                        ..
                    } => {
                        if modifiers.command || modifiers.alt {
                            zeroize::Zeroize::zeroize(&mut **secret);
                        } else {
                            secret.pop();
                        }
                        changed = true;
                    }
                    _ => {}
                }
            }
        });
        if changed {
            response.mark_changed();
        }
    }
    if ui.is_rect_visible(rect) {
        let focused = response.has_focus();
        let visuals = ui.style().interact_selectable(&response, focused);
        let stroke = if focused {
            ui.visuals().selection.stroke
        } else {
            visuals.bg_stroke
        };
        let painter = ui.painter_at(rect.expand(2.0));
        painter.rect(
            rect,
            visuals.corner_radius,
            ui.visuals().text_edit_bg_color(),
            stroke,
            egui::StrokeKind::Inside,
        );
        let font = egui::TextStyle::Body.resolve(ui.style());
        let inner = rect.shrink2(ui.spacing().button_padding);
        let dot = egui::epaint::text::PASSWORD_REPLACEMENT_CHAR.to_string();
        let dot_w =
            ui.fonts_mut(|f| f.glyph_width(&font, egui::epaint::text::PASSWORD_REPLACEMENT_CHAR));
        let fits = ((inner.width() - 4.0) / dot_w.max(1.0)).floor().max(0.0) as usize;
        let shown = secret.chars().count().min(fits);
        let color = if enabled {
            ui.visuals().text_color()
        } else {
            ui.visuals().weak_text_color()
        };
        let galley = painter.layout_no_wrap(dot.repeat(shown), font, color);
        let pos = egui::pos2(inner.left(), rect.center().y - galley.size().y / 2.0);
        let end = pos.x + galley.size().x;
        painter.galley(pos, galley, color);
        if focused && enabled {
            let x = end;
            painter.line_segment(
                [egui::pos2(x, inner.top()), egui::pos2(x, inner.bottom())],
                ui.visuals().text_cursor.stroke,
            );
        }
    }
    let count = secret.chars().count();
    response.widget_info(|| {
        let masked = egui::epaint::text::PASSWORD_REPLACEMENT_CHAR
            .to_string()
            .repeat(count);
        egui::WidgetInfo::text_edit(enabled, masked.clone(), masked, "")
    });
    ui.ctx().accesskit_node_builder(id, |b| {
        b.set_role(egui::accesskit::Role::PasswordInput);
    });
    response
}

/// A labelled field for forms (settings): label and field side by side when there is room, the
/// label above the field when there is not.
pub fn labelled_field(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    labelled(ui, label, |ui, w| {
        ui.add(egui::TextEdit::singleline(value).desired_width(w))
    })
}

/// [`labelled_field`] for a password ([`secret_field`]).
pub fn labelled_secret(
    ui: &mut Ui,
    label: &str,
    secret: &mut zeroize::Zeroizing<String>,
    id: egui::Id,
) -> Response {
    labelled(ui, label, |ui, w| secret_field(ui, secret, id, w))
}

fn labelled(ui: &mut Ui, label: &str, field: impl FnOnce(&mut Ui, f32) -> Response) -> Response {
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
        field(ui, w).labelled_by(l.id)
    };
    // One row of the usual height (not a layout that would take all the height left).
    if side_by_side {
        ui.horizontal(add).inner
    } else {
        ui.vertical(add).inner
    }
}
