//! Closed-loop throughput with `wrk` (Debian's package): a fixed number of connections,
//! each sending its next request as soon as the last is answered, from a file of
//! prepared requests (a Lua script reads it), on the load's core.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use e2e::TestResult;
use serde::Deserialize;

/// Reads the requests file (`method`, `path`, `name:value;…` headers and body, split by
/// tabs), sends them in order, round and round, and prints wrk's figures as one JSON line
/// with how many lines were handed out (wrk runs for its duration whatever happens). wrk
/// calls `request()` once before the run to check it, and sends nothing of that call: the
/// file's first line is a copy of the second for it, skipped when going round.
const SCRIPT: &str = r#"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
local requests, n, i = {}, 0, 0
calls = 0
function init(args)
  for line in io.lines(args[1]) do
    local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local h = {}
    for k, v in headers:gmatch("([^:;]+):([^;]*)") do h[k] = v end
    if body == "" then body = nil end
    n = n + 1
    requests[n] = wrk.format(method, path, h, body)
  end
end
function request()
  calls = calls + 1
  i = i + 1
  if i > n then i = 2 end
  return requests[i]
end
function done(summary, latency, requests)
  local e = summary.errors
  local sent = 0
  for _, thread in ipairs(threads) do sent = sent + thread:get("calls") - 1 end
  io.write(string.format(
    '\n{"requests":%d,"duration_us":%d,"errors":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d,"sent":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), sent))
end
"#;

/// One request: method, path, headers and body.
pub struct Line {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Figures {
    pub requests: u64,
    pub duration_us: u64,
    pub errors: u64,
    pub status_errors: u64,
    pub p50_us: u64,
    pub p99_us: u64,
    /// How many of the lines were handed out (more than there are: some went twice).
    pub sent: u64,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        e2e::bench::float(self.requests) / (e2e::bench::float(self.duration_us.max(1)) / 1e6)
    }

    /// Whole requests per second.
    pub fn whole_per_second(&self) -> u64 {
        self.requests.saturating_mul(1_000_000) / self.duration_us.max(1)
    }

    /// Requests that got no answer or an error status (wrk counts both in `requests`
    /// too, except connection errors).
    pub fn failed(&self) -> u64 {
        self.errors + self.status_errors
    }
}

pub struct Wrk {
    pub program: String,
    pub cpus: Option<String>,
    pub dir: std::path::PathBuf,
}

impl Wrk {
    /// Sends `lines` to `base` over `connections` for `seconds`, round and round.
    pub fn run(
        &self,
        base: &str,
        lines: &[Line],
        connections: usize,
        seconds: u64,
    ) -> TestResult<Figures> {
        let requests = self.dir.join("requests.tsv");
        write_lines(&requests, lines)?;
        let script = self.dir.join("requests.lua");
        std::fs::write(&script, SCRIPT).map_err(|e| format!("{}: {e}", script.display()))?;
        let mut command = match &self.cpus {
            Some(cpus) => {
                let mut c = Command::new("taskset");
                c.args(["-c", cpus]).arg(&self.program);
                c
            }
            None => Command::new(&self.program),
        };
        command
            .args(["-t", "1", "-c", &connections.to_string()])
            .args(["-d", &format!("{seconds}s"), "--timeout", "10s", "-s"])
            .arg(&script)
            .arg(base)
            .arg("--")
            .arg(&requests);
        let output = command
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.program))?;
        let text = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(format!(
                "wrk failed ({}): {text}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if std::env::var_os("BENCH_SHOW_WRK").is_some() {
            println!("{text}");
        }
        let json = text
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .ok_or_else(|| format!("wrk printed no figures: {text}"))?;
        serde_json::from_str(json).map_err(|e| format!("wrk's figures {json}: {e}"))
    }
}

fn write_lines(path: &Path, lines: &[Line]) -> TestResult {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    // The first line twice: wrk's check consumes one (see SCRIPT).
    for line in lines.iter().take(1).chain(lines) {
        let headers: Vec<String> = line
            .headers
            .iter()
            .map(|(name, value)| format!("{name}:{value}"))
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            line.method,
            line.path,
            headers.join(";"),
            line.body
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    out.flush().map_err(|e| format!("{}: {e}", path.display()))
}
