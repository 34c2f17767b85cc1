//! 和暦 (Japanese era) dates, partial onset dates, and 満年齢.

use jiff::civil::Date;

use super::normalize::nfkc_trim;

/// A Japanese era (元号) since the Gregorian calendar was adopted (明治6年1月1日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The stable id used in form files and opinion files.
    pub fn id(self) -> &'static str {
        match self {
            Era::Meiji => "meiji",
            Era::Taisho => "taisho",
            Era::Showa => "showa",
            Era::Heisei => "heisei",
            Era::Reiwa => "reiwa",
        }
    }

    pub fn from_id(id: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|e| e.id() == id)
    }

    /// The Gregorian year of 元年.
    fn first_year(self) -> i16 {
        match self {
            Era::Meiji => 1868,
            Era::Taisho => 1912,
            Era::Showa => 1926,
            Era::Heisei => 1989,
            Era::Reiwa => 2019,
        }
    }

    /// First day of the era on the Gregorian calendar. For 明治 this is 明治6年1月1日, when Japan
    /// adopted the Gregorian calendar; earlier 明治 dates are lunar and cannot be converted here.
    pub fn first_day(self) -> Date {
        match self {
            Era::Meiji => jiff::civil::date(1873, 1, 1),
            Era::Taisho => jiff::civil::date(1912, 7, 30),
            Era::Showa => jiff::civil::date(1926, 12, 25),
            Era::Heisei => jiff::civil::date(1989, 1, 8),
            Era::Reiwa => jiff::civil::date(2019, 5, 1),
        }
    }

    /// Last day of the era, `None` for the current one.
    pub fn last_day(self) -> Option<Date> {
        match self {
            Era::Meiji => Some(jiff::civil::date(1912, 7, 29)),
            Era::Taisho => Some(jiff::civil::date(1926, 12, 24)),
            Era::Showa => Some(jiff::civil::date(1989, 1, 7)),
            Era::Heisei => Some(jiff::civil::date(2019, 4, 30)),
            Era::Reiwa => None,
        }
    }

    /// The era a Gregorian date falls in.
    pub fn of(date: Date) -> Option<Era> {
        Era::ALL
            .into_iter()
            .rev()
            .find(|e| date >= e.first_day())
            .filter(|e| e.last_day().is_none_or(|last| date <= last))
    }

    /// Gregorian year of the given era year (1 = 元年).
    pub fn gregorian_year(self, era_year: u16) -> i32 {
        i32::from(self.first_year()) + i32::from(era_year) - 1
    }
}

/// How precisely a date is known. Onset dates may be given to the year or the month only (頃).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// Why a typed 和暦 date is not a valid date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// No era was chosen.
    MissingEra,
    /// The era id is not a known era.
    UnknownEra,
    /// A part (year, month or day) is missing that this kind of date needs.
    Incomplete,
    /// A part is not a number (after NFKC).
    NotANumber,
    /// Year 0: there is no such year (the first year is 1, or 元).
    NoSuchYear,
    /// A month other than 1–12.
    NoSuchMonth,
    /// A day other than 1–31.
    DayOutOfRange,
    /// The date does not exist (e.g. 2月30日).
    NoSuchDay,
    /// The date falls outside its era (e.g. 昭和64年1月8日, 平成31年5月1日).
    OutsideEra,
}

/// Japan's time zone: UTC+9 all year (no daylight saving), so it needs no tz database.
pub fn japan() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(9))
}

/// A 和暦 date as read from what was typed: the era and the numbers, possibly partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarekiDate {
    pub era: Era,
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl WarekiDate {
    /// Reads a date from its typed parts. Digits may be full-width; the year may be 元 (元年).
    /// `allow_partial` admits year-only and year-month dates (onset dates: 「頃」).
    pub fn parse(
        era: &str,
        year: &str,
        month: &str,
        day: &str,
        allow_partial: bool,
    ) -> Result<WarekiDate, DateProblem> {
        let era_id = era.trim();
        if era_id.is_empty() {
            return Err(DateProblem::MissingEra);
        }
        let era = Era::from_id(era_id).ok_or(DateProblem::UnknownEra)?;
        let year = nfkc_trim(year);
        let year = year.strip_suffix('年').unwrap_or(&year).trim();
        let year: u16 = match year {
            "" => return Err(DateProblem::Incomplete),
            "元" => 1,
            y => y.parse().map_err(|_| DateProblem::NotANumber)?,
        };
        let month = parse_part(month, '月', 12, DateProblem::NoSuchMonth)?;
        let day = parse_part(day, '日', 31, DateProblem::DayOutOfRange)?;
        if year == 0 {
            return Err(DateProblem::NoSuchYear);
        }
        match (month, day, allow_partial) {
            (Some(_), Some(_), _) => {}
            (None, None, true) | (Some(_), None, true) => {}
            _ => return Err(DateProblem::Incomplete),
        }
        let date = WarekiDate {
            era,
            year,
            month,
            day,
        };
        date.check()?;
        Ok(date)
    }

    /// Builds the 和暦 form of a Gregorian date.
    pub fn from_date(date: Date) -> Option<WarekiDate> {
        let era = Era::of(date)?;
        let year = u16::try_from(i32::from(date.year()) - i32::from(era.first_year()) + 1).ok()?;
        Some(WarekiDate {
            era,
            year,
            month: u8::try_from(date.month()).ok(),
            day: u8::try_from(date.day()).ok(),
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The earliest and latest Gregorian day this (possibly partial) date can mean, clamped to its era.
    pub fn range(&self) -> Result<(Date, Date), DateProblem> {
        let y = self.era.gregorian_year(self.year);
        let y = i16::try_from(y).map_err(|_| DateProblem::NotANumber)?;
        let (first, last) = match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let day = Date::new(y, m as i8, d as i8).map_err(|_| DateProblem::NoSuchDay)?;
                (day, day)
            }
            (Some(m), None) => {
                let first = Date::new(y, m as i8, 1).map_err(|_| DateProblem::NotANumber)?;
                (first, first.last_of_month())
            }
            _ => {
                let first = Date::new(y, 1, 1).map_err(|_| DateProblem::NotANumber)?;
                (first, first.last_of_year())
            }
        };
        let era_first = self.era.first_day();
        let era_last = self.era.last_day();
        let first = first.max(era_first);
        let last = era_last.map_or(last, |l| last.min(l));
        if first > last {
            return Err(DateProblem::OutsideEra);
        }
        Ok((first, last))
    }

    /// The exact Gregorian day, for a complete date.
    pub fn to_date(&self) -> Result<Date, DateProblem> {
        if self.precision() != Precision::Day {
            return Err(DateProblem::Incomplete);
        }
        self.range().map(|(first, _)| first)
    }

    fn check(&self) -> Result<(), DateProblem> {
        self.range().map(|_| ())
    }
}

fn parse_part(
    raw: &str,
    suffix: char,
    max: u8,
    out_of_range: DateProblem,
) -> Result<Option<u8>, DateProblem> {
    let s = nfkc_trim(raw);
    let s = s.strip_suffix(suffix).unwrap_or(&s).trim();
    if s.is_empty() {
        return Ok(None);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateProblem::NotANumber);
    }
    match s.parse::<u8>() {
        Ok(n) if n >= 1 && n <= max => Ok(Some(n)),
        _ => Err(out_of_range),
    }
}

/// 満年齢 on `on`, counted the way Japanese law counts it (年齢計算ニ関スル法律): a person turns a year
/// older at the end of the day before the birthday, so on that day they already have the new age.
/// This is the age in which 介護保険 reckons 40 and 65 (「誕生日の前日に達する」).
pub fn age_on(birth: Date, on: Date) -> Option<i32> {
    if on < birth {
        return None;
    }
    // Being a year older on the day before the birthday is the same as counting ordinary
    // birthdays from the following day.
    let next = on.tomorrow().ok()?;
    let mut years = i32::from(next.year()) - i32::from(birth.year());
    if (next.month(), next.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    Some(years)
}

/// 満年齢 on `on` as ages are ordinarily told and printed on the form: a year older on the
/// birthday itself. It differs from [`age_on`] only on the day before a birthday.
pub fn ordinary_age(birth: Date, on: Date) -> Option<i32> {
    if on < birth {
        return None;
    }
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    Some(years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_printed_age_turns_on_the_birthday_the_legal_one_the_day_before() {
        let birth = date(1941, 5, 3);
        assert_eq!(ordinary_age(birth, date(2026, 5, 2)), Some(84));
        assert_eq!(age_on(birth, date(2026, 5, 2)), Some(85));
        assert_eq!(ordinary_age(birth, date(2026, 5, 3)), Some(85));
        assert_eq!(age_on(birth, date(2026, 5, 3)), Some(85));
        assert_eq!(ordinary_age(birth, date(2026, 5, 1)), Some(84));
        assert_eq!(ordinary_age(birth, date(1940, 5, 1)), None);
    }

    fn full(era: &str, y: &str, m: &str, d: &str) -> Result<Date, DateProblem> {
        WarekiDate::parse(era, y, m, d, false)?.to_date()
    }

    #[test]
    fn era_boundaries() {
        // Each pair: the last day of an era and the first day of the next.
        let cases = [
            ("meiji", "45", "7", "29", date(1912, 7, 29)),
            ("taisho", "1", "7", "30", date(1912, 7, 30)),
            ("taisho", "15", "12", "24", date(1926, 12, 24)),
            ("showa", "1", "12", "25", date(1926, 12, 25)),
            ("showa", "64", "1", "7", date(1989, 1, 7)),
            ("heisei", "1", "1", "8", date(1989, 1, 8)),
            ("heisei", "31", "4", "30", date(2019, 4, 30)),
            ("reiwa", "1", "5", "1", date(2019, 5, 1)),
        ];
        for (era, y, m, d, want) in cases {
            assert_eq!(full(era, y, m, d), Ok(want), "{era} {y}/{m}/{d}");
        }
        let outside = [
            ("meiji", "45", "7", "30"),
            ("taisho", "1", "7", "29"),
            ("taisho", "15", "12", "25"),
            ("showa", "1", "12", "24"),
            ("showa", "64", "1", "8"),
            ("heisei", "1", "1", "7"),
            ("heisei", "31", "5", "1"),
            ("reiwa", "1", "4", "30"),
            ("meiji", "5", "12", "31"),
        ];
        for (era, y, m, d) in outside {
            assert_eq!(
                full(era, y, m, d),
                Err(DateProblem::OutsideEra),
                "{era} {y}/{m}/{d}"
            );
        }
    }

    #[test]
    fn gannen_and_full_width() {
        assert_eq!(full("reiwa", "元", "5", "1"), Ok(date(2019, 5, 1)));
        assert_eq!(full("reiwa", "元年", "５月", "１日"), Ok(date(2019, 5, 1)));
        assert_eq!(full("showa", "１６", "５", "３"), Ok(date(1941, 5, 3)));
    }

    #[test]
    fn bad_parts() {
        assert_eq!(full("", "1", "1", "1"), Err(DateProblem::MissingEra));
        assert_eq!(full("edo", "1", "1", "1"), Err(DateProblem::UnknownEra));
        assert_eq!(full("showa", "x", "1", "1"), Err(DateProblem::NotANumber));
        assert_eq!(full("showa", "0", "1", "1"), Err(DateProblem::NoSuchYear));
        assert_eq!(full("reiwa", "０", "1", "1"), Err(DateProblem::NoSuchYear));
        assert_eq!(
            full("showa", "10", "13", "1"),
            Err(DateProblem::NoSuchMonth)
        );
        assert_eq!(full("showa", "10", "0", "1"), Err(DateProblem::NoSuchMonth));
        assert_eq!(
            full("showa", "10", "1", "32"),
            Err(DateProblem::DayOutOfRange)
        );
        assert_eq!(full("showa", "10", "2", "30"), Err(DateProblem::NoSuchDay));
        assert_eq!(full("showa", "10", "2", ""), Err(DateProblem::Incomplete));
        // 昭和63年 (1988) is a leap year, 昭和62年 is not.
        assert_eq!(full("showa", "63", "2", "29"), Ok(date(1988, 2, 29)));
        assert_eq!(full("showa", "62", "2", "29"), Err(DateProblem::NoSuchDay));
    }

    #[test]
    fn partial_onset_dates() {
        let y = WarekiDate::parse("heisei", "31", "", "", true).expect("year only");
        assert_eq!(y.precision(), Precision::Year);
        // 平成31年 ends on 4/30.
        assert_eq!(y.range(), Ok((date(2019, 1, 1), date(2019, 4, 30))));
        let m = WarekiDate::parse("reiwa", "1", "5", "", true).expect("year-month");
        assert_eq!(m.range(), Ok((date(2019, 5, 1), date(2019, 5, 31))));
        // A day without a month is not a date.
        assert_eq!(
            WarekiDate::parse("reiwa", "2", "", "3", true),
            Err(DateProblem::Incomplete)
        );
        assert_eq!(
            WarekiDate::parse("reiwa", "1", "4", "", true),
            Err(DateProblem::OutsideEra)
        );
    }

    #[test]
    fn to_wareki() {
        let w = WarekiDate::from_date(date(2019, 5, 1)).expect("reiwa");
        assert_eq!((w.era, w.year), (Era::Reiwa, 1));
        let w = WarekiDate::from_date(date(1989, 1, 7)).expect("showa");
        assert_eq!((w.era, w.year), (Era::Showa, 64));
        assert_eq!(WarekiDate::from_date(date(1850, 1, 1)), None);
    }

    #[test]
    fn age_turns_the_day_before_the_birthday() {
        let birth = date(1961, 4, 2);
        assert_eq!(age_on(birth, date(2026, 3, 31)), Some(64));
        assert_eq!(age_on(birth, date(2026, 4, 1)), Some(65)); // the day before the birthday
        assert_eq!(age_on(birth, date(2026, 4, 2)), Some(65));
        // Born on 29 February: a year older on 28 February in ordinary years.
        let leap = date(1960, 2, 29);
        assert_eq!(age_on(leap, date(2025, 2, 27)), Some(64));
        assert_eq!(age_on(leap, date(2025, 2, 28)), Some(65));
        assert_eq!(age_on(leap, date(2024, 2, 28)), Some(64));
        assert_eq!(age_on(leap, date(2024, 2, 29)), Some(64));
        assert_eq!(age_on(leap, date(2024, 3, 1)), Some(64));
        assert_eq!(age_on(birth, date(1960, 1, 1)), None);
    }
}
