//! The JSON bodies of the hub API (`../shared/specs/hub-api.md`), shared by the client and the
//! simulator.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub kana: String,
    pub sex: String,
    pub birth_date: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

/// A 作成依頼 addressed to this institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub request_id: String,
    pub insurer_number: String,
    pub insurer_name: String,
    pub insured_number: String,
    pub applicant: Applicant,
    pub application_kind: String,
    pub application_date: String,
    pub requested_at: String,
    pub due_date: String,
    pub physician_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRequests {
    pub requests: Vec<OpenRequest>,
}

/// `POST /v1/opinions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub request_id: String,
    pub media_type: String,
    /// Base64 of the exact document bytes.
    pub document: String,
    /// Base64 of the DER CMS SignedData (detached), or null.
    pub signature: Option<String>,
}

/// 201 / 200 to a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub receipt_id: String,
    pub received_at: String,
    pub status: String,
}

/// `GET /v1/opinions/{receipt_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionStatus {
    pub receipt_id: String,
    pub request_id: String,
    /// received | accepted | returned
    pub status: String,
    pub status_changed_at: String,
    pub reason: Option<String>,
}

/// `GET /v1/insurers`: which municipality takes electronic opinions from which date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insurer {
    pub insurer_number: String,
    pub name: String,
    pub prefecture: String,
    pub kiban_start_date: String,
    /// optional | required
    pub signature: String,
}

/// One error of an RFC 9457 problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemItem {
    pub pointer: String,
    pub code: String,
    pub message: String,
}

/// `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default)]
    pub errors: Vec<ProblemItem>,
}
