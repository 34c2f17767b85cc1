//! The route to the 介護情報基盤 hub (`../shared/specs/hub-api.md`, the project's own binding: the
//! official interface is not published): the FHIR document an opinion travels as and the form as a
//! Questionnaire, the wire types, the mTLS client, the outbox delivery, the flow from requests to
//! drafts and from receipts to states, and the terminal certificate. The simulator and its PKI are
//! in the test world (`ikensho-testkit`).

pub mod client;
pub mod fhir;
pub mod flow;
pub mod outbox;
pub mod terminal;
pub mod wire;
