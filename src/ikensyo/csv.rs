//! The file conventions of 医見書's CSV: the bytes in Windows code page 932 (a file a user saved
//! again as UTF-8 is read too, with or without a BOM), no header, every field in double quotes
//! with `"` doubled, records ended by CRLF (a bare LF is read too), and a line break inside a text
//! written as VT (0x0B). Parsing is the csv crate's; the encoding is encoding_rs's Shift_JIS,
//! which is the WHATWG (and Windows) code page 932. A character the code page cannot hold is
//! refused with its row and column before anything is written: never a silent `?`.

use encoding_rs::SHIFT_JIS;

/// How the file's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Windows code page 932 (Shift_JIS with the Microsoft extensions), as 医見書 writes it.
    Cp932,
    /// UTF-8, as a file converted by hand may be.
    Utf8,
}

/// One record of the file: its number (1 = the first record; 医見書 writes one per line) and its
/// fields as text (VT still VT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub row: usize,
    pub fields: Vec<String>,
}

/// Why a file or a record could not be read or written. Rows and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// Bytes that are neither UTF-8 nor code page 932.
    #[error("row {row}: bytes that are not Windows code page 932 text")]
    Undecodable { row: usize },
    /// The record could not be split into fields (a quote not closed…).
    #[error("row {row}: the record cannot be read ({detail})")]
    Malformed { row: usize, detail: String },
    /// A character that code page 932 has no code for.
    #[error("row {row}, column {column}: U+{code:04X} has no code in Windows code page 932")]
    Unencodable {
        row: usize,
        column: usize,
        code: u32,
    },
}

/// A file's text, how it was read, and the rows that could not be (each left as an empty line,
/// so that the rows after it keep their numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// Lines (from 1) whose bytes are not code page 932 text.
    pub undecodable: Vec<usize>,
}

/// The text of a file's bytes: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped);
/// otherwise code page 932, line by line, a line that is not valid there left out and named.
/// (A line end never falls inside a code page 932 character: its second bytes are 0x40–0xFC.)
pub fn decode_lines(bytes: &[u8]) -> Decoded {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Decoded {
            text: text.to_owned(),
            encoding: Encoding::Utf8,
            undecodable: Vec::new(),
        };
    }
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    let mut undecodable = Vec::new();
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let (t, had_errors) = SHIFT_JIS.decode_without_bom_handling(line);
        if had_errors {
            undecodable.push(i + 1);
            if line.ends_with(b"\n") {
                text.push('\n');
            }
        } else {
            text.push_str(&t);
        }
    }
    Decoded {
        text,
        encoding: Encoding::Cp932,
        undecodable,
    }
}

/// The text of a file's bytes, and how it was read ([`decode_lines`]); a line that is not code
/// page 932 text refuses the whole file, with the first such row.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), CsvError> {
    let d = decode_lines(bytes);
    match d.undecodable.first() {
        Some(&row) => Err(CsvError::Undecodable { row }),
        None => Ok((d.text, d.encoding)),
    }
}

/// The records of a file's text, in order, each numbered by the line it starts on (医見書 writes
/// one record per line; an empty line is no record). A record that cannot be split is an error
/// for that record only: the caller reports it and goes on with the next.
pub fn records(text: &str) -> impl Iterator<Item = Result<Record, CsvError>> + '_ {
    let reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // The line a record starts on, from the byte it starts at (counted on from the last one).
    let (mut counted, mut lines) = (0usize, 1usize);
    let mut line = move |p: Option<&::csv::Position>| {
        let at = p.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let mut at = at.min(text.len()).max(counted);
        // The reader may stand on the line end of the record before (CR, then LF).
        while at < text.len() && matches!(text.as_bytes()[at], b'\r' | b'\n') {
            at += 1;
        }
        lines += text.as_bytes()[counted..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = at;
        lines
    };
    reader.into_records().map(move |r| match r {
        Ok(rec) => Ok(Record {
            row: line(rec.position()),
            fields: rec.iter().map(str::to_owned).collect(),
        }),
        Err(e) => Err(CsvError::Malformed {
            row: line(e.position()),
            detail: e.to_string(),
        }),
    })
}

/// A text's line breaks as 医見書 writes them inside a field: CRLF and LF each become VT.
pub fn to_vt(text: &str) -> String {
    text.replace("\r\n", "\u{b}").replace('\n', "\u{b}")
}

/// A field's VT as line breaks again.
pub fn from_vt(field: &str) -> String {
    field.replace('\u{b}', "\n")
}

/// Writes records as 医見書 does: each field quoted (a `"` doubled), fields joined by commas,
/// CRLF after every record, no header, code page 932. `rows` are the fields of each record; a
/// character the code page cannot hold is refused with its row and column, and nothing is
/// returned.
pub fn write(rows: &[Vec<String>]) -> Result<Vec<u8>, CsvError> {
    for (r, fields) in rows.iter().enumerate() {
        for (c, field) in fields.iter().enumerate() {
            if let Some(ch) = field.chars().find(|&ch| !encodable(ch)) {
                return Err(CsvError::Unencodable {
                    row: r + 1,
                    column: c + 1,
                    code: u32::from(ch),
                });
            }
        }
    }
    let mut text = String::new();
    for fields in rows {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push('"');
            text.push_str(&field.replace('"', "\"\""));
            text.push('"');
        }
        text.push_str("\r\n");
    }
    let (bytes, _, had_errors) = SHIFT_JIS.encode(&text);
    debug_assert!(!had_errors, "every character was checked above");
    Ok(bytes.into_owned())
}

/// Whether code page 932 has a code for `ch` (encoded and decoded back to itself).
pub fn encodable(ch: char) -> bool {
    if ch.is_ascii() {
        return true;
    }
    let mut buf = [0u8; 4];
    let s = ch.encode_utf8(&mut buf);
    let (bytes, _, had_errors) = SHIFT_JIS.encode(s);
    !had_errors && SHIFT_JIS.decode_without_bom_handling(&bytes).0 == *s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn what_code_page_932_holds() {
        for ch in ['あ', '髙', '﨑', '①', 'Ⅱ', '～', '－', '\u{b}'] {
            assert!(encodable(ch), "{ch}");
        }
        for ch in ['𠮷', '😀', '\u{2e80}'] {
            assert!(!encodable(ch), "{ch}");
        }
    }

    #[test]
    fn line_breaks_go_to_vt_and_back() {
        assert_eq!(to_vt("a\r\nb\nc"), "a\u{b}b\u{b}c");
        assert_eq!(from_vt("a\u{b}b"), "a\nb");
    }
}
