//! The physician's HPKI card (医師資格証): APDUs, the signing protocol of the JAHIS guideline over a
//! transport, the PC/SC transport, the [`CardSource`] the program gets its card from, and a virtual
//! card with the same file model for tests and the demo. See `../shared/specs/hpki-card.md`.
//!
//! The PIN is a [`Pin`]: checked for shape, never printed (its `Debug` is redacted), wiped when
//! dropped, sent once per signature and never retried by the program.

pub mod apdu;
pub mod choose;
pub mod hpki;
pub mod pcsc;

use zeroize::Zeroizing;

/// Why the card did not do what was asked. The messages (Fluent keys `card-*`) tell the user what
/// to do; none carries a PIN or anything read from the card beyond status words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("no smart card service (pcscd) is running")]
    NoService,
    #[error("no card reader is connected")]
    NoReader,
    #[error("no reader named {0}")]
    UnknownReader(String),
    #[error("no card in the reader")]
    NoCard,
    #[error("more than one reader holds an HPKI card")]
    SeveralCards(Vec<String>),
    #[error("the card was removed")]
    Removed,
    #[error("the card is still in the reader")]
    StillInserted,
    #[error("the card reader was disconnected")]
    ReaderGone,
    #[error("the card is not an HPKI card (no signing application)")]
    NotHpki,
    #[error("the card has been invalidated")]
    Deactivated,
    #[error("wrong PIN; {tries_left} tries left")]
    WrongPin { tries_left: u8 },
    #[error("the PIN is blocked")]
    Blocked,
    #[error("a PIN has 4 to 16 letters or digits")]
    PinShape,
    #[error("the card answered {sw:04X} to {step}")]
    Status { step: &'static str, sw: u16 },
    #[error("the card's answer could not be read at {0}")]
    Malformed(&'static str),
    #[error("the card's certificate could not be read")]
    Certificate,
    #[error("the card's signature does not match its certificate")]
    BadSignature,
    #[error("card reader error: {0}")]
    Transport(String),
}

impl CardError {
    /// The Fluent key of the message for the user.
    pub fn key(&self) -> &'static str {
        match self {
            CardError::NoService => "card-no-service",
            CardError::NoReader => "card-no-reader",
            CardError::UnknownReader(_) => "card-unknown-reader",
            CardError::NoCard => "card-no-card",
            CardError::SeveralCards(_) => "card-several",
            CardError::Removed => "card-removed",
            CardError::StillInserted => "card-still-inserted",
            CardError::ReaderGone => "card-reader-gone",
            CardError::NotHpki => "card-not-hpki",
            CardError::Deactivated => "card-deactivated",
            CardError::WrongPin { .. } => "card-wrong-pin",
            CardError::Blocked => "card-blocked",
            CardError::PinShape => "card-pin-shape",
            CardError::Status { .. } => "card-status",
            CardError::Malformed(_) => "card-malformed",
            CardError::Certificate => "card-certificate",
            CardError::BadSignature => "card-bad-signature",
            CardError::Transport(_) => "card-transport",
        }
    }

    /// The arguments of the message (`key`): never a PIN, only counts, names and status words.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            CardError::WrongPin { tries_left } => vec![("tries", tries_left.to_string())],
            CardError::UnknownReader(name) => vec![("reader", name.clone())],
            CardError::SeveralCards(readers) => vec![("readers", readers.join("、"))],
            CardError::Status { step, sw } => {
                vec![("step", (*step).to_owned()), ("sw", format!("{sw:04X}"))]
            }
            other => vec![("detail", other.to_string())],
        }
    }
}

pub type Result<T> = std::result::Result<T, CardError>;

/// A PIN as typed: 4 to 16 ASCII letters or digits. Wiped from memory when dropped; `Debug` shows
/// nothing of it.
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(typed: Zeroizing<String>) -> Result<Pin> {
        let n = typed.chars().count();
        if !(4..=16).contains(&n) || !typed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(CardError::PinShape);
        }
        Ok(Pin(typed))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

/// Sends command APDUs to a card and returns its answers (data and SW1 SW2).
pub trait Transport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>>;

    /// Whether extended-length APDUs reach the card. When not, long commands are chained.
    fn extended_apdus(&self) -> bool {
        true
    }
}

/// Something that holds a card: runs a whole command sequence in one exclusive session (one PC/SC
/// transaction), so no other program can interleave between VERIFY and the signature. Object-safe,
/// so that the program can hold whichever card its [`CardSource`] gives.
pub trait CardAccess {
    /// Runs `f` in one exclusive session.
    fn exclusive(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<()>) -> Result<()>;

    /// Runs `f` in one exclusive session and returns what it returns.
    fn session<R>(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<R>) -> Result<R>
    where
        Self: Sized,
    {
        let mut out = None;
        self.exclusive(&mut |t| {
            out = Some(f(t)?);
            Ok(())
        })?;
        // `exclusive` returned Ok only after `f` did.
        out.ok_or(CardError::Malformed("session"))
    }
}

impl<A: CardAccess + ?Sized> CardAccess for &mut A {
    fn exclusive(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<()>) -> Result<()> {
        (**self).exclusive(f)
    }
}

impl<A: CardAccess + ?Sized> CardAccess for Box<A> {
    fn exclusive(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<()>) -> Result<()> {
        (**self).exclusive(f)
    }
}

/// Where the program's cards come from, chosen when it starts: the PC/SC readers
/// ([`pcsc::PcscSource`]), or a card a test or the demo injects.
pub trait CardSource: Send + Sync {
    /// The readers this source offers, by name.
    fn readers(&self) -> Result<Vec<String>>;

    /// The card in the reader the user `asked` for, else in the source's own choice (the reader
    /// set in 設定, or the first), waiting briefly for one to be inserted; with the name of the
    /// reader it is in.
    fn open(&self, asked: Option<&str>) -> Result<(Box<dyn CardAccess + Send>, String)>;

    /// What each reader holds, without a PIN. By default: each reader, opened in turn.
    fn look(&self) -> Result<Vec<choose::Look>> {
        let mut looks = Vec::new();
        for reader in self.readers()? {
            let holds = match self.open(Some(&reader)) {
                Ok((mut access, _)) => choose::holds(&mut access),
                Err(CardError::NoCard) => choose::Holds::Nothing,
                Err(e) => choose::Holds::Unreadable(e),
            };
            looks.push(choose::Look { reader, holds });
        }
        Ok(looks)
    }

    /// Remembers `reader` as the one the person chose (the next [`CardSource::open`] without a
    /// reader asked for prefers it). By default nothing is remembered.
    fn remember(&self, reader: &str) -> std::io::Result<()> {
        let _ = reader;
        Ok(())
    }
}
