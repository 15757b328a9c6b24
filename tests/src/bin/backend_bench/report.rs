//! The backend's section of `docs/benchmarks.md`: how it was measured, the tables, and
//! each target beside what was measured.

use std::fmt::Write;

use e2e::bench::{Machine, float};

use crate::Args;
use crate::measure::{self, Closed, Results};
use crate::open_loop::Latency;
use crate::wrk::Figures;

/// The targets, for the default setup (SQLite, one instance).
const MAKE_PAYMENT_SHARE: f64 = 0.60;
const MAKE_PAYMENT_P99_MS: f64 = 10.0;
const POLL_SHARE: f64 = 0.50;
const POLL_P99_MS: f64 = 5.0;
const CREATE_P99_MS: f64 = 20.0;

pub fn render(machine: &Machine, args: &Args, decrypt: f64, results: &[Results]) -> String {
    let mut md = String::from("## The backend\n\n");
    let pinning = if args.pinned {
        "The server side (the backend's processes, and PostgreSQL) runs on core 0; the load \
         (wrk, the open-loop sender, the simulator as Vipps and the proxy in front of two \
         instances) on core 1."
    } else {
        "This machine has one core: server and load share it."
    };
    _ = writeln!(
        md,
        "Measured by `cargo xtask bench backend` on {} on this machine: {} CPUs ({}), {}. \
         The release backend in its own processes, on loopback. {pinning} SQLite is the \
         default (WAL, `synchronous=FULL`); PostgreSQL {}is a local cluster with `fsync` and \
         `synchronous_commit` on (the test suites' clusters run without `fsync`; this one \
         does not). The test acquirer books each charge in its own SQLite ledger, one more \
         commit per makePayment that a real acquirer's HTTP call would replace.\n",
        machine.date,
        machine.cpus,
        machine.cpu_model,
        machine.rustc,
        if args.postgres.is_some() {
            ""
        } else {
            "(left out of this run) "
        },
    );
    _ = writeln!(
        md,
        "Raw RSA-2048 OAEP-SHA256 decryption with aws-lc-rs on one thread of core 0: \
         **{decrypt:.0}/s**. makePayment cannot beat it: each one decrypts one card.\n"
    );
    throughput(&mut md, args, decrypt, results);
    open_loop(&mut md, results);
    targets(&mut md, decrypt, results);
    memory(&mut md, results);
    md
}

/// A table row: `name`, then `value` of each setup's results.
fn row(md: &mut String, results: &[Results], name: &str, value: &dyn Fn(&Results) -> String) {
    _ = write!(md, "| {name} |");
    for r in results {
        _ = write!(md, " {} |", value(r));
    }
    md.push('\n');
}

fn header(md: &mut String, first: &str, results: &[Results]) {
    _ = write!(md, "| {first} |");
    for r in results {
        _ = write!(md, " {} |", r.setup.name());
    }
    md.push_str("\n|---|");
    for _ in results {
        md.push_str("---:|");
    }
    md.push('\n');
}

fn cell(f: &Figures) -> String {
    let bad = f.failed();
    let failures = if bad > 0 {
        format!(" ({bad} failed)")
    } else {
        String::new()
    };
    format!(
        "{:.0}/s · p50 {} · p99 {}{failures}",
        f.per_second(),
        ms(float(f.p50_us) / 1e3),
        ms(float(f.p99_us) / 1e3)
    )
}

fn closed_cell(c: &Closed) -> String {
    let failures = if c.failed > 0 {
        format!(" ({} failed)", c.failed)
    } else {
        String::new()
    };
    format!(
        "{:.0}/s · p50 {} · p99 {}{failures}",
        c.per_second,
        ms(c.p50_ms),
        ms(c.p99_ms)
    )
}

fn open_cell(l: &Latency) -> String {
    let failures = if l.failed > 0 {
        format!(" ({} of {} failed)", l.failed, l.sent)
    } else {
        String::new()
    };
    format!(
        "at {}/s: p50 {} · p99 {} · max {}{failures}",
        l.rate,
        ms(l.p50_ms),
        ms(l.p99_ms),
        ms(l.max_ms)
    )
}

fn ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2} ms")
    } else {
        format!("{value:.0} ms")
    }
}

fn percent(part: f64, whole: f64) -> String {
    format!("{:.0} %", 100.0 * part / whole.max(f64::MIN_POSITIVE))
}

fn throughput(md: &mut String, args: &Args, decrypt: f64, results: &[Results]) {
    _ = writeln!(
        md,
        "### Throughput, closed loop\n\nwrk 4.1 (one thread, {} connections, each sending its \
         next request when the last is answered), {} s per row; latency is wrk's, at that \
         load (with wrk's own correction for coordinated omission). create + start: {} widgets doing one after the other, measured here. \
         makePayment: fresh payments (created and started at the simulator beforehand, at \
         least {} of them, each paid at most once) with the approved test card; 50 of them checked \
         authorised afterwards.\n",
        measure::CONNECTIONS,
        args.seconds,
        measure::CONNECTIONS,
        measure::MAKE_PAYMENTS_FOR_WRK
    );
    header(md, "what", results);
    let row = |md: &mut String, name: &str, value: &dyn Fn(&Results) -> String| {
        row(md, results, name, value);
    };
    row(md, "`/health` (a bare axum handler, same process)", &|r| {
        cell(&r.health)
    });
    row(
        md,
        "the widget's status poll, 10 000 payments waiting",
        &|r| cell(&r.poll),
    );
    row(md, "poll ÷ bare handler", &|r| {
        percent(r.poll.per_second(), r.health.per_second())
    });
    row(md, "merchant create", &|r| cell(&r.create));
    row(md, "create + widget start (init at the simulator)", &|r| {
        closed_cell(&r.create_start)
    });
    row(md, "makePayment, fresh payments", &|r| {
        cell(&r.make_payment)
    });
    row(md, "makePayment ÷ raw decryption", &|r| {
        percent(r.make_payment.per_second(), decrypt)
    });
    md.push('\n');
}

fn open_loop(md: &mut String, results: &[Results]) {
    _ = writeln!(
        md,
        "### Latency at a fixed rate, open loop\n\nRequest *i* is due at *start + i / rate* \
         whether or not the earlier ones were answered, and its latency counts from then, so \
         a server that falls behind shows it (`tests/src/bin/backend_bench/open_loop.rs`). \
         The rates: status poll {}/s (10 000 waiting widgets asking every 2 s), create \
         {}/s, makePayment {}/s; each is lowered to half of what wrk reached above \
         where that is less, since a server pushed past what it can do only queues. The \
         rate is in each cell.\n",
        measure::POLL_RATE,
        measure::CREATE_RATE,
        measure::MAKE_PAYMENT_RATE,
    );
    header(md, "what", results);
    let row = |md: &mut String, name: &str, value: &dyn Fn(&Results) -> String| {
        row(md, results, name, value);
    };
    row(md, "status poll, 10 000 waiting", &|r| {
        open_cell(&r.poll_open)
    });
    row(md, "merchant create", &|r| open_cell(&r.create_open));
    row(md, "makePayment, fresh payments", &|r| {
        open_cell(&r.make_payment_open)
    });
    md.push('\n');
}

fn targets(md: &mut String, decrypt: f64, results: &[Results]) {
    let Some(r) = results.first() else {
        return;
    };
    md.push_str("### Targets, on the default setup (SQLite, one instance)\n\n");
    let verdict = |met: bool| if met { "**met**" } else { "**missed**" };
    let share = r.make_payment.per_second() / decrypt;
    _ = writeln!(
        md,
        "- makePayment at ≥ {:.0} % of raw decryption: {} ({:.0}/s of {decrypt:.0}/s), {}.",
        MAKE_PAYMENT_SHARE * 100.0,
        percent(r.make_payment.per_second(), decrypt),
        r.make_payment.per_second(),
        verdict(share >= MAKE_PAYMENT_SHARE)
    );
    let full_rate = r.make_payment_open.rate >= measure::MAKE_PAYMENT_RATE;
    _ = writeln!(
        md,
        "- makePayment p99 ≤ {MAKE_PAYMENT_P99_MS:.0} ms at {}/s: p99 {} at {}/s, {}{}.",
        measure::MAKE_PAYMENT_RATE,
        ms(r.make_payment_open.p99_ms),
        r.make_payment_open.rate,
        verdict(full_rate && r.make_payment_open.p99_ms <= MAKE_PAYMENT_P99_MS),
        if full_rate {
            ""
        } else {
            " (the machine does not reach that rate: measured at half its throughput)"
        }
    );
    let poll_share = r.poll.per_second() / r.health.per_second().max(f64::MIN_POSITIVE);
    _ = writeln!(
        md,
        "- status poll at ≥ {:.0} % of the bare handler: {}, {}.",
        POLL_SHARE * 100.0,
        percent(r.poll.per_second(), r.health.per_second()),
        verdict(poll_share >= POLL_SHARE)
    );
    _ = writeln!(
        md,
        "- status poll p99 ≤ {POLL_P99_MS:.0} ms with 10 000 waiting: {} at {}/s (open \
         loop), {}.",
        ms(r.poll_open.p99_ms),
        r.poll_open.rate,
        verdict(r.poll_open.p99_ms <= POLL_P99_MS)
    );
    let create_p99 = float(r.create.p99_us) / 1e3;
    _ = writeln!(
        md,
        "- create p99 ≤ {CREATE_P99_MS:.0} ms at {} connections: {}, {}.\n",
        measure::CONNECTIONS,
        ms(create_p99),
        verdict(create_p99 <= CREATE_P99_MS)
    );
}

fn memory(md: &mut String, results: &[Results]) {
    let Some((r, soak)) = results.iter().find_map(|r| r.soak.as_ref().map(|s| (r, s))) else {
        return;
    };
    let [before, halfway, after] = soak.rss_kb;
    _ = writeln!(
        md,
        "### Memory\n\nResident memory of the backend ({}), after the measurements above, then \
         through a {} s soak: status polls at {}/s and whole payments (create, widget \
         start, makePayment) at {}/s, open loop, at once (each a quarter of what it \
         reached alone, so that the server keeps up and memory cannot grow with a backlog).\n\n\
         | before | halfway | after | change |\n|---:|---:|---:|---:|\n\
         | {:.1} MB | {:.1} MB | {:.1} MB | {:+.1} MB |\n\n\
         During the soak: poll {}; whole payments {}.\n",
        r.setup.name(),
        soak.seconds,
        soak.poll_rate,
        soak.story_rate,
        float(before) / 1024.0,
        float(halfway) / 1024.0,
        float(after) / 1024.0,
        (float(after) - float(before)) / 1024.0,
        open_cell(&soak.poll),
        open_cell(&soak.stories)
    );
}
