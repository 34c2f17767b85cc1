//! The hub simulator: the API of `../shared/specs/hub-api.md` on loopback, TLS 1.3 only with
//! mandatory client certificates from its own test PKI, its own SQLite store (a restart loses
//! nothing; a retry after a restart gets the same receipt), document and signature checks, open
//! requests to serve, calls for tests and the demo to accept or return a receipt, and fault
//! injection: a share of 500/503/429 answers, delays, and dropping the connection right after
//! storing a submission.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Extension, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use rusqlite::{OptionalExtension, params};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use crate::hub::wire::{
    Insurer, OpenRequest, OpenRequests, OpinionStatus, Problem, ProblemItem, Receipt, Submission,
};
use crate::hub_pki::{HubPki, der_pair};

/// Faults to inject, for the delivery tests.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Share of submissions answered 500, 503 or 429 (with Retry-After) without storing.
    pub fail_share: f64,
    /// Share of submissions stored and then answered by dropping the connection.
    pub drop_after_store_share: f64,
    /// Delay before every answer.
    pub delay: Duration,
}

/// How much one client may take of the simulator, as a server on a network must limit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A TLS handshake not done by then is dropped (a client that connects and says nothing).
    pub handshake_timeout: Duration,
    /// Connections served at once; one more is closed at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            handshake_timeout: Duration::from_secs(10),
            max_connections: 256,
        }
    }
}

/// 千代田区 (131011), on the hub since 2026-04-01, signature optional: the insurer of the demo
/// and the tests.
pub fn demo_insurer() -> Insurer {
    Insurer {
        insurer_number: "131011".into(),
        name: "千代田区".into(),
        prefecture: "東京都".into(),
        kiban_start_date: "2026-04-01".into(),
        signature: "optional".into(),
    }
}

/// Why the simulator did not start.
#[derive(Debug, thiserror::Error)]
#[error("hub simulator: {0}")]
pub struct SimError(pub String);

fn sim_err(e: impl std::fmt::Display) -> SimError {
    SimError(e.to_string())
}

struct Inner {
    db: Mutex<rusqlite::Connection>,
    faults: Mutex<Faults>,
    hpki: Vec<x509_cert::Certificate>,
    limits: Limits,
}

/// The caller, from its client certificate: `O=` is the institution code.
#[derive(Clone)]
struct Caller {
    institution: String,
    /// The terminal certificate's CN (which terminal of the clinic sent it).
    terminal: String,
    drop_now: Arc<Notify>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS requests (
    request_id  TEXT PRIMARY KEY,
    institution TEXT NOT NULL,
    body        TEXT NOT NULL,
    answered_by TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    idempotency_key   TEXT PRIMARY KEY,
    institution       TEXT NOT NULL,
    request_id        TEXT NOT NULL,
    document_sha256   TEXT NOT NULL,
    signed            INTEGER NOT NULL,
    receipt_id        TEXT NOT NULL UNIQUE,
    received_at       TEXT NOT NULL,
    status            TEXT NOT NULL,
    status_changed_at TEXT NOT NULL,
    reason            TEXT,
    terminal          TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS insurers (
    insurer_number TEXT PRIMARY KEY,
    body           TEXT NOT NULL
);
";

/// A running simulator. Dropping it stops it.
pub struct Simulator {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    stop: Arc<Notify>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The municipality deciding by itself ([`Simulator::decide_by_itself`]): told to stop, and
    /// its thread.
    decider: Option<(
        Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
}

/// Why the demo's municipality returns an opinion (差し戻し), in its words.
pub const DEMO_RETURN_REASON: &str = "診断名1と「生活機能低下の直接の原因」の記載が一致していません。ご確認のうえ、再提出してください。";

fn now_jst() -> String {
    jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn problem(status: StatusCode, title: &str, errors: Vec<ProblemItem>) -> Response {
    let body = Problem {
        kind: format!("urn:ikensho:hub:{}", status.as_u16()),
        title: title.to_owned(),
        status: status.as_u16(),
        errors,
    };
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

fn item(pointer: &str, code: &str, message: &str) -> ProblemItem {
    ProblemItem {
        pointer: pointer.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

impl Simulator {
    /// Starts on 127.0.0.1 (`port` 0 for any free one) with its store in `data_dir`, trusting
    /// terminal certificates of `pki.ca` and HPKI signatures chaining to `hpki_anchors`.
    pub fn start(
        data_dir: &Path,
        port: u16,
        pki: &HubPki,
        hpki_anchors: Vec<x509_cert::Certificate>,
        faults: Faults,
    ) -> Result<Simulator, SimError> {
        Simulator::start_with_limits(data_dir, port, pki, hpki_anchors, faults, Limits::default())
    }

    /// [`Simulator::start`] with other [`Limits`].
    pub fn start_with_limits(
        data_dir: &Path,
        port: u16,
        pki: &HubPki,
        hpki_anchors: Vec<x509_cert::Certificate>,
        faults: Faults,
        limits: Limits,
    ) -> Result<Simulator, SimError> {
        std::fs::create_dir_all(data_dir).map_err(sim_err)?;
        let db = rusqlite::Connection::open(data_dir.join("hub-sim.sqlite")).map_err(sim_err)?;
        db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(sim_err)?;
        db.execute_batch(SCHEMA).map_err(sim_err)?;
        // A simulator folder from before the terminal was recorded gains the column.
        let has_terminal = db
            .prepare("SELECT terminal FROM submissions LIMIT 0")
            .is_ok();
        if !has_terminal {
            db.execute_batch(
                "ALTER TABLE submissions ADD COLUMN terminal TEXT NOT NULL DEFAULT ''",
            )
            .map_err(sim_err)?;
        }
        let inner = Arc::new(Inner {
            db: Mutex::new(db),
            faults: Mutex::new(faults),
            hpki: hpki_anchors,
            limits,
        });
        let tls = server_config(pki)?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(sim_err)?;
        listener.set_nonblocking(true).map_err(sim_err)?;
        let addr = listener.local_addr().map_err(sim_err)?;
        let stop = Arc::new(Notify::new());
        let (i2, s2) = (inner.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(serve(listener, tls, i2, s2));
        });
        Ok(Simulator {
            addr,
            inner,
            stop,
            thread: Some(thread),
            decider: None,
        })
    }

    /// Lets the municipality decide by itself, `after` each opinion was received, as the demo
    /// shows the whole way: every other opinion is accepted (受理), the others returned (差し戻し)
    /// with [`DEMO_RETURN_REASON`] — but never an opinion whose request was returned before, so
    /// that a new version sent again is accepted.
    pub fn decide_by_itself(&mut self, after: Duration) {
        use std::sync::atomic::{AtomicBool, Ordering};
        if self.decider.is_some() {
            return;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let (inner, stopped) = (self.inner.clone(), stop.clone());
        let thread =
            std::thread::spawn(move || {
                let mut seen: std::collections::HashMap<String, std::time::Instant> =
                    std::collections::HashMap::new();
                while !stopped.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(250));
                    let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
                    let waiting: Vec<(i64, String, String)> = db
                        .prepare(
                            "SELECT rowid, receipt_id, request_id FROM submissions
                         WHERE status = 'received' ORDER BY rowid",
                        )
                        .and_then(|mut st| {
                            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                                .collect()
                        })
                        .unwrap_or_default();
                    for (rowid, receipt, request) in waiting {
                        let first = *seen
                            .entry(receipt.clone())
                            .or_insert_with(std::time::Instant::now);
                        if first.elapsed() < after {
                            continue;
                        }
                        let returned_before: bool = db
                            .query_row(
                                "SELECT EXISTS (SELECT 1 FROM submissions
                             WHERE request_id = ?1 AND status = 'returned')",
                                [&request],
                                |r| r.get(0),
                            )
                            .unwrap_or(true);
                        let reason =
                            (rowid % 2 == 0 && !returned_before).then_some(DEMO_RETURN_REASON);
                        let _ = db.execute(
                        "UPDATE submissions SET status = ?1, reason = ?2, status_changed_at = ?3
                         WHERE receipt_id = ?4 AND status = 'received'",
                        params![
                            if reason.is_some() { "returned" } else { "accepted" },
                            reason,
                            now_jst(),
                            receipt
                        ],
                    );
                    }
                }
            });
        self.decider = Some((stop, thread));
    }

    /// The base URL, e.g. `https://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    pub fn set_faults(&self, f: Faults) {
        if let Ok(mut g) = self.inner.faults.lock() {
            *g = f;
        }
    }

    fn db(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.inner.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an open 作成依頼 for `institution`.
    pub fn add_request(&self, institution: &str, r: &OpenRequest) -> Result<(), SimError> {
        let body = serde_json::to_string(r).map_err(sim_err)?;
        self.db()
            .execute(
                "INSERT OR REPLACE INTO requests (request_id, institution, body) VALUES (?1, ?2, ?3)",
                params![r.request_id, institution, body],
            )
            .map_err(sim_err)?;
        Ok(())
    }

    /// Adds many open requests in one transaction.
    pub fn add_requests(&self, institution: &str, list: &[OpenRequest]) -> Result<(), SimError> {
        let mut db = self.db();
        let tx = db.transaction().map_err(sim_err)?;
        for r in list {
            let body = serde_json::to_string(r).map_err(sim_err)?;
            tx.execute(
                "INSERT OR REPLACE INTO requests (request_id, institution, body) VALUES (?1, ?2, ?3)",
                params![r.request_id, institution, body],
            )
            .map_err(sim_err)?;
        }
        tx.commit().map_err(sim_err)
    }

    pub fn add_insurer(&self, i: &Insurer) -> Result<(), SimError> {
        let body = serde_json::to_string(i).map_err(sim_err)?;
        self.db()
            .execute(
                "INSERT OR REPLACE INTO insurers (insurer_number, body) VALUES (?1, ?2)",
                params![i.insurer_number, body],
            )
            .map_err(sim_err)?;
        Ok(())
    }

    /// The municipality accepts (`None`) or returns (`Some(reason)`) a received opinion.
    pub fn decide(&self, receipt_id: &str, returned: Option<&str>) -> Result<(), SimError> {
        let status = if returned.is_some() {
            "returned"
        } else {
            "accepted"
        };
        let n = self
            .db()
            .execute(
                "UPDATE submissions SET status = ?1, reason = ?2, status_changed_at = ?3
                 WHERE receipt_id = ?4",
                params![status, returned, now_jst(), receipt_id],
            )
            .map_err(sim_err)?;
        if n == 0 {
            return Err(SimError(format!("no receipt {receipt_id}")));
        }
        Ok(())
    }

    /// (idempotency key, receipt id, request id) of everything stored, for tests.
    /// Which terminal (its certificate's CN) sent each stored submission, by idempotency key.
    pub fn senders(&self) -> Vec<(String, String)> {
        let db = self.db();
        let Ok(mut st) =
            db.prepare("SELECT idempotency_key, terminal FROM submissions ORDER BY rowid")
        else {
            return Vec::new();
        };
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.filter_map(std::result::Result::ok).collect())
            .unwrap_or_default()
    }

    pub fn receipts(&self) -> Vec<(String, String, String)> {
        let db = self.db();
        let Ok(mut st) = db.prepare(
            "SELECT idempotency_key, receipt_id, request_id FROM submissions ORDER BY rowid",
        ) else {
            return Vec::new();
        };
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.decider.take() {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            let _ = thread.join();
        }
        self.stop.notify_waiters();
        self.stop.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn server_config(pki: &HubPki) -> Result<Arc<rustls::ServerConfig>, SimError> {
    let (ca_der, _) = der_pair(&pki.ca).map_err(sim_err)?;
    let (cert, key) = der_pair(&pki.server).map_err(sim_err)?;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(ca_der.clone()))
        .map_err(sim_err)?;
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(sim_err)?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(sim_err)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(cert), CertificateDer::from(ca_der)],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )
        .map_err(sim_err)?;
    Ok(Arc::new(config))
}

/// The institution code (`O=`) of a client certificate.
fn institution_of(cert: &CertificateDer<'_>) -> Option<String> {
    subject_part(cert, const_oid::db::rfc4519::O)
}

fn subject_part(cert: &CertificateDer<'_>, oid: const_oid::ObjectIdentifier) -> Option<String> {
    use der::Decode;
    let c = x509_cert::Certificate::from_der(cert.as_ref()).ok()?;
    for rdn in c.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == oid {
                let s = atv.value.decode_as::<der::asn1::Utf8StringRef<'_>>().ok()?;
                return Some(s.as_str().to_owned());
            }
        }
    }
    None
}

async fn serve(
    listener: std::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
    inner: Arc<Inner>,
    stop: Arc<Notify>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let limits = inner.limits;
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let app = Router::new()
        .route("/v1/health", get(|| async { "ok" }))
        .route("/v1/requests", get(open_requests))
        .route("/v1/opinions", post(submit))
        .route("/v1/opinions/{receipt_id}", get(status))
        .route("/v1/insurers", get(insurers))
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .with_state(inner);
    loop {
        let (tcp, _) = tokio::select! {
            a = listener.accept() => match a { Ok(a) => a, Err(_) => continue },
            _ = stop.notified() => return,
        };
        // Over the cap: closed at once.
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(tcp);
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let handshake = tokio::time::timeout(limits.handshake_timeout, acceptor.accept(tcp));
            let Ok(Ok(stream)) = handshake.await else {
                return;
            };
            let peer = stream
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first());
            let institution = peer.and_then(institution_of).unwrap_or_default();
            let terminal = peer
                .and_then(|c| subject_part(c, const_oid::db::rfc4519::CN))
                .unwrap_or_default();
            let drop_now = Arc::new(Notify::new());
            let caller = Caller {
                institution,
                terminal,
                drop_now: drop_now.clone(),
            };
            let app = app.layer(Extension(caller));
            let service = hyper::service::service_fn(move |req| {
                let mut app = app.clone();
                async move { tower::Service::call(&mut app, req).await }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                // Dropping the connection future closes the socket without an answer.
                _ = drop_now.notified() => {}
            }
        });
    }
}

#[derive(Deserialize)]
struct StatusQuery {
    status: Option<String>,
}

async fn open_requests(
    State(inner): State<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<StatusQuery>,
) -> Response {
    if q.status.as_deref().is_some_and(|s| s != "open") {
        return problem(
            StatusCode::BAD_REQUEST,
            "only status=open is served",
            vec![],
        );
    }
    let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
    let Ok(mut st) = db.prepare(
        "SELECT body FROM requests r WHERE institution = ?1 AND (answered_by IS NULL OR EXISTS
           (SELECT 1 FROM submissions s WHERE s.idempotency_key = r.answered_by
            AND s.status = 'returned')) ORDER BY request_id",
    ) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let requests: Vec<OpenRequest> = st
        .query_map([&caller.institution], |r| r.get::<_, String>(0))
        .map(|rows| {
            rows.flatten()
                .filter_map(|b| serde_json::from_str(&b).ok())
                .collect()
        })
        .unwrap_or_default();
    Json(OpenRequests { requests }).into_response()
}

async fn insurers(State(inner): State<Arc<Inner>>) -> Response {
    let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
    let Ok(mut st) = db.prepare("SELECT body FROM insurers ORDER BY insurer_number") else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let list: Vec<Insurer> = st
        .query_map([], |r| r.get::<_, String>(0))
        .map(|rows| {
            rows.flatten()
                .filter_map(|b| serde_json::from_str(&b).ok())
                .collect()
        })
        .unwrap_or_default();
    Json(list).into_response()
}

async fn status(
    State(inner): State<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    UrlPath(receipt_id): UrlPath<String>,
) -> Response {
    let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
    let row = db
        .query_row(
            "SELECT request_id, status, status_changed_at, reason FROM submissions
             WHERE receipt_id = ?1 AND institution = ?2",
            params![receipt_id, caller.institution],
            |r| {
                Ok(OpinionStatus {
                    receipt_id: receipt_id.clone(),
                    request_id: r.get(0)?,
                    status: r.get(1)?,
                    status_changed_at: r.get(2)?,
                    reason: r.get(3)?,
                })
            },
        )
        .optional();
    match row {
        Ok(Some(s)) => Json(s).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "no such receipt", vec![]),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The structural checks of a document: a FHIR document Bundle whose QuestionnaireResponse names
/// this form and answers with known linkIds, including the items no opinion goes without.
fn check_document(bytes: &[u8]) -> Vec<ProblemItem> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return vec![item("", "json", "the document is not JSON")];
    };
    let mut errors = Vec::new();
    if v["resourceType"] != "Bundle" || v["type"] != "document" {
        errors.push(item("/type", "bundle", "not a FHIR document Bundle"));
        return errors;
    }
    let entries = v["entry"].as_array().cloned().unwrap_or_default();
    if entries.first().map(|e| &e["resource"]["resourceType"])
        != Some(&serde_json::json!("Composition"))
    {
        errors.push(item(
            "/entry/0",
            "composition",
            "the first entry must be the Composition",
        ));
    }
    let Some((qi, qr)) = entries
        .iter()
        .enumerate()
        .find(|(_, e)| e["resource"]["resourceType"] == "QuestionnaireResponse")
    else {
        errors.push(item(
            "/entry",
            "questionnaire-response",
            "no QuestionnaireResponse",
        ));
        return errors;
    };
    let q = qr["resource"]["questionnaire"].as_str().unwrap_or_default();
    let version = q
        .strip_prefix(crate::hub::fhir::QUESTIONNAIRE_URL)
        .and_then(|v| v.strip_prefix('|'))
        .and_then(crate::form::FormVersion::parse);
    let Some(form) = version.and_then(|v| crate::form::FormDef::builtin(v).ok()) else {
        errors.push(item(
            &format!("/entry/{qi}/resource/questionnaire"),
            "questionnaire",
            "unknown questionnaire",
        ));
        return errors;
    };
    let items = qr["resource"]["item"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (n, it) in items.iter().enumerate() {
        let link = it["linkId"].as_str().unwrap_or_default();
        if form.item(link).is_none() {
            errors.push(item(
                &format!("/entry/{qi}/resource/item/{n}/linkId"),
                "unknown-item",
                "unknown linkId",
            ));
        }
    }
    for required in [
        "written-date",
        "applicant-name",
        "diagnosis-1",
        "physician-name",
    ] {
        if !items.iter().any(|i| i["linkId"] == required) {
            errors.push(item(
                &format!("/entry/{qi}/resource/item"),
                "required",
                &format!("{required} is missing"),
            ));
        }
    }
    errors
}

async fn submit(
    State(inner): State<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let faults = *inner.faults.lock().unwrap_or_else(|e| e.into_inner());
    if !faults.delay.is_zero() {
        tokio::time::sleep(faults.delay).await;
    }
    if faults.fail_share > 0.0 && rand::random::<f64>() < faults.fail_share {
        let (code, retry) = match rand::random::<u8>() % 3 {
            0 => (StatusCode::INTERNAL_SERVER_ERROR, None),
            1 => (StatusCode::SERVICE_UNAVAILABLE, Some("1")),
            _ => (StatusCode::TOO_MANY_REQUESTS, Some("1")),
        };
        let mut r = problem(code, "injected fault", vec![]);
        if let Some(s) = retry {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(s));
        }
        return r;
    }
    let Some(key) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.trim().is_empty())
        .map(str::to_owned)
    else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key is required",
            vec![],
        );
    };
    let Ok(sub) = serde_json::from_slice::<Submission>(&body) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "the body is not a submission",
            vec![],
        );
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let Ok(document) = b64.decode(&sub.document) else {
        return problem(StatusCode::BAD_REQUEST, "document is not base64", vec![]);
    };
    let signature = match sub.signature.as_deref().map(|s| b64.decode(s)) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(_)) => return problem(StatusCode::BAD_REQUEST, "signature is not base64", vec![]),
    };
    // What a retry must send again exactly: the document and its signature.
    let sha = {
        let mut h = Sha256::new();
        h.update(&document);
        h.update([0u8]);
        h.update(signature.as_deref().unwrap_or_default());
        format!("{:x}", h.finalize())
    };

    // A retry: the same key and bytes get the first answer; other bytes under the key are refused.
    let stored = {
        let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row(
            "SELECT document_sha256, receipt_id, received_at, institution, request_id
             FROM submissions WHERE idempotency_key = ?1",
            [&key],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()
    };
    match stored {
        // A key is one institution's, for one request: anyone else replaying it learns nothing.
        Ok(Some((_, _, _, institution, request)))
            if institution != caller.institution || request != sub.request_id =>
        {
            return problem(
                StatusCode::CONFLICT,
                "this key was used for another submission",
                vec![],
            );
        }
        Ok(Some((prev, receipt_id, received_at, _, _))) => {
            return if prev == sha {
                (
                    StatusCode::OK,
                    Json(Receipt {
                        receipt_id,
                        received_at,
                        status: "received".into(),
                    }),
                )
                    .into_response()
            } else {
                problem(
                    StatusCode::CONFLICT,
                    "another document was sent under this key",
                    vec![],
                )
            };
        }
        Ok(None) => {}
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }

    // The request: this institution's, and not answered by another opinion.
    let request = {
        let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row(
            "SELECT institution, body, answered_by FROM requests WHERE request_id = ?1",
            [&sub.request_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()
    };
    let (insurer, answered) = match request {
        Ok(Some((inst, _, _))) if inst != caller.institution => {
            return problem(
                StatusCode::FORBIDDEN,
                "the request is addressed to another institution",
                vec![],
            );
        }
        Ok(Some((_, body, answered))) => (
            serde_json::from_str::<OpenRequest>(&body)
                .map(|r| r.insurer_number)
                .unwrap_or_default(),
            answered,
        ),
        Ok(None) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown request",
                vec![item("/request_id", "unknown-request", "no such request")],
            );
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // A request answered by another opinion is closed, unless the municipality returned that one
    // (差し戻し): then the corrected version answers it.
    let returned = |k: &str| {
        let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row(
            "SELECT status = 'returned' FROM submissions WHERE idempotency_key = ?1",
            [k],
            |r| r.get::<_, bool>(0),
        )
        .unwrap_or(false)
    };
    if answered.is_some_and(|k| k != key && !returned(&k)) {
        return problem(
            StatusCode::CONFLICT,
            "the request was already answered",
            vec![],
        );
    }

    let errors = check_document(&document);
    if !errors.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the document is not valid",
            errors,
        );
    }
    let required = {
        let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row(
            "SELECT body FROM insurers WHERE insurer_number = ?1",
            [&insurer],
            |r| r.get::<_, String>(0),
        )
        .optional()
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_str::<Insurer>(&b).ok())
        .is_some_and(|i| i.signature == "required")
    };
    match &signature {
        Some(sig) => {
            if let Err(e) = crate::sign::cms::verify(
                &document,
                sig,
                &crate::sign::cms::Trust {
                    policy: Some(crate::sign_pki::TEST_POLICY),
                    ..crate::sign::cms::Trust::now(&inner.hpki)
                },
            ) {
                return problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the signature is not valid",
                    vec![item("/signature", e.key(), &e.to_string())],
                );
            }
        }
        None if required => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "this insurer requires a signature",
                vec![item("/signature", "signature-required", "no signature")],
            );
        }
        None => {}
    }

    let receipt = Receipt {
        receipt_id: format!("RCPT-{}", uuid::Uuid::new_v4().simple()),
        received_at: now_jst(),
        status: "received".into(),
    };
    {
        let db = inner.db.lock().unwrap_or_else(|e| e.into_inner());
        let stored = db.execute(
            "INSERT INTO submissions (idempotency_key, institution, request_id, document_sha256,
             signed, receipt_id, received_at, status, status_changed_at, terminal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'received', ?7, ?8)",
            params![
                key,
                caller.institution,
                sub.request_id,
                sha,
                signature.is_some(),
                receipt.receipt_id,
                receipt.received_at,
                caller.terminal
            ],
        );
        if stored.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        let _ = db.execute(
            "UPDATE requests SET answered_by = ?1 WHERE request_id = ?2",
            params![key, sub.request_id],
        );
    }
    if faults.drop_after_store_share > 0.0 && rand::random::<f64>() < faults.drop_after_store_share
    {
        // Stored, but the client never hears it: it must retry into the same receipt.
        caller.drop_now.notify_one();
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    (StatusCode::CREATED, Json(receipt)).into_response()
}
