//! 医見書's CSV conventions: files written here by hand in code page 932 (with encoding_rs, not
//! with our writer) are read back field for field, and what our writer writes is checked byte by
//! byte against the conventions without our reader.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use encoding_rs::SHIFT_JIS;
use ikensho::ikensyo::csv::{CsvError, Encoding, decode, from_vt, records, write};

/// A file as 医見書 writes one: each field quoted with `"` doubled, CRLF after every record,
/// in code page 932.
fn ikensyo_file(rows: &[&[&str]]) -> Vec<u8> {
    let mut text = String::new();
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, errors) = SHIFT_JIS.encode(&text);
    assert!(!errors);
    bytes.into_owned()
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
