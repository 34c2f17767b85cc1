//! `ikensho demo`: the whole way on one machine with no card, no certificate and no hub. On first
//! run it makes a demo data folder: people (a physician, a clerk, an administrator), the clinic,
//! an HPKI-like test PKI with a virtual card, and the hub simulator's PKI; then it starts the
//! simulator on loopback, takes its open 作成依頼 in as drafts, and opens the window.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::exit;
use super::store_cmds::{Ctx, Outcome};
use crate::app::Services;
use crate::app::work::pem_chain;
use crate::hub::client::{HubClient, Terminal};
use crate::store::{ClinicSettings, ConnectionSettings, NewOpinion, NewUser, Role, Store};
use ikensho_testkit::hub_pki::der_pair;
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::sim::Faults;
use ikensho_testkit::virt::{Behaviour, VirtualCard};

/// The demo people's password and the virtual card's PIN (demo data only).
pub const DEMO_PASSWORD: &str = "ikensho-demo";
pub const DEMO_PIN: &str = "1234";
const INSTITUTION: &str = "1310123455";
/// The opinion written for the renewal applicant half a year ago (on paper), which the demo's
/// 更新 request copies forward.
const PREVIOUS: &str = include_str!("../../../assets/demo/previous-opinion.json");

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Prepare the demo (and take in the hub's requests) without opening the window.
    #[arg(long)]
    no_window: bool,
}

fn demo_dir(ctx: &Ctx<'_>) -> Option<PathBuf> {
    match &ctx.data_dir {
        Some(d) => Some(d.clone()),
        None => crate::store::data_dir().map(|d| d.join("demo")),
    }
}

fn first_run(dir: &Path) -> Result<(), String> {
    let mut store = Store::open(&dir.join("ikensho.sqlite")).map_err(|e| e.to_string())?;
    let user = |login: &'static str, name: &'static str, roles: &'static [Role]| NewUser {
        login,
        name,
        roles,
        password: DEMO_PASSWORD,
    };
    store
        .add_first_admin(&user("kanri", "管理 太郎", &[Role::Admin]))
        .map_err(|e| e.to_string())?;
    let admin = store
        .sign_in("kanri", DEMO_PASSWORD)
        .map_err(|e| e.to_string())?;
    store
        .add_user(&admin, &user("sato", "佐藤 一郎", &[Role::Physician]))
        .map_err(|e| e.to_string())?;
    store
        .add_user(&admin, &user("suzuki", "鈴木 花子", &[Role::Clerk]))
        .map_err(|e| e.to_string())?;
    store
        .set_clinic_settings(
            &admin,
            &ClinicSettings {
                name: "さくら内科クリニック".into(),
                address: "東京都千代田区神田一丁目2番3号".into(),
                phone: "03-1234-5678".into(),
                fax: "03-1234-5679".into(),
                institution_code: INSTITUTION.into(),
                print_physician_name: false,
            },
        )
        .map_err(|e| e.to_string())?;
    previous_opinion(&mut store).map_err(|e| e.to_string())?;
    let hpki = TestPki::generate("佐藤 一郎").map_err(|e| e.to_string())?;
    hpki.write(&dir.join("hpki")).map_err(|e| e.to_string())?;
    VirtualCard::create(
        &dir.join("card"),
        &hpki.physician.key,
        &hpki.physician.der(),
        DEMO_PIN,
        Behaviour::default(),
    )
    .map(drop)
    .map_err(|e| e.to_string())
}

/// The renewal applicant's last opinion: written by the physician, finalised and printed for the
/// paper route, as if half a year ago.
fn previous_opinion(store: &mut Store) -> Result<(), Box<dyn std::error::Error>> {
    let doctor = store.sign_in("sato", DEMO_PASSWORD)?;
    let op = crate::form::Opinion::from_json(PREVIOUS)?;
    let today = jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .date();
    let draft = store.create_opinion(
        &doctor,
        NewOpinion {
            applicant: op.applicant.clone(),
            request: None,
            physician: None,
        },
        today,
    )?;
    store.autosave(&doctor, draft.version_id, draft.revision, &op)?;
    crate::pdf::stored::print_stored(
        store,
        &doctor,
        draft.opinion_id,
        &crate::pdf::stored::StoredPrint::final_copy(),
        &crate::form::Context::new(today),
    )?;
    Ok(())
}

/// Points the settings at this run's simulator (its port changes with every run).
fn connect(store: &mut Store, url: &str, hub_ca_pem: &str, hpki_dir: &Path) -> Result<(), String> {
    let admin = store
        .sign_in("kanri", DEMO_PASSWORD)
        .map_err(|e| e.to_string())?;
    let read = |name: &str| std::fs::read_to_string(hpki_dir.join(name)).unwrap_or_default();
    store
        .set_connection_settings(
            &admin,
            &ConnectionSettings {
                hub_url: url.to_owned(),
                hub_ca_pem: hub_ca_pem.to_owned(),
                reader: String::new(),
                signing_chain_pem: read("ca.pem"),
                trust_anchors_pem: read("root.pem"),
            },
        )
        .map_err(|e| e.to_string())
}

/// A demo folder ready to open: its simulator running, its store, and the services of the window.
pub struct Demo {
    pub sim: ikensho_testkit::sim::Simulator,
    pub store: Store,
    pub services: Services,
    /// The drafts made from the hub's open requests on this run.
    pub made: Vec<i64>,
}

/// Makes the demo folder `dir` on first run, starts its simulator on loopback, points the
/// settings at it and takes the hub's open requests in as drafts (as the clerk).
pub fn prepare(dir: &Path) -> Result<Demo, String> {
    if !dir.join("ikensho.sqlite").exists() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        first_run(dir)?;
    }
    let anchors = std::fs::read(dir.join("hpki").join("root.pem"))
        .ok()
        .and_then(|pem| crate::sign::cms::load_trust_anchors(&pem).ok())
        .unwrap_or_default();
    let (sim, hub) =
        super::hub_cmds::demo_sim(&dir.join("hub"), INSTITUTION, 0, anchors, Faults::default())?;
    let (cert, key) = der_pair(&hub.terminal).map_err(|e| e.to_string())?;
    let ca = der::EncodePem::to_pem(&hub.ca.cert, rsa::pkcs8::LineEnding::LF)
        .map_err(|e| e.to_string())?;
    let client = HubClient::new(
        &sim.url(),
        ca.as_bytes(),
        Terminal::from_der(vec![cert], key),
    )
    .map_err(|e| e.to_string())?;
    let mut store = Store::open(&dir.join("ikensho.sqlite")).map_err(|e| e.to_string())?;
    connect(&mut store, &sim.url(), &ca, &dir.join("hpki"))?;
    let password = Zeroizing::new(DEMO_PASSWORD.to_owned());
    let clerk = store
        .sign_in("suzuki", &password)
        .map_err(|e| e.to_string())?;
    let requests = client.open_requests().map_err(|e| e.to_string())?;
    let today = jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .date();
    let made = crate::hub::flow::drafts_from_requests(&mut store, &clerk, &requests, today)
        .map_err(|e| e.to_string())?;
    let chain = std::fs::read_to_string(dir.join("hpki").join("ca.pem")).unwrap_or_default();
    let services = Services {
        db: dir.join("ikensho.sqlite"),
        data_dir: dir.to_path_buf(),
        hub: Some(client),
        hub_problem: None,
        card: std::sync::Arc::new(ikensho_testkit::virt::VirtualSource {
            dir: dir.join("card"),
        }),
        from_settings: false,
        chain: pem_chain(&chain),
        poll: std::time::Duration::from_secs(2),
    };
    Ok(Demo {
        sim,
        store,
        services,
        made,
    })
}

pub fn demo(ctx: &Ctx<'_>, a: DemoArgs) -> Outcome {
    let fail = |e: String| {
        ctx.say("cli-demo-failed", &[("detail", e)]);
        exit::FAILED
    };
    let Some(dir) = demo_dir(ctx) else {
        ctx.say("cli-no-data-dir", &[]);
        return Err(exit::USAGE);
    };
    if !a.no_window && !super::has_display() {
        // Say it in words before anything is prepared, rather than a windowing error after.
        ctx.say("cli-no-display", &[]);
        return Err(exit::FAILED);
    }
    let demo = prepare(&dir).map_err(fail)?;
    ctx.say(
        "cli-demo-ready",
        &[
            ("dir", dir.display().to_string()),
            ("url", demo.sim.url()),
            ("password", DEMO_PASSWORD.to_owned()),
            ("pin", DEMO_PIN.to_owned()),
            ("drafts", demo.made.len().to_string()),
        ],
    );
    if a.no_window {
        return Ok(exit::CLEAN);
    }
    let Demo {
        sim,
        store,
        services,
        ..
    } = demo;
    crate::app::run(store, ctx.lang, services).map_err(fail)?;
    drop(sim);
    Ok(exit::CLEAN)
}
