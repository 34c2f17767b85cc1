//! Files as 日医's 医見書 writes them, made by hand here (with encoding_rs, never with ikensho's
//! own writer): every field quoted with `"` doubled, CRLF after every record, code page 932.

/// Records as a file of 医見書's CSV.
pub fn file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::new();
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(
        !errors,
        "a test record holds a character code page 932 lacks"
    );
    bytes.into_owned()
}

/// One record of FormatVersion 1.2 (121 fields) for the applicant `insured` (保険者番号 131011)
/// on the 記入日 `written` (yyyyMMdd), the physician 佐藤 一郎: each entry of `set` replaces one
/// column (numbered from 1).
pub fn record_1_2(insured: &str, written: &str, set: &[(usize, &str)]) -> Vec<String> {
    let mut row = vec![String::new(); 121];
    let mut put = |n: usize, v: &str| row[n - 1] = v.to_owned();
    put(1, "1.2");
    put(2, "医見書");
    put(3, &format!("{insured}10093015"));
    put(4, "131011");
    put(5, "千代田区");
    put(6, insured);
    put(14, written);
    put(15, "やまだ はなこ");
    put(16, "山田 花子");
    put(17, "19400312");
    put(19, "2");
    put(23, "佐藤 一郎");
    put(24, "さくら内科クリニック");
    put(35, "アルツハイマー型認知症");
    put(36, "平成17年05月");
    put(41, "1");
    put(43, "平成17年頃より物忘れ。\u{b}アリセプト 5mg 1日1回 /   ");
    put(47, "4");
    put(48, "3");
    for (n, v) in set {
        put(*n, v);
    }
    row
}

/// One record of FormatVersion 1.0 (104 fields, 医見書's 平成17年度 layout) for the applicant
/// `insured` on the 記入日 `written`: as [`record_1_2`] in the columns both share (1–41), 体重
/// in 061 and 身長 in 062; each entry of `set` replaces one column.
pub fn record_1_0(insured: &str, written: &str, set: &[(usize, &str)]) -> Vec<String> {
    let mut row: Vec<String> = record_1_2(insured, written, &[])
        .into_iter()
        .take(41)
        .collect();
    row[0] = "1.0".to_owned();
    row.resize(104, String::new());
    let mut put = |n: usize, v: &str| row[n - 1] = v.to_owned();
    put(43, "平成15年頃より物忘れ。");
    put(47, "4");
    put(48, "3");
    put(61, "45");
    put(62, "150");
    for (n, v) in set {
        put(*n, v);
    }
    row
}
