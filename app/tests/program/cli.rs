//! The `ikensho` binary as a user runs it: exit codes, findings, languages, unreadable files, the
//! template.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ikensho"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name)
}

fn validate(path: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("validate")
        .arg(path)
        .args(["--today", "2026-11-21"])
        .args(extra)
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn valid_examples_exit_0() {
    for name in ["valid-first-insured.json", "valid-second-insured.json"] {
        let o = validate(&data(name), &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stdout(&o).contains("問題は見つかりませんでした。"),
            "{}",
            stdout(&o)
        );
    }
}

/// Each invalid example exits 2 and reports exactly the findings listed in its `.expect` file.
#[test]
fn invalid_examples_exit_2_with_the_expected_items() {
    let mut checked = 0;
    for entry in std::fs::read_dir(data("")).expect("tests/data") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if !(name.starts_with("invalid-") && name.ends_with(".json")) {
            continue;
        }
        let expect_path = path.with_extension("expect");
        let expected = std::fs::read_to_string(&expect_path)
            .unwrap_or_else(|_| panic!("{} has no .expect file", name));
        let o = validate(&path, &["--json"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json output");
        let got: Vec<String> = doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f["severity"].as_str().unwrap_or(""),
                    f["item"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        let want: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(got, want, "{name}");
        assert!(
            want.iter().any(|l| l.starts_with("error ")),
            "{name} has an error"
        );
        checked += 1;
    }
    assert!(checked >= 5, "checked {checked} invalid examples");
}

#[test]
fn warnings_only_exit_1() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(data("valid-first-insured.json")).expect("read");
    let text = text.replace("\"fax\": \"03-1234-5679\"", "\"fax\": \"\"");
    let path = dir.path().join("no-fax.json");
    std::fs::write(&path, text).expect("write");
    let o = validate(&path, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("警告\t基本情報 › FAX\t入力してください。"),
        "{out}"
    );
    assert!(out.contains("エラー 0件、警告 1件"), "{out}");
}

#[test]
fn english_on_request() {
    let o = validate(&data("invalid-identifiers.json"), &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("Error\tBasic information › Insurer number\tPlease enter 6 digits."),
        "{out}"
    );
    assert!(out.contains("2 errors, 1 warning"), "{out}");
    // Japanese is the default.
    let o = validate(&data("invalid-identifiers.json"), &[]);
    assert!(stdout(&o).contains("エラー\t基本情報 › 保険者番号\t6桁の数字で記入してください。"));
}

/// Check digits learnt from data or not confirmed on a complete list, a 被保険者番号 of another
/// shape, a 医療機関コード of another prefecture than the address: warnings (exit 1) that ask to
/// check the number, each named.
#[test]
fn identifiers_to_check_are_warnings() {
    let path = data("warning-identifiers.json");
    let o = validate(&path, &["--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json output");
    let got: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["severity"].as_str().unwrap_or(""),
                f["item"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let want = std::fs::read_to_string(path.with_extension("expect")).expect("expect file");
    let want: Vec<&str> = want.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(got, want);
    let o = validate(&path, &[]);
    assert!(
        stdout(&o).contains("番号をご確認ください"),
        "{}",
        stdout(&o)
    );
}

/// Writes `text` to a file and validates it; returns (exit code, stderr).
fn unreadable(text: &str, lang: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("op.json");
    std::fs::write(&path, text).expect("write");
    let o = validate(&path, &["--lang", lang]);
    assert!(stdout(&o).is_empty(), "nothing on stdout: {}", stdout(&o));
    (o.status.code(), stderr(&o))
}

#[test]
fn unreadable_input_exits_3_saying_what_and_where() {
    let valid = std::fs::read_to_string(data("valid-first-insured.json")).expect("read");

    // A JSON syntax error: line and column.
    let broken = valid.replacen("\"stable\",", "\"stable\"", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"course-treatment\""))
        .expect("line")
        + 1;
    let (code, err) = unreadable(&broken, "ja");
    assert_eq!(code, Some(3));
    assert!(
        err.contains(&format!("JSONとして読めません（{line}行目")),
        "{err}"
    );
    let (_, err) = unreadable(&broken, "en");
    assert!(
        err.contains(&format!("Not readable as JSON (line {line}, column")),
        "{err}"
    );

    // An unknown field is refused, with its line.
    let unknown = valid.replacen("\"kana\":", "\"nickname\": \"はな\",\n    \"kana\":", 1);
    let line = unknown
        .lines()
        .position(|l| l.contains("nickname"))
        .expect("line")
        + 1;
    let (code, err) = unreadable(&unknown, "en");
    assert_eq!(code, Some(3));
    assert!(
        err.contains("nickname") && err.contains(&format!("line {line}")),
        "{err}"
    );

    // A value of no answer shape at all, and an unknown field inside a date.
    let (code, err) = unreadable(
        &valid.replacen("\"limb-loss\": false", "\"limb-loss\": 5", 1),
        "en",
    );
    assert_eq!(code, Some(3));
    assert!(
        err.contains("found the number 5") && err.contains("line "),
        "{err}"
    );
    let (code, err) = unreadable(
        &valid.replacen("\"era\": \"reiwa\",", "\"era\": \"reiwa\", \"week\": 3,", 1),
        "en",
    );
    assert_eq!(code, Some(3));
    assert!(err.contains("a date: unknown field `week`"), "{err}");

    // An item the form does not have, a choice the item does not have, a wrong shape.
    let cases = [
        (
            valid.replacen("\"stability\": \"stable\"", "\"stability\": \"steady\"", 1),
            "/answers/stability",
            "\"steady\" is not a choice of item \"stability\"",
        ),
        (
            valid.replacen(
                "\"written-date\":",
                "\"consent\": \"agree\",\n    \"written-date\":",
                1,
            ),
            "/answers/consent",
            "Form R8 has no item \"consent\"",
        ),
        (
            valid.replacen("\"limb-loss\": false", "\"limb-loss\": \"no\"", 1),
            "/answers/limb-loss",
            "Write true or false",
        ),
        (
            valid.replacen(
                "\"written-date\":",
                "\"applicant-name\": \"山田\",\n    \"written-date\":",
                1,
            ),
            "/answers/applicant-name",
            "/applicant/name",
        ),
        (
            valid.replacen("\"sex\": \"female\"", "\"sex\": \"f\"", 1),
            "/applicant/sex",
            "\"f\" is not a choice",
        ),
        (
            valid.replacen(
                "\"bpsd-items\": [\n      \"day-night-reversal\",",
                "\"bpsd-items\": [\n      \"wandering\",",
                1,
            ),
            "/answers/bpsd-items",
            "given twice",
        ),
    ];
    for (text, pointer, want) in cases {
        assert_ne!(text, valid, "the edit for {pointer} applies");
        let (code, err) = unreadable(&text, "en");
        assert_eq!(code, Some(3), "{pointer}: {err}");
        assert!(
            err.contains(&format!("At {pointer}:")) && err.contains(want),
            "{pointer}: {err}"
        );
    }

    // A newer file format, and something that is not an opinion.
    let (code, err) = unreadable(
        &valid.replacen("\"format_version\": 1", "\"format_version\": 2", 1),
        "ja",
    );
    assert_eq!(code, Some(3));
    assert!(err.contains("バージョン2は読めません"), "{err}");
    let (code, err) = unreadable("{\"hello\": 1}", "en");
    assert_eq!(code, Some(3));
    assert!(err.contains("Not an opinion file"), "{err}");

    // A file that does not exist.
    let o = validate(Path::new("/nonexistent/opinion.json"), &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("ファイルを開けません：/nonexistent/opinion.json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_duplicate_key_is_refused() {
    let valid = std::fs::read_to_string(data("valid-first-insured.json")).expect("read");
    let dup = valid.replacen(
        "\"stability\": \"stable\",",
        "\"stability\": \"stable\",\n    \"stability\": \"unstable\",",
        1,
    );
    let (code, err) = unreadable(&dup, "en");
    assert_eq!(code, Some(3));
    assert!(err.contains("item 'stability' is given twice"), "{err}");
}

#[test]
fn usage_errors_are_not_confused_with_findings() {
    let o = bin().args(["validate"]).output().expect("runs");
    assert_eq!(o.status.code(), Some(64));
    let o = bin()
        .args(["--lang", "fr", "validate", "x.json"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(64));
    let o = bin().arg("--help").output().expect("runs");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn template_writes_an_empty_opinion_that_round_trips() {
    let dir = tempfile::tempdir().expect("tmp");
    for form in ["R8", "R3"] {
        let path = dir.path().join(format!("{form}.json"));
        let o = bin()
            .args(["template", "--form", form, "-o"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&path).expect("written");
        let op = ikensho::form::Opinion::from_json(&text).expect("readable");
        assert_eq!(op.form_version.as_str(), form);
        assert_eq!(op.to_json(), text, "written as it is read");
        assert_eq!(op.answers.get("consent").is_some(), form == "R3");
        assert!(op.answers.get("special-notes").is_some());
        // Empty is readable and full of errors, not unreadable.
        let o = validate(&path, &["--json"]);
        assert_eq!(o.status.code(), Some(2));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert!(doc["errors"].as_u64().unwrap_or(0) >= 10, "{doc}");
        // Nothing is reported as "not applicable": empty values are not answers.
        assert!(!String::from_utf8_lossy(&o.stdout).contains("msg-not-applicable"));
    }
    // To standard output without -o.
    let o = bin().arg("template").output().expect("runs");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("{\n  \"format\": \"ikensho-opinion\""));
}

/// Runs `ikensho` on the data folder `dir`, with `input` on standard input (the passwords).
fn store_cmd(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = bin()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn only_the_set_up_makes_a_store_and_never_over_an_empty_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let db = dir.join("ikensho.sqlite");
    let keys = tmp.path().join("keys");
    let first = [
        "user",
        "add",
        "kanri",
        "--name",
        "管理 太郎",
        "--key-folder",
        keys.to_str().unwrap(),
    ];
    // Adding someone "as" an administrator needs a store: none is made.
    let o = store_cmd(
        &dir,
        &["user", "add", "sato", "--name", "佐藤", "--as", "kanri"],
        "adminpass1\nsatopass12\n",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!db.exists());
    // A set-up that fails (a password too short) leaves nothing behind.
    let o = store_cmd(&dir, &first, "short\n");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!db.exists(), "a failed set-up left a store");
    // An empty (0-byte) data file is refused, named, and left as it is: never set up again.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&db, b"").unwrap();
    for (args, input) in [
        (&first[..], "adminpass1\n"),
        (&["audit", "verify"][..], ""),
        (&["user", "list", "--as", "kanri"][..], "adminpass1\n"),
    ] {
        let o = store_cmd(&dir, args, input);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("空です"), "{}", stderr(&o));
        assert!(stderr(&o).contains(db.to_str().unwrap()), "{}", stderr(&o));
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "{args:?}");
    }
    // The file moved away, the set-up works.
    std::fs::remove_file(&db).unwrap();
    let o = store_cmd(&dir, &first, "adminpass1\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::metadata(&db).unwrap().len() > 0);
}

#[test]
fn people_audit_backup_and_restore_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let db = dir.join("ikensho.sqlite");
    // Nothing is created by a command that only reads.
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("がありません"), "{}", stderr(&o));
    assert!(!db.exists());

    let keys = tmp.path().join("keys");
    let o = store_cmd(
        &dir,
        &[
            "user",
            "add",
            "kanri",
            "--name",
            "管理 太郎",
            "--key-folder",
            keys.to_str().unwrap(),
        ],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("管理者"), "{}", stderr(&o));
    // The set-up says where the key is and shows the recovery key once.
    assert!(
        stderr(&o).contains(keys.to_str().unwrap()),
        "{}",
        stderr(&o)
    );
    let recovery = stdout(&o)
        .lines()
        .find(|l| l.len() == 69 && l.matches('-').count() == 13)
        .unwrap_or_else(|| panic!("no recovery key in {}", stdout(&o)))
        .to_owned();
    // Later people need an administrator, and the right password.
    let add = [
        "user",
        "add",
        "sato",
        "--name",
        "佐藤 一郎",
        "--role",
        "physician",
    ];
    let o = store_cmd(&dir, &add, "satopass12\n");
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    let with_as = [&add[..], &["--as", "kanri"]].concat();
    let o = store_cmd(&dir, &with_as, "wrong-password\nsatopass12\n");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("パスワードが違います"),
        "{}",
        stderr(&o)
    );
    // A physician account needs the administrator's own password once more.
    let o = store_cmd(&dir, &with_as, "adminpass1\nsatopass12\nnot-my-password\n");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("もう一度入力したパスワードが違います"),
        "{}",
        stderr(&o)
    );
    let o = store_cmd(&dir, &with_as, "adminpass1\nsatopass12\nadminpass1\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(&dir, &["user", "list", "--as", "kanri"], "adminpass1\n");
    assert!(
        stdout(&o).contains("sato\t佐藤 一郎\tphysician"),
        "{}",
        stdout(&o)
    );
    assert!(
        !stdout(&o).contains("argon2"),
        "no password hashes on screen"
    );
    // Five wrong passwords slow a login down; an administrator lifts it at once.
    for _ in 0..5 {
        let o = store_cmd(&dir, &["user", "list", "--as", "sato"], "wrong-pass\n");
        assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    }
    let o = store_cmd(&dir, &["user", "list", "--as", "sato"], "satopass12\n");
    assert!(stderr(&o).contains("秒待ってから"), "{}", stderr(&o));
    let o = store_cmd(
        &dir,
        &["user", "unlock", "sato", "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ロックを解除しました"),
        "{}",
        stderr(&o)
    );
    // Deactivated: no sign-in; reactivated; a new password set by the administrator.
    let o = store_cmd(
        &dir,
        &["user", "deactivate", "sato", "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(&dir, &["user", "list", "--as", "sato"], "satopass12\n");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let o = store_cmd(
        &dir,
        &["user", "reactivate", "sato", "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(
        &dir,
        &["user", "password", "sato", "--as", "kanri"],
        "adminpass1\nsatopass34\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(
        &dir,
        &["user", "password", "sato", "--as", "kanri"],
        "adminpass1\nssssssssssss\n",
    );
    assert_eq!(
        o.status.code(),
        Some(4),
        "a repeated character: {}",
        stderr(&o)
    );
    let o = store_cmd(
        &dir,
        &["user", "password", "sato", "--as", "kanri"],
        "adminpass1\nsatopass12\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A physician is not an administrator.
    let o = store_cmd(&dir, &["user", "list", "--as", "sato"], "satopass12\n");
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("管理者の権限が必要"), "{}", stderr(&o));

    let o = store_cmd(
        &dir,
        &["clinic", "--institution-code", "131012345", "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("医療機関コード"), "{}", stderr(&o));
    // A check digit that does not match is saved, with a word to check it (its rule is a guide).
    let o = store_cmd(
        &dir,
        &[
            "clinic",
            "--institution-code",
            "1310123459",
            "--as",
            "kanri",
        ],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("番号をご確認ください"),
        "{}",
        stderr(&o)
    );

    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("改ざんされていません"));

    let backup = tmp.path().join("backup.sqlite");
    let o = store_cmd(
        &dir,
        &["backup", backup.to_str().unwrap(), "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = tmp.path().join("audit.csv");
    let o = store_cmd(
        &dir,
        &[
            "--lang",
            "en",
            "audit",
            "export",
            "-o",
            csv.to_str().unwrap(),
            "--as",
            "kanri",
        ],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}No.,Time (JST),Login"), "{text}");
    #[cfg(unix)]
    {
        // Who did what to whose opinion: the owner's only, like the backup.
        for f in [&csv, &backup] {
            let mode = ikensho_testkit::fixtures::mode(f);
            assert_eq!(mode, 0o600, "{}", f.display());
        }
    }
    assert!(
        text.contains(",sato,佐藤 一郎,sign-in-failed,")
            || text.contains(",kanri,管理 太郎,sign-in-failed,")
    );

    // Someone edits a row in the sqlite3 shell: verify names it and exits 2.
    ikensho_testkit::fixtures::outside(
        &db,
        "DROP TRIGGER audit_no_update; UPDATE audit SET action = 'open' WHERE seq = 3;",
    )
    .unwrap();
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("記録3：内容がハッシュと合いません"),
        "{}",
        stdout(&o)
    );

    // Restoring the backup brings back an intact trail, and keeps what was there.
    let o = store_cmd(
        &dir,
        &["restore", backup.to_str().unwrap(), "--as", "kanri"],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("復元前のデータは残してあります"),
        "{}",
        stderr(&o)
    );
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let kept = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("before-restore")
        })
        .count();
    assert_eq!(kept, 1);

    // The data file is encrypted; its key file lost, the store says so and the recovery key
    // opens it and keeps the key again.
    let o = store_cmd(&dir, &["store", "info"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("暗号化されています"), "{}", stdout(&o));
    std::fs::remove_dir_all(&keys).unwrap();
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("回復キー"), "{}", stderr(&o));
    let keys2 = tmp.path().join("keys2");
    let unlock = [
        "store",
        "unlock",
        "--as",
        "kanri",
        "--key-folder",
        keys2.to_str().unwrap(),
    ];
    let o = store_cmd(&dir, &unlock, "AAAA-BBBB\nadminpass1\n");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("回復キーではありません"),
        "{}",
        stderr(&o)
    );
    let o = store_cmd(&dir, &unlock, &format!("{recovery}\nadminpass1\n"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A new key: a new recovery key, shown once.
    let o = store_cmd(
        &dir,
        &[
            "store",
            "rekey",
            "--as",
            "kanri",
            "--key-folder",
            keys2.to_str().unwrap(),
        ],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("新しい鍵"), "{}", stderr(&o));
    let again = stdout(&o)
        .lines()
        .find(|l| l.len() == 69 && l.matches('-').count() == 13)
        .map(str::to_owned);
    assert!(again.is_some_and(|k| k != recovery));
    let o = store_cmd(&dir, &["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn pdf_from_a_file_is_a_draft_and_warns_about_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("draft.pdf");
    let o = bin()
        .args([
            "pdf",
            data("valid-first-insured.json").to_str().unwrap(),
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2ページ"), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(!dir.path().join("draft.pdf.part").exists());

    // 特記すべき事項 far beyond its box: written (3 pages), exit 1, the warning on stdout.
    let text = std::fs::read_to_string(data("valid-first-insured.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["answers"]["special-notes"] = "夜間の徘徊があり、家族が見守りを続けている。"
        .repeat(200)
        .into();
    let long = dir.path().join("long.json");
    std::fs::write(&long, json.to_string()).unwrap();
    let o = bin()
        .args(["--lang", "en", "pdf", long.to_str().unwrap(), "-o"])
        .arg(dir.path().join("long.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("does not fit its box"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("Special notes"), "{}", stdout(&o));

    // An unreadable file: exit 3, nothing written.
    let o = bin()
        .args(["pdf", "/nonexistent.json", "-o"])
        .arg(dir.path().join("x.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn final_pdf_from_the_store_only_for_a_physician() {
    use ikensho::store::Durability;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let (id, _) = common::store_example(&mut common::people(&db, Durability::Full), false);
    let id = id.to_string();
    let pw = format!("{}\n", common::PASSWORD);
    let out = dir.path().join("final.pdf");
    let args = |login: &'static str| {
        vec![
            "pdf".to_owned(),
            "--opinion".into(),
            id.clone(),
            "--as".into(),
            login.into(),
            "--final".into(),
            "--today".into(),
            "2026-11-21".into(),
            "-o".into(),
            out.to_str().unwrap().into(),
        ]
    };
    let clerk: Vec<String> = args("suzuki");
    let o = store_cmd(
        dir.path(),
        &clerk.iter().map(String::as_str).collect::<Vec<_>>(),
        &pw,
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!out.exists());
    let doctor: Vec<String> = args("sato");
    let o = store_cmd(
        dir.path(),
        &doctor.iter().map(String::as_str).collect::<Vec<_>>(),
        &pw,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    let store = ikensho::store::Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().problems.is_empty());
}

/// The R8 form has no 別紙 note: a final copy whose text would go on to a continuation sheet is
/// refused until the physician accepts it with `--allow-continuation`.
#[test]
fn a_final_r8_print_onto_a_continuation_sheet_needs_the_physicians_word() {
    use ikensho::store::Durability;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut people = common::people(&db, Durability::Full);
    let (id, version_id) = common::store_example(&mut people, false);
    let mut op = common::first_insured();
    op.answers.insert(
        "special-notes",
        ikensho::form::Answer::Text(common::notes_over_the_box()),
    );
    let rev = people
        .store
        .open_opinion(&people.doctor, id)
        .unwrap()
        .version
        .revision;
    people
        .store
        .autosave(&people.doctor, version_id, rev, &op)
        .unwrap();
    drop(people);
    let id = id.to_string();
    let pw = format!("{}\n", common::PASSWORD);
    let out = dir.path().join("final.pdf");
    let run = |lang: &str, extra: &[&str]| {
        let mut args = vec![
            "--lang",
            lang,
            "pdf",
            "--opinion",
            &id,
            "--as",
            "sato",
            "--final",
            "--today",
            "2026-11-21",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        store_cmd(dir.path(), &args, &pw)
    };
    for (lang, words) in [("ja", "別紙に続きます"), ("en", "continuation sheet")] {
        let o = run(lang, &[]);
        assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
        assert!(stderr(&o).contains(words), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("--allow-continuation"),
            "{}",
            stderr(&o)
        );
        assert!(!out.exists());
    }
    let o = run("ja", &["--allow-continuation"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    // Two pages of the form and the continuation sheet after them.
    let pages: usize = stderr(&o)
        .split('（')
        .nth(1)
        .and_then(|s| s.split("ページ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(pages > 2, "{}", stderr(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
}

/// Without a display the demo and the window say so, in Japanese and English, and point to
/// `--no-window`, instead of failing inside the windowing library; nothing is prepared.
#[test]
fn no_display_is_said_in_words() {
    let dir = tempfile::tempdir().expect("tmp");
    for (lang, words) in [
        ("ja", "--no-window を付けて"),
        ("en", "run it with --no-window"),
    ] {
        let o = bin()
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .args(["--lang", lang, "--data-dir"])
            .arg(dir.path())
            .arg("demo")
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
        assert!(stderr(&o).contains(words), "{}", stderr(&o));
        assert!(!dir.path().join("ikensho.sqlite").exists());
    }
    let o = bin()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("gui")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("ディスプレイ"), "{}", stderr(&o));
}

/// The demo's folder, its store and every private key it makes are the owner's only.
#[cfg(unix)]
#[test]
fn the_demo_keeps_its_store_and_keys_to_the_owner() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("demo");
    let o = bin()
        .args(["--data-dir"])
        .arg(&dir)
        .args(["demo", "--no-window"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = ikensho_testkit::fixtures::mode;
    assert_eq!(mode(&dir), 0o700);
    for f in [
        "ikensho.sqlite",
        "card/key.pem",
        "card/card.json",
        "hpki/physician.key.pem",
        "hub/pki/terminal.key",
    ] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    // The store is encrypted: the applicants' names and numbers, the people and the clinic are
    // in none of the data files' bytes (what `strings` would find), and the sqlite3 shell sees
    // no database.
    let key = ikensho::store::atrest::kept_at(&dir.join("ikensho.sqlite"))
        .unwrap()
        .unwrap();
    assert_eq!(mode(key.key_file.as_deref().unwrap()), 0o600);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for secret in [
            "山田 花子",
            "やまだ はなこ",
            "田中 一郎",
            "佐藤 一郎",
            "さくら内科",
            "0000012345",
        ] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {}",
                path.display()
            );
        }
    }
    let out = Command::new("sqlite3")
        .arg(dir.join("ikensho.sqlite"))
        .arg("SELECT count(*) FROM users;")
        .output()
        .expect("the sqlite3 shell is installed");
    assert!(!out.status.success());
}

/// A frozen version edited with the sqlite3 shell (its trigger dropped): `audit verify` exits 2
/// and names the version, in Japanese and English.
#[test]
fn audit_verify_names_a_frozen_version_changed_outside_the_program() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("demo");
    let o = bin()
        .args(["--data-dir"])
        .arg(&dir)
        .args(["demo", "--no-window"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let db = dir.join("ikensho.sqlite");
    let verify = |lang: &str| {
        bin()
            .args(["--lang", lang, "--data-dir"])
            .arg(&dir)
            .args(["audit", "verify"])
            .output()
            .expect("run")
    };
    assert_eq!(verify("ja").status.code(), Some(0));
    let raw = ikensho_testkit::fixtures::raw(&db);
    raw.execute_batch(
        "DROP TRIGGER versions_frozen_update;
         UPDATE versions SET body = body || ' ' WHERE frozen IS NOT NULL;",
    )
    .unwrap();
    let version: i64 = raw
        .query_row(
            "SELECT id FROM versions WHERE frozen IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    for (lang, words) in [
        ("ja", format!("版 {version} の本文")),
        ("en", format!("version {version} does not match")),
    ] {
        let o = verify(lang);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stdout(&o).contains(&words), "{}", stdout(&o));
    }
}

/// The file format refuses what it does not document: a list where an object belongs (serde would
/// read `"request": []` as no request, and a list of the fields in order as the object).
#[test]
fn lists_where_objects_belong_are_refused() {
    let valid: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("valid-first-insured.json")).expect("read"),
    )
    .expect("json");
    let dir = tempfile::tempdir().expect("tmp");
    for (pointer, value) in [
        ("/request", serde_json::json!([])),
        ("/applicant", serde_json::json!(["山田 花子"])),
        ("/clinic", serde_json::json!([])),
        ("/answers", serde_json::json!([])),
    ] {
        let mut doc = valid.clone();
        *doc.pointer_mut(pointer).expect("pointer") = value;
        let path = dir.path().join("op.json");
        std::fs::write(&path, doc.to_string()).expect("write");
        let o = validate(&path, &["--lang", "en"]);
        assert_eq!(o.status.code(), Some(3), "{pointer}: {}", stdout(&o));
        assert!(stderr(&o).contains(pointer), "{pointer}: {}", stderr(&o));
        assert!(stderr(&o).contains("must be an object"), "{}", stderr(&o));
    }
    // null is still no request.
    let mut doc = valid.clone();
    doc["request"] = serde_json::Value::Null;
    let path = dir.path().join("op.json");
    std::fs::write(&path, doc.to_string()).expect("write");
    assert_ne!(validate(&path, &[]).status.code(), Some(3));
}

/// 4.(5) and 4.(6) left wholly unmarked: a warning each that names the item and what to choose
/// (municipalities send such opinions back), exit 1.
#[test]
fn blank_medical_services_and_care_notes_are_named() {
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("valid-first-insured.json")).expect("read"),
    )
    .expect("json");
    let answers = doc["answers"].as_object_mut().expect("answers");
    answers.remove("medical-services");
    answers.remove("care-notes");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("op.json");
    std::fs::write(&path, doc.to_string()).expect("write");
    let o = validate(&path, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    for item in [
        "(5) 医学的管理の必要性",
        "(6) サービス提供時における医学的観点からの留意事項",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with("警告")
                && l.contains(item)
                && l.contains("「特記すべき項目なし」を選んでください")),
            "{item}: {out}"
        );
    }
}

/// `ikensho store init URL` on the test cluster: the tables once, then a refusal; a file is the
/// set-up's. (Skipped without a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn store_init_makes_the_tables_on_the_server_once() {
    let Some((loc, password)) = ikensho_testkit::fixtures::test_cluster() else {
        return;
    };
    let db = ikensho_testkit::fixtures::fresh_database(&loc, &password, "cli");
    let db_url = db.url();
    let tmp = tempfile::tempdir().unwrap();
    let input = format!("{password}\n");
    let terminals = ikensho_testkit::fixtures::terminal_role();
    let init = ["store", "init", &db_url, "--terminals", &terminals];
    let o = store_cmd(tmp.path(), &init, &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("データの表を作りました"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(&password));
    let o = store_cmd(tmp.path(), &init, &input);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("既にあります"), "{}", stderr(&o));
    // The first administrator is added on the server, as a terminal, as on a new PC.
    let as_terminal = ikensho_testkit::fixtures::as_role(&db, &terminals).url();
    let o = store_cmd(
        tmp.path(),
        &[
            "--store",
            &as_terminal,
            "user",
            "add",
            "kanri",
            "--name",
            "管理 太郎",
        ],
        &format!("{password}\nadminpass1\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("管理者"), "{}", stderr(&o));
    // … once: a second first person is refused.
    let o = store_cmd(
        tmp.path(),
        &[
            "--store",
            &as_terminal,
            "user",
            "add",
            "other",
            "--name",
            "x",
        ],
        &format!("{password}\nadminpass1\n"),
    );
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(!tmp.path().join("ikensho.sqlite").exists());
    let o = store_cmd(
        tmp.path(),
        &[
            "--lang",
            "en",
            "store",
            "init",
            "postgresql://u@h/db?sslmode=require&sslrootcert=x",
            "--terminals",
            "t",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("sslmode"), "{}", stderr(&o));
    let o = store_cmd(
        tmp.path(),
        &["store", "init", "/tmp/x.sqlite", "--terminals", "t"],
        "",
    );
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(stderr(&o).contains("初期設定"), "{}", stderr(&o));
}

/// A clinic moves its single PC's file onto the server, works there with `--store`, and copies
/// it back into a new file. (Skipped without a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn store_copy_moves_the_file_to_the_server_and_back() {
    let Some((loc, password)) = ikensho_testkit::fixtures::test_cluster() else {
        return;
    };
    let db = ikensho_testkit::fixtures::fresh_database(&loc, &password, "cli_copy");
    let url = db.url();
    let terminals = ikensho_testkit::fixtures::terminal_role();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let file = dir.join("ikensho.sqlite");
    let keys = tmp.path().join("keys");
    let o = store_cmd(
        &dir,
        &[
            "user",
            "add",
            "kanri",
            "--name",
            "管理 太郎",
            "--key-folder",
            keys.to_str().unwrap(),
        ],
        "adminpass1\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pw = format!("{password}\n");
    // Onto an empty database only with the terminals' role named (to set it up on the way).
    let o = store_cmd(
        &dir,
        &[
            "store",
            "copy",
            "--from",
            file.to_str().unwrap(),
            "--to",
            &url,
        ],
        &pw,
    );
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(stderr(&o).contains("--terminals"), "{}", stderr(&o));
    // Onto the server (an empty database is set up on the way).
    let o = store_cmd(
        &dir,
        &[
            "store",
            "copy",
            "--from",
            file.to_str().unwrap(),
            "--to",
            &url,
            "--terminals",
            &terminals,
        ],
        &pw,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("監査記録は完全です"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(&password) && !stdout(&o).contains(&password));
    // Work there with --store, as a terminal: the same people, the trail intact.
    let there = ikensho_testkit::fixtures::as_role(&db, &terminals).url();
    let o = store_cmd(
        &dir,
        &["--store", &there, "user", "list", "--as", "kanri"],
        &format!("{password}\nadminpass1\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("管理 太郎"), "{}", stdout(&o));
    let o = store_cmd(&dir, &["--store", &there, "audit", "verify"], &pw);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A backup of the server store is a file of its own, whose recovery key is shown once; a
    // restore over the server is refused with the way to do it.
    let backup = tmp.path().join("backups").join("server.sqlite");
    let o = store_cmd(
        &dir,
        &[
            "--store",
            &there,
            "backup",
            backup.to_str().unwrap(),
            "--as",
            "kanri",
            "--key-folder",
            keys.to_str().unwrap(),
        ],
        &format!("{password}\nadminpass1\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("回復キー"), "{}", stdout(&o));
    let o = store_cmd(
        &dir,
        &["--store", backup.to_str().unwrap(), "audit", "verify"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = store_cmd(
        &dir,
        &[
            "--store",
            &there,
            "restore",
            backup.to_str().unwrap(),
            "--as",
            "kanri",
        ],
        &pw,
    );
    assert_eq!(o.status.code(), Some(64), "{}", stderr(&o));
    assert!(stderr(&o).contains("store copy"), "{}", stderr(&o));
    // A second copy onto it is refused: it holds the store now.
    let o = store_cmd(
        &dir,
        &[
            "store",
            "copy",
            "--from",
            file.to_str().unwrap(),
            "--to",
            &url,
        ],
        &pw,
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("既にデータがあります"),
        "{}",
        stderr(&o)
    );
    // What only a file has is said to be the file's.
    let o = store_cmd(&dir, &["--store", &url, "store", "info"], &pw);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("サーバー"), "{}", stderr(&o));
    // And back into a new file, whose recovery key is shown once.
    let back = tmp.path().join("back").join("ikensho.sqlite");
    let o = store_cmd(
        &dir,
        &[
            "store",
            "copy",
            "--from",
            &url,
            "--to",
            back.to_str().unwrap(),
            "--key-folder",
            keys.to_str().unwrap(),
        ],
        &pw,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("回復キー"), "{}", stdout(&o));
    let o = store_cmd(
        &dir,
        &["--store", back.to_str().unwrap(), "audit", "verify"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `--version`: the program's version, every form it writes, and the day it was built.
#[test]
fn version_names_the_forms_and_the_build_date() {
    let o = bin().arg("--version").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    for v in ikensho::form::FormVersion::ALL {
        assert!(out.contains(v.as_str()), "{v:?}: {out}");
    }
    let built = out
        .split("built: ")
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"))
        .trim();
    assert!(
        jiff::civil::Date::strptime("%Y-%m-%d", built).is_ok(),
        "{built}"
    );
}

/// `import ikensyo-csv`: an administrator takes in 医見書's files, each summed up with every
/// refused row named by file, row and column; the same file again adds nothing; a clerk may not.
#[test]
fn ikensyo_csv_is_imported_from_the_command_line() {
    use ikensho::store::Durability;
    use ikensho_testkit::ikensyo::{file, record_1_2};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    drop(common::people(&db, Durability::Full));
    let good = dir.path().join("1310112345_2025091001.csv");
    std::fs::write(
        &good,
        file(&[
            record_1_2("0000012345", "20250910", &[]),
            record_1_2("0000067890", "20250911", &[(30, "2025091")]),
            record_1_2("0000067891", "20250912", &[(5, "千代田区")]),
        ]),
    )
    .unwrap();
    let pw = format!("{}\n", common::PASSWORD);
    let args = |login: &'static str| {
        vec![
            "import".to_owned(),
            "ikensyo-csv".into(),
            good.to_str().unwrap().into(),
            dir.path().join("missing.csv").to_str().unwrap().into(),
            "--as".into(),
            login.into(),
        ]
    };
    let run = |login| {
        let a = args(login);
        store_cmd(
            dir.path(),
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            &pw,
        )
    };
    let o = run("suzuki");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let o = run("kanri");
    // A file not there: said, the others imported, exit 2.
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("missing.csv"), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("1310112345_2025091001.csv: 3 行を読み、意見書 2 件を取り込みました"),
        "{out}"
    );
    assert!(
        out.contains("1310112345_2025091001.csv の 2 行目 30 列目（最終診察日）"),
        "{out}"
    );
    assert!(out.contains("2025091"), "{out}");
    let o = run("kanri");
    assert!(
        stdout(&o).contains("意見書 0 件を取り込みました"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("飛ばした行 2"), "{}", stdout(&o));
    // In English, and with every row sound: exit 0.
    std::fs::write(&good, file(&[record_1_2("0000012345", "20250910", &[])])).unwrap();
    let mut a = args("kanri");
    a.remove(3);
    a.splice(0..0, ["--lang".to_owned(), "en".into()]);
    let o = store_cmd(
        dir.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        &pw,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 opinions imported"), "{}", stdout(&o));

    // Written out again for an insurer that takes the file: a physician may, a clerk may not.
    let out = dir.path().join("1310123455_2026120201.csv");
    let export = |login: &str| {
        store_cmd(
            dir.path(),
            &[
                "export",
                "ikensyo-csv",
                "--opinion",
                "1",
                "2",
                "-o",
                out.to_str().unwrap(),
                "--as",
                login,
            ],
            &pw,
        )
    };
    let o = export("suzuki");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!out.exists());
    let o = export("sato");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("2 件の意見書を書き出しました"),
        "{}",
        stderr(&o)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\"1.2\","));
    assert_eq!(bytes.windows(2).filter(|w| w == b"\r\n").count(), 2);
    let store = ikensho::store::Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().problems.is_empty());
}
