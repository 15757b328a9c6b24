//! Replays the inputs kept in `fuzz/regressions/<target>/` (crashes the fuzzer found,
//! fixed since) and the committed seeds of `fuzz/corpus/<target>/` through the fuzz
//! targets' own checks, so that a plain `cargo test` keeps them fixed.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

#[test]
fn every_kept_fuzz_input_passes_its_targets_checks() -> Result<(), std::io::Error> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fuzz");
    for (target, check) in checks::TARGETS {
        let mut replayed = 0;
        let regressions = fuzz.join("regressions").join(target);
        let corpus = fuzz.join("corpus").join(target);
        for (dir, only_seeds) in [(regressions, false), (corpus, true)] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry?.path();
                let seed = path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with("seed-"));
                if only_seeds && !seed {
                    continue;
                }
                check(&fs::read(&path)?);
                replayed += 1;
            }
        }
        assert!(replayed > 0, "no seed for the fuzz target {target}");
    }
    Ok(())
}
