//! The search keys of an opinion: up to five (full name, given name, full kana, given kana,
//! 被保険者番号), folded by [`search_key`], written whenever the applicant changes.

use unicode_normalization::UnicodeNormalization;

use super::Result;
use super::db::{Sql, Tx, params};
use crate::form::Applicant;
use crate::form::normalize::identifier;

/// The folded form of a name or reading for matching: NFKC (half-width kana become full-width,
/// full-width letters and digits become ASCII), no spaces, katakana as hiragana, ASCII lower case.
pub fn search_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The search keys of an applicant.
pub(super) fn keys_of(a: &Applicant) -> Vec<String> {
    let mut keys = Vec::with_capacity(5);
    for text in [&a.name, &a.kana] {
        let whole = search_key(text);
        if whole.is_empty() {
            continue;
        }
        // The given name: what follows the first space, as typed (half- or full-width).
        let given = text
            .trim()
            .split_once(|c: char| c.is_whitespace())
            .map(|(_, g)| search_key(g))
            .unwrap_or_default();
        keys.push(whole);
        if !given.is_empty() {
            keys.push(given);
        }
    }
    let insured = identifier(&a.insured_number);
    if !insured.is_empty() {
        keys.push(insured);
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Replaces an opinion's search keys.
pub(super) fn set_keys(tx: &Tx<'_>, opinion_id: i64, keys: &[String]) -> Result<()> {
    tx.execute(
        "DELETE FROM search_keys WHERE opinion_id = ?1",
        params![opinion_id],
    )?;
    for k in keys {
        tx.execute(
            "INSERT INTO search_keys (key, opinion_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![k, opinion_id],
        )?;
    }
    Ok(())
}
