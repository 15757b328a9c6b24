//! The measurements of one setup, in order: `/health`, the status poll over 10 000 waiting
//! payments, create, create + start, makePayment for fresh payments, and (on the default
//! setup) the soak.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use e2e::TestResult;
use e2e::bench::percentile;
use shared::checkout::CLIENT_SECRET_HEADER;
use shared::vipps::InitRequest;
use tokio::task::JoinSet;

use crate::deployment::{Deployment, Setup, Started, Waiting};
use crate::open_loop::{self, Latency};
use crate::wrk::{Figures, Line, Wrk};
use crate::{Args, LOAD_CPU, SERVER_CPU};

/// Connections wrk keeps busy.
pub const CONNECTIONS: usize = 16;
/// Payments waiting for the shopper's number while the poll is measured.
pub const WAITING: usize = 10_000;
/// The poll's rate (per second): 10 000 waiting widgets, each asking every 2 s.
pub const POLL_RATE: u64 = 5_000;
/// The open-loop create rate.
pub const CREATE_RATE: u64 = 1_000;
/// makePayment's target rate.
pub const MAKE_PAYMENT_RATE: u64 = 1_000;
/// Open-loop rates are these, or half what wrk reached if that is less: a server pushed
/// past what it can do only queues, and its latency says nothing more.
pub const OPEN_LOOP_DIVISOR: u64 = 2;

/// The rate to measure latency at: `nominal`, or half `closed`'s throughput.
pub fn open_rate(nominal: u64, closed: &Figures) -> u64 {
    nominal.min((closed.whole_per_second() / OPEN_LOOP_DIVISOR).max(1))
}

/// Requests at `rate` per second for `seconds`.
fn requests_for(rate: u64, seconds: u64) -> usize {
    usize::try_from(rate.saturating_mul(seconds)).unwrap_or(usize::MAX)
}
/// Fresh payments prepared for wrk's makePayment run (which must not run out of them).
pub const MAKE_PAYMENTS_FOR_WRK: usize = 6_000;
/// The soak: polls and whole payments (create, start, makePayment) at once, each at a
/// quarter of what it reached alone, so that together they stay within what the server
/// can do (memory that grows with a backlog says nothing about leaks).
pub const SOAK_DIVISOR: u64 = 4;

/// Closed-loop figures measured here (create + start).
#[derive(Debug, Clone, Copy)]
pub struct Closed {
    pub per_second: f64,
    pub whole_per_second: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub failed: usize,
}

pub struct Soak {
    pub seconds: u64,
    pub poll_rate: u64,
    pub story_rate: u64,
    /// Resident memory of the backend (kB): before, halfway, after.
    pub rss_kb: [u64; 3],
    pub poll: Latency,
    pub stories: Latency,
}

pub struct Results {
    pub setup: Setup,
    pub health: Figures,
    pub poll: Figures,
    pub poll_open: Latency,
    pub create: Figures,
    pub create_open: Latency,
    pub create_start: Closed,
    pub make_payment: Figures,
    pub make_payment_open: Latency,
    pub soak: Option<Soak>,
}

pub async fn setup(args: &Args, setup: Setup) -> TestResult<Results> {
    let database = match (&args.postgres, setup.postgres) {
        (Some(server), true) => Some(e2e::database::create(server).await?),
        _ => None,
    };
    let server_cpu = args.pinned.then_some(SERVER_CPU);
    let deployment = Arc::new(Deployment::start(setup, &args.backend, server_cpu, database).await?);
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let wrk = Wrk {
        program: args.wrk.clone(),
        cpus: args.pinned.then(|| LOAD_CPU.to_owned()),
        dir: work.path().to_path_buf(),
    };
    let psp = deployment.psp.clone();
    let seconds = args.seconds;

    step("/health");
    let health_line = Line {
        method: "GET",
        path: "/health".to_owned(),
        headers: Vec::new(),
        body: String::new(),
    };
    let health = wrk.run(&psp, &[health_line], CONNECTIONS, seconds)?;
    show_wrk(&health);

    step("10 000 payments waiting");
    let mut waiting = deployment.waiting("w", WAITING).await?;
    shuffle(&mut waiting);
    let poll_lines: Vec<Line> = waiting
        .iter()
        .map(|p| Line {
            method: "GET",
            path: format!("/api/checkout/payments/{}", p.id),
            headers: vec![(CLIENT_SECRET_HEADER, p.secret.clone())],
            body: String::new(),
        })
        .collect();
    step("status poll");
    let poll = wrk.run(&psp, &poll_lines, CONNECTIONS, seconds)?;
    show_wrk(&poll);
    let poll_open = poll_at(&deployment, &waiting, open_rate(POLL_RATE, &poll), seconds).await;
    show_open(&poll_open);

    step("create");
    let auth = format!("Bearer {}", deployment.merchant_key);
    // Enough orders for 8 000 creates a second (each order id may be used once).
    let orders = 60_000.max(requests_for(8_000, seconds));
    let create_lines: Vec<Line> = (0..orders)
        .map(|n| Line {
            method: "POST",
            path: "/v1/payments".to_owned(),
            headers: vec![
                ("Authorization", auth.clone()),
                ("Content-Type", "application/json".to_owned()),
            ],
            body: Deployment::create_body(&format!("c{n}")),
        })
        .collect();
    let create = wrk.run(&psp, &create_lines, CONNECTIONS, seconds)?;
    show_wrk(&create);
    ran_short("create", &create, create_lines.len())?;
    let rate = open_rate(CREATE_RATE, &create);
    let count = requests_for(rate, seconds);
    let create_open = {
        let deployment = Arc::clone(&deployment);
        open_loop::at_rate(rate, count, move |n| {
            let deployment = Arc::clone(&deployment);
            async move { deployment.create(&format!("o{n}")).await.is_ok() }
        })
        .await
    };
    show_open(&create_open);

    step("create + widget start");
    let (create_start, mut fresh) =
        create_and_start(&deployment, "s", seconds, MAKE_PAYMENTS_FOR_WRK).await?;
    // makePayment may run faster than payments are started: twice the start rate for the
    // run's seconds, and never fewer than prepared above.
    let wanted = requests_for(create_start.whole_per_second.saturating_mul(2), seconds);
    if fresh.len() < wanted {
        let (_, more) = create_and_start(&deployment, "t", 0, wanted - fresh.len()).await?;
        fresh.extend(more);
    }
    println!(
        "    {:.0}/s, p50 {:.1} ms, p99 {:.1} ms ({} started)",
        create_start.per_second,
        create_start.p50_ms,
        create_start.p99_ms,
        fresh.len()
    );

    step("makePayment, fresh payments");
    let make_lines = fresh
        .iter()
        .map(|started| make_payment_line(&deployment, &started.init))
        .collect::<TestResult<Vec<_>>>()?;
    let make_payment = wrk.run(&psp, &make_lines, CONNECTIONS, seconds)?;
    show_wrk(&make_payment);
    ran_short("makePayment", &make_payment, make_lines.len())?;
    if make_payment.failed() > 0 {
        return Err(format!(
            "makePayment: {} calls failed",
            make_payment.failed()
        ));
    }
    // What wrk handed out is used; the last ones (one per connection) may have been cut
    // off when it stopped, so the check reads the ones before them.
    let sent = usize::try_from(make_payment.sent).unwrap_or(usize::MAX);
    let mut unused = fresh.split_off(sent.min(fresh.len()));
    fresh.truncate(sent.saturating_sub(CONNECTIONS));
    authorised(&deployment, &fresh).await?;
    let rate = open_rate(MAKE_PAYMENT_RATE, &make_payment);
    let count = requests_for(rate, seconds);
    if unused.len() < count {
        let (_, more) = create_and_start(&deployment, "u", 0, count - unused.len()).await?;
        unused.extend(more);
    }
    unused.truncate(count);
    let make_payment_open = make_payments_at(&deployment, &unused, rate).await?;
    show_open(&make_payment_open);
    authorised(&deployment, &unused).await?;

    let soak = if setup.postgres || setup.instances > 1 {
        None
    } else {
        step("soak");
        let poll_rate = (poll.whole_per_second() / SOAK_DIVISOR).max(1);
        let closed = make_payment
            .whole_per_second()
            .min(create_start.whole_per_second);
        let story_rate = (closed / SOAK_DIVISOR).max(1);
        let rates = (poll_rate, story_rate);
        Some(soak(&deployment, &waiting, rates, args.soak).await?)
    };
    if let Ok(deployment) = Arc::try_unwrap(deployment) {
        deployment.stop().await;
    }
    Ok(Results {
        setup,
        health,
        poll,
        poll_open,
        create,
        create_open,
        create_start,
        make_payment,
        make_payment_open,
        soak,
    })
}

/// wrk went round its requests (some were sent twice): the run was longer than prepared for.
fn ran_short(what: &str, figures: &Figures, prepared: usize) -> TestResult {
    if usize::try_from(figures.sent).unwrap_or(usize::MAX) > prepared {
        return Err(format!(
            "{what}: wrk used up the {prepared} prepared requests and sent some twice; \
             measure fewer seconds"
        ));
    }
    Ok(())
}

fn step(what: &str) {
    println!("  {what}");
}

fn show_wrk(f: &Figures) {
    println!(
        "    {:.0}/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors, {} not 2xx/3xx)",
        f.per_second(),
        e2e::bench::float(f.p50_us) / 1e3,
        e2e::bench::float(f.p99_us) / 1e3,
        f.requests,
        f.errors,
        f.status_errors
    );
}

fn show_open(l: &Latency) {
    println!(
        "    at {:.0}/s: p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms ({} sent, {} failed)",
        l.rate, l.p50_ms, l.p99_ms, l.max_ms, l.sent, l.failed
    );
}

/// A fixed shuffle (xorshift), so the poll does not walk the table in order.
fn shuffle<T>(items: &mut [T]) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (e2e::bench::count(i) + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

async fn poll_at(
    deployment: &Arc<Deployment>,
    waiting: &[Waiting],
    rate: u64,
    seconds: u64,
) -> Latency {
    let targets: Arc<Vec<(String, String)>> = Arc::new(
        waiting
            .iter()
            .map(|p| {
                (
                    format!("{}/api/checkout/payments/{}", deployment.psp, p.id),
                    p.secret.clone(),
                )
            })
            .collect(),
    );
    let http = deployment.http.clone();
    let count = requests_for(rate, seconds);
    open_loop::at_rate(rate, count, move |i| {
        let (http, targets) = (http.clone(), Arc::clone(&targets));
        async move {
            let Some((url, secret)) = targets.get(i % targets.len().max(1)) else {
                return false;
            };
            http.get(url)
                .header(CLIENT_SECRET_HEADER, secret)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
        }
    })
    .await
}

/// 16 widgets, each creating and starting payments one after the other for `seconds`
/// (and on, without counting, until `wanted` payments are at Vipps), with order ids
/// `{prefix}{widget}x{n}` (a prefix no other call uses: an order id is used once); their
/// inits.
async fn create_and_start(
    deployment: &Arc<Deployment>,
    prefix: &'static str,
    seconds: u64,
    wanted: usize,
) -> TestResult<(Closed, Vec<Started>)> {
    let measured_until = Instant::now() + Duration::from_secs(seconds);
    let made = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut set = JoinSet::new();
    for worker in 0..CONNECTIONS {
        let (deployment, made) = (Arc::clone(deployment), Arc::clone(&made));
        set.spawn(async move {
            let mut times = Vec::new();
            let mut inits = Vec::new();
            let mut failed = 0;
            for n in 0.. {
                let now = Instant::now();
                if now >= measured_until
                    && made.load(std::sync::atomic::Ordering::Relaxed) >= wanted
                {
                    break;
                }
                let order = format!("{prefix}{worker}x{n}");
                let started = async {
                    let payment = deployment.create(&order).await?;
                    deployment.start_payment(&payment).await?;
                    Ok::<_, String>(Started {
                        id: payment.id,
                        init: deployment.init_for(&order)?,
                    })
                }
                .await;
                match started {
                    Ok(init) => {
                        inits.push(init);
                        made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Err(_) if now < measured_until => failed += 1,
                    Err(e) => return Err(e),
                }
                if now < measured_until {
                    times.push(now.elapsed().as_secs_f64() * 1e3);
                }
            }
            Ok::<_, String>((times, inits, failed))
        });
    }
    let (mut times, mut inits, mut failed) = (Vec::new(), Vec::new(), 0);
    for done in set.join_all().await {
        let (t, i, f) = done?;
        times.extend(t);
        inits.extend(i);
        failed += f;
    }
    times.sort_by(f64::total_cmp);
    let closed = Closed {
        per_second: e2e::bench::float(e2e::bench::count(times.len()))
            / e2e::bench::float(seconds.max(1)),
        whole_per_second: e2e::bench::count(times.len()) / seconds.max(1),
        p50_ms: percentile(&times, 50),
        p99_ms: percentile(&times, 99),
        failed,
    };
    Ok((closed, inits))
}

/// makePayment as Vipps sends it once the shopper approved, with the approved test card.
fn make_payment_body(deployment: &Deployment, init: &InitRequest) -> TestResult<String> {
    use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PublicEncryptingKey};
    let key =
        PublicEncryptingKey::from_der(&deployment.card_public_der).map_err(|e| e.to_string())?;
    let key = OaepPublicEncryptingKey::new(key).map_err(|e| e.to_string())?;
    let mut out = vec![0u8; key.ciphertext_size()];
    let plain = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";
    let cryptogram = key
        .encrypt(&OAEP_SHA256_MGF1SHA256, plain.as_bytes(), &mut out, None)
        .map_err(|e| e.to_string())?;
    let card_data = base64::engine::general_purpose::STANDARD.encode(cryptogram);
    Ok(serde_json::json!({
        "pspTransactionId": init.psp_transaction_id,
        "merchantSerialNumber": shared::sandbox::MERCHANT_SERIAL_NUMBER,
        "cardData": card_data,
        "confirmed": "YES",
    })
    .to_string())
}

fn make_payment_line(deployment: &Deployment, init: &InitRequest) -> TestResult<Line> {
    let path = init
        .make_payment_url
        .strip_prefix(&deployment.psp)
        .ok_or_else(|| {
            format!(
                "makePayment URL {} is not at {}",
                init.make_payment_url, deployment.psp
            )
        })?
        .to_owned();
    Ok(Line {
        method: "POST",
        path,
        headers: vec![
            (
                "Authorization",
                init.make_payment_token.clone().unwrap_or_default(),
            ),
            ("Content-Type", "application/json".to_owned()),
        ],
        body: make_payment_body(deployment, init)?,
    })
}

async fn make_payments_at(
    deployment: &Arc<Deployment>,
    started: &[Started],
    rate: u64,
) -> TestResult<Latency> {
    let requests: Arc<Vec<(String, String, String)>> = Arc::new(
        started
            .iter()
            .map(|Started { init, .. }| {
                Ok((
                    init.make_payment_url.clone(),
                    init.make_payment_token.clone().unwrap_or_default(),
                    make_payment_body(deployment, init)?,
                ))
            })
            .collect::<TestResult<_>>()?,
    );
    let http = deployment.http.clone();
    Ok(open_loop::at_rate(rate, requests.len(), move |i| {
        let (http, requests) = (http.clone(), Arc::clone(&requests));
        async move {
            let Some((url, token, body)) = requests.get(i) else {
                return false;
            };
            send_make_payment(&http, url, token, body.clone()).await
        }
    })
    .await)
}

async fn send_make_payment(http: &reqwest::Client, url: &str, token: &str, body: String) -> bool {
    let Ok(response) = http
        .post(url)
        .header("Authorization", token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
    else {
        return false;
    };
    response.status() == 200
        && response
            .text()
            .await
            .is_ok_and(|t| t.contains("\"OK\"") || t.contains("\"ok\""))
}

/// A measurement of failures is no measurement: every payment paid must be authorised
/// (a sample of 50, spread over them).
async fn authorised(deployment: &Deployment, started: &[Started]) -> TestResult {
    let step = (started.len() / 50).max(1);
    for Started { id, init } in started.iter().step_by(step) {
        let response = deployment
            .http
            .get(format!("{}/v1/payments/{id}", deployment.psp))
            .bearer_auth(&deployment.merchant_key)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let payment: shared::merchant::MerchantPayment = e2e::expect_json(response, 200).await?;
        if payment.status != shared::merchant::PaymentStatus::Authorised {
            return Err(format!(
                "{} was paid but is {:?}, not authorised",
                init.merchant_order_id.as_str(),
                payment.status
            ));
        }
    }
    Ok(())
}

fn rss_kb(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .sum()
}

/// `seconds` of polls and whole payments at once, open loop; memory before, halfway, after.
async fn soak(
    deployment: &Arc<Deployment>,
    waiting: &[Waiting],
    (poll_rate, story_rate): (u64, u64),
    seconds: u64,
) -> TestResult<Soak> {
    let pids = deployment.pids();
    let before = rss_kb(&pids);
    let poll = {
        let (deployment, waiting) = (Arc::clone(deployment), waiting.to_vec());
        tokio::spawn(async move { poll_at(&deployment, &waiting, poll_rate, seconds).await })
    };
    let stories = {
        let deployment = Arc::clone(deployment);
        let count = requests_for(story_rate, seconds);
        tokio::spawn(async move {
            open_loop::at_rate(story_rate, count, move |n| {
                let deployment = Arc::clone(&deployment);
                async move { story(&deployment, n).await.unwrap_or(false) }
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_secs(seconds / 2)).await;
    let halfway = rss_kb(&pids);
    let poll = poll.await.map_err(|e| e.to_string())?;
    let stories = stories.await.map_err(|e| e.to_string())?;
    let after = rss_kb(&pids);
    println!(
        "    RSS {before} kB, {halfway} kB halfway, {after} kB after; poll p99 {:.2} ms, payments p99 {:.1} ms",
        poll.p99_ms, stories.p99_ms
    );
    Ok(Soak {
        seconds,
        poll_rate,
        story_rate,
        rss_kb: [before, halfway, after],
        poll,
        stories,
    })
}

/// A whole payment: the merchant creates it, the widget starts it, Vipps sends makePayment.
async fn story(deployment: &Deployment, n: usize) -> TestResult<bool> {
    let order = format!("soak{n}");
    let payment = deployment.create(&order).await?;
    deployment.start_payment(&payment).await?;
    let init = deployment.init_for(&order)?;
    let body = make_payment_body(deployment, &init)?;
    let token = init.make_payment_token.clone().unwrap_or_default();
    Ok(send_make_payment(&deployment.http, &init.make_payment_url, &token, body).await)
}
