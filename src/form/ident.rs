//! Identifiers and their check digits: 保険者番号, 被保険者番号, 医療機関コード, and the looser
//! shapes of postal codes and phone numbers.

/// The 保険者番号設定要領 check digit ("modulus 10, weights 2-1, digit sum", i.e. Luhn): from the
/// rightmost payload digit, weights 2, 1, 2, …; two-digit products count as their digit sum;
/// the check digit is 10 − (sum mod 10), or 0.
pub fn mod10_w21(payload: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, ch) in payload.chars().rev().enumerate() {
        let d = ch.to_digit(10)?;
        let p = if i % 2 == 0 { d * 2 } else { d };
        sum += p / 10 + p % 10;
    }
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// What is wrong with an identifier, after NFKC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentProblem {
    /// Wrong number of digits, or something other than digits.
    Shape { expected: usize },
    /// The check digit does not match the others.
    CheckDigit { expected: u8 },
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_digit(s: &str, len: usize) -> Result<(), IdentProblem> {
    if !all_digits(s, len) {
        return Err(IdentProblem::Shape { expected: len });
    }
    let (payload, check) = s.split_at(len - 1);
    let expected = mod10_w21(payload).ok_or(IdentProblem::Shape { expected: len })?;
    if check.bytes().next() == Some(b'0' + expected) {
        Ok(())
    } else {
        Err(IdentProblem::CheckDigit { expected })
    }
}

/// 介護保険 保険者番号: 6 digits, 都道府県 (2) + 保険者別 (3) + check digit over the first five.
pub fn insurer_number(s: &str) -> Result<(), IdentProblem> {
    check_digit(s, 6)
}

/// Which digits a 医療機関コード's check digit is computed over, by prefecture. Learnt from the
/// 地方厚生局 lists (2025-08, 97,024 codes, each rule 100 % consistent): in 埼玉, 千葉, 東京 and
/// 神奈川 over the 6 digits 郡市区番号 + 医療機関番号; everywhere else in the data over all 9
/// digits before it. 沖縄 (47) was not in the data, and neither is a number that is no
/// prefecture: either rule is accepted there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckDigitRule {
    SixDigits,
    NineDigits,
    Either,
}

impl CheckDigitRule {
    pub fn of_prefecture(prefecture: u8) -> CheckDigitRule {
        match prefecture {
            11..=14 => CheckDigitRule::SixDigits,
            1..=46 => CheckDigitRule::NineDigits,
            _ => CheckDigitRule::Either,
        }
    }
}

/// 医療機関コード, 10 digits: 都道府県 (2) + 点数表 (1) + 郡市区 (2) + 医療機関番号 (4) + check
/// digit, over the digits its prefecture uses ([`CheckDigitRule`]). Because that rule is learnt
/// from data, callers treat a mismatch as "please check", never as a refusal.
pub fn institution_code(s: &str) -> Result<(), IdentProblem> {
    if !all_digits(s, 10) {
        return Err(IdentProblem::Shape { expected: 10 });
    }
    let digit = |i: usize| s.as_bytes()[i] - b'0';
    let nine = mod10_w21(&s[..9]).ok_or(IdentProblem::Shape { expected: 10 })?;
    let six = mod10_w21(&s[3..9]).ok_or(IdentProblem::Shape { expected: 10 })?;
    let check = digit(9);
    let ok = match CheckDigitRule::of_prefecture(digit(0) * 10 + digit(1)) {
        CheckDigitRule::SixDigits => check == six,
        CheckDigitRule::NineDigits => check == nine,
        CheckDigitRule::Either => check == six || check == nine,
    };
    if ok {
        Ok(())
    } else {
        let expected = match CheckDigitRule::of_prefecture(digit(0) * 10 + digit(1)) {
            CheckDigitRule::SixDigits => six,
            _ => nine,
        };
        Err(IdentProblem::CheckDigit { expected })
    }
}

/// The 47 prefectures in the order of their 都道府県番号 (JIS X 0401): 01 北海道 … 47 沖縄県.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The prefecture a code's first two digits name (1–47), when they name one.
pub fn prefecture_of_code(s: &str) -> Option<u8> {
    let p: u8 = s.get(..2)?.parse().ok()?;
    (1..=47).contains(&p).then_some(p)
}

/// The prefecture an address starts with (1–47), when it starts with one.
pub fn prefecture_of_address(address: &str) -> Option<u8> {
    let a = address.trim_start();
    PREFECTURES
        .iter()
        .position(|p| a.starts_with(p))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The 点数表番号 of a 10-digit 医療機関コード: 1 = 医科, 3 = 歯科, 4 = 調剤.
pub fn institution_table(s: &str) -> Option<u8> {
    s.as_bytes()
        .get(2)
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
}

/// How a 被保険者番号 looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsuredShape {
    /// 10 digits: the only nationally known shape (no check digit is defined).
    TenDigits,
    /// "H" + 9 digits, reportedly used for 生活保護 recipients aged 40–64 (UNCONFIRMED).
    WelfareH,
    Other,
}

pub fn insured_number(s: &str) -> InsuredShape {
    if all_digits(s, 10) {
        InsuredShape::TenDigits
    } else if let Some(rest) = s.strip_prefix(['H', 'h'])
        && all_digits(rest, 9)
    {
        InsuredShape::WelfareH
    } else {
        InsuredShape::Other
    }
}

/// 〒 postal code: seven digits (the hyphen is removed before this is called).
pub fn postal_code_ok(s: &str) -> bool {
    all_digits(s, 7)
}

/// A Japanese phone or fax number: 10 or 11 digits once separators and brackets are removed.
pub fn phone_ok(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    (10..=11).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples() {
        assert_eq!(mod10_w21("3312001"), Some(5));
        assert_eq!(insurer_number("121012"), Ok(()));
        assert_eq!(insurer_number("131011"), Ok(()));
        assert_eq!(institution_code("0110113719"), Ok(()));
        // The check digit is over all nine digits: over the six of the 7-digit code it would be 2.
        assert_eq!(mod10_w21("011371"), Some(2));
        assert!(institution_code("0110113712").is_err());
    }

    /// Real codes of 埼玉 and 東京 (地方厚生局 lists): the check digit is over 郡市区番号 +
    /// 医療機関番号 only, and the nine-digit rule would refuse every one of them.
    #[test]
    fn south_kanto_codes_check_over_six_digits() {
        for code in ["1310110098", "1310270751", "1310314732", "1110301762"] {
            assert_eq!(institution_code(code), Ok(()), "{code}");
            assert_ne!(mod10_w21(&code[..9]), code[9..].parse().ok(), "{code}");
        }
        // 沖縄 (not in the data) accepts either rule; a number that is no prefecture too.
        let six = mod10_w21("010110").unwrap();
        let nine = mod10_w21("471010110").unwrap();
        assert_eq!(institution_code(&format!("471010110{six}")), Ok(()));
        assert_eq!(institution_code(&format!("471010110{nine}")), Ok(()));
        assert_eq!(prefecture_of_code("1310110098"), Some(13));
        assert_eq!(prefecture_of_code("9910110098"), None);
        assert_eq!(prefecture_of_address("東京都中央区明石町9-1"), Some(13));
        assert_eq!(prefecture_of_address("神奈川県横浜市"), Some(14));
        assert_eq!(prefecture_of_address("中央区明石町"), None);
    }

    /// Changing any one digit of a valid number, to any other digit, is caught.
    #[test]
    fn every_single_digit_error_is_caught() {
        for (valid, check) in [
            (
                "121012",
                insurer_number as fn(&str) -> Result<(), IdentProblem>,
            ),
            ("131011", insurer_number),
            ("0110113719", institution_code),
        ] {
            assert_eq!(check(valid), Ok(()), "{valid}");
            for pos in 0..valid.len() {
                for d in b'0'..=b'9' {
                    let mut bytes = valid.as_bytes().to_vec();
                    if bytes[pos] == d {
                        continue;
                    }
                    bytes[pos] = d;
                    let changed = String::from_utf8(bytes).expect("ascii");
                    assert!(
                        matches!(check(&changed), Err(IdentProblem::CheckDigit { .. })),
                        "{changed} (position {pos}) was accepted"
                    );
                }
            }
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(
            insurer_number("12101"),
            Err(IdentProblem::Shape { expected: 6 })
        );
        assert_eq!(
            insurer_number("12101a"),
            Err(IdentProblem::Shape { expected: 6 })
        );
        assert_eq!(
            institution_code("011011371"),
            Err(IdentProblem::Shape { expected: 10 })
        );
        assert_eq!(
            insurer_number("121013"),
            Err(IdentProblem::CheckDigit { expected: 2 })
        );
        assert_eq!(institution_table("0110113719"), Some(1));
        assert_eq!(insured_number("0000012345"), InsuredShape::TenDigits);
        assert_eq!(insured_number("H123456789"), InsuredShape::WelfareH);
        assert_eq!(insured_number("12345"), InsuredShape::Other);
        assert!(postal_code_ok("1000001"));
        assert!(!postal_code_ok("100001"));
        assert!(phone_ok("0312345678"));
        assert!(phone_ok("03(1234)5678"));
        assert!(phone_ok("09012345678"));
        assert!(!phone_ok("12345"));
    }
}
