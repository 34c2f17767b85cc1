//! The hub client: HTTPS with TLS 1.3 only, trusting only the configured hub CA (no system roots),
//! presenting the terminal certificate from the clinic's `.p12`. Errors are told apart for the
//! user: no network, the hub refused the terminal certificate, the hub's certificate is not
//! trusted, the hub is down, the document was rejected (with the items).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use zeroize::Zeroizing;

use super::outbox::{Answer, Submit, classify};
use super::wire::{
    Insurer, OpenRequest, OpenRequests, OpinionStatus, Problem, Receipt, Submission,
};
use crate::store::outbox::OutboxRow;

/// Why a call to the hub did not succeed. None carries patient data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("the terminal certificate file could not be read (wrong password or not a .p12)")]
    Terminal,
    #[error("the hub CA file could not be read")]
    HubCa,
    #[error("no network connection to the hub")]
    NoNetwork,
    #[error("the hub's certificate is not trusted")]
    UntrustedHub,
    #[error("the hub refused the terminal certificate")]
    TerminalRefused,
    #[error("the hub is not answering (status {0})")]
    HubDown(u16),
    #[error("the hub rejected the document ({status})")]
    Rejected {
        status: u16,
        problem: Option<Problem>,
    },
    #[error("the hub's answer could not be read")]
    BadAnswer,
    #[error("{0}")]
    Other(String),
}

impl HubError {
    pub fn key(&self) -> &'static str {
        match self {
            HubError::Terminal => "hub-terminal",
            HubError::HubCa => "hub-ca",
            HubError::NoNetwork => "hub-no-network",
            HubError::UntrustedHub => "hub-untrusted",
            HubError::TerminalRefused => "hub-terminal-refused",
            HubError::HubDown(_) => "hub-down",
            HubError::Rejected { .. } => "hub-rejected",
            HubError::BadAnswer => "hub-bad-answer",
            HubError::Other(_) => "hub-other",
        }
    }

    /// The arguments of the message (`key`).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let detail = match self {
            HubError::Rejected {
                status,
                problem: Some(p),
            } => format!("{status}: {}", p.title),
            other => other.code(),
        };
        vec![("detail", detail)]
    }

    /// A short code for the outbox (`last_error`).
    pub fn code(&self) -> String {
        match self {
            HubError::HubDown(s) | HubError::Rejected { status: s, .. } => s.to_string(),
            other => other.key().trim_start_matches("hub-").to_owned(),
        }
    }
}

/// The terminal's client certificate and key.
pub struct Terminal {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Terminal {
    /// Reads a PKCS#12 file (the form clinics receive it in).
    pub fn from_p12(der: &[u8], password: &Zeroizing<String>) -> Result<Terminal, HubError> {
        let ks = p12_keystore::KeyStore::from_pkcs12(
            der,
            password,
            p12_keystore::Pkcs12ImportPolicy::Strict,
        )
        .map_err(|_| HubError::Terminal)?;
        let (_, chain) = ks.private_key_chain().ok_or(HubError::Terminal)?;
        let certs = chain
            .certs()
            .iter()
            .map(|c| CertificateDer::from(c.as_der().to_vec()))
            .collect::<Vec<_>>();
        if certs.is_empty() {
            return Err(HubError::Terminal);
        }
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(chain.key().as_der().to_vec()));
        Ok(Terminal { chain: certs, key })
    }

    /// From a DER certificate chain and a PKCS#8 DER key.
    pub fn from_der(chain: Vec<Vec<u8>>, pkcs8_key: Vec<u8>) -> Terminal {
        Terminal {
            chain: chain.into_iter().map(CertificateDer::from).collect(),
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pkcs8_key)),
        }
    }
}

/// The most a hub's answer may hold: its lists and receipts are small, so a larger body is a
/// fault (or an attack) and is refused as unreadable instead of filling the memory.
pub const MAX_ANSWER: u64 = 4 * 1024 * 1024;

/// The path of a receipt's status: the receipt id is the hub's, so it is escaped as one path
/// segment (a `/`, `?` or `..` in it cannot reach another endpoint).
pub fn status_path(receipt_id: &str) -> String {
    let segment =
        percent_encoding::utf8_percent_encode(receipt_id, percent_encoding::NON_ALPHANUMERIC);
    format!("/v1/opinions/{segment}")
}

/// A client of one hub.
#[derive(Clone)]
pub struct HubClient {
    http: ureq::Agent,
    base: String,
}

/// The hub's address only: nothing of the terminal's key.
impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubClient")
            .field("base", &self.base)
            .finish()
    }
}

/// Ring, with the TLS 1.3 cipher suites only: a hub that offers TLS 1.2 finds nothing in common.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    let mut p = rustls::crypto::ring::default_provider();
    p.cipher_suites
        .retain(|s| s.version() == &rustls::version::TLS13);
    Arc::new(p)
}

fn tls_error(tls: &rustls::Error) -> HubError {
    match tls {
        rustls::Error::InvalidCertificate(_) => HubError::UntrustedHub,
        // The hub's alert after our certificate: it refused the terminal certificate.
        rustls::Error::AlertReceived(_) => HubError::TerminalRefused,
        other => HubError::Other(other.to_string()),
    }
}

/// What went wrong in TLS or on the network, told apart for the user.
fn explain(e: &ureq::Error) -> HubError {
    tracing::debug!(error = %e, "hub error");
    match e {
        ureq::Error::Rustls(tls) => tls_error(tls),
        ureq::Error::Io(io) => {
            if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return tls_error(tls);
            }
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::NetworkUnreachable
                | std::io::ErrorKind::HostUnreachable => HubError::NoNetwork,
                // With TLS 1.3 a refused client certificate may show only after the handshake,
                // as a closed connection or a reset.
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::UnexpectedEof
                | std::io::ErrorKind::BrokenPipe => HubError::TerminalRefused,
                _ => HubError::Other(io.to_string()),
            }
        }
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => HubError::NoNetwork,
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            HubError::NoNetwork
        }
        other => HubError::Other(other.to_string()),
    }
}

impl HubClient {
    /// A client of the hub at `base` (e.g. `https://hub.example:443`), trusting only the CA
    /// certificates in `hub_ca_pem`.
    pub fn new(base: &str, hub_ca_pem: &[u8], terminal: Terminal) -> Result<HubClient, HubError> {
        let cas = crate::sign::cms::pem_certificates(hub_ca_pem).ok_or(HubError::HubCa)?;
        let mut roots = rustls::RootCertStore::empty();
        let mut anchors = Vec::new();
        for c in cas {
            let der = der::Encode::to_der(&c).map_err(|_| HubError::HubCa)?;
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|_| HubError::HubCa)?;
            anchors.push(ureq::tls::Certificate::from_der(&der).to_owned());
        }
        // The same configuration the connection will use, built here so that a key or a
        // certificate rustls cannot use is told now, as the terminal file's fault.
        rustls::ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| HubError::Other(e.to_string()))?
            .with_root_certificates(roots)
            .with_client_auth_cert(terminal.chain.clone(), terminal.key.clone_key())
            .map_err(|_| HubError::Terminal)?;
        let PrivateKeyDer::Pkcs8(pkcs8) = &terminal.key else {
            return Err(HubError::Terminal);
        };
        // ureq takes a PKCS#8 key as PEM only (its key kinds are not public).
        let pem = Zeroizing::new(format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(pkcs8.secret_pkcs8_der())
        ));
        let key =
            ureq::tls::PrivateKey::from_pem(pem.as_bytes()).map_err(|_| HubError::Terminal)?;
        let chain: Vec<ureq::tls::Certificate<'static>> = terminal
            .chain
            .iter()
            .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(provider())
            .root_certs(ureq::tls::RootCerts::Specific(Arc::new(anchors)))
            .client_cert(Some(ureq::tls::ClientCert::new_with_certs(&chain, key)))
            .build();
        let http: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .https_only(true)
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Ok(HubClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, HubError> {
        let mut r = self
            .http
            .get(format!("{}{path}", self.base))
            .call()
            .map_err(|e| explain(&e))?;
        let status = r.status().as_u16();
        if !r.status().is_success() {
            return Err(match status {
                403 => HubError::TerminalRefused,
                s if s >= 500 || s == 429 => HubError::HubDown(s),
                s => HubError::Rejected {
                    status: s,
                    problem: r
                        .body_mut()
                        .with_config()
                        .limit(MAX_ANSWER)
                        .read_json()
                        .ok(),
                },
            });
        }
        r.body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_json()
            .map_err(|_| HubError::BadAnswer)
    }

    pub fn health(&self) -> Result<(), HubError> {
        let r = self
            .http
            .get(format!("{}/v1/health", self.base))
            .call()
            .map_err(|e| explain(&e))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(HubError::HubDown(r.status().as_u16()))
        }
    }

    /// The open 作成依頼 addressed to this institution.
    pub fn open_requests(&self) -> Result<Vec<OpenRequest>, HubError> {
        self.get::<OpenRequests>("/v1/requests?status=open")
            .map(|r| r.requests)
    }

    /// Which municipalities take electronic opinions, from when.
    pub fn insurers(&self) -> Result<Vec<Insurer>, HubError> {
        self.get("/v1/insurers")
    }

    pub fn status(&self, receipt_id: &str) -> Result<OpinionStatus, HubError> {
        self.get(&status_path(receipt_id))
    }

    /// Submits the exact bytes under `key`; the answer as the outbox needs it.
    pub fn submit_bytes(
        &self,
        key: &str,
        request_id: &str,
        document: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<Answer, HubError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let body = Submission {
            request_id: request_id.to_owned(),
            media_type: "application/fhir+json".into(),
            document: b64.encode(document),
            signature: signature.map(|s| b64.encode(s)),
        };
        let mut r = self
            .http
            .post(format!("{}/v1/opinions", self.base))
            .header("Idempotency-Key", key)
            .send_json(&body)
            .map_err(|e| explain(&e))?;
        let status = r.status().as_u16();
        let retry_after = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        match classify(status, retry_after) {
            None => {
                let receipt: Receipt = r
                    .body_mut()
                    .with_config()
                    .limit(MAX_ANSWER)
                    .read_json()
                    .map_err(|_| HubError::BadAnswer)?;
                Ok(Answer::Received {
                    receipt_id: receipt.receipt_id,
                    received_at: receipt.received_at,
                })
            }
            Some(a) => Ok(a),
        }
    }
}

impl Submit for HubClient {
    fn submit(&mut self, row: &OutboxRow) -> Answer {
        let request = row.request_id.as_deref().unwrap_or_default();
        match self.submit_bytes(
            &row.idempotency_key,
            request,
            &row.document,
            row.signature.as_deref(),
        ) {
            Ok(a) => a,
            // No answer (network, TLS, a dropped connection): try again later.
            Err(e) => Answer::Later {
                retry_after: None,
                code: e.code(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_id_stays_one_path_segment() {
        assert_eq!(status_path("R-2026-0001"), "/v1/opinions/R%2D2026%2D0001");
        let odd = status_path("../requests?status=open#x");
        assert!(odd.starts_with("/v1/opinions/"));
        let segment = &odd["/v1/opinions/".len()..];
        assert!(!segment.contains(['/', '?', '#', '.']), "{segment}");
    }

    #[test]
    fn only_tls_1_3_is_offered() {
        let p = provider();
        assert!(!p.cipher_suites.is_empty());
        assert!(
            p.cipher_suites
                .iter()
                .all(|s| s.version() == &rustls::version::TLS13)
        );
    }
}
