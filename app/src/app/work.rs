//! Work that must not freeze the window — the card, the network and the PDF — runs on its own
//! thread and comes back as a [`Done`] that the window takes in at its next frame. Jobs that need
//! the store borrow one of the worker's connections (opened once, not checked again per job). The
//! delivery loop sends what is queued and asks the hub about what it received, as long as
//! somebody is signed in. What the jobs do is the library's [`crate::workflow`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::civil::Date;
use zeroize::Zeroizing;

use super::problem::{HubUnavailable, Problem, ViewerError};
use crate::card::hpki::{HpkiCard, PinStatus};
use crate::card::pcsc::PcscSource;
use crate::card::{CardError, CardSource, Pin};
use crate::hub::client::HubClient;
use crate::hub::flow::{Route, route};
use crate::store::{Action, CheckedFile, Session, Store, StoreError};
use crate::workflow::{
    DeliveryOptions, PrintedFile, Signer, StoredPrint, Target, WorkflowError, delivery_pass,
    print_draft, print_final, sign_and_queue,
};

/// What the program works with besides the store on the UI thread.
#[derive(Clone)]
pub struct Services {
    /// Where printed PDFs are kept (in `prints/`) and the terminal certificate.
    pub data_dir: PathBuf,
    /// The hub, when it is set up (address, CA and terminal certificate).
    pub hub: Option<HubClient>,
    /// Why there is no hub, when there is none.
    pub hub_problem: Option<HubUnavailable>,
    /// Where the card comes from: the PC/SC readers, or a card the demo or a test injects.
    pub card: Arc<dyn CardSource>,
    /// Built from the store's settings, and built again when they change; not when the demo or a
    /// test set the services up.
    pub from_settings: bool,
    /// The signing CA certificates sent with each signature (DER).
    pub chain: Vec<Vec<u8>>,
    /// How long a delivery pass waits before the next one.
    pub poll: Duration,
    /// The file and folder dialogs.
    pub picker: Arc<dyn super::pick::Picker>,
    /// The card source was given (the demo, a test): saving the settings keeps it.
    pub card_given: bool,
}

impl Services {
    /// The services a data folder's settings describe: the hub when its address, CA and terminal
    /// certificate are set (the terminal's password from the OS keyring), the reader that holds
    /// the card through pcscd, and the signing chain.
    pub fn from_store(store: &Store, data_dir: &Path) -> Services {
        Services::from_store_with(store, data_dir, None)
    }

    /// As [`Services::from_store`], with the terminal certificate's password typed in this
    /// session when the OS keyring does not keep it.
    pub fn from_store_with(
        store: &Store,
        data_dir: &Path,
        typed: Option<&Zeroizing<String>>,
    ) -> Services {
        let c = store.connection_settings().unwrap_or_default();
        let chain = pem_chain(&c.signing_chain_pem);
        let (hub, hub_problem) = if c.hub_url.trim().is_empty() || c.hub_ca_pem.trim().is_empty() {
            (None, Some(HubUnavailable::NotSet))
        } else {
            // The OS credential store is asked once: what it keeps, else what was typed.
            let account = store.path().display().to_string();
            let password = crate::hub::terminal::load_password(&account).or_else(|| typed.cloned());
            let has_p12 = data_dir.join(crate::hub::terminal::P12_FILE).exists();
            match password {
                // The window asks for it (once per sign-in) rather than failing in silence.
                None if has_p12 => (None, Some(HubUnavailable::NeedsPassword)),
                None => (
                    None,
                    Some(HubUnavailable::Failed(
                        crate::hub::client::HubError::Terminal,
                    )),
                ),
                Some(password) => {
                    match crate::hub::terminal::open_terminal(data_dir, &password)
                        .and_then(|t| HubClient::new(c.hub_url.trim(), c.hub_ca_pem.as_bytes(), t))
                    {
                        Ok(h) => (Some(h), None),
                        Err(e) => (None, Some(HubUnavailable::Failed(e))),
                    }
                }
            }
        };
        Services {
            data_dir: data_dir.to_path_buf(),
            hub,
            hub_problem,
            card: Arc::new(PcscSource {
                remember_in: Some(data_dir.to_path_buf()),
                configured: (!c.reader.is_empty()).then(|| c.reader.clone()),
                ..PcscSource::default()
            }),
            from_settings: true,
            chain,
            poll: Duration::from_secs(30),
            picker: Arc::new(super::pick::NativePicker),
            card_given: false,
        }
    }

    /// The hub, or why there is none.
    fn hub(&self) -> Result<&HubClient, HubUnavailable> {
        self.hub
            .as_ref()
            .ok_or_else(|| self.hub_problem.clone().unwrap_or(HubUnavailable::NotSet))
    }
}

/// The DER certificates of a PEM text (none when it cannot be read).
pub fn pem_chain(pem: &str) -> Vec<Vec<u8>> {
    crate::sign::cms::pem_certificates(pem.as_bytes())
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
    /// Open a printed PDF (or its folder) in the system's viewer.
    OpenViewer(PathBuf),
    /// The day's automatic backup into `folder` (when there is none of `today` yet).
    DailyBackup { folder: PathBuf, today: Date },
    /// A backup asked for in 設定, into the file `dest`.
    Backup { dest: PathBuf },
    /// Call the hub's health check with this client (the connection test).
    TestConnection(Box<HubClient>),
    /// Read the certificate of the card in `reader` (else the one that holds a card).
    CardTest { reader: Option<String> },
    /// A file or folder dialog (it waits for the person).
    Pick {
        what: super::pick::PickFor,
        kind: super::pick::PickKind,
        title: String,
    },
    /// Write 医見書's CSV of a finalised opinion at `path`.
    ExportCsv { opinion_id: i64, path: PathBuf },
    /// Import a CSV file of 医見書 (one transaction; `control` tells how far and stops it).
    ImportIkensyo {
        path: PathBuf,
        control: std::sync::Arc<super::import::ImportControl>,
    },
    /// Lay the opinion out on the form (the paper preview, and the review's check of what the
    /// paper would not show as typed): a megabyte in a field takes seconds, never the window's.
    Layout {
        /// Which request this is: a result for an older one is dropped.
        seq: u64,
        form: &'static crate::form::FormDef,
        opinion: Box<crate::form::Opinion>,
        opts: crate::pdf::PrintOptions,
    },
}

/// What came back from a thread, typed: the window puts it into words when it draws it.
#[derive(Debug)]
pub enum Done {
    Readers(Result<Vec<String>, CardError>),
    CardStatus(Result<CardInfo, CardError>),
    /// Signed and queued (the opinion id), or why not.
    Signed {
        opinion_id: i64,
        result: Result<(), WorkflowError>,
    },
    Route(Result<Route, HubUnavailable>),
    Printed(Result<PrintedFile, WorkflowError>),
    /// The viewer opened the file, or could not.
    Viewer(Result<(), Problem>),
    /// A delivery pass moved something (`true`), or failed.
    Delivery(Result<bool, WorkflowError>),
    /// A delivery pass panicked: the loop started again with a fresh connection.
    DeliveryRestarted,
    /// Another terminal (or this one) changed opinions or the outbox on the server.
    Changed,
    /// The connection test's answer.
    ConnectionTested(Result<(), crate::hub::client::HubError>),
    /// The card test's answer: the reader and whom the card is for.
    CardTested(Result<(String, crate::sign::cms::Holder), CardError>),
    /// The path chosen in a dialog (`None`: cancelled, or no dialog could be shown).
    Picked {
        what: super::pick::PickFor,
        path: Option<PathBuf>,
    },
    /// The day's backup made, found made already, or why not.
    DailyBackup {
        folder: PathBuf,
        result: Result<crate::store::daily::Daily, WorkflowError>,
    },
    /// The backup asked for in 設定 written (where), or why not.
    BackedUp(Result<PathBuf, WorkflowError>),
    /// 医見書's CSV written (where, and what it could not carry, said), or why not.
    CsvExported(Result<(PathBuf, Vec<crate::workflow::OpinionFinding>), Problem>),
    /// What an import of 医見書's CSV did, or why not.
    Imported(Result<crate::workflow::FileImport, Problem>),
    /// The opinion laid out ([`Job::Layout`] `seq`): the sheet and what it would not show.
    Laid {
        seq: u64,
        result: Result<LaidOut, crate::pdf::PdfError>,
    },
}

/// An opinion laid out on the form: the sheet and what it would not show as typed. Its `Debug`
/// says how many pages, never what they say.
pub struct LaidOut {
    pub sheet: crate::pdf::Sheet,
    pub findings: Vec<crate::form::Finding>,
}

impl std::fmt::Debug for LaidOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "LaidOut {{ pages: {}, findings: {} }}",
            self.sheet.pages.len(),
            self.findings.len()
        )
    }
}

/// The worker's connections to the store: a job borrows one and gives it back, so that the file
/// is opened once, not once per job.
#[derive(Clone)]
struct Connections {
    file: CheckedFile,
    spare: Arc<Mutex<Vec<Store>>>,
}

impl Connections {
    fn take(&self) -> Result<Store, StoreError> {
        let spare = self.spare.lock().ok().and_then(|mut s| s.pop());
        match spare {
            Some(s) => Ok(s),
            None => self.file.connect(),
        }
    }

    fn give_back(&self, store: Store) {
        if let Ok(mut s) = self.spare.lock() {
            s.push(store);
        }
    }

    /// Runs `f` with a borrowed connection.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, WorkflowError>,
    ) -> Result<T, WorkflowError> {
        let mut store = self.take()?;
        let out = f(&mut store);
        // A connection to a server that went away is not lent again.
        if !out.as_ref().is_err_and(server_lost) {
            self.give_back(store);
        }
        out
    }
}

/// Whether `e` is the clinic server gone away (its connection is of no more use).
fn server_lost(e: &WorkflowError) -> bool {
    matches!(e, WorkflowError::Store(s) if s.is_server_lost())
}

/// On a server store: hears what the terminals change and tells the window (which shows it in
/// its lists within a second), on a thread of its own until the window is gone. A lost
/// connection is opened again after a pause.
fn listen(store: &Store, tx: Sender<Done>, repaint: egui::Context) {
    let Ok(Some(first)) = store.listen() else {
        return;
    };
    let again = store.checked_file();
    std::thread::spawn(move || {
        let mut listener = Some(first);
        loop {
            let Some(l) = listener.as_mut() else {
                std::thread::sleep(std::time::Duration::from_secs(5));
                listener = again.listen().ok().flatten();
                // Back: what changed meanwhile was not heard; the lists are read again.
                if listener.is_some() {
                    if tx.send(Done::Changed).is_err() {
                        return;
                    }
                    repaint.request_repaint();
                }
                continue;
            };
            match l.wait(std::time::Duration::from_secs(5)) {
                Ok(changes) if changes.is_empty() => {}
                Ok(_) => {
                    if tx.send(Done::Changed).is_err() {
                        return;
                    }
                    repaint.request_repaint();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the server's change notifications");
                    listener = None;
                }
            }
        }
    });
}

/// Runs jobs on threads and hands their results back to the window.
pub struct Worker {
    pub services: Services,
    connections: Connections,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    repaint: egui::Context,
    /// Jobs started and not yet taken back.
    running: usize,
    /// Dropping it ends the delivery loop.
    delivery: Option<Sender<()>>,
}

impl Worker {
    pub fn new(services: Services, store: &Store, repaint: egui::Context) -> Worker {
        let (tx, rx) = channel();
        listen(store, tx.clone(), repaint.clone());
        Worker {
            services,
            connections: Connections {
                file: store.checked_file(),
                spare: Arc::default(),
            },
            tx,
            rx,
            repaint,
            running: 0,
            delivery: None,
        }
    }

    /// Whether a job is still running (the delivery loop does not count).
    pub fn busy(&self) -> bool {
        self.running > 0
    }

    /// Starts `job` for `session` on a thread of its own.
    pub fn start(&mut self, session: &Session, job: Job) {
        let services = self.services.clone();
        let connections = self.connections.clone();
        let session = session.clone();
        let tx = self.tx.clone();
        let repaint = self.repaint.clone();
        self.running += 1;
        std::thread::spawn(move || {
            let done = run(&services, &connections, &session, job);
            let _ = tx.send(done);
            repaint.request_repaint();
        });
    }

    /// The results that came back since the last call.
    pub fn take(&mut self) -> Vec<Done> {
        let done: Vec<Done> = self.rx.try_iter().collect();
        let finished = done
            .iter()
            .filter(|d| {
                !matches!(
                    d,
                    Done::Delivery(_) | Done::DeliveryRestarted | Done::Changed
                )
            })
            .count();
        self.running = self.running.saturating_sub(finished);
        done
    }

    /// Starts the delivery loop for `session` (once); it stops with [`Worker::stop_delivery`].
    /// Sending and asking the hub work on opinions: only for someone who may open them (an
    /// administrator who writes none has no delivery loop).
    pub fn start_delivery(&mut self, session: &Session) {
        if !session.roles().allow(Action::Open) {
            return;
        }
        let Some(hub) = self.services.hub.clone() else {
            return;
        };
        if self.delivery.is_some() {
            return;
        }
        let (nudge, wake) = channel::<()>();
        self.delivery = Some(nudge);
        let lane = DeliveryLane {
            connections: self.connections.clone(),
            session: session.clone(),
            poll: self.services.poll,
            tx: self.tx.clone(),
            repaint: self.repaint.clone(),
        };
        std::thread::spawn(move || lane.run(hub, &wake));
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

    /// Stops the delivery loop, waits up to `within` for every thread to let go of its
    /// connection (each holds a handle on the pool while it runs), and closes the pool's
    /// connections: nothing of this window has the store open after. `false` when a thread is
    /// still at work when the time is up.
    pub fn shutdown(&mut self, within: Duration) -> bool {
        self.stop_delivery();
        let deadline = std::time::Instant::now() + within;
        while Arc::strong_count(&self.connections.spare) > 1 {
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(mut spare) = self.connections.spare.lock() {
            spare.clear();
        }
        true
    }
}

/// How soon the delivery loop tries again after the server went away.
const RETRY_AFTER_LOST: Duration = Duration::from_secs(3);

/// What the delivery loop works with.
struct DeliveryLane {
    connections: Connections,
    session: Session,
    poll: Duration,
    tx: Sender<Done>,
    repaint: egui::Context,
}

impl DeliveryLane {
    /// Passes until the window stops the loop: one now, then one per `poll` or nudge. The loop
    /// keeps its own connection for as long as it runs.
    fn run(self, mut hub: HubClient, wake: &Receiver<()>) {
        let mut store = match self.connections.take() {
            Ok(s) => s,
            Err(e) => {
                let _ = self.tx.send(Done::Delivery(Err(e.into())));
                return;
            }
        };
        loop {
            let mut wait = self.poll;
            // A pass that panics (a fault of ours) must not end sending for the session: the
            // loop goes on with a fresh connection (the half-done transaction rolled back) and
            // the window says so.
            let pass = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                delivery_pass(
                    &mut store,
                    &self.session,
                    &mut hub,
                    jiff::Timestamp::now(),
                    DeliveryOptions::default(),
                )
                .map(|pass| pass.changed())
            }));
            match pass {
                Ok(Ok(false)) => {}
                Ok(result) => {
                    // The server went away: a new connection, and the next pass within seconds
                    // (not at the next poll), so that sending goes on soon after it is back.
                    if result.as_ref().is_err_and(server_lost) {
                        let _ = store.reconnect();
                        wait = self.poll.min(RETRY_AFTER_LOST);
                    }
                    let _ = self.tx.send(Done::Delivery(result));
                    self.repaint.request_repaint();
                }
                Err(_) => {
                    let _ = self.tx.send(Done::DeliveryRestarted);
                    self.repaint.request_repaint();
                    match self.connections.take() {
                        Ok(fresh) => store = fresh,
                        Err(e) => {
                            let _ = self.tx.send(Done::Delivery(Err(e.into())));
                            return;
                        }
                    }
                }
            }
            match wake.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.connections.give_back(store);
    }
}

fn run(services: &Services, connections: &Connections, session: &Session, job: Job) -> Done {
    let ctx = crate::form::Context::today_in_japan();
    match job {
        Job::Readers => Done::Readers(services.card.readers()),
        Job::CardStatus { reader } => Done::CardStatus(card_status(services, reader.as_deref())),
        Job::SignAndQueue {
            opinion_id,
            reader,
            pin,
            confirm_carried,
        } => {
            let signer = Signer {
                card: services.card.as_ref(),
                reader: reader.as_deref(),
                chain: &services.chain,
            };
            let result = connections.with(|store| {
                sign_and_queue(
                    store,
                    session,
                    opinion_id,
                    signer,
                    &pin,
                    confirm_carried,
                    &ctx,
                )
            });
            drop(pin);
            Done::Signed {
                opinion_id,
                result: result.map(|_| ()),
            }
        }
        Job::Route {
            insurer_number,
            written,
        } => Done::Route(services.hub().and_then(|hub| {
            hub.insurers()
                .map(|list| route(&list, &insurer_number, written))
                .map_err(HubUnavailable::Failed)
        })),
        Job::Layout {
            seq,
            form,
            opinion,
            opts,
        } => Done::Laid {
            seq,
            result: crate::pdf::sheet(form, &opinion, opts).and_then(|sheet| {
                let findings = crate::pdf::check_sheet(form, &sheet)?;
                Ok(LaidOut { sheet, findings })
            }),
        },
        Job::TestConnection(client) => Done::ConnectionTested(client.health()),
        Job::CardTest { reader } => Done::CardTested(card_test(services, reader.as_deref())),
        Job::Pick { what, kind, title } => Done::Picked {
            what,
            path: services.picker.pick(&kind, &title),
        },
        Job::DailyBackup { folder, today } => {
            let result = connections.with(|store| {
                Ok(store.daily_backup(&folder, today, crate::store::daily::Keep::default())?)
            });
            Done::DailyBackup { folder, result }
        }
        Job::Backup { dest } => Done::BackedUp(connections.with(|store| {
            store.backup(session, &dest)?;
            Ok(dest)
        })),
        Job::Print { opinion_id, how } => {
            let dir = services.data_dir.join("prints");
            Done::Printed(connections.with(|store| match how.copy {
                crate::workflow::Copy::Draft => print_draft(
                    store,
                    session,
                    opinion_id,
                    how.print_physician_name,
                    Target::Folder(&dir),
                ),
                crate::workflow::Copy::Final => {
                    print_final(store, session, opinion_id, &how, Target::Folder(&dir), &ctx)
                }
            }))
        }
        Job::ExportCsv { opinion_id, path } => Done::CsvExported(
            connections
                .with(|store| {
                    crate::workflow::export_ikensyo_csv(store, session, &[opinion_id], &path)
                })
                .map(|file| (path, file.findings))
                .map_err(Problem::from),
        ),
        Job::ImportIkensyo { path, control } => {
            Done::Imported(import_file(connections, session, path, &control))
        }
        Job::OpenViewer(path) => {
            Done::Viewer(open_in_viewer(&path).map_err(|error| Problem::Viewer { path, error }))
        }
    }
}

/// Imports one file of 医見書's CSV, telling `control` how far it is and stopping when asked.
fn import_file(
    connections: &Connections,
    session: &Session,
    path: PathBuf,
    control: &super::import::ImportControl,
) -> Result<crate::workflow::FileImport, Problem> {
    use std::sync::atomic::Ordering;
    let file = crate::files::name_of(&path);
    let bytes = std::fs::read(&path).map_err(|error| Problem::Io { path, error })?;
    Ok(connections.with(|store| {
        crate::workflow::import_ikensyo_csv(store, session, &file, &bytes, &mut |p| {
            control.done.store(p.done, Ordering::Relaxed);
            control.total.store(p.total, Ordering::Relaxed);
            !control.cancel.load(Ordering::Relaxed)
        })
    })?)
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

/// Reads the certificate of the card (no PIN) and whom it is for.
fn card_test(
    services: &Services,
    reader: Option<&str>,
) -> Result<(String, crate::sign::cms::Holder), CardError> {
    let (access, name) = services.card.open(reader)?;
    let mut card = HpkiCard::new(access);
    let cert = card.certificate()?;
    let holder = crate::sign::cms::Holder::of(&cert).ok_or(CardError::Certificate)?;
    Ok((name, holder))
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
