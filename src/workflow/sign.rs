//! Signing an opinion with the physician's HPKI card and queueing it for the hub.

use crate::card::hpki::HpkiCard;
use crate::card::{CardSource, Pin};
use crate::form::{Context, FormDef};
use crate::hub::fhir::{DocumentIds, document_bytes};
use crate::i18n::Locales;
use crate::sign::cms::{sign_document, subject_name};
use crate::store::{Finish, Session, SignerCert, Store, StoreError, VersionInfo};

use super::WorkflowError;

/// The card that signs and what goes with its signatures.
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    /// Where the card comes from (the PC/SC readers, or a card a test or the demo injects).
    pub card: &'a dyn CardSource,
    /// The reader the user chose; `None` leaves it to the source (the reader set in 設定).
    pub reader: Option<&'a str>,
    /// The signing CA certificates sent with each signature (DER).
    pub chain: &'a [Vec<u8>],
}

/// Signs the current version of `opinion_id` (a draft or a finalised one) with the card and
/// `pin`, then in one transaction finalises it (with its checks; `confirm_carried` confirms the
/// items carried over from the last opinion as unchanged), records the signature and queues the
/// signed document for sending. A refusal anywhere leaves the opinion as it was; a wrong PIN is
/// asked again by the caller, never retried here.
pub fn sign_and_queue(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    signer: Signer<'_>,
    pin: &Pin,
    confirm_carried: bool,
    ctx: &Context,
) -> Result<VersionInfo, WorkflowError> {
    // Refuse a clerk before the card is touched.
    store.check(session, crate::store::Action::Sign)?;
    let opened = store.read_current(session, opinion_id)?;
    let form = FormDef::builtin(opened.opinion.form_version)
        .map_err(|e| StoreError::Form(e.to_string()))?;
    let locales =
        Locales::builtin().map_err(|_| StoreError::Form("built-in locales".to_owned()))?;
    let document = document_bytes(form, &opened.opinion, &DocumentIds::new_now(), locales);
    let (access, _) = signer.card.open(signer.reader)?;
    let mut card = HpkiCard::new(access);
    let cert = card.certificate()?;
    let (cms, _) = sign_document(&mut card, pin, &cert, signer.chain, &document)?;
    let name = subject_name(&cert).unwrap_or_default();
    Ok(store.finish(
        session,
        opinion_id,
        opened.version.revision,
        confirm_carried,
        ctx,
        Finish::Signed {
            document: &document,
            cms: &cms,
            cert: SignerCert {
                der: &cert,
                name: &name,
            },
        },
    )?)
}
