#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| ikensho_testkit::fuzz::form_toml(data));
