//! ikensho's test world, kept out of the clinic's program: the hub simulator ([`sim`]) with its
//! PKI ([`hub_pki`]), a test PKI shaped like HPKI ([`sign_pki`]), the virtual HPKI card ([`virt`],
//! in process or as a vpcd client), the demo world ([`demo`]) and the fixtures the tests share
//! ([`fixtures`]; 医見書's CSV files written by hand: [`ikensyo`]), and the bodies of the fuzz targets ([`fuzz`]).

// The library's modules, under the names the moved code uses.
use ikensho::{card, form, hub, sign};

pub mod demo;
pub mod fixtures;
pub mod fuzz;
pub mod hub_pki;
pub mod ikensyo;
pub mod sign_pki;
pub mod sim;
pub mod virt;
