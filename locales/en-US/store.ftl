## The draft store: states, roles, actions, errors, and the command line's store commands

state-received = Received
state-clerk-entry = Clerk entering
state-awaiting-physician = Waiting for the physician
state-finalised = Finalised
state-queued = Waiting to send
state-sent = Sent
state-accepted = Accepted
state-returned = Returned
state-paper = Submitted on paper

role-physician = physician
role-clerk = medical clerk
role-admin = administrator

action-open = open opinions
action-edit = create and edit drafts
action-finalise = finalise
action-sign = sign
action-send = send
action-print-final = print for submission
action-review = review the clerk's entries
action-manage-users = manage people
action-settings = change the clinic settings
action-administer = back up, restore or export the audit trail

thing-opinion = opinion
thing-version = version
thing-user = person
thing-physician = physician

setting-institution_code = institution code (10 digits; the check digit does not match)
setting-phone = phone number
setting-fax = fax number
setting-login = login and name
setting-clinic = clinic settings
setting-hub_url = the hub address (it must start with https://)
setting-hub_ca_pem = the hub's CA certificate (not PEM)
setting-signing_chain_pem = the signing CA certificates (not PEM)
setting-trust_anchors_pem = the trusted root certificates (not PEM)
setting-idle_sign_out_minutes = minutes until the automatic sign-out (1 to 240)

store-open = Cannot open the data file { $path }: { $detail }
store-missing = There is no data file at { $path }. Adding the first person creates it (ikensho user add).
store-folder-missing = The backup folder { $path } is not there. Check that the USB drive or the network share is connected.
store-empty = The data file { $path } is empty (0 bytes). It may have been damaged, so it is not set up again over what it held. Restore a backup (ikensho restore), or move the file away and set up again.
store-exists = There is a data file at { $path } already. The set-up makes a new store only where there is none.
store-key-missing = The data file { $path } is encrypted, and its key is not where it was kept (the key file, the OS credential store or the description beside the file is missing). Open it with the recovery key: ikensho store unlock --as ADMIN.
store-wrong-key = The key does not open { $path } (it belongs to another store, or the file was made before a change of key). Give the recovery key that was shown when that key was made.
store-passphrase-needed = This store is protected with a passphrase. Enter it to open the store.
store-wrong-passphrase = Wrong passphrase. Nothing was opened. (The recovery key opens the store when the passphrase is lost.)
store-weak-passphrase = The passphrase must have at least { $min } characters and not be one character repeated.
store-bad-recovery-key = This is not the recovery key: a letter may be wrong or missing. It has 56 letters and digits in groups of four.
store-credential-store = The OS credential store did not answer: { $detail }
store-no-persistent-credential-store = This system's credential store forgets keys at every restart (the Linux kernel keyring), so the data key would be lost. Keep it in a key file, or behind a passphrase asked at each start.
store-bad-location = The store address is not usable ({ $reason }). Write it as postgresql://USER@HOST:PORT/DATABASE?sslrootcert=CA.pem (the server's certificate is always checked: sslmode verify-full; the password is never part of the address), or give the path of a data file.
store-server-tls = The database server's certificate was not accepted: it must be signed by the clinic's CA and name the server ({ $detail }). Nothing was sent to it.
store-server-sign-in = The database server refused the password of { $user } for this terminal.
store-server-unreachable = The database server { $server } cannot be reached. Check that the clinic server is on and on the network. ({ $detail })
store-server-query = The database server refused: { $detail }
store-server-gone = The connection to the database server was lost ({ $detail }). Nothing of this step was saved; it is tried again when the server answers.
store-column = The data in the store is not what this program expects (column { $index }: { $found } instead of { $expected }). Ask whoever looks after the clinic's computers.
store-file-only = A store on a database server has no { $what }: that is for a data file on this PC. The server's own backups and disk encryption look after it.
store-not-empty = { $store } holds data already: a store is copied only into an empty one (a new file, or a database just set up). Nothing was changed.
store-server-has-store = { $database } holds an ikensho store already (schema { $version }). Nothing was changed; to move a store there, use ikensho store copy.
store-server-not-store = { $database } holds something that is not an ikensho store. Nothing was changed; give an empty database.
store-server-no-role = There is no role { $role } on the server. Make the terminals' role first (README, "The store on the clinic's server"). Nothing was changed.
store-journal-unreadable = The file { $path }, which keeps what was typed while the server could not be reached, does not open (the database password changed since, or the file is damaged). It is left as it is; tell the administrator.
store-server-behind = The store in { $database } is in an older form (schema { $found }; this program needs { $known }). This terminal's role may not bring it up to date: the administrator opens it once with the owner's role (e.g. ikensho --store OWNER-URL audit verify).
store-tampered = Version { $version } was changed outside this program (it does not match what the audit trail recorded). It cannot be finalised, signed, sent or printed. Tell the administrator, and restore a backup.
store-backup-not-intact = The audit trail of the backup { $path } has { $problems } problem(s) (it may have been changed outside the program). Nothing is restored from it; the current data is untouched.
store-backup-mismatch = The backup { $path } is not the file its manifest ({ $path }.manifest.json) says was written: it was replaced, or its audit trail was cut. Nothing is restored from it; the current data is untouched.
store-damaged = The data file { $path } is damaged. It was left untouched. Restore a backup (ikensho restore). Detail: { $detail }
store-not-database = { $path } is not an ikensho data file. It was left untouched.
store-too-new = The data file { $path } was written by a newer ikensho (schema { $found }; this program knows up to { $known }). Please update ikensho.
store-sqlite = A database operation failed: { $detail }
store-migration = Updating the data file (migration) failed: { $detail }
store-sign-in = Unknown login or wrong password.
store-no-longer-active = The account { $login } has been deactivated. Ask the administrator.
store-too-soon = Several wrong passwords in a row. Wait { $seconds } seconds, then try again.
store-locked = This login is locked for { $minutes } more minutes after ten wrong passwords in a row. If it is urgent, ask the administrator to unlock it (Settings, or ikensho user unlock).
store-refused = { $login } may not { $action } (this needs the { $role } role).
store-frozen = This version ({ $version }) is finalised and cannot change. Make a new version to correct it.
store-conflict = { $by ->
    [none] This draft was saved in another window meanwhile
   *[other] { $by } saved this draft in another window meanwhile
} (save { $found }; this window has { $expected }). Nothing typed here is lost.
store-transition = An opinion that is “{ $from }” cannot become “{ $to }”.
store-unreviewed = The physician has not reviewed { $count ->
        [one] 1 item
       *[other] { $count } items
    } the clerk changed: { $items }
store-unconfirmed = { $count ->
        [one] 1 item carried over from the last opinion is
       *[other] { $count } items carried over from the last opinion are
    } not confirmed yet: { $items }
store-not-valid = Cannot finalise: validation finds { $count ->
        [one] 1 error
       *[other] { $count } errors
    }.
store-not-found = No such { $what }.
store-shape = The opinion does not fit its form: { $detail }
store-nothing-to-renew = This applicant has no finalised opinion to carry forward from.
store-login-taken = The login “{ $login }” is taken.
store-role-conflict = A person cannot be both physician and medical clerk.
store-no-role = Choose at least one role.
store-weak-password = The password needs at least { $min } characters, and may not be only spaces or one character repeated.
store-already-set-up = The first administrator exists already. Sign in as an administrator to add people.
store-reauth-needed = Enter your own password again to make a physician account: whoever holds one may sign.
store-reauth-failed = The password you entered again is wrong. Nothing was changed.
store-certificate-name = The card's certificate is for { $on_card }, but the account is { $account }. An administrator confirms that this card is this physician's (設定, or ikensho user bind-card) before it signs.
store-other-certificate = This is not the HPKI card bound to this account. Sign with your own card; after a new card, an administrator binds it (設定, or ikensho user bind-card).
store-hash = The password could not be processed.
store-bad-setting = A setting is not valid: { $setting }
store-io = { $path }: { $detail }
store-form = The form definition cannot be loaded: { $detail }
store-unsigned = A signature is needed before sending.
store-cancelled = Stopped. Nothing of it was kept.

audit-col-seq = No.
audit-col-at_jst = Time (JST)
audit-col-login = Login
audit-col-name = Name
audit-col-action = Action
audit-col-opinion_id = Opinion ID
audit-col-version_id = Version ID
audit-col-insurer_number = Insurer number
audit-col-insured_number = Insured number
audit-col-detail = Detail
audit-col-before_hash = Hash before
audit-col-after_hash = Hash after
audit-col-prev = Previous entry's hash
audit-col-hash = Entry hash

audit-altered = Entry { $seq }: its content does not match its hash (it was edited).
audit-broken = Entry { $seq }: does not follow the entry before it (entries were inserted, deleted or reordered).
audit-missing = Entries { $from }–{ $to } are missing (deleted).
audit-tail-missing = The last entry is { $last }, but the trail reached { $head } (the last entries were deleted).
audit-head-mismatch = The hash of the last entry { $seq } does not match the recorded head.
audit-rolled-back = The head noted beside the data file reached entry { $noted }, but the trail ends at { $last }: the trail was rolled back, or an older data file was put in its place.
audit-witness-mismatch = Entry { $seq } is not the one noted beside the data file: the trail was rewritten from there.
audit-version-body = The body of version { $version } does not match its recorded hash (it was changed outside the program).
audit-version-unrecorded = The body and hash of version { $version } are not what the audit trail last recorded for it (they were changed outside the program).
audit-intact = The audit trail is intact ({ $entries } entries). Head hash: { $head }
audit-tampered = The audit trail has { $count ->
        [one] 1 problem
       *[other] { $count } problems
    } ({ $entries } entries).

cli-password = Password:
cli-new-password = The new person's password:
cli-new-password-again = Again:
cli-password-mismatch = The two passwords differ.
cli-needs-as = This needs an administrator's login (--as LOGIN).
cli-no-data-dir = No data folder: give --data-dir or set IKENSHO_DATA_DIR.
cli-user-added = Added { $login } ({ $roles }).
cli-user-deactivated = The account { $login } is deactivated.
cli-user-reactivated = The account { $login } is active again.
cli-user-password-set = The password of { $login } is set.
cli-user-unlocked = { $login } is unlocked.
cli-user-line = { $login }	{ $name }	{ $roles }	{ $active }
cli-user-active = active
cli-user-inactive = inactive
cli-audit-exported = Wrote { $count } audit entries to { $path }
cli-backup-written = Backup written to { $path }
cli-restored = Restored from { $path }.
cli-previous-kept = The data as it was before the restore is kept at { $path }
cli-clinic-saved = Clinic settings saved.
cli-clinic-check-code = The institution code's check digit or prefecture does not match the usual rule; please check the number.

## Audit trail action names (sign-in)
sign-in = Sign-in
sign-in-failed = Failed sign-in
sign-in-locked = Locked after wrong passwords
unlock-sign-in = Lock lifted
cli-store-passphrase = The store's passphrase:
cli-new-passphrase = A passphrase for the store (at least 12 characters; asked at each start):
cli-recovery-key-prompt = Recovery key:
cli-key-in-file = The data key is kept in { $path } (readable only by this OS account). This protects a copied data file or backup; it does not protect a stolen disk that holds this file too. Keep the folder out of the backups.
cli-key-in-passphrase = The data key is kept behind the passphrase, asked at each start. Without it (or the recovery key) nobody can open the data, even with the whole disk.
cli-key-in-credential-store = The data key is kept in the OS credential store of this account. This protects a copied data file or backup.
cli-key-no-credential-store = (This system has no credential store that keeps a key across a restart, so it is not offered. Choose with --key-in key-file or --key-in passphrase.)
cli-recovery-key =
    ── Recovery key (shown once) ──────────────────────────
    { $key }
    Key id { $id }. Print it or write it down and keep it apart from this PC (a safe).
    It opens the data when the key file, the credential store or the passphrase is lost,
    and it opens the backups made under this key: ikensho store unlock, ikensho restore --recovery-key.
    ───────────────────────────────────────────────────────
cli-rekeyed = The data is now encrypted under a new key. Backups made before still need the old recovery key; make a new backup now.
cli-key-kept-again = The key is kept again.
cli-store-file = Data file: { $path }
cli-store-plain = Not encrypted (made before encryption). Encrypt it: ikensho store rekey --as ADMIN.
cli-store-encrypted = Encrypted (SQLCipher, AES-256), key id { $id }.
cli-reauth = Your own password again (a physician account may sign):
cli-card-bound = The HPKI certificate of { $subject } is bound to { $login }; signatures with any other certificate are refused.
cli-db-password = This terminal's database password:
cli-store-copied = Copied { $rows } rows; the copy's audit trail is intact ({ $entries } entries, head { $head }).
cli-store-initialised = The store's tables are made in { $database } (schema { $version }).
cli-store-password-file = store password is for a store on the clinic's server: give it with --store postgresql://… (or $IKENSHO_STORE).
cli-store-password-kept = This terminal's password for { $database } is kept in the OS credential store.
cli-store-password-forgotten = This terminal no longer keeps a password for { $database }.
cli-store-init-file = store init makes a store on a PostgreSQL server (postgresql://…). A data file on this PC is made by the set-up: ikensho user add.
cli-restore-server = A server store is not overwritten in place. As the owner, copy the backup into a new, empty database: ikensho store copy --from BACKUP --to postgresql://OWNER@…/NEW-DATABASE --terminals ROLE; then point every terminal's --store at it.
cli-store-terminals-needed = The target database is empty: to set it up on the way, name the role the terminals connect as with --terminals (e.g. --terminals ikensho_terminal).
store-not-final = Opinion { $id } is not finalised yet: only a finalised opinion is written out.
