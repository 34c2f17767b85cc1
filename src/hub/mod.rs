//! The route to the 介護情報基盤 hub (`../shared/specs/hub-api.md`): the FHIR document an opinion
//! travels as and the form as a Questionnaire, the wire types, the outbox delivery, the hub's test
//! PKI. The mTLS client and the simulator are being built (issue 6).

pub mod client;
pub mod fhir;
pub mod flow;
pub mod outbox;
pub mod terminal;
pub mod wire;
