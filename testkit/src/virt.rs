//! A virtual HPKI card: the file model and commands of the real card (the 電子署名用 AP with its
//! PIN, key and certificate files), a PIN counter kept in a file that blocks at 0, and switches for
//! the behaviours a real card or reader may show (variant A or B only, no extended APDUs, removal
//! after VERIFY, a key that does not match the certificate). It runs in process as a
//! [`Transport`], or as a vpcd client so that tests go through the real pcscd.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::card::apdu::{Command, Response};
use crate::card::hpki::{CERT_FID, KEY_FID, PIN_FID, PIN_REF, SHA256_DIGEST_INFO, SIGNING_AID};
use crate::card::{CardAccess, CardError, Result, Transport};

/// The ATR the virtual card answers with (T=1).
pub const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];
/// vpcd's port for slot 0.
pub const VPCD_PORT: u16 = 35963;
/// Wrong PINs in a row before the card blocks (MEDIS: 15).
pub const MAX_TRIES: u8 = 15;

/// Which signing commands the card answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variants {
    /// PSO with host padding (A) and the JPKI-style command (B).
    #[default]
    Both,
    AOnly,
    BOnly,
}

/// How the card (and its reader) behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Behaviour {
    pub variants: Variants,
    /// Refuse extended-length APDUs (67 00), as some readers do: the host must chain.
    pub no_extended: bool,
    /// Disappear right after a successful VERIFY (the card pulled out mid-sequence).
    pub remove_after_verify: bool,
    /// Sign with a key that is not the certificate's.
    pub wrong_key: bool,
    /// Not an HPKI card: no signing application.
    pub not_hpki: bool,
}

/// What the card keeps between runs (`card.json` in its folder).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    /// SHA-256 of the PIN (the virtual card's "secure memory").
    pin_sha256: String,
    tries_left: u8,
    behaviour: Behaviour,
}

/// The virtual card. Its folder holds `card.json`, `key.pem` (PKCS#8) and `cert.der`.
pub struct VirtualCard {
    dir: PathBuf,
    saved: Saved,
    key: RsaPrivateKey,
    other_key: Option<RsaPrivateKey>,
    cert: Vec<u8>,
    // Session state, reset at power-on.
    ap: bool,
    file: Option<[u8; 2]>,
    verified: bool,
    mse: bool,
    chain: Vec<u8>,
    removed: bool,
}

fn io(e: impl std::fmt::Display) -> CardError {
    CardError::Transport(e.to_string())
}

impl VirtualCard {
    /// Makes a new card in `dir` with this key, certificate and PIN (all tries left).
    pub fn create(
        dir: &Path,
        key: &RsaPrivateKey,
        cert_der: &[u8],
        pin: &str,
        behaviour: Behaviour,
    ) -> Result<VirtualCard> {
        ikensho::files::private_dir(dir).map_err(io)?;
        let pem = key.to_pkcs8_pem(Default::default()).map_err(io)?;
        ikensho::files::write_private(&dir.join("key.pem"), pem.as_bytes()).map_err(io)?;
        std::fs::write(dir.join("cert.der"), cert_der).map_err(io)?;
        let saved = Saved {
            pin_sha256: format!("{:x}", Sha256::digest(pin.as_bytes())),
            tries_left: MAX_TRIES,
            behaviour,
        };
        let card = VirtualCard::from_parts(dir, saved, key.clone(), cert_der.to_vec());
        card.save()?;
        Ok(card)
    }

    /// Opens the card kept in `dir`.
    pub fn open(dir: &Path) -> Result<VirtualCard> {
        let text = std::fs::read_to_string(dir.join("card.json")).map_err(io)?;
        let saved: Saved = serde_json::from_str(&text).map_err(io)?;
        let pem = std::fs::read_to_string(dir.join("key.pem")).map_err(io)?;
        let key = RsaPrivateKey::from_pkcs8_pem(&pem).map_err(io)?;
        let cert = std::fs::read(dir.join("cert.der")).map_err(io)?;
        Ok(VirtualCard::from_parts(dir, saved, key, cert))
    }

    fn from_parts(dir: &Path, saved: Saved, key: RsaPrivateKey, cert: Vec<u8>) -> VirtualCard {
        VirtualCard {
            dir: dir.to_owned(),
            saved,
            key,
            other_key: None,
            cert,
            ap: false,
            file: None,
            verified: false,
            mse: false,
            chain: Vec::new(),
            removed: false,
        }
    }

    pub fn behaviour(&self) -> Behaviour {
        self.saved.behaviour
    }

    /// Changes the behaviour (kept in `card.json`).
    pub fn set_behaviour(&mut self, b: Behaviour) -> Result<()> {
        self.saved.behaviour = b;
        self.save()
    }

    /// Gives the card a new PIN, all tries left (tests that need a PIN of their own).
    pub fn set_pin(&mut self, pin: &str) -> Result<()> {
        self.saved.pin_sha256 = format!("{:x}", Sha256::digest(pin.as_bytes()));
        self.saved.tries_left = MAX_TRIES;
        self.save()
    }

    pub fn tries_left(&self) -> u8 {
        self.saved.tries_left
    }

    /// Sets the tries left (tests: a card one try from blocking).
    pub fn set_tries_left(&mut self, n: u8) -> Result<()> {
        self.saved.tries_left = n.min(MAX_TRIES);
        self.save()
    }

    fn save(&self) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.saved).map_err(io)?;
        let part = self.dir.join("card.json.part");
        ikensho::files::write_private(&part, text.as_bytes()).map_err(io)?;
        std::fs::rename(&part, self.dir.join("card.json")).map_err(io)
    }

    /// Power on or reset: nothing selected, nothing verified.
    pub fn reset(&mut self) {
        self.ap = false;
        self.file = None;
        self.verified = false;
        self.mse = false;
        self.chain.clear();
    }

    /// Answers one command APDU.
    pub fn process(&mut self, bytes: &[u8]) -> Response {
        let Some(c) = Command::parse(bytes) else {
            return Response::status(0x6700);
        };
        if self.saved.behaviour.no_extended && c.is_extended() {
            return Response::status(0x6700);
        }
        if c.cla & 0x10 != 0 {
            self.chain.extend_from_slice(&c.data);
            return Response::status(0x9000);
        }
        let mut data = std::mem::take(&mut self.chain);
        data.extend_from_slice(&c.data);
        let data = zeroize::Zeroizing::new(data);
        match (c.cla, c.ins, c.p1, c.p2) {
            (0x00, 0xA4, 0x04, 0x00) => {
                if !self.saved.behaviour.not_hpki && data.as_slice() == SIGNING_AID {
                    self.reset();
                    self.ap = true;
                    Response::ok(vec![0x6F, 0x00])
                } else {
                    self.ap = false;
                    Response::status(0x6A82)
                }
            }
            (0x00, 0xA4, 0x02, 0x0C) => {
                let fid = [
                    data.first().copied().unwrap_or(0),
                    data.get(1).copied().unwrap_or(0),
                ];
                if self.ap && data.len() == 2 && [PIN_FID, KEY_FID, CERT_FID].contains(&fid) {
                    self.file = Some(fid);
                    Response::status(0x9000)
                } else {
                    Response::status(0x6A82)
                }
            }
            (0x00, 0xB0, hi, lo) => {
                if self.file != Some(CERT_FID) {
                    return Response::status(0x6986);
                }
                let offset = u16::from_be_bytes([hi, lo]) as usize;
                if offset > self.cert.len() {
                    return Response::status(0x6B00);
                }
                let n = c.le.unwrap_or(256).min(self.cert.len() - offset);
                Response::ok(self.cert[offset..offset + n].to_vec())
            }
            (0x00, 0x20, 0x00, PIN_REF) => self.verify(&data),
            (0x00, 0x22, 0x41, 0xB6) => {
                if self.ap && data.as_slice() == [0x84, 0x02, KEY_FID[0], KEY_FID[1]] {
                    self.mse = true;
                    Response::status(0x9000)
                } else {
                    Response::status(0x6A80)
                }
            }
            (0x00, 0x2A, 0x9E, 0x9A) => {
                if self.saved.behaviour.variants == Variants::BOnly {
                    return Response::status(0x6D00);
                }
                self.sign(parse_pkcs1_block, &data)
            }
            (0x80, 0x2A, 0x00, 0x80) => {
                if self.saved.behaviour.variants == Variants::AOnly {
                    return Response::status(0x6D00);
                }
                self.sign(parse_digest_info, &data)
            }
            _ => Response::status(0x6D00),
        }
    }

    fn verify(&mut self, data: &[u8]) -> Response {
        if !self.ap || self.file != Some(PIN_FID) && self.file != Some(KEY_FID) {
            return Response::status(0x6985);
        }
        if self.saved.tries_left == 0 {
            return Response::status(0x6983);
        }
        if data.is_empty() {
            return if self.verified {
                Response::status(0x9000)
            } else {
                Response::status(0x63C0 | u16::from(self.saved.tries_left))
            };
        }
        let given = format!("{:x}", Sha256::digest(data));
        if given == self.saved.pin_sha256 {
            self.saved.tries_left = MAX_TRIES;
            self.verified = true;
            if self.save().is_err() {
                return Response::status(0x6581);
            }
            if self.saved.behaviour.remove_after_verify {
                self.removed = true;
            }
            Response::status(0x9000)
        } else {
            self.saved.tries_left -= 1;
            self.verified = false;
            if self.save().is_err() {
                return Response::status(0x6581);
            }
            Response::status(0x63C0 | u16::from(self.saved.tries_left))
        }
    }

    fn sign(&mut self, hash_of: impl Fn(&[u8]) -> Option<[u8; 32]>, data: &[u8]) -> Response {
        if !self.verified {
            return Response::status(0x6982);
        }
        if !self.mse {
            return Response::status(0x6985);
        }
        let Some(hash) = hash_of(data) else {
            return Response::status(0x6A80);
        };
        // One signature per VERIFY (userConsent 1).
        self.verified = false;
        let key = if self.saved.behaviour.wrong_key {
            self.other_key
                .get_or_insert_with(|| other_key().unwrap_or_else(|| self.key.clone()))
        } else {
            &self.key
        };
        match key.sign(Pkcs1v15Sign::new::<Sha256>(), &hash) {
            Ok(sig) => Response::ok(sig),
            Err(_) => Response::status(0x6F00),
        }
    }

    /// Whether the card has been pulled out (the remove-after-VERIFY behaviour).
    pub fn is_removed(&self) -> bool {
        self.removed
    }

    /// Connects to vpcd at `addr` (normally 127.0.0.1:35963): the card is inserted.
    pub fn connect_vpcd(addr: &str) -> Result<TcpStream> {
        let s = TcpStream::connect(addr).map_err(|e| {
            CardError::Transport(format!(
                "vpcd at {addr}: {e} (is pcscd with vsmartcard-vpcd running?)"
            ))
        })?;
        let _ = s.set_nodelay(true);
        Ok(s)
    }

    /// Answers vpcd on `s` until vpcd closes the connection, the connection is shut down from
    /// outside, or the card is removed (remove-after-VERIFY). Closing the socket is what pcscd
    /// sees as the card being taken out.
    pub fn serve_vpcd(&mut self, mut s: TcpStream) -> Result<()> {
        loop {
            let mut len = [0u8; 2];
            // vpcd writes a message's length and its body separately; acknowledging at once keeps
            // the body from waiting out a delayed ACK (about 40 ms per command otherwise).
            quick_ack(&s);
            if s.read_exact(&mut len).is_err() {
                return Ok(());
            }
            quick_ack(&s);
            let mut msg = zeroize::Zeroizing::new(vec![0u8; u16::from_be_bytes(len) as usize]);
            if s.read_exact(&mut msg).is_err() {
                return Ok(());
            }
            let reply = match msg.as_slice() {
                // 00 power off, 01 power on, 02 reset: no reply.
                [0x00..=0x02] => {
                    self.reset();
                    continue;
                }
                [0x04] => ATR.to_vec(),
                [_] => continue,
                apdu => self.process(apdu).to_bytes(),
            };
            let mut out = (reply.len() as u16).to_be_bytes().to_vec();
            out.extend_from_slice(&reply);
            if s.write_all(&out).is_err() {
                return Ok(());
            }
            if self.removed {
                let _ = s.shutdown(std::net::Shutdown::Both);
                return Ok(());
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn quick_ack(s: &TcpStream) {
    let _ = socket2::SockRef::from(s).set_quickack(true);
}

#[cfg(not(target_os = "linux"))]
fn quick_ack(_: &TcpStream) {}

fn other_key() -> Option<RsaPrivateKey> {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).ok()
}

/// The SHA-256 inside a PKCS#1 v1.5 block 00 01 FF..FF 00 DigestInfo hash.
fn parse_pkcs1_block(em: &[u8]) -> Option<[u8; 32]> {
    if em.len() != 256 || em[0] != 0 || em[1] != 1 {
        return None;
    }
    let sep = em[2..].iter().position(|&b| b != 0xFF)? + 2;
    if em[sep] != 0 || sep < 10 {
        return None;
    }
    parse_digest_info(&em[sep + 1..])
}

fn parse_digest_info(d: &[u8]) -> Option<[u8; 32]> {
    let rest = d.strip_prefix(&SHA256_DIGEST_INFO[..])?;
    rest.try_into().ok()
}

impl Transport for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        if self.removed {
            return Err(CardError::Removed);
        }
        Ok(self.process(command).to_bytes())
    }
}

impl CardAccess for VirtualCard {
    fn exclusive(&mut self, f: &mut dyn FnMut(&mut dyn Transport) -> Result<()>) -> Result<()> {
        f(self)
    }
}

/// The virtual card kept in a folder, in process, as the only "reader" (the demo).
#[derive(Debug, Clone)]
pub struct VirtualSource {
    pub dir: std::path::PathBuf,
}

/// The name shown for the demo's in-process virtual card.
pub const VIRTUAL_READER: &str = "Virtual HPKI card (demo)";

impl crate::card::CardSource for VirtualSource {
    fn readers(&self) -> Result<Vec<String>> {
        Ok(vec![VIRTUAL_READER.to_owned()])
    }

    fn open(&self, _asked: Option<&str>) -> Result<(Box<dyn CardAccess + Send>, String)> {
        Ok((
            Box::new(VirtualCard::open(&self.dir)?),
            VIRTUAL_READER.to_owned(),
        ))
    }
}
