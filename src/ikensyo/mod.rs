//! The clinic's past from 日医's 医見書 (v3.2.6): the CSV file it writes of its opinions
//! (「主治医意見書」CSV出力; the same file some insurers take instead of paper). `csv` reads and
//! writes the file's conventions — Windows code page 932, every field quoted, CRLF, a line break
//! inside a text written as VT (0x0B), no header. Issue 19 builds the import and the export on it;
//! the format, column by column, is described in `docs/ikensyo-csv.md`.

pub mod csv;
pub mod export;
pub mod import;
pub mod mapping;
