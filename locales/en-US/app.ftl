## Screens

app-title = ikensho — attending physician's opinion
app-login = Login
app-password = Password
app-sign-in = Sign in
app-sign-out = Sign out
app-about = About this program
app-signed-in-as = { $name }
app-list-title = Opinions
app-search = Search (name, kana, insured number)
app-empty = No opinions match.
app-col-state = State
app-col-name = Applicant
app-col-day = Written
app-col-due = Due
app-col-request = Request
app-nav-list = Opinions
app-nav-outbox = Sending
app-nav-settings = Settings
app-lang = 日本語
app-zoom = Text size
app-zoom-in = Larger text
app-zoom-out = Smaller text
app-dismiss = Dismiss
app-col-actions = Actions
app-col-version = Version
app-col-delivery = Delivery
app-col-receipt = Receipt
app-open = Open
app-renew = Start the renewal
app-reopen = Correct in a new version
app-idle-signed-out = You were signed out after a while without use. The draft you were writing is saved.
app-delivery-restarted = Sending stopped part-way and has started again. Please check the sending status.
app-handed-over = Handed to the physician.
app-hand-over = Hand to the physician
app-review-clerk = Mark the clerk's entries as reviewed
app-to-review = Review and sign
app-preview = Paper and print
app-back-to-list = Back to the list
app-back-to-editor = Back to editing
app-prev-section = ← Previous
app-next-section = Next →
app-read-only = Read only
app-saving = Saving…
app-saved = Saved
app-kept-locally = Kept on this terminal (not yet on the server)
app-server-lost = The clinic server cannot be reached (since { $since }). What you enter is kept on this terminal ({ $kept } draft(s)) and saved to the server as soon as it answers. Closing the window loses nothing.
app-list-as-of = This list is as it was at { $at }: the server cannot be reached, so it may not be current.
app-server-back = The clinic server answers again. What was kept on this terminal has been saved to it.
app-server-back-nothing-kept = The clinic server answers again.
app-held-by = { $name } is editing this on { $terminal }
app-held-by-hint = If both save, the later save is refused, and both sets of entries can be compared and saved again.
app-conflict-short = Not saved (saved on another terminal first)
app-conflict-title = { $by } saved this draft on another terminal first. What you entered here is not saved yet, and it is not lost.
app-conflict-theirs = Changed by { $by }: { $items }
app-conflict-mine = Entered here (kept): { $items }
app-conflict-both = Changed by both (your value is used; check it before saving): { $items }
app-conflict-keep-mine = Save your entries on top of their changes
app-conflict-take-theirs = Open their version (drop your entries)
app-conflict-take-theirs-hint = What you entered here is not saved and goes away.
app-returned-reason = Returned because
app-findings = To check
app-next-attention = Next to check (F8)
app-next-attention-short = Next (F8)
app-required = required
app-help = ?
app-carried = Copied from the last opinion
app-confirm = Confirm
app-confirmed = Confirmed
app-changed = Changed since the last opinion (was: { $before })
app-clerk-pending = Entered by the clerk
app-chars = { $count ->
        [one] 1 character
       *[other] { $count } characters
    } (about { $fit } fit on paper)
app-chars-over = { $count } characters (about { $over } over the { $fit } that fit on paper; what does not fit even in smaller type goes on to a continuation sheet)
app-emphasis = Especially needed
app-onset-partial = Leave month or day empty when unknown (approx.)
app-gregorian = Gregorian { $date }
app-date-unreadable = Not a date yet
app-add = Add
app-remove = Remove
app-review-title = Review and sign
app-review-errors = There { $errors ->
        [one] is 1 error
       *[other] are { $errors } errors
    }. Correct them before signing.
app-review-ok = No errors ({ $warnings ->
        [one] 1 warning
       *[other] { $warnings } warnings
    }).
app-review-pending = { $count ->
        [one] 1 item entered by the clerk is
       *[other] { $count } items entered by the clerk are
    } not reviewed yet. Review them in the editor.
app-route = How it is submitted
app-route-asking = Asking the hub whether the insurer is connected…
app-route-electronic = Electronically through the hub. A signature is optional.
app-route-electronic-signed = Electronically through the hub. This insurer asks for an electronically signed opinion (the writing guide makes the signature optional).
app-route-paper = This insurer is not on the hub on the date written (from { $from }). Submit it on paper.
app-route-needs-date = The date written is empty, so the route cannot be decided.
app-sign-and-send = Finalise, sign and send
app-final-print = Finalise and submit on paper (print)
app-pin-title = Sign with the HPKI card
app-pin-reader = Card reader
app-pin-checking = Checking the card…
app-pin-tries = PIN tries left: { $tries }
app-pin-verified = The PIN of this card is already verified.
app-pin-recheck = Check the card again
app-pin-low = I know only { $tries } tries are left; when they run out the card must be reissued.
app-pin = PIN
app-pin-sign = Sign and send
app-pin-signing = Signing with the card. Do not remove it…
app-cancel = Cancel
app-signed-queued = Signed and queued. It is sent automatically.
app-outbox-title = Sending
app-outbox-empty = Nothing has been sent yet.
app-outbox-help = Queued opinions are sent automatically and retried with growing pauses when the hub cannot be reached. The same opinion never arrives twice. One that was refused can be corrected with "Correct in a new version" and sent again.
app-delivery-waiting = Waiting
app-delivery-sending = Sending
app-delivery-retrying = Next try { $at } (attempt { $attempts } failed: { $error })
app-delivery-received = Received
app-delivery-failed = Refused ({ $error })
app-hub-not-set = The hub connection is not set up (Settings › Hub). Paper submission works.
app-paper-title = Paper (the official form)
app-print-draft = Make a draft PDF
app-printing = Making the PDF…
app-printed = PDF saved: { $path } ({ $pages ->
        [one] 1 page
       *[other] { $pages } pages
    })
app-open-viewer = Open the PDF
app-settings-title = Settings
app-settings-clinic = Clinic
app-clinic-name = Name
app-clinic-address = Address
app-clinic-phone = Phone
app-clinic-fax = Fax
app-clinic-code = Institution code
app-clinic-print-name = Print the physician's name on paper (usually left blank for the signature)
app-save = Save
app-settings-saved = Saved.
app-settings-people = People
app-person-name = Name
app-add-person = Add person
app-settings-hub = The hub and certificates
app-hub-url = Hub address
app-hub-ca = Hub CA certificate (PEM file)
app-signing-chain = Signing CA certificates (PEM file)
app-trust-anchors = Trusted root certificates (PEM file)
app-reader-first = The reader with the card (automatic)
app-set = set
app-not-set = not set
app-settings-terminal = Terminal client certificate
app-p12-path = .p12 file
app-p12-password = .p12 password
app-import = Import
app-terminal-imported = Terminal certificate imported; its password is kept in the OS keyring.
app-terminal-imported-no-keyring = Terminal certificate imported; no OS keyring works here, so its password is asked for when sending.
app-settings-backup = Backup
app-backup-path = Backup file
app-backup = Make a backup
app-backup-done = Backup written: { $path }
app-backup-server = For a store on the server, backups are made at the terminal for now: ikensho backup FILE.sqlite --as ADMIN (encrypted under a new key whose recovery key is shown once).
app-section = Section
app-attention-error = { $count ->
        [one] 1 error
       *[other] { $count } errors
    }
app-attention-warning = { $count ->
        [one] 1 warning
       *[other] { $count } warnings
    }
app-attention-clerk = { $count ->
        [one] 1 clerk's entry
       *[other] { $count } clerk's entries
    }
app-attention-carried = { $count ->
        [one] 1 item carried over, not confirmed
       *[other] { $count } items carried over, not confirmed
    }
app-attention-at = Now at no. { $k } of { $kind }
app-attention-none = Nothing left to check.
app-confirm-section = This section as last time (confirm { $count ->
        [one] 1 item
       *[other] { $count } items
    })
app-recommended = recommended
app-date-year = year
app-date-month = month
app-date-day = day
app-viewer-missing = No PDF viewer was found. The PDF is saved at { $path }
app-open-folder = Open its folder
app-review-carried = { $count ->
        [one] 1 item carried over from the last opinion is
       *[other] { $count } items carried over from the last opinion are
    } not confirmed yet. Check them:
app-review-confirm-carried = Finalise as last time: { $count ->
        [one] 1 item
       *[other] { $count } items
    }
app-review-carried-needed = Confirm the carried-over items before finalising.
app-review-summary = What will be signed
app-panel-sections = Sections
app-panel-worklist = To check
app-menu = Menu
app-account = { $name } ▼
app-sign-out-unsaved = A change could not be saved. Signing out loses it.
app-sign-out-anyway = Discard it and sign out
app-col-kind = Application
app-overdue = Overdue
app-reprint = Print the final copy again
app-receipt-full = Receipt (in full): { $receipt }
app-zoom-value = { $percent }%
app-sep = { ", " }
app-emphasized = { $label } (especially needed)
app-request-due = Request { $request } (due { $due })
app-panel-worklist-count = To check ({ $count })
app-settings-saved-check-code = Saved. The institution code's check digit or prefecture does not match the usual rule; please check the number.
app-review-continuation = The R8 form has no note for a continuation sheet, and some municipalities ask that nothing be written outside the boxes. These items do not fit their boxes and would go on to a continuation sheet: { $items }. Shorten them, or tick "I accept the continuation sheet" below before finalising.
app-review-allow-continuation = I accept the continuation sheet (text that does not fit its box is printed on it)
cli-demo-ready = The demo is ready ({ $dir }). Hub simulator: { $url }. Sign in as sato (physician), suzuki (clerk) or kanri (administrator), password { $password } for each. Virtual HPKI card PIN: { $pin }. { $drafts } new requests taken in as drafts. The municipality decides on each opinion sent about { $seconds } seconds after receipt, accepting and returning in turn (a returned one, corrected and sent again, is accepted).
cli-demo-failed = The demo could not be prepared ({ $detail }).
cli-window-failed = The window could not be opened ({ $detail }).
cli-needs-opinion = Give an opinion file or --opinion NUMBER.
cli-no-display = No display was found, so the window cannot open (neither DISPLAY nor WAYLAND_DISPLAY is set). To prepare the demo only, run it with --no-window.
cli-no-display-gui = No display was found, so the window cannot open (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it on a desktop.
app-unlock-explain = The data on this PC is protected with a passphrase.
app-unlock-passphrase = The data's passphrase
app-unlock = Open
app-unlock-recovery = If the passphrase is lost, an administrator opens the data with the recovery key (ikensho store unlock).
app-server-password-explain = This terminal works on the store on the clinic server. Enter this terminal's password for the server (not anyone's sign-in password).
app-server-password = The terminal's database password
app-server-password-remember = Remember it on this terminal (the OS credential store)
app-server-password-hint = The administrator keeps this password (README, "The store on the clinic's server").
app-reauth = Your own password, again (for a physician account)
app-person-chosen = Person
app-person-none = (choose)
app-person-deactivate = Turn off
app-person-reactivate = Turn on again
app-person-unlock = Lift the sign-in lock
app-person-new-password = New password
app-person-reset-password = Set the new password
app-person-deactivated = { $login } is turned off; a window still open is refused at its next step.
app-person-reactivated = { $login } is turned on again.
app-person-unlocked = The sign-in lock of { $login } is lifted.
app-person-password-set = The password of { $login } is set.
app-review-laying-out = Checking what fits on the form…
app-paper-laying-out = Laying the opinion out on the form…
app-terminal-password-title = Terminal certificate password
app-terminal-password-explain = The password of this terminal's certificate (.p12), used to send to the long-term care information hub, is not kept on this terminal. Type it to send until this program is closed.
app-terminal-password-later = Later
app-terminal-password-taken = The terminal certificate is open. Sending starts.
app-terminal-password-not-kept = The terminal certificate is open. This terminal cannot keep the password, so it is asked again at the next start.
app-terminal-password-needed = Nothing can be sent: the terminal certificate's password has not been typed. Sign in again to type it.
app-terminal-password-open = Open the certificate
app-backup-auto-explain = Every day, at the first sign-in and when the window closes after changes, a backup is written into this folder (14 daily copies and the last of each of 12 months). Choose another disk or a USB drive.
app-backup-folder = Folder of the automatic backups
app-backup-last = Last automatic backup: { $date }
app-backup-none-yet = There is no automatic backup yet.
app-backup-no-folder = No folder is set, so no automatic backup is made.
app-backup-folder-gone = The backup folder is not there. Check that the USB drive or the network share is connected.
app-backup-overdue = The last backup is more than two days old. Check the backup folder.
app-backup-auto-done = Today's automatic backup was written: { $path }
app-backup-auto-failed = The automatic backup could not be made ({ $folder }). { $detail }
app-backup-auto-server = Data on the clinic server is backed up on the server (README, "Keeping the data on a clinic server").
app-backup-folder-use = Use this folder
app-choose = Choose…
app-save-pdf-as = Save a copy as…
app-pdf-saved-as = A copy of the PDF was saved: { $path }
app-settings-card = Card reader and HPKI card
app-conn-test = Test the connection
app-conn-ok = Connected to the long-term care information hub. This terminal's certificate is accepted.
app-conn-unreachable = The hub cannot be reached. Check the address and the network (LAN cable, Wi-Fi).
app-conn-refused = The hub refused this terminal's certificate. Check that it is the right .p12 file and that it is registered with the hub.
app-conn-untrusted = The hub's server certificate cannot be checked with the CA certificate set. Check the CA certificate file and the address.
app-conn-p12 = The terminal certificate (.p12) cannot be opened: wrong password, or not a .p12 file.
app-conn-ca = The CA certificate file cannot be read. Choose a PEM file.
app-card-test = Read the card (no PIN)
app-card-read = Card reader: { $reader }
app-card-holder = HPKI card holder: { $name }
app-card-issuer = Issued by: { $issuer }
app-card-expiry = Valid until: { $date } ({ $days } days left)
app-card-expires-soon = Less than 90 days are left. Apply for the renewal of the HPKI card.
app-card-expired = This HPKI card has expired and cannot sign.
app-first-title = Setting up ikensho
app-first-explain = This prepares ikensho for its first use: where the data lives and the first administrator. Then the clinic, the people, sending, the card reader and backups, one after the other (all can be changed later in Settings).
app-first-where = Where the data lives
app-first-this-pc = This PC (stored encrypted)
app-first-server = A clinic server (several terminals)
app-first-server-note = A clinic server is prepared by its administrator as the README says ("Keeping the data on a clinic server"); its address, its CA certificate file and this terminal's password come from them.
app-first-admin = The first administrator
app-first-admin-explain = The administrator adds people and changes settings. Physicians and clerks are added on the next screens.
app-first-password-again = Password (again)
app-first-make = Create the data
app-first-fill-all = Type a login ID and a name.
app-first-password-mismatch = The two passwords differ. Type them again.
app-first-recovery-title = Recovery key (shown once)
app-first-recovery-explain = This key opens the data when the PC breaks or a backup is opened on another PC. Copy it onto paper and keep it away from the PC (in a safe). It cannot be shown again once this screen is closed.
app-first-written-down = I have written the recovery key down
app-first-go-on = Next (go on with the settings)
app-guide-title = Set-up { $step }/{ $steps }: { $part }
app-guide-clinic = The clinic as printed on the opinions. The medical institution code has 10 digits and begins with the prefecture's number.
app-guide-people = Add the physicians who write opinions and the clerks who prepare drafts. Adding a physician asks for the administrator's password again.
app-guide-hub = The address of the long-term care information hub and its CA certificate. Choose Later while you do not submit electronically.
app-guide-terminal = This terminal's certificate (.p12) and its password. "Test the connection" checks that the hub can be reached.
app-guide-card = The reader of the HPKI card. Insert the card and press "Read the card" to see its holder and expiry (no PIN is used).
app-guide-backup = Where the daily automatic backups go. Choose another disk or a USB drive.
app-guide-back = Back
app-guide-later = Later
app-guide-next = Next
app-guide-finish = To the sign-in screen
app-guide-done-title = Ready
app-guide-done = ikensho is ready. Physicians and clerks sign in with their own login IDs. Everything can be changed later in Settings.
app-guide-finished = The set-up is done. Sign in with your own login ID.
app-new-opinion = New opinion
app-restore-title = Restore a backup
app-restore-explain = Replaces the data with the backup's. The data as it is now is kept beside, not deleted. After the restore, the sign-in screen opens.
app-restore-file = The backup file to restore
app-restore-password = Your password again (you must be an administrator in the backup too)
app-restore-recovery-key = The backup's recovery key (only for a backup from another PC, or from before a new key)
app-restore = Restore this backup…
app-restore-confirm = The data will be replaced with that of { $path }. The data as it is now is kept beside. Go on?
app-restore-go = Restore
app-restore-busy = Wait until sending or printing has finished.
app-restore-password-needed = Type your password again.
app-restore-no-keeping = This PC has no place to keep the key. Restore with the command ikensho restore.
app-restored = Restored from { $path }. The data as it was is kept at { $previous }. Sign in again.
app-restart = Close ikensho and start it again.
app-first-server-url = The clinic server's address (postgresql://…)
app-first-server-ca = The clinic server's CA certificate (.pem)
app-first-connect = Connect to the server
app-first-server-empty = Connected to the clinic server. It has no people yet: register its first administrator.
app-first-server-connected = Connected to the clinic server. Sign in with your own login ID.
app-first-register = Register the administrator
app-settings-import = Import from 医見書
app-guide-import = If the clinic used 日医's 医見書, its past opinions can come along: choose the file written by 医見書's "その他の機能" → "CSVファイル出力". The opinions are kept as submitted on paper, and the next renewal starts from them. This can also be done later in Settings.
app-import-explain = Choose a file written by 医見書's "その他の機能" → "CSVファイル出力" (主治医意見書) to import it. Each opinion is kept for its applicant as submitted on paper, and the next renewal starts from it. Importing a file again adds nothing twice; a row that cannot be read is named by row and column and not imported.
app-import-file = 医見書 CSV file
app-import-start = Import the CSV
app-import-cancel = Stop
app-import-no-file = Choose the file to import.
app-import-more = { $more } more rows were not imported (the command ikensho import ikensyo-csv lists them all).
app-clinic-csv-insurers = Insurers that take 医見書's CSV (保険者番号, separated by spaces)
app-route-csv = This insurer also takes 医見書's CSV file ("Write 医見書 CSV…" on the paper screen).
app-export-csv = Write 医見書 CSV…
app-export-csv-done = 医見書's CSV written to { $path }.
