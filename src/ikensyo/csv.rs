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

/// The text of a file's bytes, and how it was read. UTF-8 is taken when the bytes are valid UTF-8
/// (a BOM is dropped); otherwise code page 932, and bytes that are not valid there are refused
/// with the row they are on.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), CsvError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok((text.to_owned(), Encoding::Utf8));
    }
    let (text, had_errors) = SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        // Which line: decode line by line up to the first that fails.
        let row = bytes
            .split(|&b| b == b'\n')
            .position(|line| SHIFT_JIS.decode_without_bom_handling(line).1)
            .map_or(1, |i| i + 1);
        return Err(CsvError::Undecodable { row });
    }
    Ok((text.into_owned(), Encoding::Cp932))
}

/// The records of a file's text, in order. A record that cannot be split is an error for that
/// record only: the caller reports it and goes on with the next.
pub fn records(text: &str) -> impl Iterator<Item = Result<Record, CsvError>> + '_ {
    let reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader.into_records().enumerate().map(|(i, r)| match r {
        Ok(rec) => Ok(Record {
            row: i + 1,
            fields: rec.iter().map(str::to_owned).collect(),
        }),
        Err(e) => Err(CsvError::Malformed {
            row: i + 1,
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
