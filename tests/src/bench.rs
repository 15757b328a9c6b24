//! What the benchmarks share: the machine they ran on, nearest-rank percentiles, and
//! `docs/benchmarks.md`, where each benchmark owns a section and leaves the others as they
//! were.

use std::path::Path;
use std::process::Command;

use crate::TestResult;

/// Where and with what a benchmark ran.
pub struct Machine {
    pub date: String,
    pub cpus: usize,
    pub cpu_model: String,
    pub rustc: String,
}

impl Machine {
    pub fn here() -> Self {
        let run = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "unknown".to_owned())
        };
        let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|m| m.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        Self {
            date: run("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            cpus: cpus_online(),
            cpu_model,
            rustc: run(
                &std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()),
                &["--version"],
            ),
        }
    }
}

/// The machine's CPUs, whatever this process is pinned to (which
/// `available_parallelism` would count instead).
pub fn cpus_online() -> usize {
    std::fs::read_to_string("/proc/cpuinfo")
        .map(|info| info.lines().filter(|l| l.starts_with("processor")).count())
        .unwrap_or(0)
        .max(1)
}

/// A count as a float, for rates and ratios (exact below 2³²; the counts here are far
/// smaller).
pub fn float(n: u64) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A length as a count.
pub fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The nearest-rank percentile `p` (0–100) of `sorted`.
pub fn percentile(sorted: &[f64], p: usize) -> f64 {
    let rank = sorted.len().saturating_mul(p).div_ceil(100);
    sorted
        .get(rank.saturating_sub(1))
        .copied()
        .unwrap_or(f64::NAN)
}

const HEADER: &str = "# Benchmarks\n\nWritten by `cargo xtask bench`: the widget's section by \
`cargo xtask bench widget`, the backend's by `cargo xtask bench backend`. Compare numbers \
only with runs on the same machine; nothing here is asserted by the tests.\n";

/// Puts `body` in `path` as the section named `name` (between `<!-- name -->` and
/// `<!-- /name -->`), replacing that section if it is there and leaving the rest as it was.
pub fn write_section(path: &Path, name: &str, body: &str) -> TestResult {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    std::fs::write(path, with_section(&old, name, body))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn with_section(old: &str, name: &str, body: &str) -> String {
    let (open, close) = (format!("<!-- {name} -->\n"), format!("<!-- /{name} -->\n"));
    let section = format!("{open}{}\n{close}", body.trim_end());
    if let Some(start) = old.find(&open)
        && let Some(end) = old[start..].find(&close).map(|e| start + e + close.len())
    {
        return format!("{}{section}{}", &old[..start], &old[end..]);
    }
    // A report from before sections (or none): the header, then this section.
    let kept = if old.contains("<!-- ") { old } else { HEADER };
    format!("{}\n{section}", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 50), 10.0);
        assert_eq!(percentile(&sorted, 90), 18.0);
        assert_eq!(percentile(&sorted, 0), 1.0);
        assert_eq!(percentile(&sorted, 100), 20.0);
        assert!(percentile(&[], 50).is_nan());
    }

    #[test]
    fn a_section_replaces_only_itself() {
        let first = with_section("", "widget", "W1");
        assert!(first.starts_with("# Benchmarks"));
        let both = with_section(&first, "backend", "B1");
        let again = with_section(&both, "widget", "W2\n");
        assert!(again.contains("<!-- widget -->\nW2\n<!-- /widget -->"));
        assert!(again.contains("<!-- backend -->\nB1\n<!-- /backend -->"));
        assert!(!again.contains("W1"));
        assert_eq!(again.matches("# Benchmarks").count(), 1);
        assert!(again.find("widget").lt(&again.find("backend")));
    }
}
