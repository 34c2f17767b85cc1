# Importing and exporting the CSV of 医見書 (日医)

import-where = { $file }, row { $row }
import-where-column = { $file }, row { $row }, column { $column } ({ $name })
import-refused-undecodable = { $where }: the bytes are neither Windows Shift_JIS (code page 932) nor UTF-8; not imported.
import-refused-malformed = { $where }: the fields cannot be told apart (a quote not closed?); not imported.
import-refused-columns = { $where }: { $found } fields, where this format has { $expected }. Check that the line is not cut; not imported.
import-refused-format = { $where }: the format "{ $format }" cannot be imported (only 主治医意見書 1.2 and 1.0; I1.2 is the 医師意見書 of the 障害者総合支援法).
import-refused-date = { $where }: "{ $value }" is not a date; the row was not imported.
import-refused-code = { $where }: "{ $value }" is not a value 医見書 writes; the row was not imported.
import-refused-flags = { $where }: "{ $value }" is not a string of 0 and 1; the row was not imported.
import-refused-shape = { $where }: it does not make an opinion ({ $detail }); not imported.
import-refused-same-day = { $where }: an opinion with the same 保険者番号, 被保険者番号 and 記入日 was imported before; not imported.
import-note-no-choice = { $where }: box { $position } has no choice on the R3 form; left out.
import-note-unknown-onset = { $where }: the onset date "不詳" (unknown) has no place on the form; left blank.
import-note-not-carried = { $where }: "{ $value }" has no item on the form; left out.
import-note-before-reiwa = { $where }: { $value } is before 令和, so this item is blank (the list still uses it as 記入日).
import-summary = { $file }: { $records } rows read, { $imported } opinions imported ({ $new } new applicants, { $known } known). { $already } rows imported before, { $refused } rows refused.
import-progress = { $file }: { $done } / { $total }
import-cancelled = { $file }: stopped. Nothing of this file was imported.
import-read-failed = Cannot read { $file }: { $detail }
import-note-more = { $note } (and { $more } more rows alike)
export-unencodable = Opinion { $id }, column { $column } ({ $name }): "{ $char }" ({ $code }) cannot be written in 医見書's CSV (Shift_JIS). Change it to another character first. Nothing was written.
export-same-day = Opinions { $first } and { $second } have the same 被保険者番号 and 記入日: 医見書's CSV cannot hold both (use two files). Nothing was written.
export-not-carried = Opinion { $id }: "{ $item }" has no column in 医見書's CSV and was not written.
export-choice-not-carried = Opinion { $id }: the choice { $choice } of "{ $item }" has no column in 医見書's CSV and was not written.
export-too-long = Opinion { $id }, column { $column }: { $found } characters, over 医見書's limit of { $max }. The receiver may cut it.
export-written = { $count } opinion(s) written to { $path } (医見書 CSV 1.2).
