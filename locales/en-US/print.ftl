## The paper form (PDF): warnings before printing and print messages

print-overflow = { $item }: does not fit its box ({ $over } characters over even at the smallest size). The whole text is printed on a continuation sheet (別紙) and the box ends with "→別紙". Shorten the text to fit the box.
print-missing-glyph = { $item }: the print font has no glyph for { $chars }; the paper shows 〓 instead. Replace these characters.
print-error-font = The print font (BIZ UDGothic) cannot be read; the program may be damaged. Reinstall it.
print-error-locales = The printed wording cannot be read; the program may be damaged. Reinstall it.
cli-pdf-written = Wrote { $path } ({ $pages ->
        [one] 1 page
       *[other] { $pages } pages
    }).

## Audit trail action names (printing)
print-draft = Draft copy printed
print-final = Final copy printed
print-continuation-refused = The R8 form has no note for a continuation sheet, and some municipalities ask that nothing be written outside the boxes. These items do not fit their boxes and would go on to a continuation sheet: { $items }. Shorten them, or accept the continuation sheet before printing (on the command line: --allow-continuation).
