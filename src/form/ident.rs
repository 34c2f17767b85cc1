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

/// 医療機関コード, 10 digits: 都道府県 (2) + 点数表 (1) + 郡市区 (2) + 医療機関番号 (4) + check
/// digit, computed over all nine digits before it.
pub fn institution_code(s: &str) -> Result<(), IdentProblem> {
    check_digit(s, 10)
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
