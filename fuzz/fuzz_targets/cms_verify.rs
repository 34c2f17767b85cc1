#![no_main]
libfuzzer_sys::fuzz_target!(
    init: ikensho_testkit::fuzz::init(),
    |data: &[u8]| ikensho_testkit::fuzz::cms_verify(data)
);
