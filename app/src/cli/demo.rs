//! `ikensho demo`: the whole way on one machine with no card, no certificate and no hub. The
//! demo world (people, clinic, test PKI, virtual card, hub simulator) is the test kit's
//! ([`ikensho_testkit::demo`]); here it becomes the window's services.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::{CliError, Outcome};
use super::exit;
use super::store_cmds::Ctx;
use crate::app::Services;
use crate::app::work::pem_chain;
use crate::store::Store;
use ikensho_testkit::demo::{DEMO_PASSWORD, DEMO_PIN, DemoError, DemoWorld};
use ikensho_testkit::sim::Simulator;
use ikensho_testkit::virt::VirtualSource;

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

/// A demo folder ready to open: its simulator running, its store, and the services of the window.
pub struct Demo {
    pub sim: Simulator,
    pub store: Store,
    pub services: Services,
    /// The drafts made from the hub's open requests on this run.
    pub made: Vec<i64>,
}

/// The demo world in `dir` (made on first run), with the window's services: the simulator as the
/// hub and the virtual card as the card.
pub fn prepare(dir: &Path) -> Result<Demo, DemoError> {
    let DemoWorld {
        sim,
        store,
        hub,
        card_dir,
        chain_pem,
        made,
    } = ikensho_testkit::demo::prepare(dir)?;
    let services = Services {
        data_dir: dir.to_path_buf(),
        hub: Some(hub),
        hub_problem: None,
        card: Arc::new(VirtualSource { dir: card_dir }),
        from_settings: false,
        chain: pem_chain(&chain_pem),
        poll: std::time::Duration::from_secs(2),
        picker: Arc::new(crate::app::pick::NativePicker),
        card_given: true,
    };
    Ok(Demo {
        sim,
        store,
        services,
        made,
    })
}

/// How long the demo's municipality takes to decide on an opinion it received.
const DECIDES_AFTER_SECS: u64 = 5;

pub fn demo(ctx: &Ctx<'_>, a: DemoArgs) -> Outcome {
    let Some(dir) = demo_dir(ctx) else {
        return Err(CliError::said(exit::USAGE, "cli-no-data-dir", &[]));
    };
    if !a.no_window && !super::has_display() {
        // Say it in words before anything is prepared, rather than a windowing error after.
        return Err(CliError::said(exit::FAILED, "cli-no-display", &[]));
    }
    let mut demo = prepare(&dir)?;
    // The municipality decides a few seconds after each receipt: 受理 and 差し戻し both show.
    demo.sim
        .decide_by_itself(std::time::Duration::from_secs(DECIDES_AFTER_SECS));
    ctx.say(
        "cli-demo-ready",
        &[
            ("dir", dir.display().to_string()),
            ("url", demo.sim.url()),
            ("password", DEMO_PASSWORD.to_owned()),
            ("pin", DEMO_PIN.to_owned()),
            ("drafts", demo.made.len().to_string()),
            ("seconds", DECIDES_AFTER_SECS.to_string()),
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
    crate::app::run(store, ctx.lang, services)?;
    drop(sim);
    Ok(exit::CLEAN)
}
