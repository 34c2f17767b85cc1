//! Characters the hub may not accept. Japanese public systems commonly take JIS X 0208 (plus ASCII);
//! 外字 such as 髙 (an IBM extension), circled numbers (NEC row 13) and 𠮷 (outside the BMP) are
//! outside it and are reported as a warning, so the physician can choose a standard form.

use std::sync::OnceLock;

/// The characters of `text` that are neither ASCII nor in JIS X 0208, each reported once, in order.
pub fn outside_jis_x0208(text: &str) -> Vec<char> {
    let mut found: Vec<char> = Vec::new();
    for c in text.chars() {
        if !in_jis_x0208(c) && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// ASCII (printable, tab and line breaks), or a character of JIS X 0208.
pub fn in_jis_x0208(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_control() || matches!(c, '\n' | '\r' | '\t');
    }
    let cp = c as usize;
    cp < 0x1_0000 && jis_x0208_bits()[cp / 64] & (1 << (cp % 64)) != 0
}

/// One bit per BMP code point, set for the characters of JIS X 0208, built once.
fn jis_x0208_bits() -> &'static [u64; 1024] {
    static BITS: OnceLock<Box<[u64; 1024]>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = Box::new([0u64; 1024]);
        let mut set = |c: char| {
            let cp = c as usize;
            if cp < 0x1_0000 {
                bits[cp / 64] |= 1 << (cp % 64);
            }
        };
        // EUC-JP puts JIS X 0208 row r, cell c at bytes (0xA0 + r, 0xA0 + c). Rows 1–8 and
        // 16–84 are JIS X 0208:1990; the NEC (13) and IBM (89–92) extension rows that the
        // WHATWG table also has are not, so they are never decoded here.
        for row in (1u8..=8).chain(16..=84) {
            for cell in 1u8..=94 {
                let bytes = [0xA0 + row, 0xA0 + cell];
                let (text, had_errors) = encoding_rs::EUC_JP.decode_without_bom_handling(&bytes);
                let mut chars = text.chars();
                if let (false, Some(c), None) = (had_errors, chars.next(), chars.next()) {
                    set(c);
                }
            }
        }
        // The JIS standard's own mapping of the cells the WHATWG table maps to other code points
        // (WAVE DASH 〜, DOUBLE VERTICAL LINE, MINUS SIGN, cent, pound, not, EM DASH): IMEs type these.
        for c in [
            '\u{301C}', '\u{2016}', '\u{2212}', '\u{00A2}', '\u{00A3}', '\u{00AC}', '\u{2014}',
        ] {
            set(c);
        }
        bits
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_text_is_accepted() {
        let text =
            "山田　花子 やまだ はなこ ヤマダ 東京都千代田区１－２－３ ABC-123 〒 ー 「」、。";
        assert_eq!(outside_jis_x0208(text), Vec::<char>::new());
    }

    #[test]
    fn gaiji_are_reported_once() {
        assert_eq!(outside_jis_x0208("髙橋 髙子"), vec!['髙']);
        assert_eq!(outside_jis_x0208("①②"), vec!['①', '②']);
        assert_eq!(outside_jis_x0208("𠮷田"), vec!['𠮷']);
        assert_eq!(outside_jis_x0208("ｱｲｳ"), vec!['ｱ', 'ｲ', 'ｳ']);
        assert_eq!(outside_jis_x0208("é"), vec!['é']);
        assert_eq!(outside_jis_x0208("a\u{7}"), vec!['\u{7}']);
        // NEC row 13 characters that JIS X 0208 also has in row 2 are accepted; Roman numerals
        // (NEC row 13 only) are not.
        assert_eq!(outside_jis_x0208("∵∩∪"), Vec::<char>::new());
        assert_eq!(outside_jis_x0208("Ⅱ"), vec!['Ⅱ']);
    }
}
