## Screens

app-title = ikensho — attending physician's opinion
app-login = Login
app-password = Password
app-sign-in = Sign in
app-sign-out = Sign out
app-signed-in-as = { $name }
app-list-title = Opinions
app-search = Search (name, kana, insured number)
app-empty = No opinions match.
app-col-state = State
app-col-name = Applicant
app-col-day = Written
app-col-due = Due
app-col-request = Request
cli-demo-ready = The demo is ready ({ $dir }). Hub simulator: { $url }. Sign in as sato (physician), suzuki (clerk) or kanri (administrator), password { $password } for each. Virtual HPKI card PIN: { $pin }. { $drafts } new requests taken in as drafts.
cli-demo-failed = The demo could not be prepared ({ $detail }).
