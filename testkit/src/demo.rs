//! The demo world, for `ikensho demo`, the program's tests and the benchmarks: a data folder with
//! people (a physician, a clerk, an administrator), the clinic, the renewal applicant's last
//! opinion, an HPKI-like test PKI with a virtual card, and the hub simulator on loopback with its
//! PKI, insurer and open 作成依頼 (taken in as drafts at each start).

use std::path::{Path, PathBuf};

use ikensho::hub::client::{HubClient, HubError, Terminal};
use ikensho::hub::wire::{Applicant, OpenRequest};
use ikensho::store::atrest::Keeping;
use ikensho::store::{
    ClinicSettings, ConnectionSettings, NewOpinion, NewUser, Role, Store, StoreError,
};
use ikensho::workflow::{StoredPrint, WorkflowError, print_stored, take_in_requests};

use crate::card::CardError;
use crate::hub_pki::{HubPki, der_pair};
use crate::sign_pki::{PkiError, TestPki};
use crate::sim::{Faults, SimError, Simulator};
use crate::virt::{Behaviour, VirtualCard};

/// The demo people's password and the virtual card's PIN (demo data only).
pub const DEMO_PASSWORD: &str = "ikensho-demo";
pub const DEMO_PIN: &str = "1234";
/// The demo clinic's 医療機関コード (東京都, check digit over the last six digits).
pub const INSTITUTION: &str = "1310123455";
/// The opinion written for the renewal applicant half a year ago (on paper), which the demo's
/// 更新 request copies forward.
const PREVIOUS: &str = include_str!("../../assets/demo/previous-opinion.json");

/// Why the demo world could not be made or started.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Pki(#[from] PkiError),
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("virtual card: {0}")]
    Card(#[from] CardError),
    #[error("the demo's previous opinion: {0}")]
    Opinion(#[from] ikensho::form::ReadError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The demo's open requests: a 新規, a 更新 and a 第2号 applicant.
pub fn demo_requests() -> Vec<OpenRequest> {
    let applicant = |name: &str, kana: &str, sex: &str, birth: &str| Applicant {
        name: name.into(),
        kana: kana.into(),
        sex: sex.into(),
        birth_date: birth.into(),
        postal_code: "100-0001".into(),
        address: "東京都千代田区千代田1-1".into(),
        phone: "03-0000-0000".into(),
    };
    let req = |id: &str, insured: &str, a: Applicant, kind: &str| OpenRequest {
        request_id: id.into(),
        insurer_number: "131011".into(),
        insurer_name: "千代田区".into(),
        insured_number: insured.into(),
        applicant: a,
        application_kind: kind.into(),
        application_date: "2026-11-01".into(),
        requested_at: "2026-11-02T09:00:00+09:00".into(),
        due_date: "2026-11-30".into(),
        physician_name: "佐藤 一郎".into(),
    };
    vec![
        req(
            "REQ-DEMO-0001",
            "0000012345",
            applicant("山田 花子", "やまだ はなこ", "female", "1941-05-03"),
            "new",
        ),
        req(
            "REQ-DEMO-0002",
            "0000023456",
            applicant("田中 一郎", "たなか いちろう", "male", "1938-09-12"),
            "renewal",
        ),
        req(
            "REQ-DEMO-0003",
            "0000034567",
            applicant("鈴木 次郎", "すずき じろう", "male", "1965-02-20"),
            "new",
        ),
    ]
}

/// The simulator of a demo folder `dir`: its PKI in `dir/pki` (made on first run, then kept), its
/// store in `dir/store`, and on first run the demo insurer and requests for `institution`.
pub fn demo_sim(
    dir: &Path,
    institution: &str,
    port: u16,
    anchors: Vec<x509_cert::Certificate>,
    faults: Faults,
) -> Result<(Simulator, HubPki), DemoError> {
    let pki_dir = dir.join("pki");
    let fresh = !pki_dir.join("hub-ca.pem").exists();
    let pki = if fresh {
        let pki = HubPki::generate(institution, "DEMO-TERMINAL-1")?;
        pki.write(&pki_dir)?;
        pki
    } else {
        HubPki::load(&pki_dir)?
    };
    let sim = Simulator::start(&dir.join("store"), port, &pki, anchors, faults)?;
    if fresh {
        sim.add_insurer(&crate::sim::demo_insurer())?;
        sim.add_requests(institution, &demo_requests())?;
    }
    Ok((sim, pki))
}

/// A demo folder ready to open.
pub struct DemoWorld {
    /// The hub simulator, running on loopback until dropped.
    pub sim: Simulator,
    pub store: Store,
    /// A client of the simulator with the demo terminal's certificate.
    pub hub: HubClient,
    /// The virtual HPKI card's folder.
    pub card_dir: PathBuf,
    /// The signing CA's certificate (PEM), sent with each signature.
    pub chain_pem: String,
    /// The drafts made from the hub's open requests on this run.
    pub made: Vec<i64>,
}

/// Makes the demo folder `dir` on first run, starts its simulator on loopback, points the
/// settings at it and takes the hub's open requests in as drafts (as the clerk).
pub fn prepare(dir: &Path) -> Result<DemoWorld, DemoError> {
    let db = dir.join("ikensho.sqlite");
    if !db.exists() {
        ikensho::files::private_dir(dir).map_err(|source| DemoError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        first_run(dir)?;
    }
    let anchors = std::fs::read(dir.join("hpki").join("root.pem"))
        .ok()
        .and_then(|pem| ikensho::sign::cms::load_trust_anchors(&pem).ok())
        .unwrap_or_default();
    let (sim, hub_pki) = demo_sim(&dir.join("hub"), INSTITUTION, 0, anchors, Faults::default())?;
    let (cert, key) = der_pair(&hub_pki.terminal)?;
    let ca = der::EncodePem::to_pem(&hub_pki.ca.cert, rsa::pkcs8::LineEnding::LF)
        .map_err(|e| PkiError(e.to_string()))?;
    let hub = HubClient::new(
        &sim.url(),
        ca.as_bytes(),
        Terminal::from_der(vec![cert], key),
    )?;
    let mut store = Store::open(&db)?;
    let chain_pem = connect(&mut store, &sim.url(), &ca, &dir.join("hpki"))?;
    let clerk = store.sign_in("suzuki", DEMO_PASSWORD)?;
    let today = ikensho::form::Context::today_in_japan().today;
    let made = take_in_requests(&mut store, &clerk, &hub, today)?.made;
    Ok(DemoWorld {
        sim,
        store,
        hub,
        card_dir: dir.join("card"),
        chain_pem,
        made,
    })
}

fn first_run(dir: &Path) -> Result<(), DemoError> {
    // The demo keeps its data key in a key file of its own folder (a clinic keeps it apart
    // from the data: see `ikensho store`).
    let (mut store, _) = Store::create(
        &dir.join("ikensho.sqlite"),
        &Keeping::KeyFolder(dir.join("keys")),
        None,
    )?;
    let user = |login: &'static str, name: &'static str, roles: &'static [Role]| NewUser {
        login,
        name,
        roles,
        password: DEMO_PASSWORD,
    };
    store.add_first_admin(&user("kanri", "管理 太郎", &[Role::Admin]))?;
    let admin = store.sign_in("kanri", DEMO_PASSWORD)?;
    store.add_user(
        &admin,
        &user("sato", "佐藤 一郎", &[Role::Physician]),
        Some(DEMO_PASSWORD),
    )?;
    store.add_user(&admin, &user("suzuki", "鈴木 花子", &[Role::Clerk]), None)?;
    store.set_clinic_settings(
        &admin,
        &ClinicSettings {
            name: "さくら内科クリニック".into(),
            address: "東京都千代田区神田一丁目2番3号".into(),
            phone: "03-1234-5678".into(),
            fax: "03-1234-5679".into(),
            institution_code: INSTITUTION.into(),
            print_physician_name: false,
            idle_sign_out_minutes: None,
            csv_insurers: Vec::new(),
        },
    )?;
    previous_opinion(&mut store)?;
    let hpki = TestPki::generate("佐藤 一郎")?;
    hpki.write(&dir.join("hpki"))?;
    VirtualCard::create(
        &dir.join("card"),
        &hpki.physician.key,
        &hpki.physician.der(),
        DEMO_PIN,
        Behaviour::default(),
    )?;
    Ok(())
}

/// The renewal applicant's last opinion: written by the physician, finalised and printed for the
/// paper route, as if half a year ago.
fn previous_opinion(store: &mut Store) -> Result<(), DemoError> {
    let doctor = store.sign_in("sato", DEMO_PASSWORD)?;
    let op = ikensho::form::Opinion::from_json(PREVIOUS)?;
    let ctx = ikensho::form::Context::today_in_japan();
    let draft = store.create_opinion(
        &doctor,
        NewOpinion {
            applicant: op.applicant.clone(),
            request: None,
            physician: None,
        },
        ctx.today,
    )?;
    store.autosave(&doctor, draft.version_id, draft.revision, &op)?;
    print_stored(
        store,
        &doctor,
        draft.opinion_id,
        &StoredPrint::final_copy(),
        &ctx,
    )?;
    Ok(())
}

/// Points the settings at this run's simulator (its port changes with every run); returns the
/// signing chain (PEM).
fn connect(
    store: &mut Store,
    url: &str,
    hub_ca_pem: &str,
    hpki_dir: &Path,
) -> Result<String, DemoError> {
    let admin = store.sign_in("kanri", DEMO_PASSWORD)?;
    let read = |name: &str| std::fs::read_to_string(hpki_dir.join(name)).unwrap_or_default();
    let chain = read("ca.pem");
    store.set_connection_settings(
        &admin,
        &ConnectionSettings {
            hub_url: url.to_owned(),
            hub_ca_pem: hub_ca_pem.to_owned(),
            reader: String::new(),
            signing_chain_pem: chain.clone(),
            trust_anchors_pem: read("root.pem"),
        },
    )?;
    Ok(chain)
}
