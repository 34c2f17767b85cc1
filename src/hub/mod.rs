//! The route to the 介護情報基盤 hub (`../shared/specs/hub-api.md`): the FHIR document an opinion
//! travels as, and the form definition as a FHIR Questionnaire. The mTLS client, the outbox and
//! the simulator come next (issue 6).

pub mod fhir;
pub mod outbox;
