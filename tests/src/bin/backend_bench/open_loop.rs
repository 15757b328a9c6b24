//! Latency at a fixed rate, open loop: request `i` is due at `start + i / rate` whether or
//! not the earlier ones were answered, and its latency counts from that moment, so a
//! server that falls behind shows it in the tail (no coordinated omission). wrk keeps a
//! fixed number of connections busy instead, and no packaged open-loop generator sends a
//! different prepared body with each request; this is the one piece of load written here.

use std::future::Future;
use std::time::Duration;

use e2e::bench::percentile;
use tokio::task::JoinSet;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Latency {
    /// Requests per second.
    pub rate: u64,
    pub sent: usize,
    pub failed: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Sends `count` requests at `rate` per second, request `i` being `send(i)` (true when it
/// was answered as expected). The percentiles are of the requests answered as expected;
/// the others are counted as failed.
pub async fn at_rate<F, Fut>(rate: u64, count: usize, send: F) -> Latency
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let start = Instant::now() + Duration::from_millis(20);
    let mut set = JoinSet::new();
    for i in 0..count {
        let nanos = e2e::bench::count(i).saturating_mul(1_000_000_000) / rate.max(1);
        let due = start + Duration::from_nanos(nanos);
        tokio::time::sleep_until(due).await;
        let request = send(i);
        set.spawn(async move {
            let ok = request.await;
            (ok, due.elapsed())
        });
    }
    let mut times = Vec::with_capacity(count);
    let mut failed = 0;
    for (ok, took) in set.join_all().await {
        if ok {
            times.push(took.as_secs_f64() * 1e3);
        } else {
            failed += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    Latency {
        rate,
        sent: count,
        failed,
        p50_ms: percentile(&times, 50),
        p99_ms: percentile(&times, 99),
        max_ms: percentile(&times, 100),
    }
}
