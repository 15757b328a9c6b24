//! `cargo xtask chaos` runs this: two backend processes on one PostgreSQL database behind a
//! round-robin load balancer, shoppers paying and merchants capturing, refunding and
//! cancelling through it, and one instance killed with SIGKILL at random moments and
//! started again. Then it checks, against the PSP, Vipps (the simulator), the acquirer's
//! ledger and the merchant's webhook receiver, that no payment was lost or left stuck, no
//! card was charged twice, every update reached Vipps once per operation and every event
//! reached the merchant, and that all of them agree on the amounts.
//!
//! `chaos [--seconds N] [--shoppers N] [--seed N]`; `PSP_TEST_POSTGRES` (a server URL; xtask
//! starts a cluster) and `PSP_BACKEND_BIN` (the backend binary) from the environment.

mod check;
mod shopper;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2e::TestResult;
use e2e::receiver::Receiver;
use tokio::time::Instant;

use backend::acquirer::test_ledger::Ledger;
use e2e::cluster::{self, Cluster};
use shopper::{Ends, Plan, Story};

/// How long the checks may wait for updates and webhooks to be delivered after the load.
const SETTLE_WITHIN: Duration = Duration::from_secs(120);

struct Args {
    seconds: u64,
    shoppers: u64,
    seed: u64,
    backend: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chaos: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> TestResult<Args> {
    let mut args = Args {
        seconds: 60,
        shoppers: 8,
        seed: u64::from_le_bytes(e2e::rand_bytes()),
        backend: std::env::var_os("PSP_BACKEND_BIN")
            .map(PathBuf::from)
            .ok_or("PSP_BACKEND_BIN must name the backend binary (cargo xtask chaos sets it)")?,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        let number: u64 = value.parse().map_err(|e| format!("{flag} {value}: {e}"))?;
        match flag.as_str() {
            "--seconds" => args.seconds = number,
            "--shoppers" => args.shoppers = number.max(1),
            "--seed" => args.seed = number,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

/// What the instances' logs say they recovered from, counted.
fn recoveries(logs: &std::path::Path) -> String {
    const MARKS: [(&str, &str); 6] = [
        (
            "a charge left by an instance that died",
            "charges taken over",
        ),
        (
            "took over an idempotency key",
            "idempotency keys taken over",
        ),
        ("resuming an operation left pending", "operations resumed"),
        ("payment left initiating", "starts settled with Vipps"),
        ("charge stuck without an outcome", "stuck charges failed"),
        ("voided an authorisation", "authorisations voided"),
    ];
    let text: String = (0..2)
        .filter_map(|i| std::fs::read_to_string(logs.join(format!("instance-{i}.log"))).ok())
        .collect();
    MARKS
        .iter()
        .map(|(mark, what)| format!("{} {what}", text.matches(mark).count()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// xorshift64*: the kill schedule and the stories, reproducible from the printed seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

async fn run() -> TestResult {
    let args = parse_args()?;
    let database_url = e2e::database::fresh()
        .await?
        .ok_or("PSP_TEST_POSTGRES must name a PostgreSQL server (cargo xtask chaos starts one)")?;
    let data = tempfile::Builder::new()
        .prefix("psp-chaos-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let dir = data.path().join("data");
    // Every instance gets the same keys, as a deployment hands them out.
    let keys = cluster::Keys::create(&dir)?;
    let (public_der, merchant_key) = (keys.card_public_der, keys.merchant_key);

    let sim_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let vipps = format!(
        "http://127.0.0.1:{}",
        sim_listener.local_addr().map_err(|e| e.to_string())?.port()
    );
    tokio::spawn(simulator::run(
        sim_listener,
        simulator::Config::sandbox(vipps.clone(), public_der),
    ));
    let receiver = Receiver::start().await?;

    let ports = vec![cluster::free_port().await?, cluster::free_port().await?];
    let balancer = cluster::proxy(ports.clone()).await?;
    let psp = format!("http://127.0.0.1:{balancer}");
    let ledger_path = dir.join(backend::acquirer::test_acquirer::LEDGER_FILE);
    let env: Vec<(String, String)> = [
        ("DATABASE_URL", database_url.as_str()),
        ("PSP_DATA_DIR", &dir.to_string_lossy()),
        ("PSP_PUBLIC_URL", &psp),
        ("VIPPS_BASE_URL", &vipps),
        ("TEST_ACQUIRER_LEDGER", &ledger_path.to_string_lossy()),
        ("RUST_LOG", "warn"),
        // Background work runs often, so the run settles in seconds, not minutes.
        ("RECONCILE_INTERVAL_MS", "200"),
        ("OUTBOX_BASE_DELAY_MS", "50"),
        ("OUTBOX_LEASE_MS", "5000"),
        ("WEBHOOK_BASE_DELAY_MS", "50"),
        ("WEBHOOK_MAX_DELAY_MS", "500"),
        ("ACQUIRER_TIMEOUT_MS", "3000"),
        ("CHARGE_STUCK_AFTER_SECONDS", "6"),
        ("INITIATING_STUCK_AFTER_SECONDS", "6"),
        ("IDEMPOTENCY_STALE_AFTER_SECONDS", "8"),
        // The load polls far faster than a widget.
        ("POLL_LIMIT_PER_MINUTE", "1000000"),
        ("WIDGET_ACTIONS_PER_MINUTE", "1000000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let logs = data.path().to_path_buf();
    let mut cluster = Cluster::start(&args.backend, env, ports, &logs).await?;

    let ends = Ends {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| e.to_string())?,
        psp: psp.clone(),
        vipps,
        merchant_key,
    };
    let endpoint: shared::webhooks::EndpointWithSecret = {
        let response = ends
            .http
            .post(format!("{psp}/v1/webhook-endpoints"))
            .bearer_auth(&ends.merchant_key)
            .json(&serde_json::json!({ "url": receiver.url }))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        e2e::expect_json(response, 201).await?
    };

    println!(
        "chaos: {} s, {} shoppers, 2 instances on PostgreSQL, seed {} (logs in {})",
        args.seconds,
        args.shoppers,
        args.seed,
        logs.display()
    );
    let started = Instant::now();
    let end = started + Duration::from_secs(args.seconds);
    let stories = Arc::new(Mutex::new(Vec::<Story>::new()));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut shoppers = tokio::task::JoinSet::new();
    for worker in 0..args.shoppers {
        let (ends, stories, failures) = (ends.clone(), Arc::clone(&stories), Arc::clone(&failures));
        let mut random =
            Random(args.seed ^ worker.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        shoppers.spawn(async move {
            let phone = format!("9{:07}", 1_000_000 + worker);
            let mut n = 0_u64;
            while Instant::now() < end {
                n += 1;
                // From 50 kr: the simulator's test amounts (13,13 kr to 42,42 kr) make init fail.
                let amount = u32::try_from(5_000 + random.below(95_000)).unwrap_or(5_000);
                let plan = Plan::pick(random.next());
                match ends
                    .story(worker * 1_000_000 + n, &phone, amount, plan)
                    .await
                {
                    Ok(story) => stories.lock().map(|mut s| s.push(story)).unwrap_or(()),
                    Err(error) => failures.lock().map(|mut f| f.push(error)).unwrap_or(()),
                }
            }
        });
    }
    // The killer: one instance at a time, at random moments, started again a little later.
    let mut random = Random(args.seed.rotate_left(17) | 1);
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(300 + random.below(2_000))).await;
        let victim = usize::try_from(random.below(2)).unwrap_or(0);
        cluster.kill(victim).await?;
        tokio::time::sleep(Duration::from_millis(random.below(1_000))).await;
        cluster.restart(victim).await?;
    }
    cluster.restart_all().await?;
    shoppers.join_all().await;
    let load_took = started.elapsed();

    let stories = stories
        .lock()
        .map(|s| s.clone())
        .map_err(|e| e.to_string())?;
    let failures = failures
        .lock()
        .map(|f| f.clone())
        .map_err(|e| e.to_string())?;
    let ledger = Ledger::open(&ledger_path)
        .await
        .map_err(|e| e.to_string())?;
    let settle_by = Instant::now() + SETTLE_WITHIN;
    let findings = loop {
        let findings = check::run(&stories, &ends, &ledger, &receiver, &endpoint.secret).await?;
        if findings.problems.is_empty() || Instant::now() > settle_by {
            break findings;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let settled = started.elapsed().saturating_sub(load_took);
    cluster.stop().await;

    let authorised = stories.iter().filter(|s| s.authorised).count();
    println!(
        "chaos: {} payments in {:.0} s ({authorised} authorised, {} not), {} kills; settled {:.1} s later",
        stories.len(),
        load_took.as_secs_f64(),
        stories.len() - authorised,
        cluster.kills,
        settled.as_secs_f64()
    );
    println!(
        "chaos: {} status updates accepted by Vipps ({} repeats of a Request-Id it had), {} events delivered ({} repeats of an id), {} authorisations released whole",
        findings.updates,
        findings.repeated_updates,
        findings.webhooks,
        findings.repeated_webhooks,
        findings.released_authorisations
    );
    println!("chaos: recovered by the survivors: {}", recoveries(&logs));
    let mut problems = findings.problems;
    problems.extend(
        failures
            .into_iter()
            .map(|f| format!("a payment could not be created: {f}")),
    );
    problems.extend(stories.iter().filter_map(|s| {
        s.error
            .as_ref()
            .map(|e| format!("{}: the story broke off: {e}", s.payment))
    }));
    // A run that proves nothing fails: no kill, hardly a payment, or most shoppers who
    // approved answered FAIL (each is legitimate alone: a copy with no time left).
    if cluster.kills == 0 {
        problems.push("no instance was killed".to_owned());
    }
    if stories.len() < 20 || authorised * 10 < stories.len() * 9 {
        problems.push(format!(
            "{authorised} of {} payments authorised: too few to tell",
            stories.len()
        ));
    }
    if stories.iter().map(|s| s.operations).sum::<usize>() == 0 {
        problems.push("no capture, refund or cancel was made".to_owned());
    }
    if problems.is_empty() {
        println!("chaos: every check passed");
        return Ok(());
    }
    for problem in problems.iter().take(40) {
        eprintln!("  {problem}");
    }
    // Kept for reading: the instances' logs.
    let kept = data.keep();
    Err(format!(
        "{} problem(s); instance logs in {}",
        problems.len(),
        kept.display()
    ))
}
