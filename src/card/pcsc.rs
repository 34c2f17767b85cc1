//! The PC/SC transport (pcscd on Linux, WinSCard on Windows) through the `pcsc` crate: list the
//! readers, wait for a card, and run each command sequence in one exclusive transaction. A card
//! pulled out or a reader unplugged mid-sequence is reported as such.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pcsc::{Card, Context, Protocols, ReaderState, Scope, ShareMode, State};

use super::{CardAccess, CardError, Result, Transport};

fn map(e: pcsc::Error) -> CardError {
    use pcsc::Error as E;
    match e {
        E::NoService | E::ServiceStopped => CardError::NoService,
        E::NoReadersAvailable => CardError::NoReader,
        E::NoSmartcard => CardError::NoCard,
        E::RemovedCard
        | E::ResetCard
        | E::NotTransacted
        | E::UnpoweredCard
        | E::UnresponsiveCard => CardError::Removed,
        E::ReaderUnavailable | E::UnknownReader => CardError::ReaderGone,
        other => CardError::Transport(other.to_string()),
    }
}

/// The names of the connected readers.
pub fn readers() -> Result<Vec<String>> {
    let ctx = Context::establish(Scope::User).map_err(map)?;
    list(&ctx)
}

fn list(ctx: &Context) -> Result<Vec<String>> {
    let len = match ctx.list_readers_len() {
        Ok(n) => n,
        Err(pcsc::Error::NoReadersAvailable) => return Ok(Vec::new()),
        Err(e) => return Err(map(e)),
    };
    let mut buf = vec![0u8; len];
    match ctx.list_readers(&mut buf) {
        Ok(names) => Ok(names.map(|n| n.to_string_lossy().into_owned()).collect()),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map(e)),
    }
}

/// A card reader through PC/SC.
pub struct PcscReader {
    ctx: Context,
    reader: CString,
    card: Option<Card>,
}

impl PcscReader {
    /// The reader named `name`, or the first reader when `name` is `None`.
    pub fn open(name: Option<&str>) -> Result<PcscReader> {
        let ctx = Context::establish(Scope::User).map_err(map)?;
        let names = list(&ctx)?;
        let chosen = match name {
            Some(n) => names
                .iter()
                .find(|r| r.as_str() == n)
                .ok_or_else(|| CardError::UnknownReader(n.to_owned()))?,
            None => names.first().ok_or(CardError::NoReader)?,
        };
        let reader = CString::new(chosen.as_str()).map_err(|_| CardError::NoReader)?;
        Ok(PcscReader {
            ctx,
            reader,
            card: None,
        })
    }

    pub fn name(&self) -> String {
        self.reader.to_string_lossy().into_owned()
    }

    /// Waits up to `timeout` for a card in the reader.
    pub fn wait_for_card(&self, timeout: Duration) -> Result<()> {
        self.wait_until(timeout, CardError::NoCard, |state| {
            if state.contains(State::UNKNOWN) || state.contains(State::UNAVAILABLE) {
                return Some(Err(CardError::ReaderGone));
            }
            (state.contains(State::PRESENT) && !state.contains(State::MUTE)).then_some(Ok(()))
        })
    }

    /// Waits up to `timeout` for the reader to be empty (after a card was taken out).
    pub fn wait_for_empty(&self, timeout: Duration) -> Result<()> {
        self.wait_until(timeout, CardError::StillInserted, |state| {
            state.contains(State::EMPTY).then_some(Ok(()))
        })
    }

    /// Follows the reader's state until `done` decides, or `timeout` passes (then `late`).
    fn wait_until(
        &self,
        timeout: Duration,
        late: CardError,
        done: impl Fn(State) -> Option<Result<()>>,
    ) -> Result<()> {
        let deadline = Instant::now() + timeout;
        let mut states = [ReaderState::new(self.reader.as_c_str(), State::UNAWARE)];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .ctx
                .get_status_change(Some(left.min(Duration::from_millis(500))), &mut states)
            {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => return Err(map(e)),
            }
            if let Some(result) = done(states[0].event_state()) {
                return result;
            }
            if Instant::now() >= deadline {
                return Err(late);
            }
            states[0].sync_current_state();
        }
    }

    fn connect(&mut self) -> Result<&mut Card> {
        if self.card.is_none() {
            let card = self
                .ctx
                .connect(&self.reader, ShareMode::Shared, Protocols::ANY)
                .map_err(map)?;
            self.card = Some(card);
        }
        self.card.as_mut().ok_or(CardError::NoCard)
    }
}

struct InTransaction<'a, 'c> {
    tx: &'a pcsc::Transaction<'c>,
}

impl Transport for InTransaction<'_, '_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        let mut buf = zeroize::Zeroizing::new(vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED]);
        let answer = self.tx.transmit(command, &mut buf).map_err(map)?;
        if answer.is_empty() {
            // Every card answer ends with a status word. A reader that hands back nothing has lost
            // the card mid-command (vpcd does this when the card goes away between two commands;
            // so do some USB readers when the card is pulled).
            tracing::debug!("the reader returned no answer: card taken out");
            return Err(CardError::Removed);
        }
        Ok(answer.to_vec())
    }
}

impl CardAccess for PcscReader {
    fn exclusive(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<()>) -> Result<()> {
        let result = {
            let card = self.connect()?;
            let tx = card.transaction().map_err(map)?;
            let mut t = InTransaction { tx: &tx };
            let r = f(&mut t);
            // Ending the transaction fails when the card is gone; the sequence's own error wins.
            let _ = tx.end(pcsc::Disposition::LeaveCard);
            r
        };
        if matches!(result, Err(CardError::Removed | CardError::ReaderGone)) {
            // Reconnect next time.
            self.card = None;
        }
        result
    }
}

/// The cards in the PC/SC readers, through pcscd. Without a reader asked for, it takes the reader
/// that holds an HPKI card ([`super::choose`]): the one chosen by hand before on this terminal
/// (kept in `remember_in`), else the only one; two holding cards is
/// [`CardError::SeveralCards`].
#[derive(Debug, Clone)]
pub struct PcscSource {
    /// The data folder where this terminal's chosen reader is kept (`None`: not kept).
    pub remember_in: Option<std::path::PathBuf>,
    /// The reader set in 設定 for every terminal, used when this one chose none.
    pub configured: Option<String>,
    /// How long to wait for a card to be inserted.
    pub wait: Duration,
}

impl Default for PcscSource {
    fn default() -> PcscSource {
        PcscSource {
            remember_in: None,
            configured: None,
            wait: Duration::from_secs(3),
        }
    }
}

impl PcscSource {
    /// The reader chosen before: on this terminal, else in 設定.
    pub fn remembered(&self) -> Option<String> {
        self.remember_in
            .as_deref()
            .and_then(super::choose::remembered)
            .or_else(|| self.configured.clone())
    }
}

/// What `reader` holds right now (no waiting).
fn look_at(ctx: &Context, reader: &str) -> super::choose::Holds {
    use super::choose::Holds;
    let Ok(name) = CString::new(reader) else {
        return Holds::Unreadable(CardError::UnknownReader(reader.to_owned()));
    };
    let mut states = [ReaderState::new(name.as_c_str(), State::UNAWARE)];
    match ctx.get_status_change(Some(Duration::ZERO), &mut states) {
        Ok(()) | Err(pcsc::Error::Timeout) => {}
        Err(e) => return Holds::Unreadable(map(e)),
    }
    let state = states[0].event_state();
    if state.contains(State::UNKNOWN) || state.contains(State::UNAVAILABLE) {
        return Holds::Unreadable(CardError::ReaderGone);
    }
    if !state.contains(State::PRESENT) || state.contains(State::MUTE) {
        return Holds::Nothing;
    }
    let mut access = PcscReader {
        ctx: ctx.clone(),
        reader: name,
        card: None,
    };
    super::choose::holds(&mut access)
}

impl super::CardSource for PcscSource {
    fn readers(&self) -> Result<Vec<String>> {
        readers()
    }

    fn open(&self, asked: Option<&str>) -> Result<(Box<dyn CardAccess + Send>, String)> {
        use super::choose::{Pick, none_found, pick};
        let reader = match asked {
            Some(r) => r.to_owned(),
            None => {
                let deadline = Instant::now() + self.wait;
                loop {
                    let looks = self.look()?;
                    match pick(&looks, self.remembered().as_deref()) {
                        Pick::One(r) => break r,
                        Pick::Several(all) => return Err(CardError::SeveralCards(all)),
                        Pick::None if Instant::now() >= deadline => {
                            return Err(none_found(&looks));
                        }
                        Pick::None => std::thread::sleep(Duration::from_millis(250)),
                    }
                }
            }
        };
        let r = PcscReader::open(Some(&reader))?;
        r.wait_for_card(self.wait)?;
        let name = r.name();
        Ok((Box::new(r), name))
    }

    fn look(&self) -> Result<Vec<super::choose::Look>> {
        let ctx = Context::establish(Scope::User).map_err(map)?;
        Ok(list(&ctx)?
            .into_iter()
            .map(|reader| super::choose::Look {
                holds: look_at(&ctx, &reader),
                reader,
            })
            .collect())
    }

    fn remember(&self, reader: &str) -> std::io::Result<()> {
        match &self.remember_in {
            Some(dir) => super::choose::remember(dir, reader),
            None => Ok(()),
        }
    }
}
