//! After the chaos: what must be true of every payment, read from the PSP, from Vipps (the
//! simulator), from the acquirer's ledger and from the merchant's webhook receiver.

use std::collections::{HashMap, HashSet};

use backend::acquirer::test_ledger::{Held, Ledger};
use e2e::TestResult;
use e2e::receiver::Receiver;
use serde_json::Value;
use shared::merchant::PaymentStatus;
use shared::webhooks::{Event, EventType};

use crate::shopper::{Ends, Story};

/// What the checks found; empty `problems` is a pass.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<String>,
    /// Status updates Vipps received more than once under one Request-Id (retries after a
    /// kill between sending and recording), deduplicated by Vipps.
    pub repeated_updates: usize,
    /// Webhooks the receiver got more than once under one id (the same), deduplicated by it.
    pub repeated_webhooks: usize,
    pub updates: usize,
    pub webhooks: usize,
    /// Authorisations the acquirer granted that the PSP never used, released whole.
    pub released_authorisations: usize,
}

/// Every check, once. The caller repeats it until it passes or the run's patience ends:
/// updates and webhooks are delivered after the calls that caused them.
pub async fn run(
    stories: &[Story],
    ends: &Ends,
    ledger: &Ledger,
    receiver: &Receiver,
    webhook_secret: &str,
) -> TestResult<Findings> {
    let mut findings = Findings::default();
    let holds = ledger.all().await.map_err(|e| e.to_string())?;
    let mut by_payment: HashMap<&str, Vec<&Held>> = HashMap::new();
    for held in &holds {
        by_payment
            .entry(held.payment.as_str())
            .or_default()
            .push(held);
    }
    let known: HashSet<&str> = stories.iter().map(|s| s.payment.as_str()).collect();
    for payment in by_payment.keys().filter(|p| !known.contains(*p)) {
        findings.problems.push(format!(
            "{payment}: the acquirer holds money for a payment no story made"
        ));
    }
    let updates = update_calls(ends).await?;
    findings.updates = updates.len();
    let mut per_request: HashMap<&str, usize> = HashMap::new();
    for update in &updates {
        *per_request.entry(update.request_id.as_str()).or_default() += 1;
    }
    findings.repeated_updates = per_request.values().map(|n| n.saturating_sub(1)).sum();
    let delivered = delivered_events(receiver, webhook_secret, &mut findings)?;
    for story in stories {
        let mut problems = Vec::new();
        let id = story.payment.as_str();
        let view = ends.view(id).await?;
        let holds: &[&Held] = by_payment.get(id).map(Vec::as_slice).unwrap_or_default();
        // The PSP: an outcome, and the amounts the merchant asked for.
        if matches!(
            view.status,
            PaymentStatus::Created | PaymentStatus::AwaitingApp | PaymentStatus::Processing
        ) {
            problems.push(format!("{id}: stuck in {:?}", view.status));
        }
        let amounts = &view.amounts;
        if story.authorised {
            let cancelled = if story.cancelled {
                story.amount - story.captured
            } else {
                0
            };
            let want = (story.amount, story.captured, story.refunded, cancelled);
            let got = (
                amounts.authorised,
                amounts.captured,
                amounts.refunded,
                amounts.cancelled,
            );
            if want != got {
                problems.push(format!("{id}: the PSP holds (authorised, captured, refunded, cancelled) {got:?}, the merchant did {want:?}"));
            }
        } else if story.psp_transaction_id.is_some() && amounts.authorised > 0 {
            problems.push(format!("{id}: authorised after the story saw it fail"));
        }
        // The acquirer: one charge with the PSP's amounts; any other authorisation (a
        // charge whose answer was lost with its instance) released whole.
        let released = |h: &&Held| h.captured == 0 && h.voided == h.amount;
        if amounts.authorised > 0 {
            let psp = (
                i64::from(amounts.authorised),
                i64::from(amounts.captured),
                i64::from(amounts.refunded),
                i64::from(amounts.cancelled),
            );
            let matching = holds
                .iter()
                .position(|h| (h.amount, h.captured, h.refunded, h.voided) == psp);
            match matching {
                Some(index) => {
                    let others = holds.iter().enumerate().filter(|(i, _)| *i != index);
                    for (_, other) in others {
                        if released(other) {
                            findings.released_authorisations += 1;
                        } else {
                            problems.push(format!("{id}: charged twice at the acquirer: {other:?} besides the PSP's"));
                        }
                    }
                }
                None => problems.push(format!(
                    "{id}: no authorisation at the acquirer with the PSP's (amount, captured, refunded, cancelled) {psp:?}: {holds:?}"
                )),
            }
        } else {
            for held in holds {
                if released(held) {
                    findings.released_authorisations += 1;
                } else {
                    problems.push(format!(
                        "{id}: not authorised at the PSP, yet the acquirer holds {held:?}"
                    ));
                }
            }
        }
        // Vipps: the same amounts, each operation under one Request-Id.
        if let Some(txn) = &story.psp_transaction_id {
            check_vipps(ends, id, txn, &view, story, &updates, &mut problems).await?;
        }
        // The merchant's receiver: every event the PSP recorded, once by id.
        let recorded: Vec<Event> = events_of(ends, id).await?;
        for event in &recorded {
            if !delivered.contains_key(event.id.as_str()) {
                problems.push(format!(
                    "{id}: event {} ({:?}) never delivered",
                    event.id, event.kind
                ));
            }
        }
        // ... and one event per thing that happened.
        if story.authorised {
            let count = |kind: EventType| recorded.iter().filter(|e| e.kind == kind).count();
            let operations = count(EventType::Captured)
                + count(EventType::Refunded)
                + count(EventType::Cancelled);
            if count(EventType::Authorised) != 1 || operations != story.operations {
                problems.push(format!(
                    "{id}: {} authorised and {operations} operation event(s) for {} operation(s)",
                    count(EventType::Authorised),
                    story.operations
                ));
            }
        }
        findings.problems.extend(problems);
    }
    findings.webhooks = delivered.len();
    Ok(findings)
}

/// One updatestatus call: its Request-Id and the pspTransactionIds it reported.
struct Update {
    request_id: String,
    transactions: Value,
}

/// What the simulator's test-control API shows at `path`.
async fn at_vipps<T: serde::de::DeserializeOwned>(ends: &Ends, path: &str) -> TestResult<T> {
    let response = ends
        .http
        .get(format!("{}{path}", ends.vipps))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    response.json().await.map_err(|e| e.to_string())
}

async fn update_calls(ends: &Ends) -> TestResult<Vec<Update>> {
    let calls: Vec<Value> = at_vipps(ends, "/sim/updatestatus").await?;
    Ok(calls
        .into_iter()
        .filter(|c| c["answered_status"] == 200)
        .map(|c| Update {
            request_id: c["request_id"].as_str().unwrap_or_default().to_owned(),
            transactions: c["transactions"].clone(),
        })
        .collect())
}

async fn check_vipps(
    ends: &Ends,
    id: &str,
    txn: &str,
    view: &shared::merchant::MerchantPayment,
    story: &Story,
    updates: &[Update],
    problems: &mut Vec<String>,
) -> TestResult {
    let at_vipps: Value = at_vipps(ends, &format!("/sim/payments/{txn}")).await?;
    let summary = &at_vipps["transaction_summary"];
    let vipps = (
        summary["capturedAmount"].as_i64(),
        summary["refundedAmount"].as_i64(),
    );
    let psp = (
        Some(i64::from(view.amounts.captured)),
        Some(i64::from(view.amounts.refunded)),
    );
    if vipps != psp {
        problems.push(format!(
            "{id}: Vipps has (captured, refunded) {vipps:?}, the PSP {psp:?}"
        ));
    }
    let reserved = at_vipps["state"] == "approved";
    if reserved != (view.amounts.authorised > 0) {
        problems.push(format!(
            "{id}: Vipps's outcome is {}, the PSP's {:?}",
            at_vipps["state"], view.status
        ));
    }
    // Each Request-Id's transactions for this payment (a batch may carry several), and
    // whether a retry under one Request-Id ever carried something else.
    let mut reported: HashMap<&str, HashSet<String>> = HashMap::new();
    for update in updates {
        let ours: Vec<&Value> = update
            .transactions
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["pspTransactionId"] == txn)
            .collect();
        if !ours.is_empty() {
            reported
                .entry(update.request_id.as_str())
                .or_default()
                .insert(serde_json::to_string(&ours).unwrap_or_default());
        }
    }
    if reported.values().any(|bodies| bodies.len() > 1) {
        problems.push(format!("{id}: one Request-Id carried different updates"));
    }
    let sent: usize = reported
        .values()
        .filter_map(|bodies| bodies.iter().next())
        .map(|body| serde_json::from_str::<Vec<Value>>(body).map_or(0, |t| t.len()))
        .sum();
    if sent != story.operations {
        problems.push(format!(
            "{id}: {} operation(s) done, {sent} reported to Vipps",
            story.operations
        ));
    }
    Ok(())
}

async fn events_of(ends: &Ends, payment: &str) -> TestResult<Vec<Event>> {
    let url = format!("{}/v1/events?payment={payment}", ends.psp);
    let response = ends
        .http
        .get(&url)
        .bearer_auth(&ends.merchant_key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("events of {payment}: HTTP {}", response.status()));
    }
    response.json().await.map_err(|e| e.to_string())
}

/// The events the receiver accepted, by id; two different events under one id is a problem.
fn delivered_events(
    receiver: &Receiver,
    secret: &str,
    findings: &mut Findings,
) -> TestResult<HashMap<String, Event>> {
    let mut delivered: HashMap<String, Event> = HashMap::new();
    for event in receiver.accepted_events(secret)? {
        match delivered.get(event.id.as_str()) {
            Some(earlier) if *earlier != event => findings.problems.push(format!(
                "webhook {} delivered with two different bodies",
                event.id
            )),
            Some(_) => findings.repeated_webhooks += 1,
            None => {
                delivered.insert(event.id.to_string(), event);
            }
        }
    }
    Ok(delivered)
}
