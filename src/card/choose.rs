//! Which reader to use when a terminal has several: the one that holds an HPKI card. A clinic PC
//! often has two (a keyboard's built-in slot, an external reader, the マイナ保険証 reader at
//! reception), and the physician's card may sit in any. The choice a person made by hand is
//! remembered per terminal (in the data folder: reader names belong to this machine, not to a
//! store shared by several terminals); when two readers hold HPKI cards and none was chosen
//! before, the person is asked.

use std::path::Path;

use super::{CardAccess, CardError};

/// The file in the data folder that remembers this terminal's reader.
pub const REMEMBERED_FILE: &str = "card-reader.txt";

/// What a reader holds, seen without a PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    /// No card.
    Nothing,
    /// A card with the HPKI signing application.
    Hpki,
    /// Another card (a bank card, a マイナンバーカード…).
    Other,
    /// The reader could not be asked (busy with another program, gone…).
    Unreadable(CardError),
}

/// One reader and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    pub reader: String,
    pub holds: Holds,
}

/// The reader to use, from what the readers hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// This reader: it holds the only HPKI card, or the one chosen before.
    One(String),
    /// These readers each hold an HPKI card and none was chosen before: ask.
    Several(Vec<String>),
    /// No reader holds an HPKI card.
    None,
}

/// Picks the reader: the one chosen before (`remembered`) when it holds an HPKI card, else the
/// only reader that holds one; several holding one is a question for the person.
pub fn pick(looks: &[Look], remembered: Option<&str>) -> Pick {
    let with_card: Vec<&str> = looks
        .iter()
        .filter(|l| l.holds == Holds::Hpki)
        .map(|l| l.reader.as_str())
        .collect();
    if let Some(r) = remembered
        && with_card.contains(&r)
    {
        return Pick::One(r.to_owned());
    }
    match with_card.as_slice() {
        [] => Pick::None,
        [one] => Pick::One((*one).to_owned()),
        several => Pick::Several(several.iter().map(|s| (*s).to_owned()).collect()),
    }
}

/// What the card behind `access` is: an HPKI card when its signing application answers.
pub fn holds(access: &mut dyn CardAccess) -> Holds {
    match access.exclusive(&mut |t| super::hpki::select_signing_ap(t)) {
        Ok(()) => Holds::Hpki,
        Err(CardError::NotHpki) => Holds::Other,
        Err(CardError::NoCard) => Holds::Nothing,
        Err(e) => Holds::Unreadable(e),
    }
}

/// Why no reader could be picked once the wait is over: no reader at all, a card that is not an
/// HPKI card, or no card.
pub fn none_found(looks: &[Look]) -> CardError {
    if looks.is_empty() {
        return CardError::NoReader;
    }
    if looks.iter().any(|l| l.holds == Holds::Other) {
        return CardError::NotHpki;
    }
    CardError::NoCard
}

/// The reader chosen by hand on this terminal, if any.
pub fn remembered(data_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(data_dir.join(REMEMBERED_FILE)).ok()?;
    let name = text.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Remembers `reader` as this terminal's choice.
pub fn remember(data_dir: &Path, reader: &str) -> std::io::Result<()> {
    crate::files::private_dir(data_dir)?;
    let path = data_dir.join(REMEMBERED_FILE);
    let part = crate::files::with_suffix(&path, ".part");
    crate::files::write_private(&part, format!("{reader}\n").as_bytes())?;
    std::fs::rename(&part, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(reader: &str, holds: Holds) -> Look {
        Look {
            reader: reader.to_owned(),
            holds,
        }
    }

    #[test]
    fn the_reader_with_the_card_is_picked() {
        let looks = [look("A", Holds::Nothing), look("B", Holds::Hpki)];
        assert_eq!(pick(&looks, None), Pick::One("B".into()));
        // A reader remembered but empty does not win over the card.
        assert_eq!(pick(&looks, Some("A")), Pick::One("B".into()));
        let other = [look("A", Holds::Other), look("B", Holds::Hpki)];
        assert_eq!(pick(&other, None), Pick::One("B".into()));
    }

    #[test]
    fn two_cards_ask_unless_one_was_chosen_before() {
        let looks = [
            look("A", Holds::Hpki),
            look("B", Holds::Hpki),
            look("C", Holds::Unreadable(CardError::ReaderGone)),
        ];
        assert_eq!(
            pick(&looks, None),
            Pick::Several(vec!["A".into(), "B".into()])
        );
        assert_eq!(pick(&looks, Some("B")), Pick::One("B".into()));
        assert_eq!(
            pick(&looks, Some("C")),
            Pick::Several(vec!["A".into(), "B".into()])
        );
    }

    #[test]
    fn why_nothing_was_picked() {
        assert_eq!(none_found(&[]), CardError::NoReader);
        assert_eq!(
            none_found(&[look("A", Holds::Nothing), look("B", Holds::Other)]),
            CardError::NotHpki
        );
        assert_eq!(none_found(&[look("A", Holds::Nothing)]), CardError::NoCard);
        assert_eq!(
            pick(&[look("A", Holds::Other)], Some("A")),
            Pick::None,
            "a card that cannot sign is never picked"
        );
    }

    #[test]
    fn the_choice_is_kept_per_terminal() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remembered(dir.path()), None);
        remember(dir.path(), "Virtual PCD 00 01").unwrap();
        assert_eq!(remembered(dir.path()).as_deref(), Some("Virtual PCD 00 01"));
        remember(dir.path(), "SCR 3310").unwrap();
        assert_eq!(remembered(dir.path()).as_deref(), Some("SCR 3310"));
    }
}
