## The draft store: states, roles, actions, errors, and the command line's store commands

state-received = 受付
state-clerk-entry = 事務入力中
state-awaiting-physician = 医師確認待ち
state-finalised = 確定
state-queued = 送信待ち
state-sent = 送信済
state-accepted = 受理
state-returned = 差し戻し
state-paper = 紙で提出

role-physician = 医師
role-clerk = 医療事務
role-admin = 管理者

action-open = 意見書を開く
action-edit = 下書きを作成・編集する
action-finalise = 確定する
action-sign = 電子署名する
action-send = 送信する
action-print-final = 提出用に印刷する
action-review = 事務の入力を確認する
action-manage-users = 利用者を管理する
action-settings = 医療機関の設定を変える
action-administer = バックアップ・復元・監査記録の書き出しをする

thing-opinion = 意見書
thing-version = 版
thing-user = 利用者
thing-physician = 医師

setting-institution_code = 医療機関コード（10桁、検査数字が合いません）
setting-phone = 電話番号
setting-fax = FAX番号
setting-login = ログイン名と氏名
setting-clinic = 医療機関の設定
setting-hub_url = 介護情報基盤のアドレス（https:// で始めてください）
setting-hub_ca_pem = 介護情報基盤のCA証明書（PEM形式ではありません）
setting-signing_chain_pem = 署名用CA証明書（PEM形式ではありません）
setting-trust_anchors_pem = 信頼するルート証明書（PEM形式ではありません）
setting-idle_sign_out_minutes = 自動サインアウトまでの時間（1〜240分）

store-open = データファイル { $path } を開けません：{ $detail }
store-missing = データファイル { $path } がありません。最初の利用者を登録すると作られます（ikensho user add）。
store-folder-missing = バックアップ先のフォルダー { $path } が見つかりません。USB ドライブやネットワークの共有フォルダーがつながっているか確かめてください。
store-empty = データファイル { $path } が空です（0バイト）。壊れた可能性があるため、ここから作り直すことはしません。バックアップから復元するか（ikensho restore）、このファイルを別の場所へ移してから設定し直してください。
store-exists = データファイル { $path } が既にあります。初期設定は、データファイルがない場所にだけ新しく作ります。
store-key-missing = データファイル { $path } は暗号化されていますが、その鍵が保管場所に見つかりません（鍵ファイル、OSの資格情報ストア、またはデータファイル横の説明ファイルがありません）。回復キーで開いてください：ikensho store unlock --as 管理者。
store-wrong-key = この鍵では { $path } を開けません（別のデータの鍵か、鍵を変更する前に作られたファイルです）。その鍵を作ったときに表示された回復キーを入力してください。
store-passphrase-needed = このデータはパスフレーズで保護されています。開くにはパスフレーズを入力してください。
store-wrong-passphrase = パスフレーズが違います。何も開いていません。（パスフレーズを忘れたときは回復キーで開けます。）
store-weak-passphrase = パスフレーズは { $min } 文字以上で、同じ文字の繰り返しではないものにしてください。
store-bad-recovery-key = 回復キーではありません。文字の誤りか抜けがあるようです。回復キーは英字と数字56文字を4文字ずつ区切ったものです。
store-credential-store = OSの資格情報ストアが応答しません：{ $detail }
store-no-persistent-credential-store = このシステムの資格情報ストア（Linuxのカーネルキーリング）は再起動のたびに鍵を消すため、データの鍵が失われます。鍵ファイルか、起動のたびに尋ねるパスフレーズで保管してください。
store-bad-location = データの場所の指定が使えません（{ $reason }）。postgresql://ユーザー@ホスト:ポート/データベース?sslrootcert=CA.pem の形で書いてください（サーバーの証明書は必ず確認します：sslmode は verify-full のみ。パスワードは場所に書きません）。または、データファイルのパスを指定してください。
store-server-tls = データベースサーバーの証明書を受け入れられません。医療機関のCAが署名し、サーバー名が一致している必要があります（{ $detail }）。サーバーには何も送っていません。
store-server-sign-in = データベースサーバーが、この端末の { $user } のパスワードを受け付けませんでした。
store-server-unreachable = データベースサーバー { $server } につながりません。院内サーバーの電源とネットワークを確認してください。（{ $detail }）
store-server-query = データベースサーバーが処理を受け付けませんでした：{ $detail }
store-server-gone = データベースサーバーとの接続が切れました（{ $detail }）。この操作は保存されていません。サーバーが応答すれば、やり直します。
store-column = 保存されたデータが、このプログラムの想定と違います（列 { $index }：{ $expected } ではなく { $found }）。院内のコンピューターの担当者に連絡してください。
store-file-only = データベースサーバー上のデータには { $what } がありません（この PC のデータファイルのための操作です）。サーバー側のバックアップとディスク暗号化で管理してください。
store-not-empty = { $store } には既にデータがあります。コピー先は空のデータ（新しいファイル、または初期化したばかりのデータベース）に限ります。何も変更していません。
store-server-has-store = { $database } には ikensho のデータが既にあります（スキーマ { $version }）。何も変更していません。データを移すには ikensho store copy を使ってください。
store-server-not-store = { $database } には ikensho 以外のものがあります。何も変更していません。空のデータベースを指定してください。
store-server-no-role = サーバーにロール { $role } がありません。端末用のロールを先に作ってください（README「院内サーバーにデータを置く」）。何も変更していません。
store-journal-unreadable = サーバーにつながらない間の入力を保存したファイル { $path } を開けません（データベースのパスワードが変わったか、ファイルが壊れています）。ファイルはそのまま残しています。管理者に連絡してください。
store-server-behind = { $database } のデータは古い形式です（スキーマ { $found }、このプログラムは { $known }）。この端末のロールでは更新できません。管理者が所有者のロールで一度開くと更新されます（例：ikensho --store 所有者のURL audit verify）。
store-tampered = 版 { $version } の内容が、このプログラムの外で書き換えられています（監査証跡の記録と一致しません）。確定・署名・送信・印刷はできません。管理者に連絡し、バックアップから復元してください。
store-backup-not-intact = バックアップ { $path } の監査証跡に { $problems } 件の不整合があります（プログラムの外で書き換えられた可能性があります）。このバックアップからは復元しません。今のデータには手を触れていません。
store-backup-mismatch = バックアップ { $path } は、マニフェスト（{ $path }.manifest.json）に記録した内容と一致しません。差し替えられたか、監査証跡が切り詰められています。このバックアップからは復元しません。今のデータには手を触れていません。
store-damaged = データファイル { $path } は壊れています。ファイルには手を触れていません。バックアップから復元してください（ikensho restore）。詳細：{ $detail }
store-not-database = { $path } はikenshoのデータファイルではありません。ファイルには手を触れていません。
store-too-new = データファイル { $path } は新しい版のikenshoで書かれています（スキーマ{ $found }、このプログラムは{ $known }まで）。ikenshoを更新してください。
store-sqlite = データベースの処理に失敗しました：{ $detail }
store-migration = データファイルの更新（移行）に失敗しました：{ $detail }
store-sign-in = ログイン名またはパスワードが違います。
store-no-longer-active = { $login } さんのアカウントは無効になっています。管理者に確認してください。
store-too-soon = パスワードの誤りが続いています。{ $seconds } 秒待ってから、もう一度入力してください。
store-locked = このログインIDは、パスワードの誤りが10回続いたため、あと { $minutes } 分間使えません。急ぐときは管理者に解除を頼んでください（設定、または ikensho user unlock）。
store-refused = { $login }さんは「{ $action }」ことができません（{ $role }の権限が必要です）。
store-frozen = この版（{ $version }）は確定済みのため変更できません。修正するには新しい版を作ってください。
store-conflict = { $by ->
    [none] この下書きは別の画面で保存されています
   *[other] この下書きは { $by } さんが別の画面で保存しました
}（版の保存回数 { $found }、この画面は { $expected }）。この画面で入力した内容は失われていません。
store-transition = 「{ $from }」の意見書を「{ $to }」にはできません。
store-unreviewed = 医療事務が変更した{ $count }項目を医師が確認していません：{ $items }
store-unconfirmed = 前回の意見書から引き継いだ{ $count }項目がまだ確認されていません：{ $items }
store-not-valid = エラーが{ $count }件あるため確定できません。
store-not-found = その{ $what }は見つかりません。
store-shape = 意見書の形が様式に合いません：{ $detail }
store-nothing-to-renew = この申請者の確定済みの意見書がないため、前回から引き継げません。
store-login-taken = ログイン名「{ $login }」は使われています。
store-role-conflict = 医師と医療事務の両方の役割を持つことはできません。
store-no-role = 役割を一つ以上選んでください。
store-weak-password = パスワードは{ $min }文字以上にしてください（空白だけや、同じ文字の繰り返しだけのものは使えません）。
store-already-set-up = 最初の管理者はすでに登録されています。管理者としてログインして利用者を追加してください。
store-reauth-needed = 医師のアカウントを作るには、あなた自身のパスワードをもう一度入力してください（医師のアカウントは署名できます）。
store-reauth-failed = もう一度入力したパスワードが違います。何も変更していません。
store-certificate-name = カードの証明書は { $on_card } さんのものですが、アカウントは { $account } さんです。このカードがこの医師のものであることを管理者が確認してから署名してください（設定、または ikensho user bind-card）。
store-other-certificate = このアカウントに登録されたHPKIカードではありません。ご自身のカードで署名してください。カードを新しくしたときは、管理者が登録し直します（設定、または ikensho user bind-card）。
store-hash = パスワードを処理できませんでした。
store-bad-setting = 設定が正しくありません：{ $setting }
store-io = { $path }：{ $detail }
store-form = 様式の定義を読み込めません：{ $detail }
store-unsigned = 送信の前に電子署名が必要です。
store-cancelled = 中止しました。何も取り込まれていません。

audit-col-seq = 連番
audit-col-at_jst = 日時（日本時間）
audit-col-login = ログイン名
audit-col-name = 氏名
audit-col-action = 操作
audit-col-opinion_id = 意見書ID
audit-col-version_id = 版ID
audit-col-insurer_number = 保険者番号
audit-col-insured_number = 被保険者番号
audit-col-detail = 詳細
audit-col-before_hash = 変更前ハッシュ
audit-col-after_hash = 変更後ハッシュ
audit-col-prev = 前の記録のハッシュ
audit-col-hash = 記録のハッシュ

audit-altered = 記録{ $seq }：内容がハッシュと合いません（書き換えられています）。
audit-broken = 記録{ $seq }：前の記録とつながっていません（記録の追加・削除・並べ替えがあります）。
audit-missing = 記録{ $from }〜{ $to }がありません（削除されています）。
audit-tail-missing = 最後の記録は{ $last }ですが、{ $head }まであったはずです（末尾が削除されています）。
audit-head-mismatch = 最後の記録{ $seq }のハッシュが記録の先頭情報と合いません。
audit-rolled-back = データファイルの横に記録した先頭は記録{ $noted }まで進んでいましたが、監査証跡は{ $last }で終わっています。証跡が巻き戻されたか、古いデータファイルに置き換えられています。
audit-witness-mismatch = 記録{ $seq }が、データファイルの横に記録したものと違います。そこから証跡が書き換えられています。
audit-version-body = 版 { $version } の本文が、記録されたハッシュと一致しません（プログラムの外で書き換えられています）。
audit-version-unrecorded = 版 { $version } の本文とハッシュが、監査証跡に記録された最後の内容と一致しません（プログラムの外で書き換えられています）。
audit-intact = 監査記録は改ざんされていません（{ $entries }件）。先頭のハッシュ：{ $head }
audit-tampered = 監査記録に{ $count }件の問題があります（全{ $entries }件）。

cli-password = パスワード：
cli-new-password = 新しい利用者のパスワード：
cli-new-password-again = もう一度：
cli-password-mismatch = 2回のパスワードが一致しません。
cli-needs-as = この操作には管理者のログイン名が必要です（--as ログイン名）。
cli-no-data-dir = データフォルダが決まりません。--data-dir か IKENSHO_DATA_DIR で指定してください。
cli-user-added = 利用者「{ $login }」（{ $roles }）を登録しました。
cli-user-deactivated = { $login } のアカウントを無効にしました。
cli-user-reactivated = { $login } のアカウントを有効に戻しました。
cli-user-password-set = { $login } のパスワードを設定しました。
cli-user-unlocked = { $login } のロックを解除しました。
cli-user-line = { $login }	{ $name }	{ $roles }	{ $active }
cli-user-active = 有効
cli-user-inactive = 無効
cli-audit-exported = 監査記録{ $count }件を書き出しました：{ $path }
cli-backup-written = バックアップを書き出しました：{ $path }
cli-restored = { $path } から復元しました。
cli-previous-kept = 復元前のデータは残してあります：{ $path }
cli-clinic-saved = 医療機関の設定を保存しました。
cli-clinic-check-code = 医療機関コードの検証番号か都道府県番号が目安と合いません。番号をご確認ください。

## 監査記録の操作名（サインイン）
sign-in = サインイン
sign-in-failed = サインインの失敗
sign-in-locked = パスワードの誤りが続いたためロック
unlock-sign-in = ロックの解除
cli-store-passphrase = データのパスフレーズ：
cli-new-passphrase = データのパスフレーズ（12文字以上。起動のたびに尋ねます）：
cli-recovery-key-prompt = 回復キー：
cli-key-in-file = データの鍵は { $path } に保管しました（このOSアカウントだけが読めます）。データファイルやバックアップが持ち出されても読めませんが、このファイルごとディスクを盗まれた場合は守れません。このフォルダはバックアップに含めないでください。
cli-key-in-passphrase = データの鍵はパスフレーズで保護し、起動のたびに尋ねます。パスフレーズ（または回復キー）がなければ、ディスクごと盗まれてもデータは開けません。
cli-key-in-credential-store = データの鍵はこのアカウントのOS資格情報ストアに保管しました。データファイルやバックアップが持ち出されても読めません。
cli-key-no-credential-store = （このシステムには再起動後も鍵を保てる資格情報ストアがないため、選べません。--key-in key-file か --key-in passphrase で選んでください。）
cli-recovery-key =
    ── 回復キー（この一度だけ表示します）────────────
    { $key }
    鍵ID { $id }。印刷するか書き写して、このPCとは別の場所（金庫など）に保管してください。
    鍵ファイル・資格情報ストア・パスフレーズを失ったときにデータを開け、この鍵で作ったバックアップも開けます：ikensho store unlock、ikensho restore --recovery-key。
    ──────────────────────────────────────
cli-rekeyed = データを新しい鍵で暗号化し直しました。これより前のバックアップには古い回復キーが必要です。今すぐバックアップを取ってください。
cli-key-kept-again = 鍵を保管し直しました。
cli-store-file = データファイル：{ $path }
cli-store-plain = 暗号化されていません（暗号化より前に作られたファイルです）。暗号化するには：ikensho store rekey --as 管理者。
cli-store-encrypted = 暗号化されています（SQLCipher、AES-256）。鍵ID { $id }。
cli-reauth = 確認のため、あなたのパスワードをもう一度（医師のアカウントは署名できます）：
cli-card-bound = { $subject } さんのHPKI証明書を { $login } に登録しました。これ以外の証明書での署名は受け付けません。
cli-db-password = この端末のデータベースパスワード：
cli-store-copied = { $rows } 行をコピーしました。コピー先の監査記録は完全です（{ $entries } 件、最新ハッシュ { $head }）。
cli-store-initialised = { $database } にデータの表を作りました（スキーマ { $version }）。
cli-store-password-file = store password は院内サーバー上のデータのための操作です。--store postgresql://…（または $IKENSHO_STORE）で指定してください。
cli-store-password-kept = { $database } へのこの端末のパスワードを OS の資格情報ストアに保存しました。
cli-store-password-forgotten = { $database } へのこの端末のパスワードを削除しました。
cli-store-init-file = store init は PostgreSQL サーバー（postgresql://…）にデータを作ります。このPCのデータファイルは初期設定（ikensho user add）で作ります。
cli-restore-server = サーバー上のデータは上書きで戻しません。所有者のロールで新しい空のデータベースへ移してください：ikensho store copy --from バックアップ --to postgresql://所有者@…/新しいデータベース --terminals 端末のロール。そのあと各端末の --store をそのデータベースにします。
cli-store-terminals-needed = コピー先のデータベースは空です。先に設定するため、端末が接続するロールを --terminals で指定してください（例：--terminals ikensho_terminal）。
store-not-final = 意見書 { $id } はまだ確定していません。確定した意見書だけを書き出せます。
