//! Secrets in the window: the passphrase screen of a store kept behind one, and what is left of a
//! PIN in the program's memory after a signature.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ikensho::i18n::Lang;
use ikensho::store::atrest::Keeping;
use ikensho::store::{NewUser, Role as UserRole, Store};
use ikensho_app::app::Screen;
use ikensho_app::app::lock::{Behind, Root};
use zeroize::Zeroize;

use common::ui::*;

const PHRASE: &str = "診察室の窓から桜が見える";

#[test]
fn a_store_behind_a_passphrase_opens_in_the_window_only_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let (mut store, _) = Store::create(&db, &Keeping::Passphrase, Some(PHRASE)).unwrap();
    store
        .add_first_admin(&NewUser {
            login: "kanri",
            name: "管理 者",
            roles: &[UserRole::Admin],
            password: "admin-password-1",
        })
        .unwrap();
    drop(store);
    let data = dir.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(40)
        .build_eframe(move |cc| {
            Root::locked(
                &cc.egui_ctx,
                Behind::Passphrase(db.clone()),
                Lang::Ja,
                move |s| ikensho_app::app::Services::from_store(s, &data),
            )
        });
    h.run();
    assert!(h.state().app().is_none());
    let field = |h: &Harness<'_, Root>| {
        h.get_by_role_and_label(Role::PasswordInput, "データのパスフレーズ")
            .rect()
    };
    // Reachable and visible.
    let r = field(&h);
    assert!(
        r.min.x >= 0.0 && r.max.x <= 1280.0 && r.max.y <= 860.0,
        "{r:?}"
    );
    h.get_by_role_and_label(Role::PasswordInput, "データのパスフレーズ")
        .type_text("診察室の窓から梅が見える");
    h.step();
    h.get_by_label("開く").click();
    h.run();
    assert!(h.state().app().is_none());
    h.get_by_label_contains("パスフレーズが違います");
    h.get_by_role_and_label(Role::PasswordInput, "データのパスフレーズ")
        .type_text(PHRASE);
    h.step();
    h.key_press(egui::Key::Enter);
    h.run();
    let app = h.state().app().expect("the store opened");
    assert_eq!(app.screen, Screen::SignIn);
    h.get_by_role_and_label(Role::TextInput, "ログインID");
}

/// A terminal of the clinic server whose database password is not kept (a Linux terminal after
/// a restart): the window asks for it, says a wrong one is wrong, and opens on the right one.
/// (Skipped without a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn a_server_store_asks_the_terminals_password_in_the_window() {
    let Some(backend) = ikensho_testkit::fixtures::Backend::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = backend.new_store(dir.path(), "window_password");
    let people = ikensho_testkit::fixtures::people_in(store);
    let ikensho_testkit::fixtures::Backend::Server { password, .. } = &backend else {
        unreachable!()
    };
    let there = people.store.server_location().unwrap().clone();
    drop(people);
    let data = dir.path().to_path_buf();
    let folder = data.clone();
    let at = there.clone();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 700.0))
        .with_max_steps(40)
        .build_eframe(move |cc| {
            let mut root = Root::locked(
                &cc.egui_ctx,
                Behind::Server(at.clone(), folder.clone()),
                Lang::Ja,
                move |s| ikensho_app::app::Services::from_store(s, &data),
            );
            // Not kept in this machine's credential store by the test.
            if let Root::Locked(l) = &mut root {
                l.remember_password(false);
            }
            root
        });
    h.run();
    assert!(h.state().app().is_none());
    h.get_by_label(&there.display());
    let label = "端末のデータベースパスワード";
    let r = h.get_by_role_and_label(Role::PasswordInput, label).rect();
    assert!(
        r.min.x >= 0.0 && r.max.x <= 1024.0 && r.max.y <= 700.0,
        "{r:?}"
    );
    h.get_by_role_and_label(Role::PasswordInput, label)
        .type_text("not the password");
    h.step();
    h.get_by_label("開く").click();
    h.run();
    assert!(h.state().app().is_none());
    h.get_by_label_contains("パスワードを受け付けませんでした");
    h.get_by_role_and_label(Role::PasswordInput, label)
        .type_text(password);
    h.step();
    h.key_press(egui::Key::Enter);
    h.run();
    let app = h.state().app().expect("the store opened");
    assert_eq!(app.screen, Screen::SignIn);
}

/// Every readable and writable mapping of this process, as a core dump (`gcore`) would hold
/// it: the heap, the stacks, the threads' arenas.
#[cfg(target_os = "linux")]
const MASK: u8 = 0x5A;

/// Where in this process's memory `masked` (each byte XOR [`MASK`]) is found unmasked.
#[cfg(target_os = "linux")]
fn process_memory_contains(masked: &[u8]) -> Vec<String> {
    let is_needle = |w: &[u8]| w.iter().zip(masked).all(|(a, b)| a ^ MASK == *b);
    let needle_len = masked.len();
    use std::io::{Read, Seek, SeekFrom};
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let mut mem = std::fs::File::open("/proc/self/mem").unwrap();
    let mut found = Vec::new();
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = parts.nth(3).unwrap_or("");
        if !perms.starts_with("rw") || name.starts_with("[v") {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let start = u64::from_str_radix(start, 16).unwrap();
        let end = u64::from_str_radix(end, 16).unwrap();
        let mut at = start;
        let mut carry: Vec<u8> = Vec::new();
        while at < end {
            let len = (end - at).min(1 << 20) as usize;
            let mut buf = vec![0u8; len];
            if mem.seek(SeekFrom::Start(at)).is_err() || mem.read_exact(&mut buf).is_err() {
                break;
            }
            let mut window = std::mem::take(&mut carry);
            window.extend_from_slice(&buf);
            if window.windows(needle_len).any(is_needle) {
                found.push(line.to_owned());
                break;
            }
            carry = window[window.len().saturating_sub(needle_len)..].to_vec();
            at += len as u64;
        }
    }
    found
}

/// After a signature in the running program, its memory holds the PIN nowhere: not in the
/// field (no undo history, wiped), not in the job that carried it to the card, not in the APDU.
#[cfg(target_os = "linux")]
#[test]
fn after_a_signature_the_pin_is_nowhere_in_the_programs_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    // A 10-digit PIN, made at run time (a literal would sit in the test binary's data).
    let mut pin: String = (0..10u8)
        .map(|i| char::from(b'0' + (i * 7 + 3) % 10))
        .collect();
    let mut card = ikensho_testkit::virt::VirtualCard::open(&dir.path().join("card")).unwrap();
    card.set_pin(&pin).unwrap();
    drop(card);
    complete_second_insured(dir.path());
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "鈴木 次郎");
    to_review(&mut h, false);
    h.get_by_label("確定して署名・送信").click();
    h.run_steps(3);
    wait_until(&mut h, "the card status", |a| a.review.card.is_some());
    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    // One key at a time, as typed.
    for c in pin.chars() {
        h.get_by_role_and_label(Role::PasswordInput, "PIN")
            .type_text(&c.to_string());
        h.step();
    }
    // The PIN kept masked while the memory is searched (the search must not find itself).
    let masked: Vec<u8> = pin.bytes().map(|b| b ^ MASK).collect();
    pin.zeroize();
    // The search finds it while it is in the field.
    assert!(!process_memory_contains(&masked).is_empty());
    h.get_by_label("署名して送信").click();
    h.step();
    wait_until(&mut h, "the signature", |a| {
        a.screen == Screen::Outbox && !a.review.signing
    });
    h.run();
    let found = process_memory_contains(&masked);
    assert!(
        found.is_empty(),
        "the PIN is still in memory at: {found:#?}"
    );
}
