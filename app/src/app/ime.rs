//! Keeping the IME on while the keyboard focus moves from one text field to the next.
//!
//! egui-winit turns the window's IME off and on again whenever a frame asks for no IME, and when
//! a click gives a field the focus (`should_interrupt_composition`). On X11, winit does that by
//! destroying the input context and making a new one, and fcitx5 (with its default
//! `ShareInputState=No`) starts every new context with Japanese input off — so a clerk had to
//! press Ctrl+Space again in every field. Moving with Tab into a field not used before gives one
//! such frame (the field has no cursor yet), and every click into another field interrupts.
//!
//! This plugin edits the frame's output after egui made it: while the focus is on a text field it
//! keeps asking for the IME (the last field's place stands in for the one frame the new field has
//! none), and it drops the interruption unless a composition is open (the preedit of the field
//! left behind must not be committed into the next one). When the focus is on a button or
//! nowhere, the IME goes off as before, so that keys reach buttons and shortcuts.

use egui::output::IMEOutput;
use egui::{Context, FullOutput, RawInput};

#[derive(Default)]
pub struct KeepImeAcrossFields {
    /// The IME output of the last frame that had a text field focused.
    last: Option<IMEOutput>,
    /// A composition (preedit) is open.
    composing: bool,
}

impl egui::Plugin for KeepImeAcrossFields {
    fn debug_name(&self) -> &'static str {
        "KeepImeAcrossFields"
    }

    fn input_hook(&mut self, _ctx: &Context, input: &mut RawInput) {
        for e in &input.events {
            match e {
                egui::Event::Ime(egui::ImeEvent::Preedit { text, .. }) => {
                    self.composing = !text.is_empty();
                }
                egui::Event::Ime(egui::ImeEvent::Commit(_)) => {
                    self.composing = false;
                }
                _ => {}
            }
        }
    }

    fn output_hook(&mut self, ctx: &Context, output: &mut FullOutput) {
        keep(
            &mut output.platform_output.ime,
            &mut self.last,
            &mut self.composing,
            focus_on_text(ctx),
        );
    }
}

/// Whether the widget with the keyboard focus is a text field.
fn focus_on_text(ctx: &Context) -> bool {
    ctx.memory(|m| m.focused())
        .is_some_and(|id| egui::text_edit::TextEditState::load(ctx, id).is_some())
}

/// The decision, apart from egui's plumbing: what the frame's IME output becomes.
fn keep(
    ime: &mut Option<IMEOutput>,
    last: &mut Option<IMEOutput>,
    composing: &mut bool,
    focus_on_text: bool,
) {
    match ime {
        Some(o) => {
            if o.should_interrupt_composition {
                if *composing {
                    // A composition open in the field left behind ends here, as egui wants.
                    *composing = false;
                } else {
                    o.should_interrupt_composition = false;
                }
            }
            *last = Some(*o);
        }
        None if focus_on_text => {
            if let Some(l) = last {
                let mut l = *l;
                l.should_interrupt_composition = false;
                *ime = Some(l);
            }
        }
        None => *last = None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(interrupt: bool) -> IMEOutput {
        IMEOutput {
            purpose: egui::IMEPurpose::Normal,
            rect: egui::Rect::from_min_size(egui::pos2(10.0, 10.0), egui::vec2(100.0, 20.0)),
            cursor_rect: egui::Rect::from_min_size(egui::pos2(12.0, 10.0), egui::vec2(1.0, 20.0)),
            should_interrupt_composition: interrupt,
        }
    }

    #[test]
    fn a_click_into_another_field_does_not_turn_the_ime_off_and_on() {
        let (mut last, mut composing) = (Some(out(false)), false);
        let mut ime = Some(out(true));
        keep(&mut ime, &mut last, &mut composing, true);
        assert!(!ime.unwrap().should_interrupt_composition);
    }

    #[test]
    fn an_open_composition_is_still_ended_when_the_field_is_left() {
        let (mut last, mut composing) = (Some(out(false)), true);
        let mut ime = Some(out(true));
        keep(&mut ime, &mut last, &mut composing, true);
        assert!(ime.unwrap().should_interrupt_composition);
        assert!(!composing);
    }

    #[test]
    fn the_frame_without_a_cursor_keeps_asking_for_the_ime() {
        let (mut last, mut composing) = (Some(out(false)), false);
        let mut ime = None;
        keep(&mut ime, &mut last, &mut composing, true);
        assert_eq!(ime, Some(out(false)));
    }

    #[test]
    fn a_button_with_the_focus_turns_the_ime_off() {
        let (mut last, mut composing) = (Some(out(false)), false);
        let mut ime = None;
        keep(&mut ime, &mut last, &mut composing, false);
        assert_eq!(ime, None);
        assert_eq!(last, None);
    }
}
