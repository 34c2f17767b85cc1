//! Colours, sizes and spacing of the program in one place: screens never hard-code them. The
//! default text is large (many physicians are older); `zoom` scales everything.

use egui::{Color32, FontFamily, FontId, TextStyle};

pub const ACCENT: Color32 = Color32::from_rgb(0x1F, 0x5F, 0x99);
pub const ERROR: Color32 = Color32::from_rgb(0xB0, 0x1E, 0x1E);
pub const WARNING: Color32 = Color32::from_rgb(0x9A, 0x5B, 0x00);
pub const OK: Color32 = Color32::from_rgb(0x1E, 0x7A, 0x3C);
pub const MUTED: Color32 = Color32::from_rgb(0x55, 0x5B, 0x66);
/// The edge of fields and buttons.
pub const EDGE: Color32 = Color32::from_rgb(0xA8, 0xAE, 0xB8);
pub const TEXT: Color32 = Color32::from_rgb(0x1A, 0x1A, 0x1A);
/// Behind an open help text.
pub const HELP_FILL: Color32 = Color32::from_rgb(0xEE, 0xF4, 0xFA);
/// Behind the item F8 went to (it fades).
pub const FLASH_FILL: Color32 = Color32::from_rgb(0xFF, 0xF1, 0xC2);
/// The paper of the print preview and its ink.
pub const PAPER: Color32 = Color32::WHITE;
pub const INK: Color32 = Color32::BLACK;
/// The 下書き mark of the preview: faint, under the text.
pub const STAMP: Color32 = Color32::from_rgba_premultiplied(0x50, 0x50, 0x50, 0x50);

pub const BODY_PT: f32 = 17.0;
pub const HEADING_PT: f32 = 23.0;
pub const SMALL_PT: f32 = 14.0;
pub const GAP: f32 = 10.0;
pub const FIELD_WIDTH: f32 = 320.0;
/// A year, month or day box.
pub const NUMBER_WIDTH: f32 = 56.0;
/// The section list of the editor, and at most this share of the window.
pub const SECTIONS_WIDTH: f32 = 230.0;
/// The worklist (要確認) of the editor.
pub const WORKLIST_WIDTH: f32 = 280.0;
/// At most this share of the window's width goes to each side panel.
pub const SIDE_SHARE: f32 = 0.24;
/// The editor column's width below which the side panels fold away (points): the form needs
/// room first.
pub const EDITOR_MIN: f32 = 560.0;
/// The narrowest cell of a row of choices.
pub const CHOICE_MIN_WIDTH: f32 = 90.0;
/// Rows of a multi-line text box (特記すべき事項, 経過); it grows with its text.
pub const MULTILINE_ROWS: usize = 10;
/// Its rows at least, however small the window is for its zoom.
pub const MULTILINE_MIN_ROWS: usize = 4;
/// The box of a checkbox or radio button (at 100 %): a target older hands can hit.
pub const CHOICE_BOX: f32 = 20.0;
/// Zoom steps offered in the top bar.
pub const ZOOM_STEP: f32 = 0.125;

/// Applies the text sizes and spacing (light theme, readable sizes).
pub fn apply(ctx: &egui::Context, zoom: f32) {
    ctx.set_theme(egui::Theme::Light);
    ctx.set_zoom_factor(zoom);
    ctx.all_styles_mut(|s| {
        s.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(HEADING_PT, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(BODY_PT, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(BODY_PT, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(SMALL_PT, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(BODY_PT, FontFamily::Monospace),
            ),
        ]
        .into();
        s.spacing.item_spacing = egui::vec2(GAP, GAP * 0.8);
        s.spacing.button_padding = egui::vec2(12.0, 6.0);
        s.spacing.interact_size.y = 32.0;
        s.spacing.icon_width = CHOICE_BOX;
        s.spacing.icon_width_inner = CHOICE_BOX * 0.55;
        s.spacing.icon_spacing = 8.0;
        s.spacing.scroll.bar_width = 12.0;
        // Fields and buttons with a visible edge: white on light grey alone is hard to see.
        s.visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, EDGE);
    });
}

/// BIZ UDGothic first in both families, hinting off (egui hides "-" at some sizes with it on).
pub fn fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "biz-ud-gothic".to_owned(),
        std::sync::Arc::new(
            egui::FontData::from_static(crate::pdf::font::FONT_BYTES).tweak(egui::FontTweak {
                hinting: Some(false),
                ..Default::default()
            }),
        ),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, "biz-ud-gothic".to_owned());
    }
    ctx.set_fonts(fonts);
}
