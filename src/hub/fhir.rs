//! An opinion as a FHIR R4 document Bundle — Composition, Patient, Practitioner, Organization and a
//! QuestionnaireResponse whose linkIds are the item ids of `forms/` — and the form definition as
//! the Questionnaire those linkIds come from. The document is serialised once ([`document_bytes`]);
//! those exact bytes are signed, stored and sent.

use serde_json::{Map, Value, json};

use crate::form::def::{Cond, FormDef, Item, ItemKind, Severity, Term};
use crate::form::normalize::{identifier, nfkc_trim};
use crate::form::opinion::{Opinion, ValueRef};
use crate::form::validate::shown_items;
use crate::form::wareki::{Precision, WarekiDate};
use crate::i18n::{Lang, Locales};

/// The canonical URL of the Questionnaire (its version is the form version, R3 or R8).
pub const QUESTIONNAIRE_URL: &str = "urn:ikensho:questionnaire:shujii-ikensho";
const INSURED_SYSTEM: &str = "urn:ikensho:insured-number";
const INSTITUTION_SYSTEM: &str = "urn:ikensho:medical-institution-code";
const CHOICE_SYSTEM: &str = "urn:ikensho:choice";
/// Marks a 4.(5) service as 特に必要性が高い (printed as an underline). How the official dataset
/// carries it is UNCONFIRMED; this extension is the project's own.
pub const EMPHASIS_URL: &str = "urn:ikensho:extension:emphasized";
const UCUM: &str = "http://unitsofmeasure.org";

/// Ids and time of one document: fixed when the version is frozen, so the bytes never change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentIds {
    /// The Bundle's identifier (a UUID).
    pub bundle: String,
    /// When the document was assembled (RFC 3339).
    pub timestamp: String,
}

impl DocumentIds {
    pub fn new_now() -> DocumentIds {
        DocumentIds {
            bundle: uuid::Uuid::new_v4().to_string(),
            timestamp: jiff::Timestamp::now()
                .to_zoned(crate::form::wareki::japan())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        }
    }
}

fn ja(locales: &Locales, key: &str) -> String {
    locales.text(Lang::Ja, key, None)
}

fn choice_system(item: &Item) -> String {
    format!("{CHOICE_SYSTEM}:{}", item.choice_labels)
}

/// A Gregorian date, or a partial one (`2019`, `2019-04`) for onset dates given to the year or
/// month. `None` when the typed parts do not make a date (validation says why).
fn fhir_date(v: &ValueRef<'_>, partial: bool) -> Option<String> {
    match v {
        ValueRef::Date(d) => {
            let w = WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, partial).ok()?;
            let (first, _) = w.range().ok()?;
            Some(match w.precision() {
                Precision::Day => first.to_string(),
                Precision::Month => format!("{:04}-{:02}", first.year(), first.month()),
                Precision::Year => format!("{:04}", first.year()),
            })
        }
        ValueRef::Text(s) => {
            let s = nfkc_trim(s);
            s.parse::<jiff::civil::Date>().ok().map(|d| d.to_string())
        }
        _ => None,
    }
}

fn coding(item: &Item, choice: &str, locales: &Locales) -> Value {
    json!({
        "system": choice_system(item),
        "code": choice,
        "display": ja(locales, &item.choice_label_key(choice)),
    })
}

/// The answers of one item, or `None` when it has none.
fn answers(item: &Item, v: ValueRef<'_>, locales: &Locales) -> Option<Vec<Value>> {
    if !v.is_answered() {
        return None;
    }
    let out: Vec<Value> = match item.kind {
        ItemKind::Note => return None,
        ItemKind::Text | ItemKind::Multiline => vec![json!({"valueString": v.text()?})],
        ItemKind::Identifier => vec![json!({"valueString": identifier(v.text()?)})],
        ItemKind::Number => {
            let n: f64 = nfkc_trim(v.text()?).parse().ok()?;
            match item.unit.as_deref() {
                Some(u @ ("cm" | "kg")) => vec![json!({"valueQuantity": {
                    "value": n, "unit": u, "system": UCUM, "code": u}})],
                _ if n.fract() == 0.0 => vec![json!({"valueInteger": n as i64})],
                _ => vec![json!({"valueDecimal": n})],
            }
        }
        ItemKind::Flag => vec![json!({"valueBoolean": true})],
        ItemKind::Single => vec![json!({"valueCoding": coding(item, v.text()?, locales)})],
        ItemKind::Multi => {
            let emphasized: &[String] = match v {
                ValueRef::Marked(m) => &m.emphasized,
                _ => &[],
            };
            v.selected()
                .iter()
                .map(|c| {
                    let mut a = json!({"valueCoding": coding(item, c, locales)});
                    if emphasized.contains(c) {
                        a["extension"] = json!([{"url": EMPHASIS_URL, "valueBoolean": true}]);
                    }
                    a
                })
                .collect()
        }
        ItemKind::TextList => v
            .selected()
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| json!({"valueString": s}))
            .collect(),
        ItemKind::ReiwaDate | ItemKind::WarekiDate | ItemKind::GregorianDate => {
            vec![json!({"valueDate": fhir_date(&v, false)?})]
        }
        ItemKind::OnsetDate => vec![json!({"valueDate": fhir_date(&v, true)?})],
    };
    (!out.is_empty()).then_some(out)
}

fn telecom(phone: &str, system: &str) -> Option<Value> {
    let p = nfkc_trim(phone);
    (!p.is_empty()).then(|| json!({"system": system, "value": p}))
}

/// The document Bundle of `op` on `form`. Items that do not apply (a condition not met) are
/// left out, as on paper.
pub fn document(form: &FormDef, op: &Opinion, ids: &DocumentIds, locales: &Locales) -> Value {
    let shown = shown_items(op, form);
    let a = &op.applicant;
    let c = &op.clinic;
    let written = form
        .item("written-date")
        .and_then(|i| fhir_date(&op.value(i), false));
    let birth = form
        .item("applicant-birth-date")
        .and_then(|i| fhir_date(&op.value(i), false));
    // Entry ids derive from the Bundle's: the same opinion and ids give the same bytes.
    let base = uuid::Uuid::parse_str(&ids.bundle).unwrap_or(uuid::Uuid::nil());
    let uuid = |name: &str| format!("urn:uuid:{}", uuid::Uuid::new_v5(&base, name.as_bytes()));
    let (composition_id, patient_id, practitioner_id, organization_id, qr_id) = (
        uuid("composition"),
        uuid("patient"),
        uuid("practitioner"),
        uuid("organization"),
        uuid("qr"),
    );

    let mut items = Vec::new();
    for (i, item) in form.items.iter().enumerate() {
        if !shown[i] {
            continue;
        }
        if let Some(answer) = answers(item, op.value(item), locales) {
            items.push(json!({
                "linkId": item.id,
                "text": ja(locales, &item.label_key()),
                "answer": answer,
            }));
        }
    }

    let mut patient = json!({
        "resourceType": "Patient",
        "identifier": [{
            "system": format!("{INSURED_SYSTEM}:{}", identifier(&a.insurer_number)),
            "value": identifier(&a.insured_number),
        }],
        "name": [
            {"use": "official", "text": a.name},
            {"use": "official", "text": a.kana, "extension": [{
                "url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation",
                "valueCode": "SYL"}]},
        ],
        "gender": match a.sex.as_str() { "male" => "male", "female" => "female", _ => "unknown" },
        "address": [{"text": a.address, "postalCode": nfkc_trim(&a.postal_code)}],
    });
    if let Some(b) = birth {
        patient["birthDate"] = json!(b);
    }
    if let Some(t) = telecom(&a.phone, "phone") {
        patient["telecom"] = json!([t]);
    }
    let clinic_telecom: Vec<Value> = [telecom(&c.phone, "phone"), telecom(&c.fax, "fax")]
        .into_iter()
        .flatten()
        .collect();
    let organization = json!({
        "resourceType": "Organization",
        "identifier": [{"system": INSTITUTION_SYSTEM, "value": identifier(&c.institution_code)}],
        "name": c.name,
        "address": [{"text": c.address}],
        "telecom": clinic_telecom,
    });
    let practitioner = json!({
        "resourceType": "Practitioner",
        "name": [{"use": "official", "text": c.physician_name}],
    });
    let mut qr = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("{QUESTIONNAIRE_URL}|{}", form.version.as_str()),
        "status": "completed",
        "subject": {"reference": patient_id},
        "author": {"reference": practitioner_id},
        "item": items,
    });
    let mut composition = json!({
        "resourceType": "Composition",
        "status": "final",
        "type": {"text": "主治医意見書"},
        "title": "主治医意見書",
        "subject": {"reference": patient_id},
        "author": [{"reference": practitioner_id}],
        "custodian": {"reference": organization_id},
        "section": [{"title": "主治医意見書", "entry": [{"reference": qr_id}]}],
    });
    if let Some(w) = &written {
        composition["date"] = json!(w);
        qr["authored"] = json!(w);
    }
    if let Some(r) = op
        .request
        .as_ref()
        .filter(|r| !r.request_id.trim().is_empty())
    {
        composition["identifier"] =
            json!({"system": "urn:ikensho:request-id", "value": r.request_id.trim()});
    }
    let entry = |full: &str, resource: Value| json!({"fullUrl": full, "resource": resource});
    json!({
        "resourceType": "Bundle",
        "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", ids.bundle)},
        "timestamp": ids.timestamp,
        "entry": [
            entry(&composition_id, composition),
            entry(&patient_id, patient),
            entry(&practitioner_id, practitioner),
            entry(&organization_id, organization),
            entry(&qr_id, qr),
        ],
    })
}

/// The bytes of the document: serialised once; these exact bytes are signed and sent.
pub fn document_bytes(
    form: &FormDef,
    op: &Opinion,
    ids: &DocumentIds,
    locales: &Locales,
) -> Vec<u8> {
    serde_json::to_vec(&document(form, op, ids, locales)).unwrap_or_default()
}

fn question_type(item: &Item) -> &'static str {
    match item.kind {
        ItemKind::Text | ItemKind::Identifier | ItemKind::TextList => "string",
        ItemKind::Multiline => "text",
        ItemKind::Number if matches!(item.unit.as_deref(), Some("cm" | "kg")) => "quantity",
        ItemKind::Number if item.decimals > 0 => "decimal",
        ItemKind::Number => "integer",
        ItemKind::Flag => "boolean",
        ItemKind::Single | ItemKind::Multi => "choice",
        ItemKind::ReiwaDate
        | ItemKind::WarekiDate
        | ItemKind::GregorianDate
        | ItemKind::OnsetDate => "date",
        ItemKind::Note => "display",
    }
}

/// enableWhen of a condition (one term per entry, any of them). The 第2号 predicate has no FHIR
/// form; it is described in an extension instead.
fn enable_when(cond: &Cond, form: &FormDef, locales: &Locales) -> (Vec<Value>, Option<String>) {
    let mut out = Vec::new();
    let mut predicate = None;
    for t in &cond.any {
        match t {
            Term::Answered(i) => out.push(json!({
                "question": form.items[*i].id, "operator": "exists", "answerBoolean": true})),
            Term::Is(i, c) | Term::Has(i, c) => out.push(json!({
                "question": form.items[*i].id, "operator": "=",
                "answerCoding": coding(&form.items[*i], c, locales)})),
            Term::Pred(_) => predicate = Some("second-insured".to_owned()),
        }
    }
    (out, predicate)
}

/// The form definition as a FHIR R4 Questionnaire: one group per section, one item per form item,
/// linkIds = item ids, choices as answerOption codings, conditions as enableWhen.
pub fn questionnaire(form: &FormDef, locales: &Locales) -> Value {
    let mut groups = Vec::new();
    for section in &form.sections {
        let mut items = Vec::new();
        for item in &form.items[section.items.clone()] {
            let mut q = Map::new();
            q.insert("linkId".into(), json!(item.id));
            q.insert("text".into(), json!(ja(locales, &item.label_key())));
            q.insert("type".into(), json!(question_type(item)));
            if item.required == Some(Severity::Error)
                && item.required_when.is_none()
                && item.shown_when.is_none()
            {
                q.insert("required".into(), json!(true));
            }
            if matches!(item.kind, ItemKind::Multi | ItemKind::TextList) {
                q.insert("repeats".into(), json!(true));
            }
            if !item.choices.is_empty() {
                let options: Vec<Value> = item
                    .choices
                    .iter()
                    .map(|c| json!({"valueCoding": coding(item, c, locales)}))
                    .collect();
                q.insert("answerOption".into(), json!(options));
            }
            if let Some(cond) = &item.shown_when {
                let (when, predicate) = enable_when(cond, form, locales);
                if !when.is_empty() {
                    q.insert("enableWhen".into(), json!(when));
                    q.insert("enableBehavior".into(), json!("any"));
                }
                if let Some(p) = predicate {
                    q.insert(
                        "extension".into(),
                        json!([{"url": "urn:ikensho:extension:enable-when-predicate", "valueCode": p}]),
                    );
                }
            }
            items.push(Value::Object(q));
        }
        groups.push(json!({
            "linkId": section.id,
            "text": ja(locales, &section.label_key()),
            "type": "group",
            "item": items,
        }));
    }
    json!({
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": form.version.as_str(),
        "name": "ShujiiIkensho",
        "title": "主治医意見書",
        "status": "active",
        "subjectType": ["Patient"],
        "effectivePeriod": {
            "start": form.valid_from.to_string(),
            "end": form.valid_until.map(|d| d.to_string()),
        },
        "item": groups,
    })
}
