//! NFKC normalisation of what was typed: full-width digits and letters become ASCII, so that
//! `１２１０１２` and `121012` are the same identifier. Free text is never rewritten; only the
//! derived value used for checking is normalised.

use unicode_normalization::UnicodeNormalization;

/// NFKC of `s` without surrounding white space (full-width spaces included).
pub fn nfkc_trim(s: &str) -> String {
    let trimmed = s.trim();
    if trimmed.is_ascii() {
        return trimmed.to_owned();
    }
    let n: String = trimmed.nfkc().collect();
    n.trim().to_owned()
}

/// NFKC, then without the separators people type inside numbers: spaces and hyphens of every width
/// (NFKC leaves U+2212 MINUS SIGN and U+30FC KATAKANA PROLONGED SOUND MARK alone, which IMEs produce).
pub fn identifier(s: &str) -> String {
    nfkc_trim(s)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}'
            )
        })
        .collect()
}

/// `true` when a typed value is empty once white space is ignored.
pub fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_become_ascii() {
        assert_eq!(nfkc_trim("　１２１０１２　"), "121012");
        assert_eq!(identifier("０３－１２３４ー５６７８"), "0312345678");
        assert_eq!(identifier("100−0001"), "1000001");
        assert!(is_blank(" \u{3000} "));
    }
}
