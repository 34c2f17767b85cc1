//! The form files: both load, cover every item of the specification in printed order, and a broken
//! file is refused with a message that names the line of the problem.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use ikensho::form::def::FormDef;
use ikensho::form::{FormVersion, ItemKind};
use ikensho::i18n::Locales;

const R8: &str = include_str!("../../forms/R8.toml");

fn locales() -> &'static Locales {
    Locales::builtin().expect("locales load")
}

/// The R8 items in printed order (domain specification §1; non-printed items where they belong).
const R8_ORDER: &[&str] = &[
    // 基本情報
    "written-date",
    "applicant-kana",
    "applicant-name",
    "applicant-sex",
    "applicant-birth-date",
    "applicant-age",
    "applicant-postal-code",
    "applicant-address",
    "applicant-phone",
    "insurer-number",
    "insured-number",
    "intro-note",
    "physician-name",
    "clinic-name",
    "clinic-phone",
    "clinic-address",
    "clinic-fax",
    "institution-code",
    "last-exam-date",
    "opinion-count",
    "other-visits",
    "other-departments",
    "other-departments-other",
    // 作成依頼
    "request-id",
    "application-date",
    "application-kind",
    "requested-date",
    "due-date",
    // 1.
    "diagnosis-1",
    "onset-1",
    "specified-disease",
    "diagnosis-2",
    "onset-2",
    "diagnosis-3",
    "onset-3",
    "additional-diagnoses",
    "stability",
    "stability-detail",
    "course-treatment",
    // 2.
    "special-procedures",
    "special-responses",
    "special-incontinence",
    // 3.
    "bedridden-level",
    "dementia-level",
    "short-term-memory",
    "decision-making",
    "communication",
    "bpsd",
    "bpsd-items",
    "bpsd-other",
    "psych-symptoms",
    "psych-symptom-name",
    "specialist-visit",
    "specialist-visit-detail",
    "handedness",
    "height",
    "weight",
    "weight-change",
    "limb-loss",
    "limb-loss-site",
    "paralysis",
    "paralysis-sites",
    "paralysis-right-arm-degree",
    "paralysis-left-arm-degree",
    "paralysis-right-leg-degree",
    "paralysis-left-leg-degree",
    "paralysis-other-site",
    "paralysis-other-degree",
    "muscle-weakness",
    "muscle-weakness-site",
    "muscle-weakness-degree",
    "contracture",
    "contracture-site",
    "contracture-degree",
    "joint-pain",
    "joint-pain-site",
    "joint-pain-degree",
    "ataxia",
    "ataxia-sides",
    "pressure-ulcer",
    "pressure-ulcer-site",
    "pressure-ulcer-degree",
    "other-skin",
    "other-skin-site",
    "other-skin-degree",
    // 4.
    "outdoor-walking",
    "wheelchair",
    "walking-aids",
    "eating",
    "nutrition",
    "nutrition-notes",
    "conditions",
    "conditions-other",
    "conditions-policy",
    "improvement-outlook",
    "medical-services",
    "medical-services-other",
    "care-notes",
    "care-note-blood-pressure",
    "care-note-eating",
    "care-note-swallowing",
    "care-note-mobility",
    "care-note-exercise",
    "care-note-other",
    "infection",
    "infection-detail",
    // 5.
    "notes-guidance-r8",
    "special-notes",
];

#[test]
fn r8_has_every_item_in_printed_order() {
    let form = common::form(FormVersion::R8);
    let ids: Vec<&str> = form.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, R8_ORDER);
    let sections: Vec<&str> = form.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        sections,
        [
            "basic",
            "request",
            "disease",
            "special-medical",
            "mind-body",
            "life-function",
            "notes"
        ]
    );
    assert_eq!(form.valid_from, jiff::civil::date(2026, 4, 1));
    assert_eq!(form.valid_until, None);
}

#[test]
fn r3_differs_from_r8_as_the_revision_says() {
    let r3 = common::form(FormVersion::R3);
    let r8 = common::form(FormVersion::R8);
    let expected: Vec<&str> = R8_ORDER
        .iter()
        .flat_map(|id| match *id {
            "physician-name" => vec!["consent", "physician-name"],
            "notes-guidance-r8" => vec!["notes-guidance-r3"],
            other => vec![other],
        })
        .collect();
    let ids: Vec<&str> = r3.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(r3.valid_until, Some(jiff::civil::date(2026, 3, 31)));
    assert!(r8.item("consent").is_none(), "R8 has no consent line");
    let eras = |f: &FormDef| f.item("applicant-birth-date").expect("dob").eras.clone();
    assert_eq!(eras(r3).len(), 3, "R3 prints 明・大・昭");
    assert_eq!(
        eras(r8).len(),
        4,
        "R8 also accepts 平 (UNCONFIRMED, defensive)"
    );
}

#[test]
fn choice_lists_match_the_printed_form() {
    let form = common::form(FormVersion::R8);
    let n = |id: &str| form.item(id).expect(id).choices.len();
    assert_eq!(n("other-departments"), 13, "12 departments + その他");
    let special: usize = [
        "special-procedures",
        "special-responses",
        "special-incontinence",
    ]
    .iter()
    .map(|id| n(id))
    .sum();
    assert_eq!(special, 12, "12 特別な医療");
    assert_eq!(n("bedridden-level"), 9);
    assert_eq!(n("dementia-level"), 8);
    assert_eq!(n("bpsd-items"), 12);
    assert_eq!(n("conditions"), 14);
    assert_eq!(n("medical-services"), 13);
    assert_eq!(n("care-notes"), 7);
    assert_eq!(n("specified-disease"), 17, "16 特定疾病 + 特定疾病以外");
    let services = form.item("medical-services").expect("4.(5)");
    assert!(services.emphasis);
    assert_eq!(services.exclusive, ["none"]);
    assert_eq!(
        form.item("walking-aids").expect("aids").exclusive,
        ["not-used"]
    );
    assert_eq!(form.item("care-notes").expect("4.(6)").exclusive, ["none"]);
    let kinds = [
        ("written-date", ItemKind::ReiwaDate),
        ("applicant-birth-date", ItemKind::WarekiDate),
        ("onset-1", ItemKind::OnsetDate),
        ("height", ItemKind::Number),
        ("paralysis", ItemKind::Flag),
        ("course-treatment", ItemKind::Multiline),
        ("intro-note", ItemKind::Note),
    ];
    for (id, kind) in kinds {
        assert_eq!(form.item(id).expect(id).kind, kind, "{id}");
    }
    assert_eq!(
        form.item("special-notes").expect("5.").fit.map(|f| f.chars),
        Some(400)
    );
}

/// Parses `text` and returns the error, which must exist.
fn load_error(text: &str) -> ikensho::form::FormLoadError {
    match FormDef::parse("forms/test.toml", text, locales()) {
        Ok(_) => panic!("the broken form was accepted"),
        Err(e) => e,
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    let pos = text.find(needle).expect("needle in text");
    text[..pos].matches('\n').count() + 1
}

/// Replaces the first occurrence of `from` after the line containing `anchor`.
fn edit_after(anchor: &str, from: &str, to: &str) -> String {
    let start = R8.find(anchor).expect("anchor");
    let rel = R8[start..].find(from).expect("from after anchor");
    let at = start + rel;
    format!("{}{}{}", &R8[..at], to, &R8[at + from.len()..])
}

#[test]
fn the_built_in_files_parse_as_given() {
    let form = FormDef::parse("forms/R8.toml", R8, locales()).expect("R8 loads");
    assert_eq!(form.version, FormVersion::R8);
    assert_eq!(
        form.item("onset-1").expect("onset").line,
        line_of(R8, "id = \"onset-1\"")
    );
}

#[test]
fn duplicate_item_id_names_its_line() {
    let text = edit_after(
        "id = \"diagnosis-2\"",
        "id = \"diagnosis-2\"",
        "id = \"diagnosis-1\"",
    );
    let e = load_error(&text);
    assert!(e.message.contains("duplicate item id 'diagnosis-1'"), "{e}");
    assert_eq!(e.line, line_of(R8, "id = \"diagnosis-2\""));
    assert!(
        e.to_string()
            .starts_with(&format!("forms/test.toml:{}:", e.line))
    );
}

#[test]
fn duplicate_choice_and_section_ids_name_their_lines() {
    let text = edit_after("id = \"bpsd-items\"", "\"delusion\"", "\"hallucination\"");
    let e = load_error(&text);
    assert!(
        e.message.contains("duplicate choice 'hallucination'"),
        "{e}"
    );
    assert_eq!(e.line, line_of(R8, "\"hallucination\", \"delusion\""));
    let text = edit_after("id = \"notes\"", "id = \"notes\"", "id = \"basic\"");
    let e = load_error(&text);
    assert!(e.message.contains("duplicate section id 'basic'"), "{e}");
    assert_eq!(e.line, line_of(R8, "id = \"notes\""));
}

#[test]
fn unknown_references_name_their_lines() {
    let cases = [
        // An item that does not exist.
        (
            "id = \"bpsd-items\"",
            "shown_when = \"bpsd = yes\"",
            "shown_when = \"bsdp = yes\"",
            "not an item defined above",
        ),
        // A choice the item does not have.
        (
            "id = \"bpsd-items\"",
            "shown_when = \"bpsd = yes\"",
            "shown_when = \"bpsd = maybe\"",
            "'maybe' is not a choice of 'bpsd'",
        ),
        // A later item: conditions may only look back.
        (
            "id = \"bpsd\"",
            "required = \"warning\"",
            "shown_when = \"bpsd-other\"\nrequired = \"warning\"",
            "not an item defined above",
        ),
        // `=` on a multiple choice.
        (
            "id = \"bpsd-other\"",
            "shown_when = \"bpsd-items has other\"",
            "shown_when = \"bpsd-items = other\"",
            "needs a Single item",
        ),
        // An unknown predicate.
        (
            "id = \"specified-disease\"",
            "shown_when = \"@second-insured\"",
            "shown_when = \"@third-insured\"",
            "unknown predicate",
        ),
        // An exclusive choice that is not a choice.
        (
            "id = \"walking-aids\"",
            "exclusive = [\"not-used\"]",
            "exclusive = [\"unused\"]",
            "exclusive choice 'unused'",
        ),
        // A field of the Opinion that does not exist.
        (
            "id = \"applicant-name\"",
            "bind = \"applicant.name\"",
            "bind = \"applicant.nickname\"",
            "unknown field",
        ),
        // A field of another kind.
        (
            "id = \"applicant-name\"",
            "bind = \"applicant.name\"",
            "bind = \"applicant.birth_date\"",
            "holds a WarekiDate",
        ),
        // An unknown era.
        (
            "id = \"onset-1\"",
            "eras = [\"showa\"",
            "eras = [\"edo\"",
            "unknown era 'edo'",
        ),
    ];
    for (anchor, from, to, want) in cases {
        let text = edit_after(anchor, from, to);
        let e = load_error(&text);
        assert!(e.message.contains(want), "{anchor}: {e}");
        let changed_line = line_of(&text, to.lines().next().expect("line"));
        assert_eq!(e.line, changed_line, "{anchor}: {e}");
    }
}

#[test]
fn a_choice_without_a_label_names_its_line() {
    let text = edit_after("id = \"conditions\"", "\"dehydration\"", "\"thirst\"");
    let e = load_error(&text);
    assert!(
        e.message
            .contains("choice 'thirst' of item 'conditions' has no label in ja-JP"),
        "{e}"
    );
    assert!(e.message.contains("choice-conditions-thirst"), "{e}");
    assert_eq!(e.line, line_of(&text, "\"thirst\""));
}

#[test]
fn an_item_without_a_label_or_help_names_its_line() {
    let text = edit_after(
        "id = \"additional-diagnoses\"",
        "id = \"additional-diagnoses\"",
        "id = \"diagnosis-4\"",
    );
    let e = load_error(&text);
    assert!(e.message.contains("item 'diagnosis-4' has no label"), "{e}");
    assert_eq!(e.line, line_of(&text, "id = \"diagnosis-4\""));
    let text = edit_after(
        "id = \"diagnosis-3\"",
        "help = \"help-diagnosis\"",
        "help = \"help-nothing\"",
    );
    let e = load_error(&text);
    assert!(e.message.contains("help of item 'diagnosis-3'"), "{e}");
}

#[test]
fn syntax_and_unknown_keys_name_their_lines() {
    let text = edit_after(
        "id = \"height\"",
        "unit = \"cm\"",
        "unit = \"cm\"\ncolour = \"red\"",
    );
    let e = load_error(&text);
    assert!(e.message.contains("colour"), "{e}");
    assert_eq!(e.line, line_of(&text, "colour = \"red\""));
    let text = edit_after("id = \"height\"", "type = \"number\"", "type = \"decimal\"");
    let e = load_error(&text);
    assert!(e.message.contains("decimal"), "{e}");
    assert_eq!(e.line, line_of(&text, "type = \"decimal\""));
    let text = edit_after("id = \"height\"", "unit = \"cm\"", "unit = \"cm");
    let e = load_error(&text);
    assert_eq!(e.line, line_of(&text, "unit = \"cm"));
}

#[test]
fn inconsistent_items_are_refused() {
    let cases = [
        ("id = \"height\"", "unit = \"cm\"\n", "", "needs a unit"),
        (
            "id = \"stability\"",
            "choices = [\"stable\", \"unstable\", \"unknown\"]\n",
            "",
            "needs choices",
        ),
        (
            "id = \"written-date\"",
            "required = \"error\"",
            "required = \"error\"\nstale = \"error\"",
            "no shown_when",
        ),
        (
            "id = \"nutrition-notes\"",
            "required = \"warning\"                      # R-C14\n",
            "",
            "required_when but no required",
        ),
    ];
    for (anchor, from, to, want) in cases {
        let e = load_error(&edit_after(anchor, from, to));
        assert!(e.message.contains(want), "{anchor}: {e}");
        assert_eq!(e.line, line_of(R8, anchor), "{anchor}: {e}");
    }
}

/// The rules between items name items in code (`validate::ids`): both forms must define them.
#[test]
fn items_named_by_the_rules_exist_on_both_forms() {
    use ikensho::form::validate::ids;
    for v in FormVersion::ALL {
        let form = common::form(v);
        for id in ids::ALL {
            assert!(form.item(id).is_some(), "{v} has no item '{id}'");
        }
        let specified = form.item(ids::SPECIFIED_DISEASE).expect("picker");
        assert!(specified.has_choice(ids::SPECIFIED_NONE), "{v}");
    }
}
