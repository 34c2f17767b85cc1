## 画面

app-title = ikensho — 主治医意見書
app-login = ログインID
app-password = パスワード
app-sign-in = サインイン
app-sign-out = サインアウト
app-signed-in-as = { $name } さん
app-list-title = 意見書の一覧
app-search = 検索（氏名・かな・被保険者番号）
app-empty = 該当する意見書はありません。
app-col-state = 状態
app-col-name = 申請者
app-col-day = 記入日
app-col-due = 提出期限
app-col-request = 依頼番号
cli-demo-ready = デモの準備ができました（{ $dir }）。ハブのシミュレーター: { $url }。サインイン: sato（医師）・suzuki（事務）・kanri（管理者）、パスワードはどれも { $password }。仮想HPKIカードのPIN: { $pin }。新しい作成依頼 { $drafts } 件を下書きにしました。
cli-demo-failed = デモを準備できません（{ $detail }）。
