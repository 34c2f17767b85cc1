//! `ikensho hub-sim`: the hub simulator on loopback, for the demo and for trying the client.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::exit;
use super::store_cmds::{Ctx, Outcome};
use crate::hub::wire::{Applicant, OpenRequest};
use ikensho_testkit::hub_pki::HubPki;
use ikensho_testkit::sim::{Faults, Simulator};

#[derive(clap::Args, Debug)]
pub struct HubSimArgs {
    /// The simulator's folder: its test PKI (made on first run) and its SQLite store.
    dir: PathBuf,
    /// Port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 8443)]
    port: u16,
    /// The institution code (医療機関コード) of the terminal certificate made on first run.
    #[arg(long, default_value = "1310123455")]
    institution: String,
    /// HPKI trust anchors (PEM) for checking signatures.
    #[arg(long)]
    hpki_trust: Option<PathBuf>,
    /// Share of submissions answered 500/503/429.
    #[arg(long, default_value_t = 0.0)]
    fail_share: f64,
    /// Share of submissions stored and then answered by dropping the connection.
    #[arg(long, default_value_t = 0.0)]
    drop_share: f64,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
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
) -> Result<(Simulator, HubPki), String> {
    let pki_dir = dir.join("pki");
    let fresh = !pki_dir.join("hub-ca.pem").exists();
    let pki = if fresh {
        let pki = HubPki::generate(institution, "DEMO-TERMINAL-1").map_err(|e| e.to_string())?;
        pki.write(&pki_dir).map_err(|e| e.to_string())?;
        pki
    } else {
        HubPki::load(&pki_dir).map_err(|e| e.to_string())?
    };
    let sim = Simulator::start(&dir.join("store"), port, &pki, anchors, faults)
        .map_err(|e| e.to_string())?;
    if fresh {
        sim.add_insurer(&ikensho_testkit::sim::demo_insurer())
            .map_err(|e| e.to_string())?;
        sim.add_requests(institution, &demo_requests())
            .map_err(|e| e.to_string())?;
    }
    Ok((sim, pki))
}

pub fn hub_sim(ctx: &Ctx<'_>, a: HubSimArgs) -> Outcome {
    let fail = |e: &dyn std::fmt::Display| {
        ctx.say("cli-hub-sim-failed", &[("detail", e.to_string())]);
        exit::FAILED
    };
    let anchors = match &a.hpki_trust {
        Some(p) => {
            let pem = std::fs::read(p).map_err(|e| fail(&e))?;
            crate::sign::cms::load_trust_anchors(&pem).map_err(|e| fail(&e))?
        }
        None => Vec::new(),
    };
    let faults = Faults {
        fail_share: a.fail_share,
        drop_after_store_share: a.drop_share,
        delay: Duration::from_millis(a.delay_ms),
    };
    let (sim, _) =
        demo_sim(&a.dir, &a.institution, a.port, anchors, faults).map_err(|e| fail(&e))?;
    ctx.say(
        "cli-hub-sim-running",
        &[
            ("url", sim.url()),
            ("pki", a.dir.join("pki").display().to_string()),
        ],
    );
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
