//! Encryption at rest on real files: what a copied store or backup shows to `sqlite3` and to a
//! byte search, where the key is kept, the recovery key, a re-key, a passphrase, and a store
//! from before encryption.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::path::Path;
use std::process::Command;

use ikensho::store::atrest::{self, DataKey, Keeping};
use ikensho::store::{BackupFile, Durability, Store, StoreError, Unlock};

use common::PASSWORD;

/// The example applicant's name and 被保険者番号 as stored (UTF-8), and the 保険者番号.
const SECRETS: [&str; 3] = ["山田 花子", "０００００１２３４５", "131011"];

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file in `dir` (not in sub-folders), by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_copied_store_and_its_backup_show_no_name_and_no_insured_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Full);
    common::store_example(&mut c, false);
    let backup = dir.path().join("backup.sqlite");
    c.store.backup(&c.admin, &backup).unwrap();
    assert!(c.store.is_encrypted());
    // While the program has it open: the store, its WAL and the backup.
    let seen = files(dir.path());
    assert!(
        seen.iter().any(|(n, _)| n == "ikensho.sqlite-wal"),
        "{seen:?}"
    );
    for (name, bytes) in &seen {
        for s in SECRETS {
            assert!(!contains(bytes, s), "{s} readable in {name}");
        }
        if name.ends_with(".sqlite") || name.ends_with("-wal") {
            assert!(
                !contains(bytes, "SQLite format 3"),
                "{name} is plain SQLite"
            );
        }
    }
    // The key is not beside the data: the description names it, never holds it.
    let key = atrest::kept_key(&db).unwrap().unwrap();
    let description = std::fs::read_to_string(dir.path().join("ikensho.sqlite.keys")).unwrap();
    assert!(description.contains(&key.id()));
    assert!(!description.contains(&key.pragma_text()[2..66]));
    drop(c);
    // The sqlite3 shell of another machine sees no database.
    for file in [&db, &backup] {
        let out = Command::new("sqlite3")
            .arg(file)
            .arg("SELECT count(*) FROM opinions;")
            .output()
            .expect("the sqlite3 shell is installed (apt-get install sqlite3)");
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a database"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Nor does this program without the key: a copy without its key file is named as such.
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("ikensho.sqlite");
    std::fs::copy(&db, &copy).unwrap();
    assert!(matches!(
        Store::open(&copy),
        Err(StoreError::KeyMissing { .. })
    ));
}

#[cfg(unix)]
#[test]
fn the_key_file_is_the_owners_only_in_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("ikensho.sqlite");
    let keys = dir.path().join("keys");
    let (store, key) = Store::create(&db, &Keeping::KeyFolder(keys.clone()), None).unwrap();
    drop(store);
    let file = keys.join(format!("ikensho-{}.key", key.id()));
    assert_eq!(common::mode(&keys), 0o700);
    assert_eq!(common::mode(&file), 0o600);
    let at = atrest::kept_at(&db).unwrap().unwrap();
    assert_eq!(at.key_file.as_deref(), Some(file.as_path()));
    assert_eq!(at.key_id, key.id());
    assert_eq!(
        common::mode(&dir.path().join("data").join("ikensho.sqlite.keys")),
        0o600
    );
}

#[test]
fn a_lost_key_is_named_and_the_recovery_key_opens_the_store_and_keeps_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let keys = dir.path().join("keys");
    let (mut store, key) = Store::create(&db, &Keeping::KeyFolder(keys.clone()), None).unwrap();
    store
        .add_first_admin(&ikensho::store::NewUser {
            login: "kanri",
            name: "管理 者",
            roles: &[ikensho::store::Role::Admin],
            password: PASSWORD,
        })
        .unwrap();
    let recovery = key.recovery_key();
    drop(store);
    std::fs::remove_dir_all(&keys).unwrap();
    assert!(matches!(
        Store::open(&db),
        Err(StoreError::KeyMissing { .. })
    ));
    // The recovery key as written down, in lower case with spaces.
    let typed = recovery.to_lowercase().replace('-', " ");
    let back = DataKey::from_recovery_key(&typed).unwrap();
    let other = DataKey::generate();
    assert!(matches!(
        Store::open_unlocked(&db, Unlock::Key(&other), Durability::Full),
        Err(StoreError::WrongKey { .. })
    ));
    let mut store = Store::open_unlocked(&db, Unlock::Key(&back), Durability::Full).unwrap();
    let admin = store.sign_in("kanri", PASSWORD).unwrap();
    let new_folder = dir.path().join("new-keys");
    store
        .keep_key(&admin, &Keeping::KeyFolder(new_folder.clone()), None)
        .unwrap();
    drop(store);
    let store = Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    assert!(
        new_folder
            .join(format!("ikensho-{}.key", key.id()))
            .exists()
    );
}

#[test]
fn a_passphrase_is_asked_for_and_a_wrong_one_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    assert!(matches!(
        Store::create(&db, &Keeping::Passphrase, Some("short")),
        Err(StoreError::WeakPassphrase)
    ));
    assert!(!db.exists(), "a refused set-up leaves no file");
    let phrase = "さくら内科の診察室は二階";
    drop(Store::create(&db, &Keeping::Passphrase, Some(phrase)).unwrap());
    assert!(atrest::needs_passphrase(&db));
    assert!(matches!(
        Store::open(&db),
        Err(StoreError::PassphraseNeeded)
    ));
    assert!(matches!(
        Store::open_unlocked(
            &db,
            Unlock::Passphrase("さくら内科の診察室は三階"),
            Durability::Full
        ),
        Err(StoreError::WrongPassphrase)
    ));
    let store = Store::open_unlocked(&db, Unlock::Passphrase(phrase), Durability::Full).unwrap();
    assert!(store.is_encrypted());
    // Nothing of the passphrase or the key is in the description.
    let description = std::fs::read_to_string(dir.path().join("ikensho.sqlite.keys")).unwrap();
    assert!(!description.contains(phrase));
}

#[test]
fn a_rekey_changes_the_key_and_an_older_backup_needs_its_own_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Full);
    let (opinion, _) = common::store_example(&mut c, false);
    let old_key = atrest::kept_key(&db).unwrap().unwrap();
    let old_file = atrest::kept_at(&db).unwrap().unwrap().key_file.unwrap();
    let before = dir.path().join("before-rekey.sqlite");
    c.store.backup(&c.admin, &before).unwrap();

    // A clerk may not re-key.
    assert!(matches!(
        c.store.rekey(&c.clerk, &common::keeping(&db), None),
        Err(StoreError::Refused { .. })
    ));
    let new_key = c
        .store
        .rekey(&c.admin, &common::keeping(&db), None)
        .unwrap();
    assert_ne!(new_key, old_key);
    assert!(!old_file.exists(), "the old key file is gone");
    assert_eq!(atrest::kept_key(&db).unwrap().unwrap(), new_key);
    // The same connection goes on working; a new one opens with the new key only.
    assert!(c.store.open_opinion(&c.doctor, opinion).is_ok());
    drop(c);
    let mut store = Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    assert!(store.open_opinion(&doctor, opinion).is_ok());
    drop(store);
    assert!(matches!(
        Store::open_unlocked(&db, Unlock::Key(&old_key), Durability::Full),
        Err(StoreError::WrongKey { .. })
    ));

    // The backup from before: the live key does not open it; its own recovery key does, and the
    // restored store is under the live key.
    let restore = |key: Option<&DataKey>| {
        Store::restore(
            &db,
            Unlock::Kept,
            BackupFile { path: &before, key },
            "kanri",
            PASSWORD,
            &common::keeping(&db),
        )
    };
    assert!(matches!(restore(None), Err(StoreError::WrongKey { .. })));
    let old = DataKey::from_recovery_key(&old_key.recovery_key()).unwrap();
    restore(Some(&old)).unwrap();
    let mut store = Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    assert!(store.open_opinion(&doctor, opinion).is_ok());
    assert_eq!(atrest::kept_key(&db).unwrap().unwrap(), new_key);
}

/// A store written before encryption (a plain SQLite file) still opens, and a re-key encrypts it.
#[test]
fn a_plain_store_from_before_encryption_opens_and_a_rekey_encrypts_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Full);
    let (opinion, _) = common::store_example(&mut c, false);
    drop(c);
    // Write it out as a plain file, the way stores were before.
    let plain = dir.path().join("plain").join("ikensho.sqlite");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    common::export_plain(&db, &plain);
    assert!(atrest::is_plain(&plain));
    assert!(contains(&std::fs::read(&plain).unwrap(), SECRETS[0]));

    let mut store = Store::open(&plain).unwrap();
    assert!(!store.is_encrypted());
    let admin = store.sign_in("kanri", PASSWORD).unwrap();
    let key = store.rekey(&admin, &common::keeping(&plain), None).unwrap();
    assert!(store.is_encrypted());
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    assert!(store.open_opinion(&doctor, opinion).is_ok());
    drop(store);
    assert!(!atrest::is_plain(&plain));
    for (name, bytes) in files(plain.parent().unwrap()) {
        assert!(
            !contains(&bytes, SECRETS[0]),
            "the name is readable in {name}"
        );
    }
    let mut store = Store::open(&plain).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    assert_eq!(atrest::kept_key(&plain).unwrap().unwrap(), key);
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    assert!(store.open_opinion(&doctor, opinion).is_ok());
}

#[test]
fn a_restore_onto_a_new_pc_takes_the_backups_key_from_its_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old").join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Full);
    let (opinion, _) = common::store_example(&mut c, false);
    let backup = dir.path().join("usb").join("backup.sqlite");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    c.store.backup(&c.admin, &backup).unwrap();
    let recovery = atrest::kept_key(&db).unwrap().unwrap().recovery_key();
    drop(c);

    let new_pc = dir.path().join("new").join("ikensho.sqlite");
    let keeping = Keeping::KeyFolder(dir.path().join("new-keys"));
    let key = DataKey::from_recovery_key(&recovery).unwrap();
    let from = |key| BackupFile { path: &backup, key };
    // Without the recovery key there is nothing to open it with.
    assert!(matches!(
        Store::restore(
            &new_pc,
            Unlock::Kept,
            from(None),
            "kanri",
            PASSWORD,
            &keeping
        ),
        Err(StoreError::KeyMissing { .. })
    ));
    // The backup's own administrator is asked for (there is no live store).
    assert!(matches!(
        Store::restore(
            &new_pc,
            Unlock::Kept,
            from(Some(&key)),
            "kanri",
            "wrong password",
            &keeping
        ),
        Err(StoreError::SignIn)
    ));
    let r = Store::restore(
        &new_pc,
        Unlock::Kept,
        from(Some(&key)),
        "kanri",
        PASSWORD,
        &keeping,
    )
    .unwrap();
    assert_eq!(r.new_key, None);
    let mut store = Store::open(&new_pc).unwrap();
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    assert!(store.open_opinion(&doctor, opinion).is_ok());
    assert!(store.verify_audit().unwrap().is_intact());
}
