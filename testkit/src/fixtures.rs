//! Fixtures shared by the tests: the example opinions (`tests/data`), a fixed "today", a store
//! with its people, and helpers around them. Test code: it panics on what should not happen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ikensho::form::{Answer, Context, DateInput, FormDef, FormVersion, Opinion};
use ikensho::store::atrest::{self, Keeping};
use ikensho::store::{Durability, NewUser, Role, Session, Store};

/// The day the examples are checked on, so the tests do not depend on the clock.
pub fn today() -> Context {
    Context::new(jiff::civil::date(2026, 11, 21))
}

pub fn form(version: FormVersion) -> &'static FormDef {
    FormDef::builtin(version).expect("built-in form loads")
}

pub fn read(name: &str) -> Opinion {
    let path = format!("{}/../tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("example file");
    Opinion::from_json(&text).expect("example is readable")
}

/// A complete opinion for a 第1号 applicant (85 years old), R8 form.
pub fn first_insured() -> Opinion {
    read("valid-first-insured.json")
}

/// A complete opinion for a 第2号 applicant (61, 脳血管疾患), R8 form.
pub fn second_insured() -> Opinion {
    read("valid-second-insured.json")
}

/// The 第1号 opinion written on 令和8年3月20日, on the R3 form (with the consent line).
pub fn r3_first_insured() -> Opinion {
    let mut op = first_insured();
    op.form_version = FormVersion::R3;
    op.answers
        .insert("written-date", answer_date("reiwa", "8", "3", "20"));
    op.answers
        .insert("last-exam-date", answer_date("reiwa", "8", "3", "10"));
    op.answers
        .insert("applicant-age", Answer::Text("84".into()));
    op.answers.insert("consent", Answer::Text("agree".into()));
    if let Some(r) = op.request.as_mut() {
        r.application_date = "2026-03-01".into();
        r.requested_date = "2026-03-02".into();
        r.due_date = "2026-03-16".into();
    }
    op
}

pub fn answer_date(era: &str, y: &str, m: &str, d: &str) -> Answer {
    Answer::Date(DateInput::new(era, y, m, d))
}

/// Where the tests keep a store's data key: a key file in `keys` beside the store.
pub fn keeping(path: &Path) -> Keeping {
    Keeping::KeyFolder(path.parent().unwrap_or(Path::new(".")).join("keys"))
}

/// A new, empty (encrypted) store at `path`, its key kept as [`keeping`] says.
pub fn new_store(path: &Path) -> Store {
    new_store_with(path, Durability::Full)
}

/// [`new_store`] with a chosen durability.
pub fn new_store_with(path: &Path, durability: Durability) -> Store {
    Store::create_with(path, &keeping(path), None, durability)
        .unwrap()
        .0
}

/// A connection to the store file at `path` that goes around the program: SQLCipher with the
/// store's kept key (a plain file opens as it is), what anyone who holds the key can do with
/// any SQLite tool. Triggers in the file still fire.
/// A copy without a key of its own (a backup) takes the key of the test's store, `ikensho.sqlite`
/// in the same folder or the one above.
pub fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    let store = [path.parent(), path.parent().and_then(Path::parent)]
        .into_iter()
        .flatten()
        .map(|d| d.join("ikensho.sqlite"));
    let key = std::iter::once(path.to_path_buf())
        .chain(store)
        .find_map(|p| atrest::kept_key(&p).ok().flatten());
    if let Some(key) = key.filter(|_| !atrest::is_plain(path)) {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", &*key.pragma_text()))
            .unwrap();
    }
    conn
}

/// Writes the store at `from` out as a plain (unencrypted) SQLite file at `to`: a store as they
/// were before encryption, for the tests of that path and the benchmarks' baseline.
pub fn export_plain(from: &Path, to: &Path) {
    let conn = raw(from);
    conn.execute(
        "ATTACH DATABASE ?1 AS p KEY ''",
        [to.to_string_lossy().as_ref()],
    )
    .unwrap();
    conn.query_row("SELECT sqlcipher_export('p')", [], |_| Ok(()))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA p.user_version = {version}; PRAGMA p.application_id = {app}; DETACH p;"
    ))
    .unwrap();
}

/// Runs `sql` on the store at `path` around the program (see [`raw`]).
pub fn outside(path: &Path, sql: &str) -> rusqlite::Result<()> {
    raw(path).execute_batch(sql)
}

/// Restores the backup `copy` (made under the live store's key) into the store at `live`.
pub fn restore(
    live: &Path,
    copy: &Path,
    login: &str,
    password: &str,
) -> Result<ikensho::store::Restored, ikensho::store::StoreError> {
    Store::restore(
        live,
        ikensho::store::Unlock::Kept,
        ikensho::store::BackupFile {
            path: copy,
            key: None,
        },
        login,
        password,
        &keeping(live),
    )
}

/// Opens a copy of the store at `of` (a backup, the copy kept at a restore) with that store's key.
/// It opens a duplicate of the file (`<copy>.inspected`): signing in writes to the trail, and the
/// backup itself stays as its manifest says.
pub fn open_copy(copy: &Path, of: &Path) -> Store {
    let key = atrest::kept_key(of).unwrap().unwrap();
    let inspected = ikensho::files::with_suffix(copy, ".inspected");
    std::fs::copy(copy, &inspected).unwrap();
    Store::open_unlocked(
        &inspected,
        ikensho::store::Unlock::Key(&key),
        Durability::Full,
    )
    .unwrap()
}

/// The certificate the tests' physician (佐藤 一郎) signs with, as the store sees it: its bytes
/// (only hashed) and its name.
pub fn card_cert() -> ikensho::store::SignerCert<'static> {
    ikensho::store::SignerCert {
        der: b"the test physician's certificate",
        name: "佐藤 一郎",
    }
}

/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery";

/// A store with one person of each role: 管理 者 (`kanri`), 佐藤 一郎 (`sato`, physician),
/// 鈴木 事務 (`suzuki`, clerk), all signed in.
pub struct People {
    pub store: Store,
    pub admin: Session,
    pub doctor: Session,
    pub clerk: Session,
}

pub fn people(path: &Path, durability: Durability) -> People {
    people_in(new_store_with(path, durability))
}

/// Where a store under test lives: the embedded file, or a database of the test cluster.
#[derive(Debug, Clone)]
pub enum Backend {
    File,
    Server {
        /// The tables' owner (who sets a database up), as `ikensho store init` is run.
        loc: ikensho::store::server::ServerLocation,
        /// The role the terminals connect as (rows only).
        terminals: String,
        /// Both roles' password in the test cluster.
        password: String,
    },
}

impl Backend {
    /// The server, when there is a test cluster (`None`: the test is skipped, unless
    /// `IKENSHO_REQUIRE_PG` makes that a failure).
    pub fn server() -> Option<Backend> {
        test_cluster().map(|(loc, password)| Backend::Server {
            loc,
            terminals: terminal_role(),
            password,
        })
    }

    /// A new, empty store: `ikensho.sqlite` in `dir`, or a new database `name` on the server
    /// (set up as `ikensho store init` does) with `dir` as this terminal's data folder; and a
    /// way around the program to the same database.
    pub fn new_store(&self, dir: &Path, name: &str) -> (Store, Raw) {
        match self {
            Backend::File => {
                let path = dir.join("ikensho.sqlite");
                (new_store(&path), Raw::File(path))
            }
            Backend::Server {
                loc,
                terminals,
                password,
            } => {
                let loc = fresh_database(loc, password, name);
                ikensho::store::server::init(&loc, password, terminals).unwrap();
                let store = Store::open_server(&as_role(&loc, terminals), password, dir).unwrap();
                (store, Raw::Server(loc, password.clone()))
            }
        }
    }

    /// Whether this is the server.
    pub fn is_server(&self) -> bool {
        matches!(self, Backend::Server { .. })
    }
}

/// The store's database reached around the program, as anyone holding its key (the file) or
/// the role's password (the server) could: SQL with its values written in.
#[derive(Debug, Clone)]
pub enum Raw {
    File(std::path::PathBuf),
    Server(ikensho::store::server::ServerLocation, String),
}

impl Raw {
    /// Runs `sql` (one or more statements); the database's refusal as text.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        match self {
            Raw::File(path) => raw(path).execute_batch(sql).map_err(|e| e.to_string()),
            Raw::Server(loc, password) => ikensho::store::server::connect(loc, password)
                .unwrap()
                .batch_execute(sql)
                .map_err(|e| {
                    e.as_db_error()
                        .map_or_else(|| e.to_string(), |d| d.message().to_owned())
                }),
        }
    }

    /// The rows of `sql`, each cell as text (integers in decimal, booleans as 1 and 0, bytes as
    /// UTF-8 where they are).
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Raw::File(path) => {
                let conn = raw(path);
                let mut st = conn.prepare(sql).unwrap();
                let n = st.column_count();
                st.query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            Ok(match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => None,
                                rusqlite::types::ValueRef::Integer(i) => Some(i.to_string()),
                                rusqlite::types::ValueRef::Real(f) => Some(f.to_string()),
                                rusqlite::types::ValueRef::Text(t) => {
                                    Some(String::from_utf8_lossy(t).into_owned())
                                }
                                rusqlite::types::ValueRef::Blob(b) => {
                                    Some(String::from_utf8_lossy(b).into_owned())
                                }
                            })
                        })
                        .collect()
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
            }
            Raw::Server(loc, password) => {
                use postgres::types::Type;
                let mut client = ikensho::store::server::connect(loc, password).unwrap();
                // The extended protocol, so that each cell comes with its type: a boolean is
                // not taken for the text "t" or "f".
                client
                    .query(sql, &[])
                    .unwrap()
                    .iter()
                    .map(|r| {
                        r.columns()
                            .iter()
                            .enumerate()
                            .map(|(i, c)| match *c.type_() {
                                Type::BOOL => r
                                    .get::<_, Option<bool>>(i)
                                    .map(|b| if b { "1" } else { "0" }.to_owned()),
                                Type::INT2 => r.get::<_, Option<i16>>(i).map(|v| v.to_string()),
                                Type::INT4 => r.get::<_, Option<i32>>(i).map(|v| v.to_string()),
                                Type::INT8 => r.get::<_, Option<i64>>(i).map(|v| v.to_string()),
                                Type::BYTEA => r
                                    .get::<_, Option<Vec<u8>>>(i)
                                    .map(|b| String::from_utf8_lossy(&b).into_owned()),
                                _ => r.get::<_, Option<String>>(i),
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// The first cell of the first row of `sql`.
    pub fn one(&self, sql: &str) -> Option<String> {
        self.rows(sql)
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
    }
}

/// Runs a test written as `fn name(backend: Backend)` once on each backend: `both!(name, …)`
/// makes `name::file` and `name::server` (skipped without a test cluster, unless required).
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[test]
                fn file() {
                    super::$name($crate::fixtures::Backend::File);
                }
                #[test]
                fn server() {
                    if let Some(b) = $crate::fixtures::Backend::server() {
                        super::$name(b);
                    }
                }
            }
        )+
    };
}

/// The clinic's people (an administrator, the physician 佐藤 一郎 and the clerk 鈴木) in `store`.
pub fn people_in(mut store: Store) -> People {
    let user = |login: &'static str, name: &'static str, roles: &'static [Role]| NewUser {
        login,
        name,
        roles,
        password: PASSWORD,
    };
    store
        .add_first_admin(&user("kanri", "管理 者", &[Role::Admin]))
        .unwrap();
    let admin = store.sign_in("kanri", PASSWORD).unwrap();
    store
        .add_user(
            &admin,
            &user("sato", "佐藤 一郎", &[Role::Physician]),
            Some(PASSWORD),
        )
        .unwrap();
    store
        .add_user(&admin, &user("suzuki", "鈴木 事務", &[Role::Clerk]), None)
        .unwrap();
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
    People {
        store,
        admin,
        doctor,
        clerk,
    }
}

/// Stores the 第1号 example as a new opinion written on 2026-11-20, prepared by the clerk or by
/// the physician. Returns (opinion id, version id).
pub fn store_example(p: &mut People, by_clerk: bool) -> (i64, i64) {
    let session = if by_clerk { &p.clerk } else { &p.doctor };
    let example = first_insured();
    let draft = p
        .store
        .create_opinion(
            session,
            ikensho::store::NewOpinion {
                applicant: example.applicant.clone(),
                request: example.request.clone(),
                physician: None,
            },
            jiff::civil::date(2026, 11, 20),
        )
        .unwrap();
    p.store
        .autosave(session, draft.version_id, draft.revision, &example)
        .unwrap();
    (draft.opinion_id, draft.version_id)
}

/// Whether `openssl cms -verify` (an independent verifier) accepts the detached DER signature
/// `sig` over `doc` with the trust anchor in `root_pem`.
pub fn openssl_verify(doc: &[u8], sig: &[u8], root_pem: &Path) -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc"), doc).unwrap();
    std::fs::write(dir.path().join("sig.p7s"), sig).unwrap();
    std::process::Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(dir.path().join("sig.p7s"))
        .arg("-content")
        .arg(dir.path().join("doc"))
        .arg("-CAfile")
        .arg(root_pem)
        .args(["-out", "/dev/null"])
        .output()
        .expect("openssl is installed (apt-get install openssl)")
        .status
        .success()
}

/// An open 作成依頼 of the hub for the 第1号 example's applicant.
pub fn open_request(id: &str) -> ikensho::hub::wire::OpenRequest {
    ikensho::hub::wire::OpenRequest {
        request_id: id.into(),
        insurer_number: "131011".into(),
        insurer_name: "千代田区".into(),
        insured_number: "0000012345".into(),
        applicant: ikensho::hub::wire::Applicant {
            name: "山田 花子".into(),
            kana: "やまだ はなこ".into(),
            sex: "female".into(),
            birth_date: "1941-05-03".into(),
            postal_code: "100-0001".into(),
            address: "東京都千代田区千代田1-1".into(),
            phone: "03-0000-0000".into(),
        },
        application_kind: "new".into(),
        application_date: "2026-11-01".into(),
        requested_at: "2026-11-02T09:00:00+09:00".into(),
        due_date: "2026-11-16".into(),
        physician_name: "佐藤 一郎".into(),
    }
}

/// `n` finalised copies of the 第1号 example, each answering request `<prefix>NNNN` and queued
/// unsigned with its FHIR document.
pub fn queue_many(p: &mut People, n: usize, prefix: &str) {
    use ikensho::hub::fhir::{DocumentIds, document_bytes};
    let example = first_insured();
    let form = form(example.form_version);
    let locales = ikensho::i18n::Locales::builtin().unwrap();
    for i in 0..n {
        let req = ikensho::form::Request {
            request_id: format!("{prefix}{i:04}"),
            ..example.request.clone().unwrap()
        };
        let draft = p
            .store
            .create_opinion(
                &p.doctor,
                ikensho::store::NewOpinion {
                    applicant: example.applicant.clone(),
                    request: Some(req.clone()),
                    physician: None,
                },
                jiff::civil::date(2026, 11, 20),
            )
            .unwrap();
        let mut op = example.clone();
        op.request = Some(req);
        p.store
            .autosave(&p.doctor, draft.version_id, draft.revision, &op)
            .unwrap();
        p.store
            .finalise(&p.doctor, draft.opinion_id, &today())
            .unwrap();
        let doc = document_bytes(form, &op, &DocumentIds::new_now(), locales);
        p.store
            .queue_for_sending(&p.doctor, draft.opinion_id, Some(&doc))
            .unwrap();
    }
}

/// A hub client for `url` trusting `pki`'s CA and presenting its terminal certificate.
pub fn hub_client(pki: &crate::hub_pki::HubPki, url: &str) -> ikensho::hub::client::HubClient {
    let (cert, key) = crate::hub_pki::der_pair(&pki.terminal).unwrap();
    let ca = der::EncodePem::to_pem(&pki.ca.cert, rsa::pkcs8::LineEnding::LF).unwrap();
    ikensho::hub::client::HubClient::new(
        url,
        ca.as_bytes(),
        ikensho::hub::client::Terminal::from_der(vec![cert], key),
    )
    .unwrap()
}

/// Fills `op` so that every item of `form` is answered and every conditional item is shown: every
/// flag set, every non-exclusive choice of a multiple choice ticked, each single choice the one
/// that shows the most items, texts, numbers and dates where they were empty.
pub fn answer_everything(op: &mut Opinion, form: &FormDef) {
    use ikensho::form::def::ItemKind;
    use ikensho::form::opinion::Editable;
    use ikensho::form::validate::shown_items;
    for item in &form.items {
        if item.kind == ItemKind::Single {
            let mut best = (0, String::new());
            for c in &item.choices {
                let mut trial = op.clone();
                if let Some(Editable::Answer(Answer::Text(s)) | Editable::Text(s)) =
                    trial.edit(item)
                {
                    *s = c.clone();
                }
                let n = shown_items(&trial, form).iter().filter(|s| **s).count();
                if n > best.0 {
                    best = (n, c.clone());
                }
            }
            if let Some(Editable::Answer(Answer::Text(s)) | Editable::Text(s)) = op.edit(item) {
                *s = best.1;
            }
            continue;
        }
        let sample = match (item.kind, item.plausible) {
            (ItemKind::Number, Some((lo, hi))) => format!("{}", ((lo + hi) / 2.0).round()),
            (ItemKind::Number | ItemKind::Identifier, _) => "1".to_owned(),
            _ => "記入例".to_owned(),
        };
        let date = || match item.kind {
            ItemKind::ReiwaDate => DateInput::new("reiwa", "8", "11", "20"),
            ItemKind::OnsetDate => DateInput::new("heisei", "30", "", ""),
            _ => DateInput::new("showa", "40", "8", "15"),
        };
        match op.edit(item) {
            Some(Editable::Text(s)) if s.trim().is_empty() => *s = sample,
            Some(Editable::Date(d)) if d.is_blank() => *d = date(),
            Some(Editable::Answer(a)) => match a {
                Answer::Flag(b) => *b = true,
                Answer::Text(s) if s.trim().is_empty() => *s = sample,
                Answer::Date(d) if d.is_blank() => *d = date(),
                Answer::List(l) if item.kind == ItemKind::Multi => {
                    *l = item
                        .choices
                        .iter()
                        .filter(|c| !item.exclusive.contains(c))
                        .cloned()
                        .collect();
                }
                Answer::List(l) if l.is_empty() => {
                    *l = vec!["記入例 4".into(), "記入例 5".into()];
                }
                Answer::Marked(m) => {
                    m.selected = item
                        .choices
                        .iter()
                        .filter(|c| !item.exclusive.contains(c))
                        .cloned()
                        .collect();
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// 特記すべき事項 far beyond its box even at the smallest size: on the R8 form it goes on to a
/// continuation sheet (別紙).
pub fn notes_over_the_box() -> String {
    "夜間の徘徊があり、家族が見守りを続けている。".repeat(200)
}

/// The permission bits of a file or folder (`0o600`, `0o700`…).
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The test PostgreSQL cluster (`scripts/pg-test-cluster`, started by `scripts/test`): its
/// location and the role's password, or `None` when there is none here — which fails instead
/// when `IKENSHO_REQUIRE_PG` is set (CI).
pub fn test_cluster() -> Option<(ikensho::store::server::ServerLocation, String)> {
    let (Ok(url), Ok(password)) = (
        std::env::var("IKENSHO_TEST_PG_URL"),
        std::env::var("IKENSHO_TEST_PG_PASSWORD"),
    ) else {
        assert!(
            std::env::var("IKENSHO_REQUIRE_PG").is_err(),
            "IKENSHO_REQUIRE_PG is set but there is no test cluster (scripts/pg-test-cluster)"
        );
        return None;
    };
    match ikensho::store::server::Location::parse(&url).unwrap() {
        ikensho::store::server::Location::Server(s) => Some((s, password)),
        ikensho::store::server::Location::File(_) => panic!("not a server URL: {url}"),
    }
}

/// The terminals' role in the test cluster (`IKENSHO_TEST_PG_TERMINAL`; the owner's when a
/// server named by hand has none).
pub fn terminal_role() -> String {
    std::env::var("IKENSHO_TEST_PG_TERMINAL").unwrap_or_else(|_| {
        test_cluster()
            .map(|(loc, _)| loc.user)
            .unwrap_or_else(|| "ikensho".to_owned())
    })
}

/// `loc` reached as `role`.
pub fn as_role(
    loc: &ikensho::store::server::ServerLocation,
    role: &str,
) -> ikensho::store::server::ServerLocation {
    ikensho::store::server::ServerLocation {
        user: role.to_owned(),
        ..loc.clone()
    }
}

/// A new database on the test cluster set up as `ikensho store init` does (owned by the
/// cluster's role, rows for the terminals' role), reached as a terminal.
pub fn fresh_store_database(
    loc: &ikensho::store::server::ServerLocation,
    password: &str,
    name: &str,
) -> ikensho::store::server::ServerLocation {
    let db = fresh_database(loc, password, name);
    let terminals = terminal_role();
    ikensho::store::server::init(&db, password, &terminals).unwrap();
    as_role(&db, &terminals)
}

/// A new, empty database `ikensho_<name>_<pid>` on the test cluster, for one test.
pub fn fresh_database(
    loc: &ikensho::store::server::ServerLocation,
    password: &str,
    name: &str,
) -> ikensho::store::server::ServerLocation {
    // PostgreSQL cuts names at 63 bytes: a long test name becomes its start and a hash.
    let short: String = name.chars().take(24).collect();
    let hash = &ikensho::store::sha256_hex(name.as_bytes())[..8];
    let db = format!("ikensho_{short}_{hash}_{}", std::process::id());
    let mut admin = ikensho::store::server::connect(loc, password).unwrap();
    // Each alone: neither may run in a transaction block.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    ikensho::store::server::ServerLocation {
        dbname: db,
        ..loc.clone()
    }
}
