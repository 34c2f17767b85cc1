//! Finishing an opinion: 確定, then the signature and the queue, or the final print, each recorded
//! in the transaction that finalises; reopening a frozen version as a new one.

use super::db::{Sql, Tx, params};

use super::audit::{self, Event, check_version};
use super::model::{Draft, VersionInfo};
use super::state::{State, set_state};
use super::versions::{
    carried, current_version, form, insert_version, parse_body, pending, version_info, version_row,
};
use super::{Action, Result, Session, Store, StoreError, now, sha256_hex};
use crate::form::{Context, validate};

impl Store {
    /// Finalises (確定) the current draft: physicians only, no item waiting for review, no
    /// validation error. The version is frozen from here on.
    pub fn finalise(
        &mut self,
        session: &Session,
        opinion_id: i64,
        ctx: &Context,
    ) -> Result<VersionInfo> {
        self.check(session, Action::Finalise)?;
        self.write(|tx| {
            let version_id = finalise_tx(tx, session, opinion_id, ctx)?;
            version_info(tx, version_id)
        })
    }

    /// Finishes the current version in one transaction, so that 確定 is recorded only together
    /// with what finishes it: a draft is finalised (the checks of [`Store::finalise`]; it must
    /// still be at `revision`, the copy that was signed or printed), then the signature is
    /// recorded and the opinion queued for sending, or the final print is recorded (紙で提出).
    /// Items carried over from the last opinion and not confirmed refuse it
    /// ([`StoreError::Unconfirmed`]) unless `confirm_carried` (the physician confirmed them all
    /// as before: 前回どおり), which is recorded in the same transaction. When anything is refused
    /// nothing changes, and the draft stays editable.
    pub fn finish(
        &mut self,
        session: &Session,
        opinion_id: i64,
        revision: i64,
        confirm_carried: bool,
        ctx: &Context,
        how: Finish<'_>,
    ) -> Result<VersionInfo> {
        self.check(session, Action::Finalise)?;
        match how {
            Finish::Signed { .. } => {
                self.check(session, Action::Sign)?;
                self.check(session, Action::Send)?;
            }
            Finish::Printed { .. } => self.check(session, Action::PrintFinal)?,
        }
        self.write(|tx| {
            let version_id = current_version(tx, opinion_id)?;
            let row = version_row(tx, version_id)?;
            if !row.frozen {
                if row.revision != revision {
                    return Err(StoreError::Conflict {
                        expected: revision,
                        found: row.revision,
                        by: row.saved_by,
                    });
                }
                let op = parse_body(&row.body)?;
                let form = form(op.form_version)?;
                let shown = crate::form::validate::shown_items(&op, form);
                let carried: Vec<String> = carried(tx, version_id)?
                    .into_iter()
                    .filter(|id| form.index_of(id).is_some_and(|i| shown[i]))
                    .collect();
                if !carried.is_empty() {
                    if !confirm_carried {
                        return Err(StoreError::Unconfirmed { items: carried });
                    }
                    tx.execute(
                        "UPDATE item_marks SET origin = 'confirmed'
                         WHERE version_id = ?1 AND origin = 'carried'",
                        params![version_id],
                    )?;
                    audit::append(
                        tx,
                        &session.actor(),
                        &Event::new("confirm")
                            .opinion(opinion_id)
                            .version(version_id)
                            .detail(&carried.join(","))
                            .same(&row.body_hash),
                    )?;
                }
                finalise_tx(tx, session, opinion_id, ctx)?;
            }
            match how {
                Finish::Signed {
                    document,
                    cms,
                    cert,
                } => {
                    super::users::check_certificate(tx, session, cert)?;
                    sign_tx(tx, session, version_id, document, cms)?;
                    queue_tx(tx, session, opinion_id, None)?;
                }
                Finish::Printed { pdf_sha256 } => {
                    print_tx(tx, session, version_id, true, pdf_sha256)?;
                }
            }
            version_info(tx, version_id)
        })
    }

    /// Starts a new version from a frozen one (確定 but not sent or printed yet, or 差し戻し).
    pub fn reopen(&mut self, session: &Session, opinion_id: i64) -> Result<Draft> {
        self.check(session, Action::Edit)?;
        self.write(|tx| {
            let old_id = current_version(tx, opinion_id)?;
            let row = version_row(tx, old_id)?;
            let to = if session.is_clerk() {
                State::ClerkEntry
            } else {
                State::AwaitingPhysician
            };
            if !row.frozen {
                return Err(StoreError::Transition {
                    from: row.state,
                    to,
                });
            }
            set_state(tx, opinion_id, row.state, to)?;
            let op = parse_body(&row.body)?;
            let (version_id, hash) = insert_version(tx, opinion_id, row.number + 1, &op, session)?;
            tx.execute(
                "INSERT INTO item_marks (version_id, item, origin, clerk_pending)
                 SELECT CAST(?1 AS BIGINT), item, origin, FALSE FROM item_marks WHERE version_id = ?2",
                params![version_id, old_id],
            )?;
            audit::append(
                tx,
                &session.actor(),
                &Event::new("new-version")
                    .opinion(opinion_id)
                    .version(version_id)
                    .detail(&format!("from version {old_id}"))
                    .before(&row.body_hash)
                    .after(&hash),
            )?;
            Ok(Draft {
                opinion_id,
                version_id,
                revision: 0,
                opinion: op,
            })
        })
    }

    /// Records the HPKI signature over `document` (the exact bytes that were signed) for a
    /// finalised version, made with `cert` (which must be the account's, see [`Finish::Signed`]).
    /// Physicians only.
    pub fn record_signature(
        &mut self,
        session: &Session,
        version_id: i64,
        document: &[u8],
        cms: &[u8],
        cert: SignerCert<'_>,
    ) -> Result<()> {
        self.check(session, Action::Sign)?;
        self.write(|tx| {
            super::users::check_certificate(tx, session, cert)?;
            sign_tx(tx, session, version_id, document, cms)
        })
    }

    /// The latest signature of a version: the signed bytes and the CMS.
    pub fn signature(
        &self,
        session: &Session,
        version_id: i64,
    ) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.check(session, Action::Open)?;
        self.db.query_opt(
            "SELECT document, cms FROM signatures WHERE version_id = ?1 ORDER BY id DESC LIMIT 1",
            params![version_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Queues the finalised version for sending (送信待ち): one outbox row with the exact bytes to
    /// send and a new idempotency key, in the same transaction. Physicians only. A signed version
    /// sends the signed document and its signature; an unsigned one (an insurer that accepts it)
    /// needs `unsigned_document`, else it is refused as unsigned.
    pub fn queue_for_sending(
        &mut self,
        session: &Session,
        opinion_id: i64,
        unsigned_document: Option<&[u8]>,
    ) -> Result<super::outbox::Queued> {
        self.check(session, Action::Send)?;
        self.write(|tx| queue_tx(tx, session, opinion_id, unsigned_document))
    }

    /// Records a print with the SHA-256 of the PDF. A final print (for the paper route) needs a
    /// physician and a finalised version, and moves the opinion to 紙で提出 (printing it again
    /// later is recorded as another final print); a draft print is only recorded.
    pub fn record_print(
        &mut self,
        session: &Session,
        version_id: i64,
        final_print: bool,
        pdf_sha256: &str,
    ) -> Result<()> {
        self.check(
            session,
            if final_print {
                Action::PrintFinal
            } else {
                Action::Open
            },
        )?;
        self.write(|tx| print_tx(tx, session, version_id, final_print, pdf_sha256))
    }
}

/// The certificate a signature was made with: its DER and its subject's name (CN).
#[derive(Debug, Clone, Copy)]
pub struct SignerCert<'a> {
    pub der: &'a [u8],
    pub name: &'a str,
}

/// How [`Store::finish`] finishes an opinion.
#[derive(Debug, Clone, Copy)]
pub enum Finish<'a> {
    /// Signed with the HPKI card: `document` is the exact bytes that were signed; the opinion is
    /// queued for sending with them. `cert` is the card's certificate, which must be the one
    /// bound to the physician's account (bound now at the first signature when its name is the
    /// account's).
    Signed {
        document: &'a [u8],
        cms: &'a [u8],
        cert: SignerCert<'a>,
    },
    /// The final paper copy was printed (the SHA-256 of its PDF): 紙で提出.
    Printed { pdf_sha256: &'a str },
}

/// Finalises the current draft of `opinion_id` inside a transaction; returns its version id.
fn finalise_tx(tx: &Tx<'_>, session: &Session, opinion_id: i64, ctx: &Context) -> Result<i64> {
    let version_id = current_version(tx, opinion_id)?;
    let row = version_row(tx, version_id)?;
    check_version(tx, version_id, &row.body, &row.body_hash)?;
    if row.frozen {
        return Err(StoreError::Frozen(version_id));
    }
    if !row.state.may_become(State::Finalised) {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Finalised,
        });
    }
    let waiting = pending(tx, version_id)?;
    if !waiting.is_empty() {
        return Err(StoreError::Unreviewed { items: waiting });
    }
    let op = parse_body(&row.body)?;
    let report = validate(&op, form(op.form_version)?, ctx);
    let errors = report.count(crate::form::Severity::Error);
    if errors > 0 {
        return Err(StoreError::NotValid(errors));
    }
    tx.execute(
        "UPDATE versions SET frozen = 'finalised', frozen_at = ?1 WHERE id = ?2",
        params![now(), version_id],
    )?;
    set_state(tx, opinion_id, row.state, State::Finalised)?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("finalise")
            .opinion(opinion_id)
            .version(version_id)
            .same(&row.body_hash),
    )?;
    Ok(version_id)
}

/// Records a signature of a finalised current version inside a transaction.
fn sign_tx(
    tx: &Tx<'_>,
    session: &Session,
    version_id: i64,
    document: &[u8],
    cms: &[u8],
) -> Result<()> {
    let row = version_row(tx, version_id)?;
    check_version(tx, version_id, &row.body, &row.body_hash)?;
    if !row.frozen || row.state != State::Finalised || !row.current {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Queued,
        });
    }
    let doc_hash = sha256_hex(document);
    tx.execute(
        "INSERT INTO signatures (version_id, document, document_hash, cms, signed_by, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            version_id,
            document,
            doc_hash,
            cms,
            session.user_id(),
            now()
        ],
    )?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("sign")
            .opinion(row.opinion_id)
            .version(version_id)
            .detail(&format!("document {doc_hash}"))
            .same(&row.body_hash),
    )
}

/// Queues the finalised current version inside a transaction (see [`Store::queue_for_sending`]).
fn queue_tx(
    tx: &Tx<'_>,
    session: &Session,
    opinion_id: i64,
    unsigned_document: Option<&[u8]>,
) -> Result<super::outbox::Queued> {
    let version_id = current_version(tx, opinion_id)?;
    let row = version_row(tx, version_id)?;
    check_version(tx, version_id, &row.body, &row.body_hash)?;
    if !row.frozen || !row.state.may_become(State::Queued) {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Queued,
        });
    }
    let signed: Option<(Vec<u8>, Vec<u8>)> = tx.query_opt(
        "SELECT document, cms FROM signatures WHERE version_id = ?1
             ORDER BY id DESC LIMIT 1",
        params![version_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (document, signature) = match (signed, unsigned_document) {
        (Some((doc, cms)), _) => (doc, Some(cms)),
        (None, Some(doc)) => (doc.to_vec(), None),
        (None, None) => return Err(StoreError::Unsigned),
    };
    set_state(tx, opinion_id, row.state, State::Queued)?;
    let queued =
        super::outbox::insert(tx, opinion_id, version_id, &document, signature.as_deref())?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("send")
            .opinion(opinion_id)
            .version(version_id)
            .detail(if signature.is_some() {
                "signed"
            } else {
                "unsigned"
            })
            .same(&row.body_hash),
    )?;
    Ok(queued)
}

/// Records a print inside a transaction (see [`Store::record_print`]).
fn print_tx(
    tx: &Tx<'_>,
    session: &Session,
    version_id: i64,
    final_print: bool,
    pdf_sha256: &str,
) -> Result<()> {
    let row = version_row(tx, version_id)?;
    check_version(tx, version_id, &row.body, &row.body_hash)?;
    if final_print {
        // A reprint of the paper copy is allowed (and audited); anything else must be a frozen
        // current version on its way to paper.
        let reprint = row.state == State::Paper;
        if !row.frozen || !row.current || !(reprint || row.state.may_become(State::Paper)) {
            return Err(StoreError::Transition {
                from: row.state,
                to: State::Paper,
            });
        }
        if !reprint {
            set_state(tx, row.opinion_id, row.state, State::Paper)?;
        }
    }
    let detail = format!("pdf-sha256={pdf_sha256}");
    audit::append(
        tx,
        &session.actor(),
        &Event::new(if final_print {
            "print-final"
        } else {
            "print-draft"
        })
        .opinion(row.opinion_id)
        .version(version_id)
        .detail(&detail)
        .same(&row.body_hash),
    )
}
