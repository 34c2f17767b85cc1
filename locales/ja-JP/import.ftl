# 医見書 (日医) の CSV の取り込みと書き出し

import-where = { $file } の { $row } 行目
import-where-column = { $file } の { $row } 行目 { $column } 列目（{ $name }）
import-refused-undecodable = { $where }: 文字コードが Windows の Shift_JIS (コードページ 932) でも UTF-8 でもないため、取り込みませんでした。
import-refused-malformed = { $where }: 項目の区切りが読めないため（引用符が閉じていないなど）、取り込みませんでした。
import-refused-columns = { $where }: 項目が { $found } 個あります。この形式は { $expected } 個です。行が途中で切れていないか確かめてください。取り込みませんでした。
import-refused-format = { $where }: 形式「{ $format }」は取り込めません（取り込めるのは主治医意見書の 1.2 と 1.0 です。I1.2 は障害者総合支援法の医師意見書です）。
import-refused-date = { $where }: 「{ $value }」は日付として読めないため、この行を取り込みませんでした。
import-refused-code = { $where }: 「{ $value }」は医見書が書かない値のため、この行を取り込みませんでした。
import-refused-flags = { $where }: 「{ $value }」は 0 と 1 の並びではないため、この行を取り込みませんでした。
import-refused-shape = { $where }: 意見書の形にならないため、取り込みませんでした（{ $detail }）。
import-refused-same-day = { $where }: 同じ保険者番号・被保険者番号・記入日の意見書をすでに取り込んでいるため、取り込みませんでした。
import-note-no-choice = { $where }: { $position } 番目のチェックは R3 様式に選択肢がないため、入っていません。
import-note-unknown-onset = { $where }: 発症年月日「不詳」は様式に書く欄がないため、空欄です。
import-note-not-carried = { $where }: 「{ $value }」は様式に対応する項目がないため、入っていません。
import-note-before-reiwa = { $where }: { $value } は令和より前の日付のため、この項目は空欄です（一覧の記入日には使っています）。
import-summary = { $file }: { $records } 行を読み、意見書 { $imported } 件を取り込みました（新しい申請者 { $new } 人、登録済みの申請者 { $known } 人）。取り込み済みのため飛ばした行 { $already }、取り込まなかった行 { $refused }。
import-progress = { $file }: { $done } / { $total }
import-cancelled = { $file }: 中止しました。このファイルからは何も取り込まれていません。
import-read-failed = { $file } を読めません: { $detail }
import-note-more = { $note }（ほか { $more } 行も同じ）
export-unencodable = 意見書 { $id } の { $column } 列目（{ $name }）の「{ $char }」({ $code }) は医見書の CSV（Shift_JIS）に書けない文字です。別の字に直してから書き出してください。何も書き出していません。
export-same-day = 意見書 { $first } と { $second } は被保険者番号と記入日が同じです。医見書の CSV には一緒に書けません（別のファイルにしてください）。何も書き出していません。
export-not-carried = 意見書 { $id } の「{ $item }」は医見書の CSV に書く欄がないため、書き出していません。
export-choice-not-carried = 意見書 { $id } の「{ $item }」の選択（{ $choice }）は医見書の CSV に書く欄がないため、書き出していません。
export-too-long = 意見書 { $id } の { $column } 列目は { $found } 文字で、医見書の上限 { $max } 文字を超えています。受け取る側で切られることがあります。
export-written = { $path } に { $count } 件の意見書を書き出しました（医見書 CSV 1.2）。
