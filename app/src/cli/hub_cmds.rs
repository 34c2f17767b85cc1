//! `ikensho hub-sim`: the hub simulator on loopback, for the demo and for trying the client.

use std::path::PathBuf;
use std::time::Duration;

use super::card_cmds::pem_certificates;
use super::error::{CliError, Outcome};
use super::store_cmds::Ctx;
use ikensho_testkit::demo::{INSTITUTION, demo_sim};
use ikensho_testkit::sim::Faults;

#[derive(clap::Args, Debug)]
pub struct HubSimArgs {
    /// The simulator's folder: its test PKI (made on first run) and its SQLite store.
    dir: PathBuf,
    /// Port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 8443)]
    port: u16,
    /// The institution code (医療機関コード) of the terminal certificate made on first run.
    #[arg(long, default_value = INSTITUTION)]
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

pub fn hub_sim(ctx: &Ctx<'_>, a: HubSimArgs) -> Outcome {
    let anchors = match &a.hpki_trust {
        Some(p) => pem_certificates(p)?,
        None => Vec::new(),
    };
    let faults = Faults {
        fail_share: a.fail_share,
        drop_after_store_share: a.drop_share,
        delay: Duration::from_millis(a.delay_ms),
    };
    let (sim, _) =
        demo_sim(&a.dir, &a.institution, a.port, anchors, faults).map_err(CliError::HubSim)?;
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
