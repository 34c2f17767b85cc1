## Messages of findings, the command line and file errors.

severity-error = Error
severity-warning = Warning

## Findings (validation). Arguments that name items or choices arrive as labels.

msg-required = Please fill this in.
msg-required-choice = Please choose one.
msg-not-applicable = This is filled in although the answer to "{ $condition }" says it does not apply. Clear it, or check "{ $condition }".
msg-exclusive = "{ $choice }" cannot be chosen together with other choices.
msg-emphasis-unchecked = "{ $choice }" is marked as especially needed but is not ticked.
msg-date-incomplete = The date is incomplete (the year is needed, and a day needs its month).
msg-date-missing-era = Please choose the era.
msg-date-not-a-number = Year, month and day must be numbers (元 is accepted for the first year).
msg-date-no-such-day = This day does not exist.
msg-date-outside-era = This date is outside its era (e.g. Shōwa 64 ends on 7 January, Heisei 1 begins on 8 January).
msg-date-era-not-on-form = The era "{ $era }" cannot be used here.
msg-date-invalid = Not a date. Write it as 2026-11-01.
msg-date-future = This date is in the future (today is { $today }).
msg-exam-after-written = The date of last examination must not be after the date written.
msg-exam-gap = The last examination was more than { $months ->
        [one] 1 month
       *[other] { $months } months
    } before the date written. The opinion should rest on a recent examination.
msg-onset-after-written = The onset date is after the date written.
msg-onset-before-birth = The onset date is before the date of birth.
msg-age-mismatch = The age does not match the date of birth: on the date written the applicant is { $age }.
msg-age-under-40 = The applicant is { $age } on the date written; long-term care insurance covers people aged 40 and over.
msg-request-order = This date is before "{ $earlier }".
msg-number-invalid = Not a number. Please enter digits.
msg-number-decimals = At most { $decimals ->
        [one] 1 decimal
       *[other] { $decimals } decimals
    }.
msg-implausible = Outside the usual range ({ $low }–{ $high } { $unit }). Please check.
msg-digits = Please enter { $digits } digits.
msg-check-digit = The check digit (the last digit) does not match. Please check the number.
msg-insured-h = The number starts with "H" (apparently a public-assistance recipient's number). Please check with the insurer.
msg-institution-table = The fee-table digit (the third) is { $table }. An opinion is normally written under a medical (1) institution code.
msg-postal-code = A postal code has 7 digits (e.g. 100-0001).
msg-phone = A phone number has 10 or 11 digits including the area code.
msg-charset = Some characters may not be accepted by the national hub: { $chars }. Check whether a standard form can be used.
msg-fit-chars = { $over ->
        [one] 1 character
       *[other] { $over } characters
    } more than fit in the printed box (about { $limit }). On paper the text may not fit even when shrunk.
msg-fit-lines = { $over ->
        [one] 1 line
       *[other] { $over } lines
    } more than fit in the printed box (about { $limit }).
msg-more-diagnoses = { $count ->
        [one] 1 diagnosis does
       *[other] { $count } diagnoses do
    } not fit the three diagnosis rows. Move them to "5. Special notes".
msg-specified-disease-none = For a category 2 insured person (aged 40–64), diagnosis 1 must be a specified disease.
msg-specified-disease-text = Diagnosis 1 does not name the specified disease "{ $disease }". Please check the diagnosis.
msg-category-boundary = The applicant turned 65 between the application date and the date written. Category 1 or 2 is usually judged by the age on the application date. Please check the category.
msg-form-version = For this date written the { $form } is usually used (a guide, not a rule). Please check the form.

## Command line

cli-clean = No problems found.
cli-summary = { $errors ->
        [one] 1 error
       *[other] { $errors } errors
    }, { $warnings ->
        [one] 1 warning
       *[other] { $warnings } warnings
    }
cli-fix-offered = (can be fixed automatically)
cli-template-written = Wrote an empty opinion: { $path }
cli-cannot-write = Cannot write { $path } ({ $detail })

## Files that cannot be read

err-io = Cannot open { $path } ({ $detail })
err-json = Not readable as JSON (line { $line }, column { $column }): { $detail }
err-not-opinion = Not an opinion file (format is "{ $found }", expected "ikensho-opinion").
err-format-version = File format version { $found } cannot be read (this program reads version { $supported }).
err-at = At { $pointer }: { $detail }
err-unknown-item = Form { $form } has no item "{ $item }".
err-bound-item = Item "{ $item }" is written at /{ $path }, not in answers.
err-note-item = Item "{ $item }" is printed text and takes no answer.
err-unknown-choice = "{ $choice }" is not a choice of item "{ $item }".
err-duplicate-choice = Choice "{ $choice }" of item "{ $item }" is given twice.
err-wrong-form = This file is on form { $file } but was read as form { $form }.
err-wrong-shape = Item "{ $item }" has a value of the wrong shape. Write { $expected }.
shape-choice = a choice id (a string)
shape-choices = a list of choice ids
shape-marked = a list of choice ids, or {"{"}"selected": [...], "emphasized": [...]{"}"}
shape-texts = a list of strings
shape-flag = true or false
shape-date = {"{"}"era": ..., "year": ..., "month": ..., "day": ...{"}"}
shape-string = a string
err-form = The form definition cannot be read: { $detail }

io-not-found = no such file or folder
io-permission-denied = permission denied
io-already-exists = a file of that name exists already
io-storage-full = the disk is full
io-is-a-directory = it is a folder, not a file
io-invalid-data = its contents cannot be read
msg-institution-check = The check digit (the last digit) does not match the usual calculation. Please check the number (which digits count depends on the prefecture).
msg-institution-prefecture = The prefecture number { $code } of the institution code ({ $code_prefecture }) does not match the address ({ $address_prefecture }). Please check the number.
msg-insured-shape = An insured person's number usually has 10 characters (digits). Please check the number.
msg-insurer-check = The check digit (the last digit) does not match the usual calculation. Please check the insurer number.
msg-institution-no-prefecture = The first two digits of the institution code ({ $code }) are not a prefecture number. Please check the number.
msg-date-no-such-year = There is no year 0: an era starts with year 1 (元).
msg-date-no-such-month = The month must be 1 to 12.
msg-line-break = Line breaks and tabs cannot be used here. Please write it on one line.
err-not-an-object = This must be an object {"{"} ... {"}"}.
err-not-an-object-or-null = This must be an object {"{"} ... {"}"} or null.
msg-age-day-before-birthday = It is the day before the birthday. The age on the form is the ordinary one (a year older on the birthday): { $age } (category 1 or 2 is still decided by the legal age, a year older the day before).
msg-required-none = If none applies, choose "{ $choice }" (left unmarked, the opinion may be sent back).
msg-onset-missing = If the onset date is not known, give at least the approximate year ("approx.").
msg-course-missing = Please describe the course and treatment, including medication (the assessment relies on it).
msg-count-first-but-earlier = This clinic holds an earlier opinion for this person. Should it be "Second or later"?
msg-count-repeat-but-none = No earlier opinion for this person was found in this clinic. If this is the first one, choose "First" (if one was written before, this is fine).
