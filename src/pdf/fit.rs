//! Fitting text into a box of the form: wrap by the Japanese line-breaking rules (禁則), then
//! shrink the size step by step down to a readable minimum. What still does not fit is counted,
//! never dropped silently: the caller turns it into a warning and prints it on a continuation sheet.

use std::collections::VecDeque;

use super::font::Font;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;
/// Line height as a multiple of the font size.
pub const LEADING: f32 = 1.25;
/// Shrinking goes down in steps of this many points.
const STEP_PT: f32 = 0.25;

/// Characters that may not begin a line (行頭禁則): closing brackets, punctuation, small kana,
/// the prolonged sound mark and iteration marks.
const NO_LINE_START: &str = "、。，．,.・：；:;？！?!ー－‐〜～…‥）」』】〕〉》］｝)]}〙〗＞ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ％%℃゛゜";
/// Characters that may not end a line (行末禁則): opening brackets.
const NO_LINE_END: &str = "（「『【〔〈《［｛([{〘〖＜";

/// The mark that ends a box whose text goes on in the continuation sheet.
pub const CONTINUED: &str = "→別紙";

/// A box to fill, in millimetres and points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitBox {
    pub width_mm: f32,
    pub height_mm: f32,
    /// The size text is printed at when it fits.
    pub max_pt: f32,
    /// The smallest size it may shrink to.
    pub min_pt: f32,
}

/// Text fitted into a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size_pt: f32,
    /// The lines printed in the box (ending with [`CONTINUED`] when text is left over).
    pub lines: Vec<String>,
    /// How many characters did not fit (0 when everything is in the box).
    pub over: usize,
}

impl Fitted {
    pub fn line_height_mm(&self) -> f32 {
        self.size_pt * LEADING / PT_PER_MM
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\'' | '-' | '.' | ',' | '/' | ':' | '%' | '(' | ')')
}

/// Splits a paragraph into unbreakable pieces: runs of Latin letters and digits stay together,
/// every other character (kana, kanji, punctuation, a space) is a piece of its own.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn starts_forbidden(piece: &str) -> bool {
    piece
        .chars()
        .next()
        .is_some_and(|c| NO_LINE_START.contains(c))
}

fn ends_forbidden(piece: &str) -> bool {
    piece
        .chars()
        .last()
        .is_some_and(|c| NO_LINE_END.contains(c))
}

/// Wraps `text` into lines no wider than `width_em`, keeping the line-start and line-end rules:
/// a piece that may not start a line pulls the piece before it onto the new line (追い出し), and
/// an opening bracket never ends a line. Explicit line breaks are kept; spaces at a break vanish.
pub fn wrap(font: &Font, text: &str, width_em: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end_matches('\r');
        let mut queue: VecDeque<String> =
            pieces(paragraph).into_iter().map(str::to_owned).collect();
        let mut line: Vec<String> = Vec::new();
        let mut width = 0.0;
        let mut broken = false;
        while let Some(piece) = queue.pop_front() {
            if broken && line.is_empty() && piece.trim().is_empty() {
                continue;
            }
            let w = font.width(&piece);
            if width + w <= width_em + 1e-4 {
                line.push(piece);
                width += w;
                continue;
            }
            broken = true;
            if line.is_empty() {
                // A word wider than the box: break it between characters, all at once (a long
                // run of digits or letters is cut in one pass, not re-measured per line). The
                // last piece fits and goes on with what follows.
                let mut chunks = split_to_width(font, &piece, width_em);
                let last = chunks.pop().unwrap_or_default();
                lines.extend(chunks);
                width = font.width(&last);
                line.push(last);
                continue;
            }
            // Break before `piece`, moving pieces down while the rules forbid the break. At least
            // one piece stays, so every break makes progress.
            let mut carried = vec![piece];
            while line.len() > 1
                && carried.len() < 4
                && (starts_forbidden(&carried[0]) || line.last().is_some_and(|p| ends_forbidden(p)))
            {
                if let Some(p) = line.pop() {
                    carried.insert(0, p);
                }
            }
            lines.push(join_trimmed(&line));
            line.clear();
            width = 0.0;
            for p in carried.into_iter().rev() {
                queue.push_front(p);
            }
        }
        lines.push(join_trimmed(&line));
    }
    lines
}

/// `word` cut between characters into pieces that each fit `width_em` (at least one character
/// each), in one pass.
fn split_to_width(font: &Font, word: &str, width_em: f32) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut w = 0.0;
    for (i, c) in word.char_indices() {
        let a = font.advance_or_mark(c);
        if w + a > width_em + 1e-4 && i > start {
            out.push(word[start..i].to_owned());
            start = i;
            w = 0.0;
        }
        w += a;
    }
    out.push(word[start..].to_owned());
    out
}

fn join_trimmed(line: &[String]) -> String {
    line.concat().trim_end().to_owned()
}

/// Fits `text` into `b`: the largest size from `max_pt` down to `min_pt` at which the wrapped
/// lines fit the height. At the minimum size, lines that do not fit are left out, the last line
/// shown ends with [`CONTINUED`], and `over` counts the characters left out.
pub fn fit(font: &Font, text: &str, b: FitBox) -> Fitted {
    let text = text.trim_end();
    // Beyond what the box could ever hold (every line at the smallest size full of the narrowest
    // characters), text is not measured, only counted: a megabyte in a small box costs what the
    // box holds, plus one count.
    let lines_at_min = ((b.height_mm + 0.05) / (b.min_pt * LEADING / PT_PER_MM))
        .floor()
        .max(1.0);
    let em_at_min = b.width_mm * PT_PER_MM / b.min_pt;
    let limit = (lines_at_min * em_at_min / NARROWEST_EM) as usize + 256;
    let (text, beyond) = match text.char_indices().nth(limit) {
        Some((i, _)) => (&text[..i], non_space(&text[i..])),
        None => (text, 0),
    };
    // Every line holds at most its width: text wider than all the lines of the box together
    // cannot fit at a size, and is not wrapped at it (a long text is wrapped once, at the
    // smallest size, not once per size).
    let total_em = font.width(text);
    let mut size = b.max_pt;
    loop {
        let width_em = b.width_mm * PT_PER_MM / size;
        let line_mm = size * LEADING / PT_PER_MM;
        // One line always fits a box at least as tall as the text itself.
        let capacity = ((b.height_mm + 0.05) / line_mm).floor().max(1.0) as usize;
        let at_min = size - STEP_PT < b.min_pt - 1e-4;
        if !at_min && (beyond > 0 || total_em > width_em * capacity as f32 + 1e-3) {
            size -= STEP_PT;
            continue;
        }
        let lines = wrap(font, text, width_em);
        if lines.len() <= capacity && beyond == 0 {
            return Fitted {
                size_pt: size,
                lines,
                over: 0,
            };
        }
        if at_min {
            let mut cut = cut(font, lines, capacity, width_em, size);
            cut.over += beyond;
            return cut;
        }
        size -= STEP_PT;
    }
}

/// The narrowest advance (in em) a printed character is taken to have when bounding what a box
/// can hold; narrower ones (zero-width marks) may end a box early, and are then counted as over.
const NARROWEST_EM: f32 = 0.25;

/// The characters of `s` that are not spaces: what [`Fitted::over`] counts.
fn non_space(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn cut(font: &Font, mut lines: Vec<String>, capacity: usize, width_em: f32, size: f32) -> Fitted {
    let mut over: usize = lines.iter().skip(capacity).map(|l| non_space(l)).sum();
    lines.truncate(capacity);
    let mark_w = font.width(CONTINUED);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && font.width(last) + mark_w > width_em {
            if last.pop().is_some_and(|c| !c.is_whitespace()) {
                over += 1;
            }
        }
        last.push_str(CONTINUED);
    }
    Fitted {
        size_pt: size,
        lines,
        over,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn font() -> &'static Font {
        Font::builtin().unwrap()
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // Ten full-width characters per line: the 、 and 。 and 」 fall at line starts unless
        // the rules push the character before them down.
        let text = "あいうえおかきくけこ、さしすせそたちつてと。なにぬねのはひふへほ」まみむめも";
        let lines = wrap(font(), text, 10.0);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            let first = l.chars().next().unwrap();
            assert!(!NO_LINE_START.contains(first), "{lines:?}");
            assert!(font().width(l) <= 10.0 + 1e-4, "{l}");
        }
        assert_eq!(lines.concat(), text, "nothing lost");
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        let text = "あいうえおかきくけ「こさしすせ」";
        let lines = wrap(font(), text, 10.0);
        assert!(lines[0].ends_with('け'), "{lines:?}");
        assert!(lines[1].starts_with('「'), "{lines:?}");
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let lines = wrap(font(), "血圧 135/80 mmHg を目標", 6.0);
        assert!(lines.iter().any(|l| l.contains("135/80")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("mmHg")), "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with(' ')), "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_box_is_cut_between_characters_and_nothing_is_lost() {
        let word = "0123456789".repeat(50);
        let lines = wrap(font(), &format!("{word} mg"), 10.0);
        assert!(lines.len() > 10, "{lines:?}");
        for l in &lines {
            assert!(font().width(l) <= 10.0 + 1e-4, "{l}");
        }
        assert_eq!(lines.concat().replace(' ', ""), format!("{word}mg"));
    }

    #[test]
    fn a_megabyte_in_a_small_box_is_cut_and_every_character_counted() {
        let b = FitBox {
            width_mm: 30.0,
            height_mm: 4.5,
            max_pt: 9.0,
            min_pt: 6.0,
        };
        for text in ["あ".repeat(1_000_000), "9".repeat(1_000_000)] {
            let cut = fit(font(), &text, b);
            assert_eq!(cut.size_pt, 6.0);
            assert_eq!(cut.lines.len(), 1);
            assert!(cut.lines[0].ends_with(CONTINUED));
            let shown = cut.lines[0].trim_end_matches(CONTINUED).chars().count();
            assert_eq!(shown + cut.over, 1_000_000);
        }
    }

    #[test]
    fn explicit_line_breaks_are_kept() {
        let lines = wrap(font(), "一行目\n二行目\n\n四行目", 40.0);
        assert_eq!(lines, ["一行目", "二行目", "", "四行目"]);
    }

    #[test]
    fn fit_shrinks_before_it_cuts_and_counts_what_is_cut() {
        let b = FitBox {
            width_mm: 30.0,
            height_mm: 4.5,
            max_pt: 9.0,
            min_pt: 6.0,
        };
        let short = fit(font(), "高血圧症", b);
        assert_eq!((short.size_pt, short.over), (9.0, 0));
        // 12 characters: too wide at 9 pt (about 38 mm), fits smaller.
        let longer = fit(font(), "慢性閉塞性肺疾患急性増悪後", b);
        assert!(longer.size_pt < 9.0 && longer.size_pt >= 6.0);
        assert_eq!(longer.over, 0);
        assert_eq!(longer.lines.len(), 1);
        // 40 characters cannot fit one line even at 6 pt (about 85 mm).
        let text = "あ".repeat(40);
        let cut = fit(font(), &text, b);
        assert_eq!(cut.size_pt, 6.0);
        assert!(cut.lines[0].ends_with(CONTINUED));
        let shown = cut.lines[0].trim_end_matches(CONTINUED).chars().count();
        assert_eq!(shown + cut.over, 40);
    }
}
