//! The card and signature commands: `readers`, `sign`, `verify`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::{CliError, Outcome};
use super::exit;
use super::store_cmds::Ctx;
use crate::card::CardSource;
use crate::card::hpki::{HpkiCard, PinStatus};
use crate::card::pcsc::{PcscSource, readers};
use crate::card::{CardError, Pin};
use crate::sign::cms::{Revocation, Trust, load_crl, load_trust_anchors, sign_document, verify};

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// The document to sign (its exact bytes are signed).
    doc: PathBuf,
    /// The card reader (see `ikensho readers`), remembered for the next time; default: the
    /// reader that holds an HPKI card (the one chosen before when two do).
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
    /// A certificate revocation list (PEM or DER) of a CA on the path; may be given more than
    /// once. Without one, the result says that revocation was not checked.
    #[arg(long = "crl")]
    crls: Vec<PathBuf>,
    /// The certificate policy (arc) the signer and its CAs must carry. Default: the HPKI signing
    /// policy when the path ends at the MHLW HPKI root, none otherwise.
    #[arg(long)]
    policy: Option<String>,
}

pub(super) fn read_file(p: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(p).map_err(|e| CliError::reading(p, e))
}

/// The DER certificates of a PEM file.
pub(super) fn pem_certificates(p: &Path) -> Result<Vec<x509_cert::Certificate>, CliError> {
    let pem = read_file(p)?;
    crate::sign::cms::pem_certificates(&pem).ok_or_else(|| CliError::NotPem {
        path: p.to_path_buf(),
    })
}

pub fn list_readers(ctx: &Ctx<'_>) -> Outcome {
    let _ = ctx;
    let names = readers()?;
    if names.is_empty() {
        return Err(CardError::NoReader.into());
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
    let document = read_file(&a.doc)?;
    let chain: Vec<Vec<u8>> = match &a.chain {
        Some(p) => pem_certificates(p)?
            .iter()
            .filter_map(|c| der::Encode::to_der(c).ok())
            .collect(),
        None => Vec::new(),
    };
    // The reader asked for, else the one that holds an HPKI card (the one chosen before on this
    // terminal when two do).
    let source = PcscSource {
        remember_in: ctx.folder().ok(),
        configured: None,
        wait: Duration::from_secs(10),
    };
    let (access, reader) = match source.open(a.reader.as_deref()) {
        Ok(opened) => opened,
        Err(CardError::SeveralCards(all)) => {
            return Err(CliError::said(
                exit::UNREADABLE,
                "cli-sign-several",
                &[("readers", all.join(", "))],
            ));
        }
        Err(e) => return Err(e.into()),
    };
    ctx.say("cli-sign-reader", &[("reader", reader.clone())]);
    let mut card = HpkiCard::new(access);
    let cert = card.certificate()?;
    match card.pin_status()? {
        PinStatus::Blocked => return Err(CardError::Blocked.into()),
        PinStatus::TriesLeft(n) => {
            ctx.say("cli-sign-tries", &[("tries", n.to_string())]);
            if n < 3 {
                ctx.say("cli-sign-confirm-low", &[("tries", n.to_string())]);
                if !matches!(read_line().as_str(), "yes" | "はい" | "y") {
                    return Err(CliError::said(exit::FAILED, "cli-sign-cancelled", &[]));
                }
            }
        }
        PinStatus::Verified => {}
    }
    let pin = Pin::new(ctx.secret("cli-sign-pin")?)?;
    let (sig, _) = sign_document(&mut card, &pin, &cert, &chain, &document)?;
    drop(pin);
    if a.reader.is_some() {
        // Chosen by hand: the next signature on this terminal prefers it. Not being able to keep
        // the choice does not undo the signature.
        let _ = source.remember(&reader);
    }
    let out = a.output.unwrap_or_else(|| {
        let mut p = a.doc.clone().into_os_string();
        p.push(".p7s");
        PathBuf::from(p)
    });
    std::fs::write(&out, sig).map_err(|e| CliError::writing(&out, e))?;
    ctx.say("cli-sign-written", &[("path", out.display().to_string())]);
    Ok(exit::CLEAN)
}

pub fn verify_cmd(ctx: &Ctx<'_>, a: VerifyArgs) -> Outcome {
    let document = read_file(&a.doc)?;
    let sig = read_file(&a.signature)?;
    let pem = read_file(&a.trust)?;
    let anchors = load_trust_anchors(&pem).map_err(|_| CliError::NotPem {
        path: a.trust.clone(),
    })?;
    let crls = a
        .crls
        .iter()
        .map(|p| read_file(p).and_then(|b| Ok(load_crl(&b)?)))
        .collect::<Result<Vec<_>, CliError>>()?;
    let trust = Trust {
        crls: &crls,
        policy: a.policy.as_deref(),
        ..Trust::now(&anchors)
    };
    let v = verify(&document, &sig, &trust)?;
    let time = jiff::Timestamp::from_second(v.signing_time as i64)
        .map(|t| {
            t.to_zoned(crate::form::wareki::japan())
                .strftime("%Y-%m-%d %H:%M:%S JST")
                .to_string()
        })
        .unwrap_or_default();
    ctx.say("cli-verify-ok", &[("signer", v.signer), ("time", time)]);
    ctx.say(
        match v.revocation {
            Revocation::Checked => "cli-verify-revocation-checked",
            Revocation::NotChecked => "cli-verify-revocation-not-checked",
        },
        &[],
    );
    Ok(exit::CLEAN)
}
