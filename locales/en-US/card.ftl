## The HPKI card (医師資格証) and electronic signatures

card-no-service = The smart card service (pcscd) is not running. Start the card reader software or ask your administrator.
card-no-reader = No card reader is connected. Connect the reader.
card-unknown-reader = There is no card reader named "{ $reader }". Check the name with `ikensho readers`.
card-no-card = There is no card in the reader. Insert the physician's HPKI card.
card-removed = The card was removed during signing. Nothing was signed. Insert the card and sign again.
card-reader-gone = The card reader was disconnected during signing. Nothing was signed.
card-not-hpki = This card is not an HPKI card (it has no signing application).
card-deactivated = This card has been invalidated. Contact the issuer.
card-wrong-pin = Wrong PIN. { $tries } tries left. When none are left the card is locked and must be reissued (for a fee).
card-blocked = The PIN is locked. This card cannot sign; it must be reissued (nothing was sent to the card).
card-pin-shape = A PIN has 4 to 16 letters or digits.
card-status = The card gave an unexpected answer ({ $step }: { $sw }).
card-malformed = The card's answer could not be read ({ $detail }).
card-certificate = The card's certificate could not be read.
card-bad-signature = The signature the card returned does not match the card's certificate. It cannot be used.
card-transport = Error talking to the card reader ({ $detail }).
sign-build = The signature could not be assembled ({ $detail }).

verify-not-cms = The signature file is not a CMS signature (DER).
verify-not-detached = The signature contains the document itself (it is not detached).
verify-signers = There is not exactly one signer.
verify-no-signer-certificate = The signer's certificate is not in the signature.
verify-algorithm = Unsupported algorithm ({ $detail }).
verify-missing-attribute = A required signed attribute is missing ({ $detail }).
verify-digest-mismatch = The document does not match the signature: it was changed after signing.
verify-bad-signature = The signature value is not valid.
verify-signing-certificate = signingCertificateV2 does not name the signer's certificate.
verify-untrusted = There is no path from the signer's certificate to a trusted authority.
verify-not-valid = A certificate was not valid at the signing time.
verify-not-ca = A certificate on the path is not a certification authority.
verify-critical-extension = A certificate has an unknown critical extension ({ $detail }).
verify-key-usage = The signer's certificate is not for signatures (keyUsage).
verify-not-pem = No certificate (PEM) could be read from { $path }.

cli-sign-reader = Card reader: { $reader }
cli-sign-tries = PIN tries left: { $tries }
cli-sign-confirm-low = Only { $tries } tries left; a wrong PIN may lock the card. Type yes to go on:
cli-sign-cancelled = Signing cancelled. Nothing was sent to the card.
cli-sign-pin = PIN:
cli-sign-written = Wrote the signature to { $path }.
cli-verify-ok = The signature is valid. Signer: { $signer }, signed at { $time }
cli-test-pki-failed = The test PKI could not be made ({ $detail }).
cli-test-pki-written = Wrote a test PKI to { $path } (never for real signatures).
cli-vcard-inserted = Virtual HPKI card inserted (vpcd { $vpcd }); answering until stopped.
cli-vcard-removed = Virtual HPKI card removed.
