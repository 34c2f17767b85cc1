//! The card and signature commands: `readers`, `sign`, `verify`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::exit;
use super::store_cmds::{Ctx, Outcome, read_secret};
use crate::card::hpki::{HpkiCard, PinStatus};
use crate::card::pcsc::{PcscReader, readers};
use crate::card::{CardError, Pin};
use crate::sign::cms::{load_trust_anchors, sign_document, verify};

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// The document to sign (its exact bytes are signed).
    doc: PathBuf,
    /// The card reader (see `ikensho readers`); default: the only one.
    #[arg(long)]
    reader: Option<String>,
    /// CA certificates (PEM) to include with the signer's certificate.
    #[arg(long)]
    chain: Option<PathBuf>,
    /// Where to write the signature (default: DOC.p7s).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    doc: PathBuf,
    signature: PathBuf,
    /// Trust anchors (PEM, one or more certificates).
    #[arg(long)]
    trust: PathBuf,
}

pub(super) fn card_fail(ctx: &Ctx<'_>, e: &CardError) -> u8 {
    ctx.say(e.key(), &e.args());
    match e {
        CardError::NoService
        | CardError::NoReader
        | CardError::UnknownReader(_)
        | CardError::NoCard => exit::UNREADABLE,
        _ => exit::FAILED,
    }
}

pub(super) fn read_file(ctx: &Ctx<'_>, p: &Path) -> Result<Vec<u8>, u8> {
    std::fs::read(p).map_err(|e| {
        ctx.say(
            "err-io",
            &[("path", p.display().to_string()), ("detail", e.to_string())],
        );
        exit::UNREADABLE
    })
}

pub fn list_readers(ctx: &Ctx<'_>) -> Outcome {
    let names = readers().map_err(|e| card_fail(ctx, &e))?;
    if names.is_empty() {
        return Err(card_fail(ctx, &CardError::NoReader));
    }
    for n in names {
        println!("{n}");
    }
    Ok(exit::CLEAN)
}

/// Reads one line of standard input (a confirmation), trimmed.
pub(super) fn read_line() -> String {
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_owned()
}

pub fn sign(ctx: &Ctx<'_>, a: SignArgs) -> Outcome {
    let document = read_file(ctx, &a.doc)?;
    let chain: Vec<Vec<u8>> = match &a.chain {
        Some(p) => {
            let pem = read_file(ctx, p)?;
            x509_cert::Certificate::load_pem_chain(&pem)
                .map_err(|_| {
                    ctx.say("verify-not-pem", &[("path", p.display().to_string())]);
                    exit::UNREADABLE
                })?
                .iter()
                .filter_map(|c| der::Encode::to_der(c).ok())
                .collect()
        }
        None => Vec::new(),
    };
    let fail = |e: CardError| card_fail(ctx, &e);
    let reader = PcscReader::open(a.reader.as_deref()).map_err(fail)?;
    ctx.say("cli-sign-reader", &[("reader", reader.name())]);
    reader
        .wait_for_card(Duration::from_secs(10))
        .map_err(fail)?;
    let mut card = HpkiCard::new(reader);
    let cert = card.certificate().map_err(fail)?;
    match card.pin_status().map_err(fail)? {
        PinStatus::Blocked => return Err(fail(CardError::Blocked)),
        PinStatus::TriesLeft(n) => {
            ctx.say("cli-sign-tries", &[("tries", n.to_string())]);
            if n < 3 {
                ctx.say("cli-sign-confirm-low", &[("tries", n.to_string())]);
                if !matches!(read_line().as_str(), "yes" | "はい" | "y") {
                    ctx.say("cli-sign-cancelled", &[]);
                    return Err(exit::FAILED);
                }
            }
        }
        PinStatus::Verified => {}
    }
    let typed = read_secret(&ctx.locales.text(ctx.lang, "cli-sign-pin", None)).map_err(|e| {
        ctx.say("err-io", &[("path", "-".into()), ("detail", e.to_string())]);
        exit::UNREADABLE
    })?;
    let pin = Pin::new(typed).map_err(fail)?;
    let (sig, _) =
        sign_document(&mut card, &pin, &cert, &chain, &document).map_err(|e| match e {
            crate::sign::cms::SignError::Card(c) => fail(c),
            other => {
                ctx.say(other.key(), &[("detail", other.to_string())]);
                exit::FAILED
            }
        })?;
    drop(pin);
    let out = a.output.unwrap_or_else(|| {
        let mut p = a.doc.clone().into_os_string();
        p.push(".p7s");
        PathBuf::from(p)
    });
    std::fs::write(&out, sig).map_err(|e| {
        ctx.say(
            "cli-cannot-write",
            &[
                ("path", out.display().to_string()),
                ("detail", e.to_string()),
            ],
        );
        exit::UNREADABLE
    })?;
    ctx.say("cli-sign-written", &[("path", out.display().to_string())]);
    Ok(exit::CLEAN)
}

pub fn verify_cmd(ctx: &Ctx<'_>, a: VerifyArgs) -> Outcome {
    let document = read_file(ctx, &a.doc)?;
    let sig = read_file(ctx, &a.signature)?;
    let pem = read_file(ctx, &a.trust)?;
    let anchors = load_trust_anchors(&pem).map_err(|_| {
        ctx.say("verify-not-pem", &[("path", a.trust.display().to_string())]);
        exit::UNREADABLE
    })?;
    match verify(&document, &sig, &anchors) {
        Ok(v) => {
            ctx.say(
                "cli-verify-ok",
                &[
                    ("signer", v.signer),
                    (
                        "time",
                        jiff::Timestamp::from_second(v.signing_time as i64)
                            .map(|t| {
                                t.to_zoned(crate::form::wareki::japan())
                                    .strftime("%Y-%m-%d %H:%M:%S JST")
                                    .to_string()
                            })
                            .unwrap_or_default(),
                    ),
                ],
            );
            Ok(exit::CLEAN)
        }
        Err(e) => {
            ctx.say(e.key(), &[("detail", e.to_string())]);
            Err(exit::ERRORS)
        }
    }
}
