## HPKIカード（医師資格証）と電子署名

card-no-service = ICカードのサービス（pcscd）が動いていません。カードリーダーのソフトを起動するか、管理者に連絡してください。
card-no-reader = カードリーダーがつながっていません。リーダーを接続してください。
card-unknown-reader = 「{ $reader }」というカードリーダーはありません。`ikensho readers` で名前を確かめてください。
card-no-card = カードリーダーにカードが入っていません。医師資格証を入れてください。
card-removed = 途中でカードが抜かれました。署名はされていません。カードを入れ直して、もう一度署名してください。
card-reader-gone = 途中でカードリーダーが外れました。署名はされていません。
card-not-hpki = このカードはHPKIカード（医師資格証）ではありません（署名用のアプリケーションがありません）。
card-deactivated = このカードは失効（無効化）されています。発行元に連絡してください。
card-wrong-pin = PINが違います。残りは{ $tries }回です。回数がなくなるとカードは使えなくなり、再発行（有料）が必要です。
card-blocked = PINがロックされています。このカードでは署名できません。カードの再発行が必要です（カードには何も送っていません）。
card-pin-shape = PINは4〜16文字の英数字です。
card-status = カードが予期しない応答をしました（{ $step }: { $sw }）。
card-malformed = カードの応答を読み取れません（{ $detail }）。
card-certificate = カードの証明書を読み取れません。
card-bad-signature = カードが返した署名が、カードの証明書と一致しません。署名は使えません。
card-transport = カードリーダーとの通信でエラーが起きました（{ $detail }）。
sign-build = 署名データを組み立てられません（{ $detail }）。

verify-not-cms = 署名ファイルがCMS署名（DER）ではありません。
verify-not-detached = 署名に文書そのものが含まれています（分離署名ではありません）。
verify-signers = 署名者が1人ではありません。
verify-no-signer-certificate = 署名者の証明書が署名に含まれていません。
verify-algorithm = 対応していないアルゴリズムです（{ $detail }）。
verify-missing-attribute = 署名に必要な属性がありません（{ $detail }）。
verify-digest-mismatch = 文書が署名と一致しません。署名の後に文書が変更されています。
verify-bad-signature = 署名値が正しくありません。
verify-signing-certificate = signingCertificateV2 が署名者の証明書を指していません。
verify-untrusted = 署名者の証明書から信頼する認証局までたどれません。
verify-not-valid = 署名した時点で有効でない証明書があります。
verify-not-ca = 認証局でない証明書が途中にあります。
verify-critical-extension = 知らない重要（critical）拡張を持つ証明書があります（{ $detail }）。
verify-key-usage = 署名者の証明書が署名用ではありません（keyUsage）。
verify-not-pem = { $path } から証明書（PEM）を読み取れません。

cli-sign-reader = カードリーダー: { $reader }
cli-sign-tries = PINの残り回数: { $tries }回
cli-sign-confirm-low = 残りが{ $tries }回しかありません。間違えるとカードがロックされます。続けるなら yes と入力してください:
cli-sign-cancelled = 署名を取りやめました。カードには何も送っていません。
cli-sign-pin = PIN:
cli-sign-written = 署名を { $path } に書き出しました。
cli-verify-ok = 署名は有効です。署名者: { $signer }、署名時刻: { $time }
cli-test-pki-failed = テスト用の認証局を作れません（{ $detail }）。
cli-test-pki-written = テスト用の認証局を { $path } に書き出しました（本物の署名には使えません）。
cli-vcard-inserted = 仮想HPKIカードを挿しました（vpcd { $vpcd }）。止めるまで応答します。
cli-vcard-removed = 仮想HPKIカードを抜きました。
