//! The clinic's past from 日医's 医見書 (v3.2.6): the CSV file it writes of its opinions
//! (「主治医意見書」CSV出力; the same file some insurers take instead of paper). `csv` reads and
//! writes the file's conventions — Windows code page 932, every field quoted, CRLF, a line break
//! inside a text written as VT (0x0B), no header. Issue 19 builds the import and the export on it;
//! the format, column by column, is described in `docs/ikensyo-csv.md`.

pub mod csv;
pub mod export;
pub mod import;
pub mod mapping;

/// The name 医見書 proposes for its CSV file: `<事業所番号>_<yyyyMMdd><NN>.csv` — the office
/// number written in column 007, the day, and the file's number that day, two digits from 01.
/// Without an office number (or with characters no file name should hold), `ikensho` stands in
/// for it.
pub fn file_name(office: &str, day: jiff::civil::Date, count: u32) -> String {
    let office = office.trim();
    let office = if !office.is_empty() && office.chars().all(|c| c.is_ascii_alphanumeric()) {
        office
    } else {
        "ikensho"
    };
    format!(
        "{office}_{}{:02}.csv",
        day.strftime("%Y%m%d"),
        count.clamp(1, 99)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_is_named_as_ikensyo_names_it() {
        let day = jiff::civil::date(2026, 12, 3);
        assert_eq!(
            super::file_name("1310123455", day, 1),
            "1310123455_2026120301.csv"
        );
        assert_eq!(
            super::file_name(" 1310123455 ", day, 12),
            "1310123455_2026120312.csv"
        );
        assert_eq!(super::file_name("", day, 2), "ikensho_2026120302.csv");
        assert_eq!(super::file_name("../x", day, 1), "ikensho_2026120301.csv");
        assert_eq!(super::file_name("1", day, 150), "1_2026120399.csv");
    }
}
