//! Autosave against `kill -9`: a child process saves a draft in a loop and is killed at random
//! moments. After every kill the file opens (which runs `integrity_check`), the audit chain is
//! intact, and the draft holds the last save the child reported as done (or the one after it,
//! which may have committed before the report went out), never a mix of two saves.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use ikensho::form::{Answer, Applicant, Opinion};
use ikensho::store::{Durability, NewOpinion, Store};

use ikensho_testkit::fixtures as common;

use common::PASSWORD;
const KILLS: usize = 60;

/// The two items every save writes with the same counter: a torn save would show two numbers.
fn stamp(op: &mut Opinion, n: u64) {
    op.answers
        .insert("diagnosis-2", Answer::Text(format!("保存 {n}")));
    op.answers.insert(
        "diagnosis-3",
        Answer::Text(format!("保存 {n} {}", "。".repeat((n % 50) as usize))),
    );
}

fn counter(op: &Opinion) -> Option<u64> {
    let a = match op.answers.get("diagnosis-2") {
        Some(Answer::Text(t)) => t.strip_prefix("保存 ")?.parse::<u64>().ok()?,
        _ => return None,
    };
    let b = match op.answers.get("diagnosis-3") {
        Some(Answer::Text(t)) => t
            .strip_prefix("保存 ")?
            .split(' ')
            .next()?
            .parse::<u64>()
            .ok()?,
        _ => return None,
    };
    assert_eq!(a, b, "a torn draft: two items from different saves");
    Some(a)
}

/// The child: saves forever, printing `saved N` after each save returned.
#[test]
#[ignore = "the child of autosave_survives_kill_9_at_random_moments"]
fn crash_child() {
    let (Some(db), Some(opinion)) = (
        std::env::var_os("IKENSHO_CRASH_DB"),
        std::env::var("IKENSHO_CRASH_OPINION").ok(),
    ) else {
        return;
    };
    let mut store = Store::open(Path::new(&db)).unwrap();
    let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
    let opened = store
        .open_opinion(&clerk, opinion.parse().unwrap())
        .unwrap();
    let mut op = opened.opinion;
    let mut revision = opened.version.revision;
    let mut n = counter(&op).unwrap_or(0);
    loop {
        n += 1;
        stamp(&mut op, n);
        revision = store
            .autosave(&clerk, opened.version.id, revision, &op)
            .unwrap()
            .revision;
        println!("saved {n}");
    }
}

#[test]
fn autosave_survives_kill_9_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let opinion = {
        let common::People {
            mut store, clerk, ..
        } = common::people(&db, Durability::Full);
        let applicant = Applicant {
            name: "試験 太郎".into(),
            ..Default::default()
        };
        let new = NewOpinion {
            applicant,
            ..Default::default()
        };
        store
            .create_opinion(&clerk, new, jiff::civil::date(2026, 11, 21))
            .unwrap()
            .opinion_id
    };
    let exe = std::env::current_exe().unwrap();
    let mut rng = fastrand::Rng::with_seed(0x1CE_5E5);
    let mut found = 0;
    for kill in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "crash::crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IKENSHO_CRASH_DB", &db)
            .env("IKENSHO_CRASH_OPINION", opinion.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("saved ") {
                    let _ = tx.send(n.parse::<u64>().unwrap());
                }
            }
        });
        // Wait for the first save, then let it run for a random while before the kill.
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the child saves");
        std::thread::sleep(Duration::from_micros(rng.u64(0..40_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        let last = rx.try_iter().last().unwrap_or(first);

        let mut store = Store::open(&db).unwrap_or_else(|e| panic!("kill {kill}: {e}"));
        let check = store.verify_audit().unwrap();
        assert!(check.is_intact(), "kill {kill}: {:?}", check.problems);
        let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
        found = counter(&store.open_opinion(&clerk, opinion).unwrap().opinion).unwrap();
        assert!(
            found == last || found == last + 1,
            "kill {kill}: the child reported save {last} done, the file has {found}"
        );
    }
    // Every child saved at least once, carrying on from the one before.
    assert!(
        found >= KILLS as u64,
        "only {found} saves over {KILLS} children"
    );
}
