//! Every input kept in the fuzz corpora (`fuzz/corpus/<target>/`) replayed on stable through the
//! same bodies the fuzz targets run (`ikensho_testkit::fuzz`): a case the fuzzer once found stays
//! fixed without nightly. Each must return without panicking.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::Path;

#[test]
fn every_corpus_file_of_every_fuzz_target_runs_through_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus");
    let mut total = 0;
    for (name, body) in ikensho_testkit::fuzz::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "the corpus of {name} is empty");
        for f in &files {
            let data = std::fs::read(f).unwrap();
            let caught = std::panic::catch_unwind(|| body(&data));
            assert!(caught.is_ok(), "{name}: {} panics", f.display());
        }
        total += files.len();
    }
    assert!(total >= ikensho_testkit::fuzz::TARGETS.len());
}
