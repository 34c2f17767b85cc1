//! 医見書's CSV conventions: files written here by hand in code page 932 (with encoding_rs, not
//! with our writer) are read back field for field, and what our writer writes is checked byte by
//! byte against the conventions without our reader.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use encoding_rs::SHIFT_JIS;
use ikensho::ikensyo::csv::{CsvError, Encoding, decode, from_vt, records, write};
use ikensho_testkit::ikensyo::{file as file_of, record_1_2};

/// A file as 医見書 writes one: each field quoted with `"` doubled, CRLF after every record,
/// in code page 932.
fn ikensyo_file(rows: &[&[&str]]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|f| (*f).to_owned()).collect())
        .collect();
    file_of(&rows)
}

#[test]
fn a_code_page_932_file_with_vt_and_quotes_is_read_field_for_field() {
    let notes = "平成18年から通院。\u{b}髙橋医院より紹介\u{b}\"要注意\"";
    let bytes = ikensyo_file(&[
        &["1.2", "医見書", "0000012345", notes, ""],
        &["1.2", "医見書", "H000000123", "①Ⅱ～", "﨑"],
    ]);
    assert!(std::str::from_utf8(&bytes).is_err(), "really code page 932");
    let (text, enc) = decode(&bytes).unwrap();
    assert_eq!(enc, Encoding::Cp932);
    let rows: Vec<_> = records(&text).map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row, 1);
    assert_eq!(rows[1].row, 2);
    assert_eq!(rows[0].fields.len(), 5);
    assert_eq!(rows[0].fields[3], notes);
    assert_eq!(
        from_vt(&rows[0].fields[3]),
        "平成18年から通院。\n髙橋医院より紹介\n\"要注意\""
    );
    assert_eq!(rows[1].fields[3], "①Ⅱ～");
    assert_eq!(rows[1].fields[4], "﨑");
}

#[test]
fn a_file_saved_again_as_utf8_is_read_too() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("\"1.2\",\"山田 花子\"\n\"1.2\",\"鈴木 次郎\"\n".as_bytes());
    let (text, enc) = decode(&bytes).unwrap();
    assert_eq!(enc, Encoding::Utf8);
    let rows: Vec<_> = records(&text).map(Result::unwrap).collect();
    assert_eq!(rows[0].fields, vec!["1.2", "山田 花子"]);
    assert_eq!(rows[1].fields, vec!["1.2", "鈴木 次郎"]);
}

#[test]
fn bytes_that_are_no_text_are_refused_with_their_row() {
    let mut bytes = ikensyo_file(&[&["1.2", "山田"], &["1.2", "鈴木"]]);
    // A lead byte with nothing valid after it, in the second record.
    let at = bytes.len() - 3;
    bytes[at] = 0x81;
    bytes[at + 1] = 0x20;
    assert_eq!(decode(&bytes), Err(CsvError::Undecodable { row: 2 }));
}

#[test]
fn what_we_write_keeps_the_conventions_byte_for_byte() {
    let rows = vec![
        vec!["1.2".to_owned(), "山田 \"花子\"".to_owned(), String::new()],
        vec![
            "1.2".to_owned(),
            ikensho::ikensyo::csv::to_vt("一行目\n二行目"),
            "髙".to_owned(),
        ],
    ];
    let bytes = write(&rows).unwrap();
    // No BOM, no header, CRLF after every record and nowhere else, every field quoted.
    assert_eq!(bytes[0], b'"');
    assert!(bytes.ends_with(b"\"\r\n"));
    let (text, _, errors) = SHIFT_JIS.decode(&bytes);
    assert!(!errors);
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2], "");
    assert!(!text.replace("\r\n", "").contains('\n'));
    assert_eq!(lines[0], "\"1.2\",\"山田 \"\"花子\"\"\",\"\"");
    assert_eq!(lines[1], "\"1.2\",\"一行目\u{b}二行目\",\"髙\"");
    // The same bytes as code page 932 of that text: nothing replaced by `?`.
    assert!(!text.contains('?'));
}

#[test]
fn a_character_without_a_code_is_a_finding_before_anything_is_written() {
    let rows = vec![
        vec!["1.2".to_owned(), "山田".to_owned()],
        vec!["1.2".to_owned(), "𠮷田".to_owned()],
    ];
    assert_eq!(
        write(&rows),
        Err(CsvError::Unencodable {
            row: 2,
            column: 2,
            code: 0x20BB7
        })
    );
}

/// The column ↔ item mapping of FormatVersion 1.2 is data checked against the R3 form: every
/// column once, every item and choice it names there. What the format cannot carry is the list
/// the import's summary and the round trip rely on.
#[test]
fn the_mapping_of_1_2_names_only_what_the_r3_form_has() {
    use ikensho::form::{FormDef, FormVersion};
    use ikensho::ikensyo::mapping::{Kind, Mapping, V1_2, not_carried};
    let r3 = FormDef::builtin(FormVersion::R3).unwrap();
    let m = Mapping::load(V1_2, r3).unwrap();
    assert_eq!(m.format, "1.2");
    assert_eq!(m.column.len(), 121);
    assert_eq!(m.column(14).unwrap().to.as_deref(), Some("written-date"));
    assert_eq!(m.column(121).unwrap().kind, Kind::Composite);
    let carried = m
        .column
        .iter()
        .filter(|c| !matches!(c.kind, Kind::Fixed | Kind::Timestamp | Kind::NotCarried))
        .count();
    assert!(carried > 100, "{carried}");
    let missing = not_carried(&m, r3);
    for id in ["application-kind", "due-date", "specified-disease"] {
        assert!(missing.iter().any(|m| m == id), "{missing:?}");
    }
    assert!(!missing.iter().any(|m| m == "applicant-name"));
    // A wrong choice or item is refused with its column.
    let broken = V1_2.replacen("to = \"written-date\"", "to = \"no-such-item\"", 1);
    let e = Mapping::load(&broken, r3).unwrap_err();
    assert!(
        e.0.iter().any(|p| p.contains("no item no-such-item")),
        "{e:?}"
    );
    // Against the R8 form it is refused: it names R3's items.
    let r8 = FormDef::builtin(FormVersion::R8).unwrap();
    assert!(Mapping::load(V1_2, r8).is_err());
}

/// A record written by hand in code page 932 becomes an R3 opinion column by column; a damaged
/// column is reported with its number and the rest of the record is taken; a record of the
/// wrong length or of another format is refused whole.
#[test]
fn a_record_becomes_an_opinion_and_a_damaged_column_is_reported() {
    use ikensho::form::opinion::{Answer, DateInput, Marked};
    use ikensho::form::{FormDef, FormVersion};
    use ikensho::ikensyo::import::{RecordError, Unread, convert};
    use ikensho::ikensyo::mapping::{Mapping, V1_2};
    let r3 = FormDef::builtin(FormVersion::R3).unwrap();
    let m = Mapping::load(V1_2, r3).unwrap();
    let mut row = vec![""; 121];
    let set = |row: &mut Vec<&str>, n: usize, v: &'static str| row[n - 1] = v;
    set(&mut row, 1, "1.2");
    set(&mut row, 3, "000001234510093015");
    set(&mut row, 4, "131011");
    set(&mut row, 6, "0000012345");
    set(&mut row, 14, "20250910");
    set(&mut row, 15, "やまだ はなこ");
    set(&mut row, 16, "山田 花子");
    set(&mut row, 17, "19400312");
    set(&mut row, 19, "2");
    set(&mut row, 33, "1000000000001");
    set(&mut row, 34, "漢方");
    set(&mut row, 35, "アルツハイマー型認知症");
    set(&mut row, 36, "平成17年05月");
    set(&mut row, 41, "9"); // an unknown code
    set(
        &mut row,
        43,
        "平成17年頃より物忘れ。\u{b}アリセプト 5mg 1日1回 /   ",
    );
    set(&mut row, 30, "2025091"); // a damaged date
    set(&mut row, 106, "21000000001");
    let bytes = {
        let text: String = row
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n";
        encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
    };
    let (text, _) = decode(&bytes).unwrap();
    let record = records(&text).next().unwrap().unwrap();
    let c = convert(&record.fields, &m, r3).unwrap();
    let op = &c.opinion;
    assert_eq!(op.applicant.name, "山田 花子");
    assert_eq!(op.applicant.kana, "やまだ はなこ");
    assert_eq!(op.applicant.insurer_number, "131011");
    assert_eq!(op.applicant.insured_number, "0000012345");
    assert_eq!(op.applicant.sex, "female");
    assert_eq!(
        op.applicant.birth_date,
        DateInput::new("showa", "15", "3", "12")
    );
    assert_eq!(
        op.answers.get("written-date"),
        Some(&Answer::Date(DateInput::new("reiwa", "7", "9", "10")))
    );
    assert_eq!(
        op.answers.get("onset-1"),
        Some(&Answer::Date(DateInput::new("heisei", "17", "5", "")))
    );
    assert_eq!(
        op.answers.get("other-departments"),
        Some(&Answer::List(vec!["internal".into(), "other".into()]))
    );
    match op.answers.get("course-treatment") {
        Some(Answer::Text(t)) => assert!(t.contains("物忘れ。\nアリセプト"), "{t}"),
        other => panic!("{other:?}"),
    }
    match op.answers.get("medical-services") {
        Some(Answer::Marked(Marked {
            selected,
            emphasized,
        })) => {
            assert_eq!(
                selected,
                &vec!["home-medical".to_owned(), "home-nursing".to_owned()]
            );
            assert_eq!(emphasized, &vec!["home-medical".to_owned()]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        op.answers.get("stability").is_none(),
        "an unknown code answers nothing"
    );
    let found: Vec<(usize, Unread)> = c
        .findings
        .iter()
        .map(|f| (f.column, f.unread.clone()))
        .collect();
    assert!(found.contains(&(41, Unread::Code("9".into()))), "{found:?}");
    assert!(
        found.contains(&(30, Unread::Date("2025091".into()))),
        "{found:?}"
    );
    assert!(
        found.contains(&(106, Unread::NoChoice { position: 11 })),
        "{found:?}"
    );
    assert_eq!(found.len(), 3, "{found:?}");

    // Wrong length, another format: refused whole.
    assert_eq!(
        convert(&record.fields[..120], &m, r3).unwrap_err(),
        RecordError::Columns {
            found: 120,
            expected: 121
        }
    );
    let mut other = record.fields.clone();
    other[0] = "I1.2".into();
    assert_eq!(
        convert(&other, &m, r3).unwrap_err(),
        RecordError::Format("I1.2".into())
    );
}

ikensho_testkit::both!(an_ikensyo_file_is_imported_once_with_every_refusal_said);

/// A file from 医見書 with sound and damaged rows: the sound ones become frozen 紙で提出 opinions
/// of their applicants (the trail says which file and row), each damaged one is refused with
/// its row and column and nothing of it is kept; the same file again adds nothing; the renewal
/// copies forward from the newest imported opinion.
fn an_ikensyo_file_is_imported_once_with_every_refusal_said(b: ikensho_testkit::fixtures::Backend) {
    use ikensho::form::{Answer, FormVersion};
    use ikensho::ikensyo::import::Unread;
    use ikensho::store::{Query, State};
    use ikensho::workflow::{Refusal, import_ikensyo_csv};
    let dir = tempfile::tempdir().unwrap();
    let (store, _raw) = b.new_store(
        dir.path(),
        "an_ikensyo_file_is_imported_once_with_every_refusal_said",
    );
    let mut p = ikensho_testkit::fixtures::people_in(store);
    let a = "0000012345";
    let b2 = "0000067890";
    let mut short = record_1_2(a, "20240105", &[]);
    short.pop();
    let mut ishi = record_1_2(a, "20240106", &[]);
    ishi[0] = "I1.2".into();
    ishi.extend((0..43).map(|_| String::new()));
    let rows = vec![
        record_1_2(a, "20250910", &[(106, "21000000001")]), // 1: sound, one box R3 lacks
        record_1_2(b2, "20180301", &[(16, "鈴木 次郎"), (15, "すずき じろう")]), // 2: before 令和
        short,                                              // 3: 120 columns
        record_1_2(a, "20240101", &[(30, "2024011")]),      // 4: a damaged date
        record_1_2(a, "20240102", &[(41, "9")]),            // 5: an unknown code
        ishi,                                               // 6: a 医師意見書
        record_1_2(a, "20250910", &[(35, "脳梗塞")]),       // 7: the same 記入日 again
        record_1_2(a, "20230901", &[(35, "脳梗塞")]),       // 8: sound, older
    ];
    let mut bytes = file_of(&rows);
    // A ninth line whose bytes are not code page 932.
    bytes.extend_from_slice(b"\"1.2\",\"\x81\x20\"\r\n");
    let mut seen = Vec::new();
    let r = import_ikensyo_csv(
        &mut p.store,
        &p.admin,
        "1310112345_2025091001.csv",
        &bytes,
        &mut |pr| {
            seen.push(pr);
            true
        },
    )
    .unwrap();
    assert_eq!(r.records, 9);
    assert_eq!(r.imported, 3);
    assert_eq!(r.already, 0);
    assert_eq!((r.new_applicants, r.known_applicants), (2, 0));
    let refused: Vec<(usize, Option<usize>, Refusal)> = r
        .refused
        .iter()
        .map(|f| (f.row, f.column, f.why.clone()))
        .collect();
    assert_eq!(
        refused,
        vec![
            (
                3,
                None,
                Refusal::Columns {
                    found: 120,
                    expected: 121
                }
            ),
            (
                4,
                Some(30),
                Refusal::Damaged(Unread::Date("2024011".into()))
            ),
            (5, Some(41), Refusal::Damaged(Unread::Code("9".into()))),
            (6, Some(1), Refusal::Format("I1.2".into())),
            (7, None, Refusal::SameDay),
            (9, None, Refusal::Undecodable),
        ]
    );
    let notes: Vec<(usize, usize, Unread)> = r
        .notes
        .iter()
        .map(|n| (n.row, n.finding.column, n.finding.unread.clone()))
        .collect();
    assert!(
        notes.contains(&(1, 106, Unread::NoChoice { position: 11 })),
        "{notes:?}"
    );
    assert!(
        notes.contains(&(2, 14, Unread::BeforeReiwa("20180301".into()))),
        "{notes:?}"
    );
    // The writing program's name is not the opinion's: not listed.
    assert!(!notes.iter().any(|n| n.1 == 2), "{notes:?}");
    assert_eq!(seen.last().map(|s| (s.done, s.total)), Some((4, 4)));

    // What was imported: frozen, 紙で提出, listed by 記入日, marked in the trail.
    let all = p.store.search(&p.admin, &Query::default());
    assert!(all.is_err(), "an administrator does not open opinions");
    let list = p.store.search(&p.doctor, &Query::default()).unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|o| o.state == State::Paper));
    let mut days: Vec<&str> = list.iter().map(|o| o.day.as_str()).collect();
    days.sort_unstable();
    assert_eq!(days, vec!["2018-03-01", "2023-09-01", "2025-09-10"]);
    let suzuki = list.iter().find(|o| o.insured_number == b2).unwrap();
    assert_eq!(suzuki.name, "鈴木 次郎");
    let opened = p.store.open_opinion(&p.doctor, suzuki.id).unwrap();
    assert!(opened.version.frozen.is_some());
    assert!(p.store.verify_audit().unwrap().problems.is_empty());
    let mut trail = Vec::new();
    p.store
        .export_audit(
            &p.admin,
            &mut trail,
            &std::array::from_fn(|i| i.to_string()),
        )
        .unwrap();
    let trail = String::from_utf8(trail).unwrap();
    for row in [1, 2, 8] {
        assert!(
            trail.contains(&format!("1310112345_2025091001.csv:{row}")),
            "{trail}"
        );
    }

    // The same file again: nothing twice, the same refusals.
    let again =
        import_ikensyo_csv(&mut p.store, &p.admin, "again.csv", &bytes, &mut |_| true).unwrap();
    assert_eq!((again.imported, again.already), (0, 3));
    assert_eq!(again.refused.len(), 6);
    assert_eq!(
        p.store.search(&p.doctor, &Query::default()).unwrap().len(),
        3
    );

    // A new record of a known applicant is added to them.
    let later = file_of(&[record_1_2(b2, "20260401", &[(16, "鈴木 次郎")])]);
    let r = import_ikensyo_csv(&mut p.store, &p.admin, "later.csv", &later, &mut |_| true).unwrap();
    assert_eq!(
        (r.imported, r.new_applicants, r.known_applicants),
        (1, 0, 1)
    );

    // The renewal starts from the newest imported opinion (row 1, not row 8), on today's form.
    let draft = p
        .store
        .renew(&p.doctor, "131011", a, None, jiff::civil::date(2026, 12, 1))
        .unwrap();
    assert_eq!(draft.opinion.form_version, FormVersion::R8);
    assert_eq!(
        draft.opinion.answers.get("diagnosis-1"),
        Some(&Answer::Text("アルツハイマー型認知症".into()))
    );
    assert_eq!(draft.opinion.applicant.name, "山田 花子");
}

/// Cancelled halfway, a file leaves nothing behind; the next try imports it whole.
#[test]
fn a_cancelled_import_keeps_nothing_of_its_file() {
    use ikensho::store::{Query, StoreError};
    use ikensho::workflow::{WorkflowError, import_ikensyo_csv};
    let dir = tempfile::tempdir().unwrap();
    let mut p = ikensho_testkit::fixtures::people(
        &dir.path().join("ikensho.sqlite"),
        ikensho::store::Durability::Normal,
    );
    let rows: Vec<Vec<String>> = (0..20)
        .map(|i| record_1_2(&format!("{:010}", 1000 + i), "20250910", &[]))
        .collect();
    let bytes = file_of(&rows);
    let e = import_ikensyo_csv(&mut p.store, &p.admin, "a.csv", &bytes, &mut |pr| {
        pr.done < 10
    })
    .unwrap_err();
    assert!(
        matches!(e, WorkflowError::Store(StoreError::Cancelled)),
        "{e:?}"
    );
    assert!(
        p.store
            .search(&p.doctor, &Query::default())
            .unwrap()
            .is_empty()
    );
    let r = import_ikensyo_csv(&mut p.store, &p.admin, "a.csv", &bytes, &mut |_| true).unwrap();
    assert_eq!(r.imported, 20);
    assert_eq!(
        p.store.search(&p.doctor, &Query::default()).unwrap().len(),
        20
    );
    // A clerk may not import.
    assert!(import_ikensyo_csv(&mut p.store, &p.clerk, "b.csv", &bytes, &mut |_| true).is_err());
}

/// Round trip: every example opinion and the demo's paper opinion → 医見書's CSV (from a store,
/// as finalised versions) → imported into an empty store → the same answers item by item on
/// the R3 form, but for what the format cannot carry, which is listed here and in the export's
/// findings.
#[test]
fn every_example_survives_the_csv_and_back_but_what_it_cannot_carry() {
    use ikensho::form::changes::same_value;
    use ikensho::form::{FormDef, FormVersion, Opinion};
    use ikensho::ikensyo::export::ExportFinding;
    use ikensho::ikensyo::mapping::{Mapping, V1_2, not_carried};
    use ikensho::store::{Durability, PastOpinion, Query};
    use ikensho::workflow::{export_ikensyo_csv, import_ikensyo_csv};
    use ikensho_testkit::fixtures as common;
    let r3 = FormDef::builtin(FormVersion::R3).unwrap();
    let m = Mapping::load(V1_2, r3).unwrap();
    let demo = Opinion::from_json(include_str!("../../assets/demo/previous-opinion.json")).unwrap();
    let mut second = common::second_insured();
    second.applicant.insured_number = "0000099999".into();
    let examples = [
        common::r3_first_insured(),
        common::first_insured(),
        second,
        demo,
    ];
    // The source store holds them frozen (taken in as past opinions: any form).
    let dir = tempfile::tempdir().unwrap();
    let mut p = common::people(&dir.path().join("a.sqlite"), Durability::Normal);
    let past: Vec<PastOpinion> = examples
        .iter()
        .enumerate()
        .map(|(i, op)| PastOpinion {
            row: i + 1,
            fingerprint: format!("example-{i}"),
            opinion: op.clone(),
            written: None,
        })
        .collect();
    let stored = p
        .store
        .import_past(&p.admin, "examples", &past, &mut |_| true)
        .unwrap();
    let ids: Vec<i64> = stored
        .iter()
        .map(|o| match o {
            ikensho::store::PastOutcome::Imported { opinion_id, .. } => *opinion_id,
            other => panic!("{other:?}"),
        })
        .collect();
    // A clerk may not write the submission file.
    assert!(export_ikensyo_csv(&mut p.store, &p.clerk, &ids, &dir.path().join("x.csv")).is_err());
    assert!(!dir.path().join("x.csv").exists());
    let out = dir.path().join("1310123455_2026120201.csv");
    let file = export_ikensyo_csv(&mut p.store, &p.doctor, &ids, &out).unwrap();
    // The file is what was returned, and the trail says where each opinion went.
    assert_eq!(std::fs::read(&out).unwrap(), file.bytes);
    let mut trail = Vec::new();
    p.store
        .export_audit(
            &p.admin,
            &mut trail,
            &std::array::from_fn(|i| i.to_string()),
        )
        .unwrap();
    let trail = String::from_utf8(trail).unwrap();
    assert_eq!(
        trail.matches("1310123455_2026120201.csv").count(),
        ids.len(),
        "{trail}"
    );
    // What R8 added, said per opinion (never dropped in silence).
    let r8 = FormDef::builtin(FormVersion::R8).unwrap();
    for (id, op) in ids.iter().zip(&examples) {
        let said: Vec<&ExportFinding> = file
            .findings
            .iter()
            .filter(|f| f.opinion_id == *id)
            .map(|f| &f.finding)
            .collect();
        if op.form_version == FormVersion::R8 {
            for item in r8.items.iter().filter(|i| i.bind.is_none()) {
                if op.value(item).is_answered()
                    && r3.item(&item.id).is_none_or(|t| t.kind != item.kind)
                {
                    assert!(
                        said.contains(&&ExportFinding::NotCarried {
                            item: item.id.clone()
                        }),
                        "{} not said: {said:?}",
                        item.id
                    );
                }
            }
        } else {
            // The hub's request id is longer than 医見書's 依頼番号 (10): written, and said.
            assert_eq!(
                said,
                vec![&ExportFinding::TooLong {
                    column: 11,
                    max: 10,
                    found: 15
                }]
            );
        }
    }

    // The bytes, read without our reader: code page 932, no BOM, no header, CRLF after each
    // record and nowhere else, every field quoted, 121 fields, 029 empty on R8 and 1 (同意する)
    // on the R3 opinion, 003 = 006 and the ddHHmmss of 確定.
    let (text, _, errors) = SHIFT_JIS.decode(&file.bytes);
    assert!(!errors);
    assert!(text.ends_with("\r\n") && !text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    assert_eq!(lines.len(), examples.len());
    for (line, op) in lines.iter().zip(&examples) {
        assert!(!line.contains('\n') && !line.contains('\r'));
        let fields = quoted_fields(line);
        assert_eq!(fields.len(), 121, "{line}");
        assert_eq!(fields[0], "1.2");
        let consent = if op.form_version == FormVersion::R3 {
            "1"
        } else {
            ""
        };
        assert_eq!(fields[28], consent);
        assert_eq!(fields[5].len(), 10);
        assert!(
            fields[2].starts_with(&fields[5]) && fields[2].len() == 18,
            "{}",
            fields[2]
        );
        assert!(fields[42].is_empty() || !fields[42].contains('\n'));
    }

    // A character code page 932 lacks is said, with the opinion and the column, before
    // anything is written; so are two opinions of one applicant on one 記入日.
    let mut yoshida = common::r3_first_insured();
    yoshida.applicant.name = "𠮷田 花子".into();
    yoshida.applicant.insured_number = "0000077777".into();
    let stored = p
        .store
        .import_past(
            &p.admin,
            "more",
            &[PastOpinion {
                row: 1,
                fingerprint: "yoshida".into(),
                opinion: yoshida,
                written: None,
            }],
            &mut |_| true,
        )
        .unwrap();
    let ikensho::store::PastOutcome::Imported { opinion_id, .. } = stored[0] else {
        panic!("{stored:?}");
    };
    match export_ikensyo_csv(
        &mut p.store,
        &p.doctor,
        &[ids[0], opinion_id],
        &dir.path().join("y.csv"),
    ) {
        Err(ikensho::workflow::WorkflowError::Export(e)) => assert_eq!(
            e,
            ikensho::workflow::ExportError::Unencodable {
                opinion_id,
                column: 16,
                code: 0x20BB7
            }
        ),
        other => panic!("{other:?}"),
    }
    assert!(!dir.path().join("y.csv").exists(), "nothing written");
    assert!(matches!(
        export_ikensyo_csv(
            &mut p.store,
            &p.doctor,
            &[ids[0], ids[0]],
            &dir.path().join("z.csv")
        ),
        Err(ikensho::workflow::WorkflowError::Export(
            ikensho::workflow::ExportError::SameDay { .. }
        ))
    ));

    // Into an empty store.
    let mut q = common::people(&dir.path().join("b.sqlite"), Durability::Normal);
    let r = import_ikensyo_csv(&mut q.store, &q.admin, "back.csv", &file.bytes, &mut |_| {
        true
    })
    .unwrap();
    assert_eq!(r.refused, vec![], "{:?}", r.refused);
    assert_eq!(r.imported, examples.len());
    // Imported in the file's order, the examples' order.
    let mut list = q.store.search(&q.doctor, &Query::default()).unwrap();
    list.sort_by_key(|o| o.id);
    let missing = not_carried(&m, r3);
    let mut differ = Vec::new();
    let mut lost = std::collections::BTreeSet::new();
    for (op, back) in examples.iter().zip(&list) {
        let back = q.store.open_opinion(&q.doctor, back.id).unwrap().opinion;
        assert_eq!(back.form_version, FormVersion::R3);
        let from = FormDef::builtin(op.form_version).unwrap();
        for item in r3.items.iter().filter(|i| i.has_value()) {
            if missing.contains(&item.id) {
                if from
                    .item(&item.id)
                    .is_some_and(|f| op.value(f).is_answered())
                {
                    lost.insert(item.id.clone());
                }
                continue;
            }
            let before = from
                .item(&item.id)
                .filter(|f| f.kind == item.kind)
                .map_or(ikensho::form::opinion::ValueRef::Empty, |f| op.value(f));
            // The format writes digits in ASCII and 元年 as 1: the same answer as typed.
            if !same_value(before, back.value(item))
                && canonical(before) != canonical(back.value(item))
            {
                differ.push(format!(
                    "{:?} {}: {:?} -> {:?}",
                    op.form_version,
                    item.id,
                    before,
                    back.value(item)
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{differ:#?}");
    // What the examples say that 医見書's format has no column for (docs/ikensyo-csv.md): the
    // hub request's 申請区分 and 提出期限, and 特定疾病 (医見書 has no such field).
    assert_eq!(
        lost,
        ["application-kind", "due-date", "specified-disease"]
            .map(String::from)
            .into()
    );
}

/// The fields of one line in which every field is quoted and `"` inside is doubled; panics on
/// anything else (a field not quoted, a stray quote).
fn quoted_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        assert_eq!(chars.next(), Some('"'), "a field not quoted in {line}");
        let mut f = String::new();
        loop {
            match chars.next() {
                Some('"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    f.push('"');
                }
                Some('"') => break,
                Some(c) => f.push(c),
                None => panic!("a quote not closed in {line}"),
            }
        }
        out.push(f);
        match chars.next() {
            Some(',') => {}
            None => return out,
            Some(c) => panic!("{c:?} after a field in {line}"),
        }
    }
}

/// A value with its digits in NFKC and 元 as 1, for comparing what was typed with what the CSV
/// brings back.
fn canonical(v: ikensho::form::opinion::ValueRef<'_>) -> String {
    use ikensho::form::normalize::nfkc_trim;
    use ikensho::form::opinion::ValueRef;
    let n = |s: &str| {
        let s = nfkc_trim(s);
        if s == "元" { "1".to_owned() } else { s }
    };
    match v {
        ValueRef::Text(t) => n(t),
        ValueRef::Date(d) => format!("{} {} {} {}", d.era, n(&d.year), n(&d.month), n(&d.day)),
        other => format!("{other:?}"),
    }
}

/// The mapping's cross-column rules: 「特になし」 in all five 留意事項 is R3's 特記すべき項目なし
/// (and is written back so), and a derived yes/no that disagrees with its columns is noted.
#[test]
fn the_cross_column_rules_are_read() {
    use ikensho::form::opinion::Answer;
    use ikensho::form::{FormDef, FormVersion};
    use ikensho::ikensyo::import::{Unread, convert};
    use ikensho::ikensyo::mapping::{Mapping, V1_2};
    let r3 = FormDef::builtin(FormVersion::R3).unwrap();
    let m = Mapping::load(V1_2, r3).unwrap();
    let none = [
        (108, "1"),
        (110, "1"),
        (112, "1"),
        (114, "1"),
        (116, "1"),
        (52, "1"),
    ];
    let row = record_1_2("0000012345", "20250910", &none);
    let c = convert(&row, &m, r3).unwrap();
    assert_eq!(
        c.opinion.answers.get("care-notes"),
        Some(&Answer::List(vec!["none".into()]))
    );
    assert!(
        c.findings
            .iter()
            .any(|f| f.column == 52 && f.unread == Unread::Disagrees("1".into())),
        "{:?}",
        c.findings
    );
    // One of them 「あり」: no 特記すべき項目なし.
    let mut some = none;
    some[0] = (108, "2");
    let c = convert(&record_1_2("0000012345", "20250910", &some), &m, r3).unwrap();
    assert_eq!(
        c.opinion.answers.get("care-notes"),
        Some(&Answer::List(vec!["blood-pressure".into()]))
    );
}

/// A file of FormatVersion 1.0 (the older 104-column layout) is read by its own mapping: the
/// columns it shares, 体重 and 身長 in its order, and its damaged rows refused by row and column.
#[test]
fn a_1_0_file_is_imported_by_its_own_layout() {
    use ikensho::form::opinion::Answer;
    use ikensho::store::{Durability, Query};
    use ikensho::workflow::{Refusal, import_ikensyo_csv};
    use ikensho_testkit::ikensyo::record_1_0;
    let dir = tempfile::tempdir().unwrap();
    let mut p =
        ikensho_testkit::fixtures::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let mut short = record_1_0("0000012345", "20050910", &[]);
    short.pop();
    let rows = vec![
        record_1_0("0000012345", "20050910", &[]),
        short,
        record_1_0("0000012346", "20050911", &[(30, "2005091")]),
        record_1_0("0000012347", "20050912", &[(47, "X")]),
    ];
    let r = import_ikensyo_csv(
        &mut p.store,
        &p.admin,
        "old.csv",
        &file_of(&rows),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(r.imported, 1, "{:?}", r.refused);
    let refused: Vec<(usize, Option<usize>)> =
        r.refused.iter().map(|f| (f.row, f.column)).collect();
    assert_eq!(refused, vec![(2, None), (3, Some(30)), (4, Some(47))]);
    assert_eq!(r.refused[2].name, "障害高齢者の日常生活自立度(寝たきり度)");
    assert!(matches!(
        r.refused[0].why,
        Refusal::Columns {
            found: 103,
            expected: 104
        }
    ));
    let list = p.store.search(&p.doctor, &Query::default()).unwrap();
    let op = p.store.open_opinion(&p.doctor, list[0].id).unwrap().opinion;
    assert_eq!(op.applicant.name, "山田 花子");
    assert_eq!(op.answers.get("weight"), Some(&Answer::Text("45".into())));
    assert_eq!(op.answers.get("height"), Some(&Answer::Text("150".into())));
    assert_eq!(
        op.answers.get("diagnosis-1"),
        Some(&Answer::Text("アルツハイマー型認知症".into()))
    );
}

/// The 1.0 mapping is data checked against R3 like 1.2's.
#[test]
fn the_mapping_of_1_0_names_only_what_the_r3_form_has() {
    use ikensho::form::{FormDef, FormVersion};
    use ikensho::ikensyo::mapping::{Kind, Mapping, V1_0};
    let r3 = FormDef::builtin(FormVersion::R3).unwrap();
    let m = Mapping::load(V1_0, r3).unwrap();
    assert_eq!((m.format.as_str(), m.column.len()), ("1.0", 104));
    assert_eq!(m.column(61).unwrap().to.as_deref(), Some("weight"));
    assert_eq!(m.column(62).unwrap().to.as_deref(), Some("height"));
    assert_eq!(m.column(87).unwrap().kind, Kind::NotCarried);
}
