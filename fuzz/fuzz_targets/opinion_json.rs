#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| ikensho_testkit::fuzz::opinion_json(data));
