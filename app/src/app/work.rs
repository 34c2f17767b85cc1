//! Work that must not freeze the window — the card, the network and the PDF — runs on its own
//! thread with its own connection to the store, and comes back as a [`Done`] that the window
//! takes in at its next frame. The delivery loop sends what is queued and asks the hub about
//! what it received, as long as somebody is signed in.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use jiff::civil::Date;

use crate::card::hpki::{HpkiCard, PinStatus};
use crate::card::pcsc::PcscSource;
use crate::card::{CardError, CardSource, Pin};
use crate::form::FormDef;
use crate::hub::client::{HubClient, HubError};
use crate::hub::fhir::{DocumentIds, document_bytes};
use crate::hub::flow::{FlowError, Route, poll_statuses, route};
use crate::hub::outbox::{Backoff, deliver_due};
use crate::i18n::{Lang, Locales};
use crate::pdf::stored::{Copy, PrintError, StoredPrint, print_stored};
use crate::sign::cms::{SignError, sign_document};
use crate::store::{Finish, Session, Store, StoreError};

/// What the program works with besides the store on the UI thread.
#[derive(Clone)]
pub struct Services {
    /// The store's file: each job opens its own connection to it.
    pub db: PathBuf,
    /// Where printed PDFs are kept.
    pub data_dir: PathBuf,
    /// The hub, when it is set up (address, CA and terminal certificate).
    pub hub: Option<HubClient>,
    /// Why there is no hub (a message for the user), when there is none.
    pub hub_problem: Option<String>,
    /// Where the card comes from: the PC/SC readers, or a card the demo or a test injects.
    pub card: Arc<dyn CardSource>,
    /// Built from the store's settings, and built again when they change; not when the demo or a
    /// test set the services up.
    pub from_settings: bool,
    /// The signing CA certificates sent with each signature (DER).
    pub chain: Vec<Vec<u8>>,
    /// How long a delivery pass waits before the next one.
    pub poll: Duration,
}

impl Services {
    /// The services a data folder's settings describe: the hub when its address, CA and terminal
    /// certificate are set (the terminal's password from the OS keyring), the configured reader
    /// through pcscd, and the signing chain.
    pub fn from_store(store: &Store, data_dir: &Path, lang: Lang) -> Services {
        let c = store.connection_settings().unwrap_or_default();
        let chain = pem_chain(&c.signing_chain_pem);
        let (hub, hub_problem) = if c.hub_url.trim().is_empty() || c.hub_ca_pem.trim().is_empty() {
            (None, Some(text(lang, "app-hub-not-set", &[])))
        } else {
            let account = store.path().display().to_string();
            match crate::hub::terminal::load_terminal(data_dir, &account, || None)
                .and_then(|t| HubClient::new(c.hub_url.trim(), c.hub_ca_pem.as_bytes(), t))
            {
                Ok(h) => (Some(h), None),
                Err(e) => (None, Some(hub_text(lang, &e))),
            }
        };
        Services {
            db: store.path().to_path_buf(),
            data_dir: data_dir.to_path_buf(),
            hub,
            hub_problem,
            card: Arc::new(PcscSource {
                configured: (!c.reader.is_empty()).then(|| c.reader.clone()),
            }),
            from_settings: true,
            chain,
            poll: Duration::from_secs(30),
        }
    }
}

/// The DER certificates of a PEM text (none when it cannot be read).
pub fn pem_chain(pem: &str) -> Vec<Vec<u8>> {
    if pem.trim().is_empty() {
        return Vec::new();
    }
    x509_cert::Certificate::load_pem_chain(pem.as_bytes())
        .map(|list| {
            list.iter()
                .filter_map(|c| der::Encode::to_der(c).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// What a reader and its card look like before the PIN is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    pub reader: String,
    pub status: PinStatus,
}

/// Work for a thread.
#[derive(Debug)]
pub enum Job {
    /// Which readers there are.
    Readers,
    /// The reader's card: present, an HPKI card, and how many PIN tries are left.
    CardStatus { reader: Option<String> },
    /// Sign the current version (a draft or a finalised one) and, in one transaction, finalise
    /// it, record the signature and queue it for sending; `confirm_carried` confirms the items
    /// carried over from the last opinion as unchanged in the same transaction.
    SignAndQueue {
        opinion_id: i64,
        reader: Option<String>,
        pin: Pin,
        confirm_carried: bool,
    },
    /// The route of an opinion, from the hub's list of insurers.
    Route {
        insurer_number: String,
        written: Date,
    },
    /// Print the current version into a PDF file in the data folder (a final copy of a draft
    /// finalises it in the same transaction as the print is recorded).
    Print { opinion_id: i64, how: StoredPrint },
    /// Open a printed PDF in the system's viewer.
    OpenViewer(PathBuf),
}

/// A printed PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedFile {
    pub path: PathBuf,
    pub pages: usize,
    /// What the paper does not show as typed, as text.
    pub warnings: Vec<String>,
}

/// What came back from a thread. Errors are messages for the user, in the user's language.
#[derive(Debug)]
pub enum Done {
    Readers(Result<Vec<String>, String>),
    CardStatus(Result<CardInfo, String>),
    /// Signed and queued (the opinion id), or why not; `pin_wrong` when the card said so.
    Signed {
        opinion_id: i64,
        result: Result<(), String>,
        pin_wrong: bool,
    },
    Route(Result<Route, String>),
    Printed(Result<PrintedFile, String>),
    /// The viewer could not open the file (the message), or did.
    Viewer(Result<(), String>),
    /// A delivery pass changed something (or failed: the message).
    Delivery(Result<bool, String>),
}

use super::tr_args as text;

pub(crate) fn store_text(lang: Lang, e: &StoreError) -> String {
    Locales::builtin()
        .map(|l| crate::store::describe::error(l, lang, e))
        .unwrap_or_else(|_| e.key().to_owned())
}

pub(crate) fn card_text(lang: Lang, e: &CardError) -> String {
    text(lang, e.key(), &e.args())
}

pub(crate) fn hub_text(lang: Lang, e: &HubError) -> String {
    text(lang, e.key(), &e.args())
}

fn sign_text(lang: Lang, e: &SignError) -> String {
    match e {
        SignError::Card(c) => card_text(lang, c),
        other => text(lang, other.key(), &[("detail", other.to_string())]),
    }
}

fn flow_text(lang: Lang, e: &FlowError) -> String {
    match e {
        FlowError::Hub(h) => hub_text(lang, h),
        FlowError::Store(s) => store_text(lang, s),
    }
}

/// Runs jobs on threads and hands their results back to the window.
pub struct Worker {
    pub services: Services,
    lang: Lang,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    repaint: egui::Context,
    /// Jobs started and not yet taken back.
    running: usize,
    /// Dropping it ends the delivery loop.
    delivery: Option<Sender<()>>,
}

impl Worker {
    pub fn new(services: Services, lang: Lang, repaint: egui::Context) -> Worker {
        let (tx, rx) = channel();
        Worker {
            services,
            lang,
            tx,
            rx,
            repaint,
            running: 0,
            delivery: None,
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// Whether a job is still running (the delivery loop does not count).
    pub fn busy(&self) -> bool {
        self.running > 0
    }

    /// Starts `job` for `session` on a thread of its own.
    pub fn start(&mut self, session: &Session, job: Job) {
        let services = self.services.clone();
        let session = session.clone();
        let lang = self.lang;
        let tx = self.tx.clone();
        let repaint = self.repaint.clone();
        self.running += 1;
        std::thread::spawn(move || {
            let done = run(&services, &session, lang, job);
            let _ = tx.send(done);
            repaint.request_repaint();
        });
    }

    /// The results that came back since the last call.
    pub fn take(&mut self) -> Vec<Done> {
        let done: Vec<Done> = self.rx.try_iter().collect();
        let finished = done
            .iter()
            .filter(|d| !matches!(d, Done::Delivery(_)))
            .count();
        self.running = self.running.saturating_sub(finished);
        done
    }

    /// Starts the delivery loop for `session` (once); it stops with [`Worker::stop_delivery`].
    pub fn start_delivery(&mut self, session: &Session) {
        let Some(hub) = self.services.hub.clone() else {
            return;
        };
        if self.delivery.is_some() {
            return;
        }
        let (nudge, wake) = channel::<()>();
        self.delivery = Some(nudge);
        let db = self.services.db.clone();
        let poll = self.services.poll;
        let session = session.clone();
        let lang = self.lang;
        let tx = self.tx.clone();
        let repaint = self.repaint.clone();
        std::thread::spawn(move || {
            delivery_loop(&db, hub, &session, lang, poll, &wake, &tx, &repaint)
        });
    }

    /// Asks the delivery loop to run a pass now (after something was queued).
    pub fn nudge(&self) {
        if let Some(n) = &self.delivery {
            let _ = n.send(());
        }
    }

    pub fn stop_delivery(&mut self) {
        self.delivery = None;
    }
}

#[allow(clippy::too_many_arguments)]
fn delivery_loop(
    db: &Path,
    mut hub: HubClient,
    session: &Session,
    lang: Lang,
    poll: Duration,
    wake: &Receiver<()>,
    tx: &Sender<Done>,
    repaint: &egui::Context,
) {
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Done::Delivery(Err(store_text(lang, &e))));
            return;
        }
    };
    loop {
        let result = deliver_and_poll(&mut store, &mut hub, session, lang);
        let changed = !matches!(result, Ok(false));
        if changed {
            let _ = tx.send(Done::Delivery(result));
            repaint.request_repaint();
        }
        match wake.recv_timeout(poll) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// One pass: send what is due, then ask about what was received. `Ok(true)` when anything moved.
fn deliver_and_poll(
    store: &mut Store,
    hub: &mut HubClient,
    session: &Session,
    lang: Lang,
) -> Result<bool, String> {
    let now = jiff::Timestamp::now();
    let mut jitter = || rand::random::<f64>();
    let pass = deliver_due(
        store,
        hub,
        now,
        Duration::from_secs(120),
        20,
        Backoff::default(),
        &mut jitter,
    )
    .map_err(|e| store_text(lang, &e))?;
    let polled = poll_statuses(store, session, hub).map_err(|e| flow_text(lang, &e))?;
    Ok(pass.delivered + pass.retrying + pass.failed + polled.accepted + polled.returned > 0)
}

fn run(services: &Services, session: &Session, lang: Lang, job: Job) -> Done {
    match job {
        Job::Readers => Done::Readers(readers(services).map_err(|e| card_text(lang, &e))),
        Job::CardStatus { reader } => Done::CardStatus(
            card_status(services, reader.as_deref()).map_err(|e| card_text(lang, &e)),
        ),
        Job::SignAndQueue {
            opinion_id,
            reader,
            pin,
            confirm_carried,
        } => {
            let result = sign_and_queue(
                services,
                session,
                opinion_id,
                reader.as_deref(),
                &pin,
                confirm_carried,
            );
            drop(pin);
            let pin_wrong = matches!(
                result,
                Err(Failure::Sign(SignError::Card(CardError::WrongPin { .. })))
            );
            Done::Signed {
                opinion_id,
                result: result.map_err(|f| match f {
                    Failure::Sign(e) => sign_text(lang, &e),
                    Failure::Store(e) => store_text(lang, &e),
                }),
                pin_wrong,
            }
        }
        Job::Route {
            insurer_number,
            written,
        } => Done::Route(match &services.hub {
            Some(hub) => hub
                .insurers()
                .map(|list| route(&list, &insurer_number, written))
                .map_err(|e| hub_text(lang, &e)),
            None => Err(services
                .hub_problem
                .clone()
                .unwrap_or_else(|| text(lang, "app-hub-not-set", &[]))),
        }),
        Job::Print { opinion_id, how } => {
            Done::Printed(print(services, session, opinion_id, &how, lang))
        }
        Job::OpenViewer(path) => {
            Done::Viewer(open_in_viewer(&path).map_err(|e| viewer_text(lang, &path, &e)))
        }
    }
}

fn readers(services: &Services) -> Result<Vec<String>, CardError> {
    services.card.readers()
}

fn card_status(services: &Services, reader: Option<&str>) -> Result<CardInfo, CardError> {
    let (access, name) = services.card.open(reader)?;
    let mut card = HpkiCard::new(access);
    card.certificate()?;
    Ok(CardInfo {
        reader: name,
        status: card.pin_status()?,
    })
}

enum Failure {
    Sign(SignError),
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Store(e)
    }
}

impl From<CardError> for Failure {
    fn from(e: CardError) -> Failure {
        Failure::Sign(SignError::Card(e))
    }
}

fn sign_and_queue(
    services: &Services,
    session: &Session,
    opinion_id: i64,
    reader: Option<&str>,
    pin: &Pin,
    confirm_carried: bool,
) -> Result<(), Failure> {
    let mut store = Store::open(&services.db)?;
    let opened = store.open_opinion(session, opinion_id)?;
    let form = FormDef::builtin(opened.opinion.form_version)
        .map_err(|e| StoreError::Form(e.to_string()))?;
    let locales =
        Locales::builtin().map_err(|_| StoreError::Form("built-in locales".to_owned()))?;
    let doc = document_bytes(form, &opened.opinion, &DocumentIds::new_now(), locales);
    let (access, _) = services.card.open(reader)?;
    let mut card = HpkiCard::new(access);
    let cert = card.certificate()?;
    let (cms, _) =
        sign_document(&mut card, pin, &cert, &services.chain, &doc).map_err(Failure::Sign)?;
    store.finish(
        session,
        opinion_id,
        opened.version.revision,
        confirm_carried,
        &crate::form::Context::today_in_japan(),
        Finish::Signed {
            document: &doc,
            cms: &cms,
        },
    )?;
    Ok(())
}

fn print(
    services: &Services,
    session: &Session,
    opinion_id: i64,
    how: &StoredPrint,
    lang: Lang,
) -> Result<PrintedFile, String> {
    let copy = how.copy;
    let mut store = Store::open(&services.db).map_err(|e| store_text(lang, &e))?;
    let ctx = crate::form::Context::today_in_japan();
    let printed =
        print_stored(&mut store, session, opinion_id, how, &ctx).map_err(|e| match e {
            PrintError::Store(s) => store_text(lang, &s),
            PrintError::Pdf(p) => text(lang, p.key(), &[]),
            PrintError::Continuation { items } => continuation_text(lang, &items),
        })?;
    let opened = store
        .open_opinion(session, opinion_id)
        .map_err(|e| store_text(lang, &e))?;
    let dir = services.data_dir.join("prints");
    std::fs::create_dir_all(&dir).map_err(|e| io_text(lang, &dir, &e))?;
    let kind = match copy {
        Copy::Draft => "draft",
        Copy::Final => "final",
    };
    let path = dir.join(format!(
        "opinion-{opinion_id}-v{}-{kind}.pdf",
        opened.version.number
    ));
    let part = path.with_extension("pdf.part");
    std::fs::write(&part, &printed.bytes)
        .and_then(|()| std::fs::rename(&part, &path))
        .map_err(|e| io_text(lang, &path, &e))?;
    let form = FormDef::builtin(opened.opinion.form_version).map_err(|e| e.to_string())?;
    let warnings = match Locales::builtin() {
        Ok(locales) => {
            let d = crate::form::describe::Describer {
                locales,
                lang,
                form,
            };
            printed.findings.iter().map(|f| d.finding(f)).collect()
        }
        Err(_) => Vec::new(),
    };
    Ok(PrintedFile {
        path,
        pages: printed.pages,
        warnings,
    })
}

/// The refusal of a final print whose text would go on to a 別紙 on the R8 form.
fn continuation_text(lang: Lang, items: &[String]) -> String {
    Locales::builtin()
        .map(|l| crate::pdf::continuation_message(l, lang, "app-review-continuation", items))
        .unwrap_or_default()
}

/// A file that could not be read or written, in `lang`, with what went wrong in words.
pub(crate) fn io_text(lang: Lang, path: &Path, e: &std::io::Error) -> String {
    let detail = Locales::builtin()
        .map(|l| crate::i18n::io_detail(l, lang, e))
        .unwrap_or_else(|_| e.to_string());
    text(
        lang,
        "err-io",
        &[("path", path.display().to_string()), ("detail", detail)],
    )
}

/// Why the system's viewer did not open a file.
#[derive(Debug)]
pub enum ViewerError {
    /// There is no program to open files with (`xdg-open` / `open` / `start` is missing).
    Missing,
    /// The opener ran and said it could not open the file (no viewer for PDF).
    Failed(Option<i32>),
    Io(std::io::Error),
}

/// Opens `path` in the system's viewer (the PDF reader) and waits for the opener's answer.
pub fn open_in_viewer(path: &Path) -> Result<(), ViewerError> {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = std::process::Command::new("xdg-open");
    let status = cmd
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ViewerError::Missing,
            _ => ViewerError::Io(e),
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(ViewerError::Failed(status.code()))
    }
}

/// A viewer failure as a message in `lang` that names the file.
fn viewer_text(lang: Lang, path: &Path, e: &ViewerError) -> String {
    let path = path.display().to_string();
    match e {
        ViewerError::Missing | ViewerError::Failed(_) => {
            text(lang, "app-viewer-missing", &[("path", path)])
        }
        ViewerError::Io(e) => io_text(lang, Path::new(&path), e),
    }
}
