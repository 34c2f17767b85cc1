//! The paper form, checked with the tools a municipality's PDF reader stands for: poppler
//! (`pdftotext`, `pdffonts`, `pdfinfo`, `pdftoppm`) and `qpdf --check`, plus golden page images.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::path::{Path, PathBuf};
use std::process::Command;

use ikensho::form::opinion::ValueRef;
use ikensho::form::{Answer, FormDef, ItemKind, Opinion, Severity};
use ikensho::i18n::{Lang, Locales};
use ikensho::pdf::sheet::Mark;
use ikensho::pdf::{PrintOptions, msg, render, sheet};
use ikensho::store::{Action, Durability, State, StoreError};
use ikensho::workflow::{StoredPrint, WorkflowError, print_stored};

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} could not run ({e}): apt-get install poppler-utils qpdf")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

struct Pdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Pdf {
    fn write(bytes: &[u8]) -> Pdf {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("opinion.pdf");
        std::fs::write(&path, bytes).unwrap();
        Pdf { _dir: dir, path }
    }

    fn p(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// The text of page `page` (1-based; 0 = all) in content order, without any white space,
    /// so a value wrapped over several lines reads as one.
    fn text(&self, page: u32) -> String {
        let mut args = vec!["-raw", "-enc", "UTF-8"];
        let n = page.to_string();
        if page > 0 {
            args.extend(["-f", &n, "-l", &n]);
        }
        args.extend([self.p(), "-"]);
        let out = tool("pdftotext", &args);
        String::from_utf8(out.stdout)
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    fn info(&self) -> String {
        String::from_utf8(tool("pdfinfo", &[self.p()]).stdout).unwrap()
    }

    fn pages(&self) -> usize {
        let info = self.info();
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line[6..].trim().parse().unwrap()
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn final_copy() -> PrintOptions {
    PrintOptions {
        print_physician_name: false,
        draft: false,
    }
}

fn draft_copy() -> PrintOptions {
    PrintOptions {
        print_physician_name: false,
        draft: true,
    }
}

fn form_of(op: &Opinion) -> &'static FormDef {
    common::form(op.form_version)
}

fn ja(key: &str) -> String {
    Locales::builtin().unwrap().text(Lang::Ja, key, None)
}

/// Every value the paper must show, as (item, what pdftotext finds): texts and numbers as typed
/// (NFKC for numbers), and each chosen choice as ■ and its printed label.
fn expected_values(op: &Opinion) -> Vec<(String, String)> {
    let form = form_of(op);
    let shown = ikensho::form::validate::shown_items(op, form);
    let mut out = Vec::new();
    for (i, item) in form.items.iter().enumerate() {
        let section = &form.sections[item.section];
        if !item.printed || !section.printed || !shown[i] || item.id == "physician-name" {
            continue;
        }
        match (item.kind, op.value(item)) {
            (
                ItemKind::Text | ItemKind::Multiline | ItemKind::Number | ItemKind::Identifier,
                ValueRef::Text(s),
            ) if !s.trim().is_empty() => {
                let s = if matches!(item.kind, ItemKind::Number | ItemKind::Identifier) {
                    ikensho::form::normalize::nfkc_trim(s)
                } else {
                    s.to_owned()
                };
                out.push((item.id.clone(), squeeze(&s)));
            }
            (ItemKind::Single | ItemKind::Multi, v)
                if item.id != "applicant-sex" && v.is_answered() =>
            {
                let chosen: Vec<String> = match v {
                    ValueRef::Text(c) => vec![c.to_owned()],
                    other => other.selected().to_vec(),
                };
                for c in chosen {
                    out.push((
                        item.id.clone(),
                        format!("■{}", squeeze(&ja(&item.choice_label_key(&c)))),
                    ));
                }
            }
            (ItemKind::Flag, ValueRef::Flag(true)) => {
                out.push((item.id.clone(), format!("■{}", ja(&item.label_key()))));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_filled_value_and_section_label_is_in_the_pdf() {
    for op in [
        common::first_insured(),
        common::second_insured(),
        common::r3_first_insured(),
    ] {
        let printed = render(form_of(&op), &op, final_copy()).unwrap();
        assert_eq!(printed.pages, 2);
        assert!(printed.findings.is_empty(), "{:?}", printed.findings);
        let pdf = Pdf::write(&printed.bytes);
        let text = pdf.text(0);
        let values = expected_values(&op);
        assert!(values.len() > 30, "{} values", values.len());
        for (item, value) in values {
            assert!(text.contains(&value), "{item}: {value} not in the PDF");
        }
        for label in [
            "主治医意見書",
            "記入日",
            "申請者",
            "医師氏名",
            "医療機関名",
            "医療機関所在地",
            "(1)最終診察日",
            "(2)意見書作成回数",
            "(3)他科受診の有無",
            "1．傷病に関する意見",
            "2．特別な医療（過去14日間以内に受けた医療のすべてにチェック）",
            "3．心身の状態に関する意見",
            "(5)身体の状態",
            "4．生活機能とサービスに関する意見",
            "5．特記すべき事項",
            "上記の申請者に関する意見は以下の通りです。",
        ] {
            assert!(text.contains(label), "{label} not in the PDF");
        }
        // 和暦 dates in their slots: 記入日 and 最終診察日 read back whole.
        let written = match op.answers.get("written-date") {
            Some(Answer::Date(d)) => format!("令和{}年{}月{}日", d.year, d.month, d.day),
            other => panic!("{other:?}"),
        };
        assert!(text.contains(&written), "{written}");
        // Numbers with their units.
        assert!(text.contains("身長＝148.5cm") || op.applicant.name != "山田 花子");
        // Page 2 names the applicant and 記入日 in its header.
        let page2 = pdf.text(2);
        assert!(page2.starts_with(&format!(
            "申請者氏名{}記入日{written}",
            squeeze(&op.applicant.name)
        )));
        // No draft mark on a final copy.
        assert!(!text.contains("下書き"));
    }
}

#[test]
fn the_r8_form_has_no_consent_line_and_no_attachment_note() {
    let r3 = Pdf::write(
        &render(
            form_of(&common::r3_first_insured()),
            &common::r3_first_insured(),
            final_copy(),
        )
        .unwrap()
        .bytes,
    )
    .text(0);
    let r8 = Pdf::write(
        &render(
            form_of(&common::first_insured()),
            &common::first_insured(),
            final_copy(),
        )
        .unwrap()
        .bytes,
    )
    .text(0);
    assert!(r3.contains("利用されることに■同意する。□同意しない。"));
    assert!(r3.contains("添付して頂いても結構です"));
    assert!(!r8.contains("同意する"));
    assert!(!r8.contains("添付して頂いても結構です"));
    assert!(r8.contains("専門医等に別途意見を求めた場合はその内容、結果も記載して下さい。"));
}

#[test]
fn font_embedded_as_subset_two_a4_pages_and_qpdf_clean() {
    let op = common::second_insured();
    let pdf = Pdf::write(&render(form_of(&op), &op, draft_copy()).unwrap().bytes);
    let fonts = String::from_utf8(tool("pdffonts", &[pdf.p()]).stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{fonts}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    // name type... emb sub uni
    assert!(
        cols[0].contains('+') && cols[0].contains("BIZUDGothic"),
        "{fonts}"
    );
    let n = cols.len();
    assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{fonts}");
    let info = pdf.info();
    assert_eq!(pdf.pages(), 2);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let check = tool("qpdf", &["--check", pdf.p()]);
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

#[test]
fn physician_name_is_left_blank_for_the_signature_unless_set() {
    let op = common::first_insured();
    let name = squeeze(&op.clinic.physician_name);
    assert!(!name.is_empty());
    let blank = Pdf::write(&render(form_of(&op), &op, final_copy()).unwrap().bytes).text(1);
    assert!(blank.contains("医師氏名医療機関名"), "blank row");
    assert!(!blank.contains(&name));
    let named = render(
        form_of(&op),
        &op,
        PrintOptions {
            print_physician_name: true,
            draft: false,
        },
    )
    .unwrap();
    assert!(
        Pdf::write(&named.bytes)
            .text(1)
            .contains(&format!("医師氏名{name}"))
    );
}

#[test]
fn a_draft_carries_the_mark_on_every_page() {
    let mut op = common::first_insured();
    op.answers
        .insert("special-notes", Answer::Text("長い記載。".repeat(1200)));
    let printed = render(form_of(&op), &op, draft_copy()).unwrap();
    let pdf = Pdf::write(&printed.bytes);
    let pages = pdf.pages();
    assert!(pages >= 3, "a continuation sheet");
    assert_eq!(pages, printed.pages);
    for page in 1..=pages as u32 {
        assert!(pdf.text(page).contains("下書き"), "page {page}");
    }
}

#[test]
fn overflowing_notes_are_warned_about_and_printed_whole_on_a_continuation_sheet() {
    let mut op = common::first_insured();
    let long: String = (1..=150)
        .map(|i| format!("{i}．夜間の徘徊があり、家族が見守りを続けている。"))
        .collect();
    op.answers
        .insert("special-notes", Answer::Text(long.clone()));
    let form = form_of(&op);
    let findings = ikensho::pdf::check(form, &op, final_copy()).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (f.item.as_str(), f.message, f.severity),
        ("special-notes", msg::OVERFLOW, Severity::Warning)
    );
    let over = match f.args.iter().find(|(k, _)| *k == "over") {
        Some((_, ikensho::form::validate::Arg::Number(n))) => *n as usize,
        other => panic!("{other:?}"),
    };
    assert!(over > 100 && over < long.chars().count(), "over {over}");
    // The message names the item and the amount, in both languages.
    for lang in Lang::ALL {
        let d = ikensho::form::describe::Describer {
            locales: Locales::builtin().unwrap(),
            lang,
            form,
        };
        let text = d.finding(f);
        assert!(text.contains(&over.to_string()), "{text}");
        assert!(text.contains(&d.item_label("special-notes")), "{text}");
    }
    let printed = render(form, &op, final_copy()).unwrap();
    assert_eq!(printed.findings, findings);
    let pdf = Pdf::write(&printed.bytes);
    assert_eq!(pdf.pages(), 3);
    assert!(pdf.text(2).contains("→別紙"));
    let sheet3 = pdf.text(3);
    assert!(sheet3.contains("別紙"));
    assert!(sheet3.contains("特記すべき事項"));
    assert!(
        sheet3.contains(&squeeze(&long)),
        "the whole text is on the sheet"
    );
    // What the box shows plus what it does not is the whole text.
    let sheet = sheet(form, &op, final_copy()).unwrap();
    let placed = sheet
        .placed
        .iter()
        .find(|p| p.item == "special-notes")
        .unwrap();
    let fitted = placed.fitted.as_ref().unwrap();
    assert_eq!(fitted.size_pt, ikensho::pdf::sheet::style::MIN_PT);
    let shown: usize = fitted
        .lines
        .iter()
        .map(|l| {
            l.trim_end_matches(ikensho::pdf::fit::CONTINUED)
                .chars()
                .count()
        })
        .sum();
    assert_eq!(shown + over, long.chars().count());
}

#[test]
fn text_that_fits_only_smaller_is_shrunk_not_cut() {
    let mut op = common::first_insured();
    let text = "右大腿骨頸部骨折術後、歩行器にて屋内歩行。".repeat(40);
    op.answers
        .insert("course-treatment", Answer::Text(text.clone()));
    let form = form_of(&op);
    let sheet = sheet(form, &op, final_copy()).unwrap();
    let placed = sheet
        .placed
        .iter()
        .find(|p| p.item == "course-treatment")
        .unwrap();
    let fitted = placed.fitted.as_ref().unwrap();
    assert_eq!(fitted.over, 0);
    assert!(fitted.size_pt < ikensho::pdf::sheet::style::VALUE_PT);
    assert_eq!(fitted.lines.concat(), text);
    // No line starts with a character the rules keep off the start of a line.
    for line in &fitted.lines {
        let first = line.chars().next().unwrap();
        assert!(!"、。」）".contains(first), "{line}");
    }
    let printed = render(form, &op, final_copy()).unwrap();
    assert!(printed.findings.is_empty());
    assert!(Pdf::write(&printed.bytes).text(1).contains(&text));
}

#[test]
fn characters_the_font_lacks_are_named_before_printing_and_shown_as_geta() {
    let mut op = common::first_insured();
    op.applicant.name = "𠮷田 花子".into();
    let form = form_of(&op);
    let findings = ikensho::pdf::check(form, &op, final_copy()).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].item, "applicant-name");
    assert_eq!(findings[0].message, msg::MISSING_GLYPH);
    assert!(matches!(&findings[0].args[1].1, ikensho::form::validate::Arg::Text(c) if c == "𠮷"));
    let text = Pdf::write(&render(form, &op, final_copy()).unwrap().bytes).text(0);
    assert!(text.contains("〓田花子"));
    assert!(!text.contains('𠮷'));
    // 髙 is in the font and prints as itself.
    op.applicant.name = "髙橋 花子".into();
    assert!(
        ikensho::pdf::check(form, &op, final_copy())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn chosen_sex_and_eras_are_circled_and_emphasised_services_underlined() {
    let op = common::first_insured();
    assert_eq!(op.applicant.sex, "female");
    let sheet = sheet(form_of(&op), &op, final_copy()).unwrap();
    let marks = &sheet.pages[0].marks;
    let ellipses: Vec<(f32, f32)> = marks
        .iter()
        .filter_map(|m| match m {
            Mark::Ellipse { cx, cy, .. } => Some((*cx, *cy)),
            _ => None,
        })
        .collect();
    let circled = |label: &str| {
        marks.iter().any(|m| match m {
            Mark::Text { x, y, text, .. } if text == label => ellipses
                .iter()
                .any(|(cx, cy)| (cx - x).abs() < 4.0 && (cy - y).abs() < 3.0),
            _ => false,
        })
    };
    assert!(circled("女"));
    assert!(!circled("男"));
    assert!(circled("昭"), "birth era");
    assert!(circled("平成"), "onset era");
    // One circle for the sex, one for the birth era, one per onset date given.
    assert_eq!(ellipses.len(), 2 + 3);
    // 4.(5): the emphasised service is underlined (two rules under its label), the others not.
    let underlined = |label: &str| underlined_on(&sheet.pages[1].marks, label);
    let services = match op.answers.get("medical-services") {
        Some(Answer::Marked(m)) => m.clone(),
        other => panic!("{other:?}"),
    };
    assert!(!services.emphasized.is_empty());
    for c in &services.selected {
        let label = ja(&format!("choice-medical-services-{c}"));
        assert_eq!(
            underlined(&label),
            services.emphasized.contains(c),
            "{label}"
        );
    }
    // An underline on a service left unchecked (an error that blocks the final copy) still shows
    // on a draft copy: nothing the user marked is dropped.
    let mut op = op;
    op.answers.insert(
        "medical-services",
        Answer::Marked(ikensho::form::Marked {
            selected: vec![],
            emphasized: vec!["day-rehab".into()],
        }),
    );
    let draft = ikensho::pdf::sheet(form_of(&op), &op, draft_copy()).unwrap();
    assert!(underlined_on(
        &draft.pages[1].marks,
        &ja("choice-medical-services-day-rehab")
    ));
}

/// Whether `label` on a page has two rules just under it (an underline).
fn underlined_on(page: &[Mark], label: &str) -> bool {
    page.iter().any(|m| match m {
        Mark::Text { x, y, text, .. } if text == label => page.iter().any(|l| {
            matches!(l, Mark::Line { x1, y1, y2, .. }
                if (x1 - x).abs() < 0.01 && (y1 - y2).abs() < 0.01 && *y1 > *y && *y1 < y + 2.0)
        }),
        _ => false,
    })
}

#[test]
fn every_printed_item_of_both_forms_has_its_place_on_the_sheet() {
    for op in [common::first_insured(), common::r3_first_insured()] {
        let form = form_of(&op);
        let sheet = sheet(form, &op, final_copy()).unwrap();
        for item in &form.items {
            let section = &form.sections[item.section];
            if !item.printed || !section.printed || item.kind == ItemKind::Note {
                continue;
            }
            assert!(
                sheet.placed.iter().any(|p| p.item == item.id),
                "{:?}: {} is not on the sheet",
                form.version,
                item.id
            );
        }
        for p in &sheet.placed {
            assert!(form.item(&p.item).is_some(), "unknown item {}", p.item);
        }
    }
}

/// Page images against the reviewed ones in `tests/golden/` (50 dpi, grey). A pixel differs when
/// its grey level moves by more than 64 of 255; up to 0.5% may differ (anti-aliasing and poppler
/// versions). `UPDATE_GOLDEN=1` rewrites them: look at them before committing.
#[test]
fn page_images_match_the_reviewed_golden_images() {
    let cases = [
        ("first-insured-final", common::first_insured(), final_copy()),
        (
            "second-insured-draft",
            common::second_insured(),
            draft_copy(),
        ),
    ];
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (name, op, opts) in cases {
        let pdf = Pdf::write(&render(form_of(&op), &op, opts).unwrap().bytes);
        for page in 1..=2 {
            let n = page.to_string();
            let out = pdf.path.with_file_name(format!("p{page}"));
            tool(
                "pdftoppm",
                &[
                    "-r",
                    "50",
                    "-gray",
                    "-png",
                    "-singlefile",
                    "-f",
                    &n,
                    "-l",
                    &n,
                    pdf.p(),
                    out.to_str().unwrap(),
                ],
            );
            let rendered = out.with_extension("png");
            let want = golden.join(format!("{name}-{page}.png"));
            if update {
                std::fs::create_dir_all(&golden).unwrap();
                std::fs::copy(&rendered, &want).unwrap();
                continue;
            }
            let (w1, h1, a) = grey_pixels(&rendered);
            let (w2, h2, b) = grey_pixels(&want);
            assert_eq!((w1, h1), (w2, h2), "{name} page {page}: size");
            let differing = a
                .iter()
                .zip(&b)
                .filter(|(x, y)| x.abs_diff(**y) > 64)
                .count();
            let share = differing as f64 / a.len() as f64;
            assert!(
                share < 0.005,
                "{name} page {page}: {differing} pixels ({:.2}%) differ from {}; if the layout \
                 change is intended, rerun with UPDATE_GOLDEN=1 and review the images",
                share * 100.0,
                want.display()
            );
        }
    }
}

fn grey_pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let grey = buf.chunks(channels).map(|px| px[0]).collect();
    (info.width, info.height, grey)
}

#[test]
fn only_a_physician_prints_the_final_copy_which_freezes_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Normal);
    let example = common::first_insured();
    let (id, version_id) = common::store_example(&mut c, true);
    let today = common::today();

    // A clerk: a draft copy yes (recorded), the final copy no, and nothing changes.
    let copy = print_stored(&mut c.store, &c.clerk, id, &StoredPrint::draft(), &today).unwrap();
    assert!(Pdf::write(&copy.printed.bytes).text(1).contains("下書き"));
    match print_stored(
        &mut c.store,
        &c.clerk,
        id,
        &StoredPrint::final_copy(),
        &today,
    ) {
        Err(WorkflowError::Store(StoreError::Refused { action, .. })) => {
            assert_eq!(action, Action::PrintFinal)
        }
        other => panic!("{:?}", other.map(|p| p.printed.pages)),
    }
    let info = c.store.open_opinion(&c.doctor, id).unwrap();
    assert_eq!(info.info.state, State::ClerkEntry);
    assert!(info.version.frozen.is_none());

    // The physician reviews the clerk's items, then prints the final copy: 確定 and 紙で提出.
    c.store.review_items(&c.doctor, version_id, &[]).unwrap();
    let fin = print_stored(
        &mut c.store,
        &c.doctor,
        id,
        &StoredPrint::final_copy(),
        &today,
    )
    .unwrap();
    let text = Pdf::write(&fin.printed.bytes).text(0);
    assert!(!text.contains("下書き"));
    let opened = c.store.open_opinion(&c.doctor, id).unwrap();
    assert_eq!(opened.info.state, State::Paper);
    assert_eq!(opened.version.frozen.as_deref(), Some("finalised"));
    // The frozen version refuses changes.
    assert!(
        c.store
            .autosave(
                &c.doctor,
                opened.version.id,
                opened.version.revision,
                &example
            )
            .is_err()
    );
    // A reprint is allowed and recorded again.
    let again = print_stored(
        &mut c.store,
        &c.doctor,
        id,
        &StoredPrint::final_copy(),
        &today,
    )
    .unwrap();
    assert_eq!(again.printed.pages, 2);

    // The audit trail: one draft print by the clerk, two final prints by the physician, each
    // with the PDF's SHA-256; the chain is intact.
    let mut out = Vec::new();
    let header = ikensho::store::Store::audit_columns().map(String::from);
    c.store.export_audit(&c.admin, &mut out, &header).unwrap();
    let csv = String::from_utf8(out).unwrap();
    let hash = ikensho::store::sha256_hex(&fin.printed.bytes);
    assert_eq!(csv.matches("print-final").count(), 2, "{csv}");
    assert_eq!(csv.matches("print-draft").count(), 1, "{csv}");
    assert!(csv.contains(&format!("pdf-sha256={hash}")), "{csv}");
    let again_hash = ikensho::store::sha256_hex(&again.printed.bytes);
    assert!(csv.contains(&format!("pdf-sha256={again_hash}")), "{csv}");
    assert!(csv.contains(&format!(
        "pdf-sha256={}",
        ikensho::store::sha256_hex(&copy.printed.bytes)
    )));
    assert!(c.store.verify_audit().unwrap().problems.is_empty());
}

#[test]
fn a_pdf_stays_well_under_200_kb() {
    for op in [common::first_insured(), common::second_insured()] {
        let printed = render(form_of(&op), &op, draft_copy()).unwrap();
        assert!(
            printed.bytes.len() < 200 * 1024,
            "{} bytes",
            printed.bytes.len()
        );
    }
}

#[test]
fn a_final_r8_print_with_a_continuation_sheet_waits_for_the_physician_to_accept_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Normal);
    let (id, version_id) = common::store_example(&mut c, false);
    let today = common::today();
    let mut op = common::first_insured();
    let long: String = (1..=150)
        .map(|i| format!("{i}．夜間の徘徊があり、家族が見守りを続けている。"))
        .collect();
    op.answers.insert("special-notes", Answer::Text(long));
    let rev = c
        .store
        .open_opinion(&c.doctor, id)
        .unwrap()
        .version
        .revision;
    c.store.autosave(&c.doctor, version_id, rev, &op).unwrap();
    let before = c.store.open_opinion(&c.doctor, id).unwrap();

    // Without the physician's word: refused, naming the item, and the draft is as it was.
    match print_stored(
        &mut c.store,
        &c.doctor,
        id,
        &StoredPrint::final_copy(),
        &today,
    ) {
        Err(WorkflowError::Continuation { items }) => {
            assert_eq!(items, vec!["special-notes".to_string()]);
            for lang in Lang::ALL {
                let text = ikensho::pdf::continuation_message(
                    Locales::builtin().unwrap(),
                    lang,
                    "print-continuation-refused",
                    &items,
                );
                let d = ikensho::form::describe::Describer {
                    locales: Locales::builtin().unwrap(),
                    lang,
                    form: form_of(&op),
                };
                assert!(text.contains(&d.item_label("special-notes")), "{text}");
                assert!(text.contains("--allow-continuation"), "{text}");
            }
        }
        other => panic!("{:?}", other.map(|p| p.printed.pages)),
    }
    let after = c.store.open_opinion(&c.doctor, id).unwrap();
    assert_eq!(after.info.state, before.info.state);
    assert_eq!(after.version.revision, before.version.revision);
    assert!(after.version.frozen.is_none());
    // A draft copy is not refused: it is for reading.
    assert!(print_stored(&mut c.store, &c.doctor, id, &StoredPrint::draft(), &today).is_ok());

    // With it: three pages, the third the continuation sheet, and the opinion is on paper.
    let how = StoredPrint {
        allow_continuation: true,
        ..StoredPrint::final_copy()
    };
    let fin = print_stored(&mut c.store, &c.doctor, id, &how, &today).unwrap();
    assert_eq!(fin.printed.pages, 3);
    assert!(Pdf::write(&fin.printed.bytes).text(3).contains("別紙"));
    let opened = c.store.open_opinion(&c.doctor, id).unwrap();
    assert_eq!(opened.info.state, State::Paper);
}

#[test]
fn an_r3_opinion_prints_its_continuation_sheet_as_the_form_says() {
    // The R3 form notes 「別紙」 itself: no acceptance is asked for.
    let mut op = common::r3_first_insured();
    let long: String = (1..=150)
        .map(|i| format!("{i}．夜間の徘徊があり、家族が見守りを続けている。"))
        .collect();
    op.answers.insert("special-notes", Answer::Text(long));
    let form = form_of(&op);
    let findings = ikensho::pdf::check(form, &op, final_copy()).unwrap();
    assert!(findings.iter().any(|f| f.message == msg::OVERFLOW));
    assert!(ikensho::workflow::continuation_items(form, &findings).is_empty());
}
