## Sending to the 介護情報基盤 hub

hub-terminal = The terminal's client certificate (.p12) cannot be read: wrong password, or not a .p12 file.
hub-ca = The hub CA certificate file cannot be read.
hub-no-network = The hub cannot be reached. Check the network; sending will be retried automatically.
hub-untrusted = The hub's server certificate is not trusted. Check the address and the configured hub CA. Nothing was sent.
hub-terminal-refused = The hub refused this terminal's certificate (not registered, revoked, or from another CA). Contact your administrator.
hub-down = The hub is not answering ({ $detail }). Sending will be retried automatically.
hub-rejected = The hub did not accept the opinion ({ $detail }). Correct the items and send a new version.
hub-bad-answer = The hub's answer could not be read.
hub-other = Error talking to the hub ({ $detail }).
cli-hub-sim-running = The hub simulator is running at { $url } (test certificates: { $pki }). Stop it with Ctrl+C.
cli-hub-sim-failed = The hub simulator could not start ({ $detail }).
