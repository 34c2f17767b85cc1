## Messages of findings, the command line and file errors.

severity-error = エラー
severity-warning = 警告

## Findings (validation). Arguments that name items or choices arrive as labels.

msg-required = 入力してください。
msg-required-choice = 選択してください。
msg-not-applicable = 「{ $condition }」の回答では記入しない項目に入力があります。内容を消すか、「{ $condition }」を見直してください。
msg-exclusive = 「{ $choice }」は他の項目と同時に選べません。
msg-emphasis-unchecked = 「{ $choice }」にチェックがないのに「特に必要性が高い」の印があります。
msg-date-incomplete = 日付の記入が足りません（年は必須です。日を書くときは月も書きます）。
msg-date-missing-era = 元号を選んでください。
msg-date-not-a-number = 年・月・日は数字で記入してください（年は「元」も使えます）。
msg-date-no-such-day = 存在しない日付です。
msg-date-outside-era = その元号の期間にない日付です（例：昭和64年は1月7日まで、平成元年は1月8日から）。
msg-date-era-not-on-form = この欄では「{ $era }」は使えません。
msg-date-invalid = 日付として読めません。2026-11-01 の形で記入してください。
msg-date-future = 未来の日付です（今日は{ $today }）。
msg-exam-after-written = 最終診察日は記入日以前でなければなりません。
msg-exam-gap = 最終診察日が記入日より{ $months }ヶ月以上前です。できるだけ直近の診察に基づいて記入してください。
msg-onset-after-written = 発症年月日が記入日より後になっています。
msg-onset-before-birth = 発症年月日が生年月日より前になっています。
msg-age-mismatch = 年齢が生年月日と合いません。記入日現在の満年齢は{ $age }歳です。
msg-age-under-40 = 記入日現在{ $age }歳です。介護保険の被保険者は40歳以上です。
msg-request-order = 「{ $earlier }」より前の日付になっています。
msg-number-invalid = 数値として読めません。数字で記入してください。
msg-number-decimals = 小数点以下は{ $decimals }桁までです。
msg-implausible = 通常の範囲（{ $low }〜{ $high }{ $unit }）を外れています。確認してください。
msg-digits = { $digits }桁の数字で記入してください。
msg-check-digit = 検証番号（最後の1桁）が合いません。番号を確認してください。
msg-insured-h = 「H」で始まる番号です（生活保護の被保護者の番号と思われます）。保険者に確認してください。
msg-institution-table = 点数表番号（3桁目）が{ $table }です。主治医意見書は通常、医科（1）の医療機関コードで作成します。
msg-postal-code = 郵便番号は7桁で記入してください（例：100-0001）。
msg-phone = 電話番号は市外局番から10〜11桁で記入してください。
msg-charset = 介護情報基盤で受け付けられない可能性のある文字があります：{ $chars }。通常の字体に置き換えられるか確認してください。
msg-fit-chars = 印刷欄に収まる目安（{ $limit }文字）を{ $over }文字超えています。紙で提出するときは文字を縮めても収まらない場合があります。
msg-fit-lines = 印刷欄に収まる目安（{ $limit }行）を{ $over }行超えています。
msg-more-diagnoses = 様式の診断名欄（3つ）に入らない診断名が{ $count }件あります。「5. 特記すべき事項」に移してください。
msg-specified-disease-none = 第2号被保険者（40〜64歳）の場合、診断名1は特定疾病でなければなりません。
msg-specified-disease-text = 診断名1に特定疾病「{ $disease }」にあたる病名が見当たりません。診断名を確認してください。
msg-category-boundary = 申請日から記入日までの間に65歳に達しています。第1号・第2号の区分は通常、申請日の年齢で判断されます。区分を確認してください。
msg-form-version = 記入日からは通常{ $form }を使います（目安）。様式を確認してください。

## Command line

cli-clean = 問題は見つかりませんでした。
cli-summary = エラー { $errors }件、警告 { $warnings }件
cli-fix-offered = （自動で直せます）
cli-template-written = 空の意見書を書き出しました：{ $path }
cli-cannot-write = 書き出せません：{ $path }（{ $detail }）

## Files that cannot be read

err-io = ファイルを開けません：{ $path }（{ $detail }）
err-json = JSONとして読めません（{ $line }行目 { $column }文字目）：{ $detail }
err-not-opinion = 意見書ファイルではありません（format が「{ $found }」です。「ikensho-opinion」のはずです）。
err-format-version = ファイル形式のバージョン{ $found }は読めません（このプログラムが読むのはバージョン{ $supported }です）。
err-at = { $pointer } の位置：{ $detail }
err-unknown-item = 様式{ $form }に「{ $item }」という項目はありません。
err-bound-item = 項目「{ $item }」は answers ではなく /{ $path } に書きます。
err-note-item = 項目「{ $item }」は印刷される文言で、回答はありません。
err-unknown-choice = 「{ $choice }」は項目「{ $item }」の選択肢ではありません。
err-duplicate-choice = 項目「{ $item }」で選択肢「{ $choice }」が2回選ばれています。
err-wrong-form = このファイルは様式{ $file }ですが、様式{ $form }として読もうとしました。
err-wrong-shape = 項目「{ $item }」の値の形が違います。{ $expected }で書いてください。
shape-choice = 選択肢のid（文字列）
shape-choices = 選択肢idのリスト
shape-marked = 選択肢idのリスト、または {"{"}"selected": [...], "emphasized": [...]{"}"}
shape-texts = 文字列のリスト
shape-flag = true か false
shape-date = {"{"}"era": ..., "year": ..., "month": ..., "day": ...{"}"}
shape-string = 文字列
err-form = 様式の定義を読み込めません：{ $detail }

io-not-found = ファイルまたはフォルダがありません
io-permission-denied = 権限がありません
io-already-exists = 同じ名前のファイルがすでにあります
io-storage-full = ディスクがいっぱいです
io-is-a-directory = ファイルではなくフォルダです
io-invalid-data = 内容を読めません
msg-institution-check = 検証番号（最後の1桁）が目安の計算と合いません。番号をご確認ください（都道府県によって計算する桁が違います）。
msg-institution-prefecture = 医療機関コードの都道府県番号 { $code }（{ $code_prefecture }）が所在地の{ $address_prefecture }と合いません。番号をご確認ください。
msg-insured-shape = 被保険者番号は通常10桁（英数字）です。番号をご確認ください。
msg-insurer-check = 検証番号（最後の1桁）が目安の計算と合いません。保険者番号をご確認ください。
msg-institution-no-prefecture = 医療機関コードの最初の2桁（{ $code }）は都道府県番号ではありません。番号をご確認ください。
msg-date-no-such-year = 0年という年はありません。1年（元年）からです。
msg-date-no-such-month = 月は1から12までです。
msg-line-break = 改行やタブは使えません。1行で記入してください。
err-not-an-object = ここは {"{"} ... {"}"} の形（オブジェクト）で書いてください。
err-not-an-object-or-null = ここは {"{"} ... {"}"} の形（オブジェクト）か null で書いてください。
msg-age-day-before-birthday = 誕生日の前日です。用紙の年齢はふつうの満年齢（誕生日に1つ上がる）で { $age } 歳です（第1号・第2号の区分は法律どおり前日に1つ上がる年齢で判定します）。
msg-required-none = 該当がなければ「{ $choice }」を選んでください（未記入のままだと返戻されることがあります）。
msg-onset-missing = 発症年月日が分からなければ、おおよその年だけでも記入してください（「頃」）。
msg-course-missing = 経過及び投薬内容を含む治療内容を記入してください（審査で参考にされます）。
msg-count-first-but-earlier = 当院にこの方の以前の意見書があります。「２回目以上」ではありませんか。
msg-count-repeat-but-none = 当院にこの方の以前の意見書が見つかりません。初めて作成するなら「初回」です（以前に作成していれば、このままで構いません）。
