//! Characters the hub may not accept. Japanese public systems commonly take JIS X 0208 (plus ASCII);
//! 外字 such as 髙 (an IBM extension), circled numbers (NEC row 13) and 𠮷 (outside the BMP) are
//! outside it and are reported as a warning, so the physician can choose a standard form.

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
    // EUC-JP puts JIS X 0208 row r, cell c at bytes (0xA0 + r, 0xA0 + c). The WHATWG EUC-JP
    // encoder also emits the NEC and IBM extension rows, which are not JIS X 0208; keep rows
    // 1–8 and 16–84 only (JIS X 0208:1990, 84 being the last kanji row).
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = encoding_rs::EUC_JP.encode(s);
    if unmappable {
        return false;
    }
    match *bytes {
        [lead, trail] if (0xA1..=0xFE).contains(&lead) && (0xA1..=0xFE).contains(&trail) => {
            let row = lead - 0xA0;
            (1..=8).contains(&row) || (16..=84).contains(&row)
        }
        _ => false,
    }
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
    }
}
