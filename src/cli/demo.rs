//! `ikensho demo`: the whole way on one machine with no card, no certificate and no hub. On first
//! run it makes a demo data folder: people (a physician, a clerk, an administrator), the clinic,
//! an HPKI-like test PKI with a virtual card, and the hub simulator's PKI; then it starts the
//! simulator on loopback, takes its open 作成依頼 in as drafts, and opens the window.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::exit;
use super::store_cmds::{Ctx, Outcome};
use crate::card::virt::{Behaviour, VirtualCard};
use crate::hub::client::{HubClient, Terminal};
use crate::hub::pki::der_pair;
use crate::hub::sim::Faults;
use crate::sign::pki::TestPki;
use crate::store::{ClinicSettings, NewUser, Role, Store};

/// The demo people's password and the virtual card's PIN (demo data only).
pub const DEMO_PASSWORD: &str = "ikensho-demo";
pub const DEMO_PIN: &str = "1234";
const INSTITUTION: &str = "1310123458";

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

pub fn demo(ctx: &Ctx<'_>, a: DemoArgs) -> Outcome {
    let fail = |e: String| {
        ctx.say("cli-demo-failed", &[("detail", e)]);
        exit::FAILED
    };
    let Some(dir) = demo_dir(ctx) else {
        ctx.say("cli-no-data-dir", &[]);
        return Err(exit::USAGE);
    };
    let fresh = !dir.join("ikensho.sqlite").exists();
    if fresh {
        std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
        first_run(&dir).map_err(fail)?;
    }
    let anchors = std::fs::read(dir.join("hpki").join("root.pem"))
        .ok()
        .and_then(|pem| crate::sign::cms::load_trust_anchors(&pem).ok())
        .unwrap_or_default();
    let (sim, hub) =
        super::hub_cmds::demo_sim(&dir.join("hub"), INSTITUTION, 0, anchors, Faults::default())
            .map_err(fail)?;
    // Take the open requests in as drafts, as the clerk.
    let (cert, key) = der_pair(&hub.terminal).map_err(|e| fail(e.to_string()))?;
    let ca = der::EncodePem::to_pem(&hub.ca.cert, rsa::pkcs8::LineEnding::LF)
        .map_err(|e| fail(e.to_string()))?;
    let client = HubClient::new(
        &sim.url(),
        ca.as_bytes(),
        Terminal::from_der(vec![cert], key),
    )
    .map_err(|e| fail(e.to_string()))?;
    let mut store = Store::open(&dir.join("ikensho.sqlite")).map_err(|e| fail(e.to_string()))?;
    let password = Zeroizing::new(DEMO_PASSWORD.to_owned());
    let clerk = store
        .sign_in("suzuki", &password)
        .map_err(|e| fail(e.to_string()))?;
    let requests = client.open_requests().map_err(|e| fail(e.to_string()))?;
    let today = jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .date();
    let made = crate::hub::flow::drafts_from_requests(&mut store, &clerk, &requests, today)
        .map_err(|e| fail(e.to_string()))?;
    ctx.say(
        "cli-demo-ready",
        &[
            ("dir", dir.display().to_string()),
            ("url", sim.url()),
            ("password", DEMO_PASSWORD.to_owned()),
            ("pin", DEMO_PIN.to_owned()),
            ("drafts", made.len().to_string()),
        ],
    );
    if a.no_window {
        return Ok(exit::CLEAN);
    }
    crate::app::run(store, ctx.lang).map_err(fail)?;
    drop(sim);
    Ok(exit::CLEAN)
}
