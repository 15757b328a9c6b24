//! `cargo xtask fuzz [--seconds N] [--asan] [TARGET…]`: installs cargo-fuzz if it is
//! missing, builds the targets of `fuzz/` once and runs each for N seconds on its corpus
//! (`fuzz/corpus/<target>`: committed `seed-*` files plus what earlier runs found).
//! A crash fails the command with the path of the input that caused it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::workspace::{Workspace, cargo};

/// Seconds per target when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub seconds: u64,
    /// AddressSanitizer instead of none (nightly flags: runs with `RUSTC_BOOTSTRAP=1`).
    pub asan: bool,
    /// Empty: every target.
    pub targets: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self {
            seconds: DEFAULT_SECONDS,
            asan: false,
            targets: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--seconds" => {
                    options.seconds = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or("--seconds takes a positive whole number")?;
                }
                "--asan" => options.asan = true,
                flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
                target => options.targets.push(target.to_owned()),
            }
        }
        Ok(options)
    }
}

pub fn run(ws: &Workspace, options: &Options) -> Result<(), Error> {
    ensure_cargo_fuzz(ws)?;
    let targets = chosen_targets(ws, &options.targets)?;
    sync_lock_file(ws)?;
    heading("Building the fuzz targets (fuzz/, its own workspace)");
    process::run("cargo fuzz build", &mut fuzz_command(ws, options, "build"))?;
    for target in &targets {
        run_target(ws, options, target)?;
    }
    println!(
        "\n    no crash: {} target(s), {}s each",
        targets.len(),
        options.seconds
    );
    Ok(())
}

/// The fuzz workspace builds the backend with the versions of the main `Cargo.lock`:
/// its own lock file (not in git) starts as a copy of it, renewed when the main one
/// changes; cargo then adds only what the fuzz crate needs besides (libfuzzer-sys).
fn sync_lock_file(ws: &Workspace) -> Result<(), Error> {
    let main = ws.root.join("Cargo.lock");
    let fuzz = ws.root.join("fuzz").join("Cargo.lock");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let (Some(main_time), Some(fuzz_time)) = (modified(&main), modified(&fuzz))
        && fuzz_time >= main_time
    {
        return Ok(());
    }
    std::fs::copy(&main, &fuzz)
        .map(|_| ())
        .map_err(Error::io(format!(
            "copying {} to {}",
            main.display(),
            fuzz.display()
        )))
}

/// `cargo fuzz <subcommand> --sanitizer …` at the workspace root.
fn fuzz_command(ws: &Workspace, options: &Options, subcommand: &str) -> Command {
    let mut command = Command::new(cargo());
    command.args(["fuzz", subcommand]).current_dir(&ws.root);
    if let Ok(path) = ws.path_env() {
        command.env("PATH", path);
    }
    if options.asan {
        command
            .args(["--sanitizer", "address"])
            .env("RUSTC_BOOTSTRAP", "1");
    } else {
        command.args(["--sanitizer", "none"]);
    }
    command
}

fn run_target(ws: &Workspace, options: &Options, target: &str) -> Result<(), Error> {
    heading(&format!("Fuzzing {target} for {}s", options.seconds));
    let corpus = ws.root.join("fuzz").join("corpus").join(target);
    let artifacts = ws.root.join("fuzz").join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(Error::io(format!("creating {}", dir.display())))?;
    }
    let before = files_in(&artifacts);
    let mut command = fuzz_command(ws, options, "run");
    command.arg(target).arg(&corpus).arg("--").args([
        format!("-max_total_time={}", options.seconds),
        format!("-artifact_prefix={}/", artifacts.display()),
        "-print_final_stats=1".to_owned(),
    ]);
    let Err(error) = process::run(&format!("fuzzing {target}"), &mut command) else {
        return Ok(());
    };
    let found: Vec<PathBuf> = files_in(&artifacts).difference(&before).cloned().collect();
    let Some(input) = found.first() else {
        return Err(error);
    };
    Err(Error::Other(format!(
        "fuzz target `{target}` crashed on {input}.\n  Reproduce: cargo fuzz run --sanitizer none \
         {target} {input}\n  Once fixed, copy the input to fuzz/regressions/{target}/ so that \
         `cargo test` replays it (backend/tests/fuzz_regressions.rs).",
        input = input.display()
    )))
}

fn files_in(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Every target in `fuzz/fuzz_targets/`, or the ones asked for if they all exist.
fn chosen_targets(ws: &Workspace, asked: &[String]) -> Result<Vec<String>, Error> {
    let dir = ws.root.join("fuzz").join("fuzz_targets");
    let all: BTreeSet<String> = std::fs::read_dir(&dir)
        .map_err(Error::io(format!("reading {}", dir.display())))?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    if asked.is_empty() {
        return Ok(all.into_iter().collect());
    }
    match asked.iter().find(|target| !all.contains(*target)) {
        Some(unknown) => Err(Error::Other(format!(
            "no fuzz target `{unknown}`; there are: {}",
            all.into_iter().collect::<Vec<_>>().join(", ")
        ))),
        None => Ok(asked.to_vec()),
    }
}

/// cargo-fuzz from the crate registry, unless `cargo fuzz` already runs.
fn ensure_cargo_fuzz(ws: &Workspace) -> Result<(), Error> {
    let version = || {
        let mut command = Command::new(cargo());
        command.args(["fuzz", "--version"]);
        if let Ok(path) = ws.path_env() {
            command.env("PATH", path);
        }
        process::capture(&mut command)
    };
    if let Some(found) = version() {
        println!("    ok: {}", found.trim());
        return Ok(());
    }
    heading("Installing cargo-fuzz (cargo install; about a minute)");
    let locked = process::run(
        "installing cargo-fuzz",
        Command::new(cargo()).args(["install", "cargo-fuzz", "--locked"]),
    );
    if locked.is_err() {
        // Its lock file may pin something our toolchain cannot build; try without it.
        process::run(
            "installing cargo-fuzz",
            Command::new(cargo()).args(["install", "cargo-fuzz"]),
        )?;
    }
    match version() {
        Some(found) => {
            println!("    ok: {}", found.trim());
            Ok(())
        }
        None => Err(Error::Other(format!(
            "installed cargo-fuzz, but `cargo fuzz --version` does not run; is {} on PATH?",
            crate::workspace::cargo_bin_dir().display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_default_to_every_target_for_a_minute() {
        assert_eq!(
            Options::parse(&[]),
            Ok(Options {
                seconds: DEFAULT_SECONDS,
                asan: false,
                targets: Vec::new()
            })
        );
    }

    #[test]
    fn options_take_seconds_asan_and_targets_in_any_order() {
        assert_eq!(
            Options::parse(&args("card_data --seconds 5 --asan make_payment")),
            Ok(Options {
                seconds: 5,
                asan: true,
                targets: args("card_data make_payment")
            })
        );
        assert!(Options::parse(&args("--seconds")).is_err());
        assert!(Options::parse(&args("--seconds 0")).is_err());
        assert!(Options::parse(&args("--seconds ten")).is_err());
        assert!(Options::parse(&args("--verbose")).is_err());
    }
}
