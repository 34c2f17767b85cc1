//! The Japanese font of the printed form (BIZ UDGothic, SIL OFL 1.1, `assets/fonts/`), parsed once
//! and shared: its glyph advances drive the layout, and printpdf embeds the glyphs used as a subset.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use printpdf::ParsedFont;

/// The font file built into the program (about 4 MB; only the glyphs used go into a PDF).
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/BIZUDGothic-Regular.ttf");

/// What a PDF shows in place of a character the font does not have (〓, the 下駄記号 of Japanese
/// typesetting): visible on paper, and named in a warning before printing.
pub const MISSING_MARK: char = '〓';

/// The parsed font and its scale.
pub struct Font {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// The advances of the Basic Multilingual Plane as they are first asked for (the font's
    /// cmap lookup costs microseconds; a long text asks for the same characters again and again).
    bmp: Box<[AtomicU32]>,
}

/// In [`Font::bmp`]: not looked up yet, and no glyph (f32 bit patterns no advance has).
const NOT_YET: u32 = u32::MAX;
const NO_GLYPH: u32 = u32::MAX - 1;

impl Font {
    /// The built-in font, parsed on first use (about 10 ms). `None` only if the file built into
    /// the program is not a font, which the tests rule out.
    pub fn builtin() -> Option<&'static Font> {
        static CELL: OnceLock<Option<Font>> = OnceLock::new();
        CELL.get_or_init(|| {
            let parsed = ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new())?;
            let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
            Some(Font {
                parsed,
                units_per_em,
                bmp: (0..=0xFFFF).map(|_| AtomicU32::new(NOT_YET)).collect(),
            })
        })
        .as_ref()
    }

    /// The advance of `c` in em, or `None` when the font has no glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let Some(slot) = self.bmp.get(c as usize) else {
            return self.look_up(c);
        };
        match slot.load(Ordering::Relaxed) {
            NOT_YET => {
                let found = self.look_up(c);
                slot.store(found.map_or(NO_GLYPH, f32::to_bits), Ordering::Relaxed);
                found
            }
            NO_GLYPH => None,
            bits => Some(f32::from_bits(bits)),
        }
    }

    fn look_up(&self, c: char) -> Option<f32> {
        let gid = self.parsed.lookup_glyph_index(u32::from(c))?;
        if gid == 0 {
            return None;
        }
        Some(f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em)
    }

    /// Whether the font can show `c` (line breaks count as shown).
    pub fn has(&self, c: char) -> bool {
        c == '\n' || self.advance(c).is_some()
    }

    /// The width of `text` in em; a missing character counts as the mark that replaces it.
    pub fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.advance_or_mark(c)).sum()
    }

    pub fn advance_or_mark(&self, c: char) -> f32 {
        self.advance(c).unwrap_or(1.0)
    }

    /// `text` with every character the font lacks replaced by [`MISSING_MARK`].
    pub fn printable(&self, text: &str) -> String {
        text.chars()
            .map(|c| if self.has(c) { c } else { MISSING_MARK })
            .collect()
    }

    /// The characters of `text` the font lacks, each once, in order of appearance.
    pub fn missing(&self, text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            if !self.has(c) && !out.contains(c) {
                out.push(c);
            }
        }
        out
    }
}
