//! Renewals: copy-forward from the applicant's latest final version (from a 更新 作成依頼, the
//! request's applicant wins), and what the store knows of earlier opinions.

use super::db::{Sql, params};
use jiff::civil::Date;

use super::model::Draft;
use super::versions::{form, parse_body};
use super::{Action, Result, Session, Store, StoreError};
use crate::form::changes::carry_forward;
use crate::form::normalize::identifier;
use crate::form::{Applicant, FormVersion, Request};

impl Store {
    /// Starts a renewal for the applicant from their latest final version: 記入日 today,
    /// 最終診察日 empty, 意見書作成回数 2回目以上, the request replaced by `request`, and every item
    /// that was carried over marked so.
    pub fn renew(
        &mut self,
        session: &Session,
        insurer_number: &str,
        insured_number: &str,
        request: Option<Request>,
        today: Date,
    ) -> Result<Draft> {
        self.renew_with(
            session,
            insurer_number,
            insured_number,
            request,
            None,
            today,
        )
    }

    /// A renewal for a 更新 作成依頼: as [`Store::renew`], but the applicant comes from the
    /// request (the municipality's data wins: an address that changed since the last opinion is
    /// not carried over stale). An item whose value differs from the last opinion is marked as
    /// changed, and shows the earlier value; a value the request leaves empty is carried over.
    pub fn renew_from_request(
        &mut self,
        session: &Session,
        applicant: &Applicant,
        request: Request,
        today: Date,
    ) -> Result<Draft> {
        self.renew_with(
            session,
            &applicant.insurer_number,
            &applicant.insured_number,
            Some(request),
            Some(applicant),
            today,
        )
    }

    fn renew_with(
        &mut self,
        session: &Session,
        insurer_number: &str,
        insured_number: &str,
        request: Option<Request>,
        applicant: Option<&Applicant>,
        today: Date,
    ) -> Result<Draft> {
        self.check(session, Action::Edit)?;
        let found: Option<(i64, String, Option<i64>)> = self.db.query_opt(
            "SELECT v.id, v.body, o.physician_id FROM versions v
                 JOIN opinions o ON o.id = v.opinion_id
                 WHERE o.insurer_number = ?1 AND o.insured_number = ?2 AND v.frozen IS NOT NULL
                 ORDER BY v.frozen_at DESC, v.id DESC LIMIT 1",
            params![identifier(insurer_number), identifier(insured_number)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (from_version, body, previous_physician) = found.ok_or(StoreError::NothingToRenew)?;
        let previous = parse_body(&body)?;
        let from_form = form(previous.form_version)?;
        let to_form = form(FormVersion::for_date(today))?;
        let (physician_id, physician_name) =
            self.physician_for(session, None, previous_physician)?;
        let clinic = self.clinic_settings()?.clinic(&physician_name);
        let (mut op, mut carried) = carry_forward(from_form, &previous, to_form, today, clinic);
        op.request = request;
        let mut changed = Vec::new();
        if let Some(a) = applicant {
            let carried_op = op.clone();
            op.applicant = merged_applicant(&carried_op.applicant, a);
            for item in to_form.items.iter().filter(|i| is_applicant_field(i.bind)) {
                if !same_value(carried_op.value(item), op.value(item)) {
                    changed.push(item.id.clone());
                }
            }
            carried.retain(|id| !changed.contains(id));
        }
        self.insert_opinion(
            session,
            &op,
            physician_id,
            Some(from_version),
            (&carried, &changed),
            "renew",
        )
    }

    /// Whether this clinic's store holds an opinion for the same applicant (保険者番号 and
    /// 被保険者番号) made before this one: checked against 意見書作成回数.
    pub fn has_earlier_opinion(&self, session: &Session, opinion_id: i64) -> Result<bool> {
        self.check(session, Action::Open)?;
        self.db.query_row(
            "SELECT EXISTS (SELECT 1 FROM opinions o, opinions me
                            WHERE me.id = ?1 AND o.id <> me.id AND me.insured_number <> ''
                              AND o.insurer_number = me.insurer_number
                              AND o.insured_number = me.insured_number
                              AND o.created_at <= me.created_at)",
            params![opinion_id],
            |r| r.get(0),
        )
    }

    /// The version an opinion was copied forward from, if it was.
    pub fn renewed_from(&self, opinion_id: i64) -> Result<Option<i64>> {
        Ok(self
            .db
            .query_opt(
                "SELECT renewal_of FROM opinions WHERE id = ?1",
                params![opinion_id],
                |r| r.get(0),
            )?
            .flatten())
    }
}

/// Whether a form item is bound to one of the applicant's fields.
fn is_applicant_field(bind: Option<crate::form::def::Field>) -> bool {
    use crate::form::def::Field::*;
    matches!(
        bind,
        Some(
            ApplicantName
                | ApplicantKana
                | ApplicantSex
                | ApplicantBirthDate
                | ApplicantPostalCode
                | ApplicantAddress
                | ApplicantPhone
                | InsurerNumber
                | InsuredNumber
        )
    )
}

/// The applicant of a renewal: the request's data, or what was carried over where the request
/// leaves a field empty.
fn merged_applicant(carried: &Applicant, request: &Applicant) -> Applicant {
    let pick = |new: &String, old: &String| {
        if crate::form::normalize::is_blank(new) {
            old.clone()
        } else {
            new.clone()
        }
    };
    Applicant {
        name: pick(&request.name, &carried.name),
        kana: pick(&request.kana, &carried.kana),
        sex: pick(&request.sex, &carried.sex),
        birth_date: if request.birth_date.is_blank() {
            carried.birth_date.clone()
        } else {
            request.birth_date.clone()
        },
        postal_code: pick(&request.postal_code, &carried.postal_code),
        address: pick(&request.address, &carried.address),
        phone: pick(&request.phone, &carried.phone),
        insurer_number: pick(&request.insurer_number, &carried.insurer_number),
        insured_number: pick(&request.insured_number, &carried.insured_number),
    }
}

/// Whether two values say the same once normalised: full-width digits, spaces and hyphens in
/// numbers, a date typed in other digits.
fn same_value(
    a: crate::form::opinion::ValueRef<'_>,
    b: crate::form::opinion::ValueRef<'_>,
) -> bool {
    use crate::form::normalize::nfkc_trim;
    use crate::form::opinion::ValueRef;
    let squash = |s: &str| -> String {
        nfkc_trim(s)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
            .collect()
    };
    match (a, b) {
        (ValueRef::Text(x), ValueRef::Text(y)) => squash(x) == squash(y),
        (ValueRef::Date(x), ValueRef::Date(y)) => {
            let day = |d: &crate::form::DateInput| {
                crate::form::WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, false)
                    .ok()
                    .and_then(|w| w.to_date().ok())
            };
            match (day(x), day(y)) {
                (Some(p), Some(q)) => p == q,
                _ => x == y,
            }
        }
        (x, y) => x == y,
    }
}
