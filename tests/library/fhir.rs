//! The FHIR document of an opinion and the Questionnaire of the form: every answered item is in
//! the QuestionnaireResponse under its form id, typed as the hub specification says, and every
//! linkId is one the Questionnaire defines.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::collections::BTreeSet;

use ikensho::form::opinion::ValueRef;
use ikensho::form::{Answer, FormVersion, Opinion};
use ikensho::hub::fhir::{DocumentIds, EMPHASIS_URL, document, document_bytes, questionnaire};
use ikensho::i18n::Locales;
use serde_json::Value;

fn ids() -> DocumentIds {
    DocumentIds {
        bundle: "6f1c2a52-9a53-4c55-8f3e-2f0c7d1e9b10".into(),
        timestamp: "2026-11-20T15:00:00+09:00".into(),
    }
}

fn doc(op: &Opinion) -> Value {
    document(
        common::form(op.form_version),
        op,
        &ids(),
        Locales::builtin().unwrap(),
    )
}

fn resource<'a>(bundle: &'a Value, kind: &str) -> &'a Value {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
}

fn qr_item<'a>(bundle: &'a Value, link: &str) -> Option<&'a Value> {
    resource(bundle, "QuestionnaireResponse")["item"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["linkId"] == link)
}

#[test]
fn the_document_bundle_has_its_resources_and_references() {
    let op = common::first_insured();
    let b = doc(&op);
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "document");
    assert_eq!(b["timestamp"], "2026-11-20T15:00:00+09:00");
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(entries[0]["resource"]["resourceType"], "Composition");
    let full: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert_eq!(full.len(), 5);
    let comp = resource(&b, "Composition");
    assert_eq!(comp["status"], "final");
    assert_eq!(comp["title"], "主治医意見書");
    assert_eq!(comp["date"], "2026-11-20");
    for r in [
        &comp["subject"]["reference"],
        &comp["author"][0]["reference"],
        &comp["custodian"]["reference"],
        &comp["section"][0]["entry"][0]["reference"],
    ] {
        assert!(full.contains(r.as_str().unwrap()), "{r}");
    }
    let patient = resource(&b, "Patient");
    assert_eq!(
        patient["identifier"][0]["system"],
        format!(
            "urn:ikensho:insured-number:{}",
            ikensho::form::normalize::identifier(&op.applicant.insurer_number)
        )
    );
    // Identifiers go normalised (the example types them full-width).
    let norm = ikensho::form::normalize::identifier;
    assert_eq!(patient["identifier"][0]["value"], "0000012345");
    assert_eq!(norm(&op.applicant.insured_number), "0000012345");
    assert_eq!(patient["name"][0]["text"], op.applicant.name);
    assert_eq!(patient["name"][1]["text"], op.applicant.kana);
    assert_eq!(patient["name"][1]["extension"][0]["valueCode"], "SYL");
    assert_eq!(patient["gender"], "female");
    assert_eq!(patient["birthDate"], "1941-05-03");
    let org = resource(&b, "Organization");
    assert_eq!(
        org["identifier"][0]["value"],
        norm(&op.clinic.institution_code)
    );
    assert_eq!(
        resource(&b, "Practitioner")["name"][0]["text"],
        op.clinic.physician_name
    );
    assert_eq!(
        resource(&b, "QuestionnaireResponse")["questionnaire"],
        "urn:ikensho:questionnaire:shujii-ikensho|R8"
    );
    // Serialised once: the same opinion and ids give the same bytes.
    let form = common::form(op.form_version);
    let l = Locales::builtin().unwrap();
    assert_eq!(
        document_bytes(form, &op, &ids(), l),
        document_bytes(form, &op, &ids(), l)
    );
}

#[test]
fn every_answered_item_is_in_the_response_typed_and_known_to_the_questionnaire() {
    for op in [
        common::first_insured(),
        common::second_insured(),
        common::r3_first_insured(),
    ] {
        let form = common::form(op.form_version);
        let b = doc(&op);
        let q = questionnaire(form, Locales::builtin().unwrap());
        let defined: BTreeSet<String> = q["item"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["item"].as_array().unwrap())
            .map(|i| i["linkId"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(defined.len(), form.items.len());
        let shown = ikensho::form::validate::shown_items(&op, form);
        let mut answered = 0;
        for (i, item) in form.items.iter().enumerate() {
            let v = op.value(item);
            let present = qr_item(&b, &item.id);
            if shown[i] && v.is_answered() && item.kind != ikensho::form::ItemKind::Note {
                answered += 1;
                assert!(present.is_some(), "{} missing", item.id);
            } else {
                assert!(present.is_none(), "{} should not be there", item.id);
            }
        }
        assert!(answered > 40, "{answered}");
        for item in resource(&b, "QuestionnaireResponse")["item"]
            .as_array()
            .unwrap()
        {
            assert!(defined.contains(item["linkId"].as_str().unwrap()));
        }
        // Types: 身長 as a UCUM quantity, choices as codings, dates as ISO dates.
        if let Some(h) = qr_item(&b, "height") {
            let q = &h["answer"][0]["valueQuantity"];
            assert_eq!(
                (q["system"].as_str(), q["code"].as_str()),
                (Some("http://unitsofmeasure.org"), Some("cm"))
            );
            assert!(q["value"].as_f64().unwrap() > 100.0);
        }
        let stability = &qr_item(&b, "stability").unwrap()["answer"][0]["valueCoding"];
        assert!(stability["code"].is_string() && stability["display"].is_string());
        assert_eq!(
            qr_item(&b, "written-date").unwrap()["answer"][0]["valueDate"]
                .as_str()
                .unwrap()
                .len(),
            10
        );
    }
}

#[test]
fn partial_onset_dates_emphasis_and_stale_values() {
    let mut op = common::first_insured();
    op.answers
        .insert("onset-2", common::answer_date("heisei", "15", "4", ""));
    op.answers
        .insert("onset-3", common::answer_date("reiwa", "元", "", ""));
    // A value behind a condition that does not hold is not sent.
    op.answers.insert("bpsd", Answer::Text("no".into()));
    op.answers
        .insert("bpsd-items", Answer::List(vec!["wandering".into()]));
    let b = doc(&op);
    assert_eq!(
        qr_item(&b, "onset-2").unwrap()["answer"][0]["valueDate"],
        "2003-04"
    );
    assert_eq!(
        qr_item(&b, "onset-3").unwrap()["answer"][0]["valueDate"],
        "2019"
    );
    assert!(qr_item(&b, "bpsd-items").is_none());
    let form = common::form(op.form_version);
    let services = match op.value(form.item("medical-services").unwrap()) {
        ValueRef::Marked(m) => m.clone(),
        other => panic!("{other:?}"),
    };
    let answers = qr_item(&b, "medical-services").unwrap()["answer"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(answers.len(), services.selected.len());
    for a in answers {
        let code = a["valueCoding"]["code"].as_str().unwrap().to_owned();
        let marked = a["extension"][0]["url"] == EMPHASIS_URL;
        assert_eq!(marked, services.emphasized.contains(&code), "{code}");
    }
}

#[test]
fn the_questionnaire_carries_choices_and_conditions() {
    let l = Locales::builtin().unwrap();
    for v in FormVersion::ALL {
        let form = common::form(v);
        let q = questionnaire(form, l);
        assert_eq!(q["resourceType"], "Questionnaire");
        assert_eq!(q["version"], v.as_str());
        let items: Vec<&Value> = q["item"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["item"].as_array().unwrap())
            .collect();
        let find = |id: &str| items.iter().find(|i| i["linkId"] == id).copied();
        let depts = find("other-departments").unwrap();
        assert_eq!(depts["type"], "choice");
        assert_eq!(depts["repeats"], true);
        assert_eq!(depts["enableWhen"][0]["question"], "other-visits");
        assert_eq!(depts["enableWhen"][0]["answerCoding"]["code"], "yes");
        assert_eq!(
            depts["answerOption"].as_array().unwrap().len(),
            form.item("other-departments").unwrap().choices.len()
        );
        assert_eq!(find("written-date").unwrap()["required"], true);
        assert_eq!(find("height").unwrap()["type"], "quantity");
        assert_eq!(find("consent").is_some(), v == FormVersion::R3);
        // A condition only refers to an item defined before it.
        let mut seen = BTreeSet::new();
        for i in &items {
            for w in i["enableWhen"].as_array().into_iter().flatten() {
                assert!(
                    seen.contains(w["question"].as_str().unwrap()),
                    "{}",
                    i["linkId"]
                );
            }
            seen.insert(i["linkId"].as_str().unwrap().to_owned());
        }
    }
}
