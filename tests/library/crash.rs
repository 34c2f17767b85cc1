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
use ikensho::store::{Durability, NewOpinion, Store, server};

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
    // A terminal of the clinic server (the folder beside it for its notes), or the file.
    let mut store = match std::env::var("IKENSHO_CRASH_SERVER_PASSWORD") {
        Ok(password) => match server::Location::parse(&db.to_string_lossy()).unwrap() {
            server::Location::Server(loc) => {
                let folder = std::env::var_os("IKENSHO_CRASH_FOLDER").unwrap();
                Store::open_server(&loc, &password, Path::new(&folder)).unwrap()
            }
            server::Location::File(path) => Store::open(&path).unwrap(),
        },
        Err(_) => Store::open(Path::new(&db)).unwrap(),
    };
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

/// A draft made by the clerk in `store`, for the children to save.
fn a_draft(p: common::People) -> i64 {
    let common::People {
        mut store, clerk, ..
    } = p;
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
}

/// Kills a saving child `kills` times at random moments; after each kill, `open` must give a
/// store whose trail is intact and whose draft holds the last save reported done (or the next).
fn kill_while_saving(
    kills: usize,
    opinion: i64,
    child_env: &[(&str, String)],
    open: &dyn Fn() -> Store,
) {
    let exe = std::env::current_exe().unwrap();
    let mut rng = fastrand::Rng::with_seed(0x1CE_5E5);
    let mut found = 0;
    for kill in 0..kills {
        let mut child = Command::new(&exe);
        child
            .args([
                "crash::crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IKENSHO_CRASH_OPINION", opinion.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in child_env {
            child.env(k, v);
        }
        let mut child = child.spawn().unwrap();
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

        let mut store = open();
        let check = store.verify_audit().unwrap();
        assert!(check.is_intact(), "kill {kill}: {:?}", check.problems);
        let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
        found = counter(&store.open_opinion(&clerk, opinion).unwrap().opinion).unwrap();
        assert!(
            found == last || found == last + 1,
            "kill {kill}: the child reported save {last} done, the store has {found}"
        );
    }
    // Every child saved at least once, carrying on from the one before.
    assert!(
        found >= kills as u64,
        "only {found} saves over {kills} children"
    );
}

#[test]
fn autosave_survives_kill_9_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let opinion = a_draft(common::people(&db, Durability::Full));
    let env = [("IKENSHO_CRASH_DB", db.display().to_string())];
    kill_while_saving(KILLS, opinion, &env, &|| {
        Store::open(&db).unwrap_or_else(|e| panic!("{e}"))
    });
}

/// The same on the clinic server: the terminal's process killed 50 times while it saves.
/// (Skipped without a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn autosave_on_the_server_survives_kill_9_at_random_moments() {
    let Some(backend) = common::Backend::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = backend.new_store(dir.path(), "crash_kill");
    let checked = store.checked_file();
    let url = store.server_location().unwrap().url();
    let opinion = a_draft(common::people_in(store));
    let common::Backend::Server { password, .. } = &backend else {
        unreachable!()
    };
    let env = [
        ("IKENSHO_CRASH_DB", url),
        ("IKENSHO_CRASH_SERVER_PASSWORD", password.clone()),
        ("IKENSHO_CRASH_FOLDER", dir.path().display().to_string()),
    ];
    kill_while_saving(50, opinion, &env, &|| checked.connect().unwrap());
}

/// The server restarted as after a power cut (`pg_ctl restart -m immediate`) while a terminal
/// saves in a loop, several times: the terminal notices, connects again and goes on; every save
/// reported done is there after each restart, never a torn draft, the chain intact. On a
/// cluster of its own (a restart would cut the other tests' connections).
#[test]
fn autosave_on_the_server_survives_immediate_restarts() {
    let Some((_, _)) = common::test_cluster() else {
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-test-cluster");
    let cluster = tempfile::tempdir().unwrap();
    // The cluster's user (postgres, when this runs as root) must reach its folder.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(cluster.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = |what: &str| {
        let out = Command::new("bash")
            .arg(&script)
            .arg(what)
            .arg(cluster.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("start");
    struct Stop<'a>(&'a dyn Fn(&str));
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            (self.0)("stop");
        }
    }
    let _stop = Stop(&run);
    let env = std::fs::read_to_string(cluster.path().join("env")).unwrap();
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap()
            .trim_matches('\'')
            .to_owned()
    };
    let server::Location::Server(loc) =
        server::Location::parse(&var("IKENSHO_TEST_PG_URL")).unwrap()
    else {
        unreachable!()
    };
    let backend = common::Backend::Server {
        loc,
        terminals: var("IKENSHO_TEST_PG_TERMINAL"),
        password: var("IKENSHO_TEST_PG_PASSWORD"),
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = backend.new_store(dir.path(), "crash_restart");
    let checked = store.checked_file();
    let opinion = a_draft(common::people_in(store));
    let mut store = checked.connect().unwrap();
    let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
    let opened = store.open_opinion(&clerk, opinion).unwrap();
    let (version, mut op, mut revision) =
        (opened.version.id, opened.opinion, opened.version.revision);
    let mut done = 0u64;
    let mut lost = 0;
    for restart in 0..5 {
        let restarter = std::thread::spawn({
            let run_restart = script.clone();
            let at = cluster.path().to_path_buf();
            move || {
                std::thread::sleep(Duration::from_millis(300));
                let out = Command::new("bash")
                    .arg(&run_restart)
                    .arg("restart")
                    .arg(&at)
                    .output()
                    .unwrap();
                let log = std::fs::read_to_string(at.join("run/log")).unwrap_or_default();
                assert!(
                    out.status.success(),
                    "{}\n{}",
                    String::from_utf8_lossy(&out.stderr),
                    log.lines().rev().take(15).collect::<Vec<_>>().join("\n")
                );
            }
        });
        // Save in a loop through the restart, until some saves went through after it.
        let mut after = 0;
        while after < 20 {
            let n = done + 1;
            stamp(&mut op, n);
            match store.autosave(&clerk, version, revision, &op) {
                Ok(saved) => {
                    revision = saved.revision;
                    done = n;
                    if restarter.is_finished() {
                        after += 1;
                    }
                }
                Err(e) if e.is_server_lost() => {
                    lost += 1;
                    // Back when the server is: the draft holds the last save done, or this
                    // one if its commit went through before the connection was cut.
                    while store.reconnect().is_err() {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    let there = store.open_opinion(&clerk, opinion).unwrap();
                    let found = counter(&there.opinion).unwrap_or(0);
                    assert!(
                        found == done || found == n,
                        "restart {restart}: save {done} was done, the server has {found}"
                    );
                    revision = there.version.revision;
                    done = found;
                    op = there.opinion;
                }
                Err(e) => panic!("restart {restart}: {e}"),
            }
        }
        restarter.join().unwrap();
        let check = store.verify_audit().unwrap();
        assert!(check.is_intact(), "restart {restart}: {:?}", check.problems);
    }
    assert!(lost >= 5, "every restart was met by a save ({lost})");
    let found = counter(&store.open_opinion(&clerk, opinion).unwrap().opinion).unwrap();
    assert_eq!(found, done);
}
