//! The backend's metrics, in one registry per process, exposed at `/metrics` in the
//! OpenMetrics text format (`prometheus-client`). Each part of the backend gets a small
//! handle to the families it records ([`AcquirerCalls`], [`ReconcileActions`]), never
//! the registry; the queue gauges are read from the database at each scrape.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Request durations: 1 ms to Vipps's 15 s deadline for makePayment's answer, and one
/// bucket past it, so an answer Vipps no longer waited for shows as such.
const SECONDS_BUCKETS: [f64; 15] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0,
];

/// The OpenMetrics text format `/metrics` answers with.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's pattern (`/v1/payments/{id}`), never the path itself: one series per
    /// route whatever ids clients send; `unmatched` for what no route matched.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AcquirerLabels {
    operation: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn seconds_histogram() -> Histogram {
    Histogram::new(SECONDS_BUCKETS)
}

fn histograms<L: Clone + std::hash::Hash + Eq>() -> Histograms<L> {
    Family::new_with_constructor(seconds_histogram)
}

/// Every metric of one backend process. Cloning shares them.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Histograms<RouteLabels>,
    rate_limited: Counter,
    make_payment_seconds: Histograms<OutcomeLabels>,
    acquirer: AcquirerCalls,
    reconciliation: ReconcileActions,
    queue_pending: Family<QueueLabels, Gauge>,
    queue_dead: Family<QueueLabels, Gauge>,
    queue_oldest_seconds: Family<QueueLabels, Gauge>,
}

/// How makePayment ended for Vipps: `ok` (authorised), `fail` (a FAIL answer, e.g. a
/// decline) or `error` (an HTTP error: a wrong token, an unknown payment; a body that
/// does not parse is answered before makePayment runs and counts only in the HTTP metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MakePaymentOutcome {
    Ok,
    Fail,
    Error,
}

impl MakePaymentOutcome {
    const ALL: [Self; 3] = [Self::Ok, Self::Fail, Self::Error];

    fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Fail => "fail",
            Self::Error => "error",
        }
    }
}

/// One outbox's backlog, as the database holds it at a scrape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Items still to be delivered.
    pub pending: i64,
    /// When the oldest pending item was written (Unix seconds), if any is pending.
    pub oldest_created_at: Option<i64>,
    /// Items given up on: updates Vipps refused for good, webhooks past their retries.
    pub dead: i64,
}

/// The queues whose backlog `/metrics` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Status updates owed to Vipps (`updatestatus`).
    StatusUpdates,
    /// Webhook deliveries owed to merchants.
    Webhooks,
}

impl Queue {
    fn label(self) -> &'static str {
        match self {
            Self::StatusUpdates => "updatestatus",
            Self::Webhooks => "webhooks",
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("psp");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        let request_seconds = histograms();
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to its response head), by method and route pattern",
            request_seconds.clone(),
        );
        let rate_limited = Counter::default();
        registry.register(
            "rate_limited",
            "Requests answered 429 Too Many Requests (by route: psp_http_requests_total{status=\"429\"})",
            rate_limited.clone(),
        );
        let make_payment_seconds = histograms();
        registry.register(
            "make_payment_duration_seconds",
            "Time to answer Vipps's makePayment (Vipps waits 15 s), by outcome: ok, fail, error",
            make_payment_seconds.clone(),
        );
        let acquirer = AcquirerCalls {
            seconds: histograms(),
        };
        registry.register(
            "acquirer_call_duration_seconds",
            "Calls to the acquirer, by operation and outcome",
            acquirer.seconds.clone(),
        );
        let reconciliation = ReconcileActions {
            count: Family::default(),
        };
        registry.register(
            "reconciliation_actions",
            "What reconciliation settled, by kind",
            reconciliation.count.clone(),
        );
        let queue_pending = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "outbox_pending",
            "Items waiting to be delivered: updatestatus to Vipps, webhooks to merchants",
            queue_pending.clone(),
        );
        let queue_dead = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "outbox_dead",
            "Items given up on: updates Vipps refused for good, webhooks past their retries",
            queue_dead.clone(),
        );
        let queue_oldest_seconds = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "outbox_oldest_pending_age_seconds",
            "Age in whole seconds of the oldest item waiting to be delivered (0 when none waits)",
            queue_oldest_seconds.clone(),
        );
        // Series whose labels are known up front show from the start, at zero, so that
        // a rate or an alert on them has a series before the first event.
        for outcome in MakePaymentOutcome::ALL {
            let _ = make_payment_seconds.get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            });
        }
        for action in ReconcileAction::ALL {
            reconciliation.record_by(action, 0);
        }
        Self {
            inner: Arc::new(Inner {
                registry,
                requests,
                request_seconds,
                rate_limited,
                make_payment_seconds,
                acquirer,
                reconciliation,
                queue_pending,
                queue_dead,
                queue_oldest_seconds,
            }),
        }
    }

    /// One answered HTTP request.
    pub fn request(&self, method: &Method, route: &str, status: StatusCode, took: Duration) {
        let method = method_label(method);
        let inner = &self.inner;
        inner
            .requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_owned(),
                status: status.as_u16(),
            })
            .inc();
        let labels = RouteLabels {
            method,
            route: route.to_owned(),
        };
        inner
            .request_seconds
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        if status == StatusCode::TOO_MANY_REQUESTS {
            inner.rate_limited.inc();
        }
    }

    /// One makePayment answered.
    pub fn make_payment(&self, outcome: MakePaymentOutcome, took: Duration) {
        self.inner
            .make_payment_seconds
            .get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            })
            .observe(took.as_secs_f64());
    }

    /// What the acquirer wrapper records into.
    pub fn acquirer(&self) -> AcquirerCalls {
        self.inner.acquirer.clone()
    }

    /// What reconciliation records into.
    pub fn reconciliation(&self) -> ReconcileActions {
        self.inner.reconciliation.clone()
    }

    /// The backlog of `queue` as read just now; `now` in Unix seconds.
    pub fn set_backlog(&self, queue: Queue, backlog: Backlog, now: i64) {
        let labels = QueueLabels {
            queue: queue.label(),
        };
        let inner = &self.inner;
        inner
            .queue_pending
            .get_or_create(&labels)
            .set(backlog.pending);
        inner.queue_dead.get_or_create(&labels).set(backlog.dead);
        let age = backlog
            .oldest_created_at
            .map_or(0, |created| now.saturating_sub(created).max(0));
        inner.queue_oldest_seconds.get_or_create(&labels).set(age);
    }

    /// Every metric, in the OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.inner.registry)?;
        Ok(text)
    }
}

/// Methods as labels: the ones the API uses by name, any other as `other`, so a client
/// cannot add series by inventing methods.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The acquirer's calls: how long each took, by operation and outcome.
#[derive(Clone)]
pub struct AcquirerCalls {
    seconds: Histograms<AcquirerLabels>,
}

impl std::fmt::Debug for AcquirerCalls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AcquirerCalls")
    }
}

impl AcquirerCalls {
    /// `operation`: authorise, capture, refund, void, lookup; `outcome`: approved,
    /// declined, ok, timeout, failed, refused, abandoned.
    pub fn record(&self, operation: &'static str, outcome: &'static str, took: Duration) {
        self.seconds
            .get_or_create(&AcquirerLabels { operation, outcome })
            .observe(took.as_secs_f64());
    }
}

/// What reconciliation did, counted by kind.
#[derive(Clone, Default)]
pub struct ReconcileActions {
    count: Family<KindLabels, Counter>,
}

/// The kinds of [`ReconcileActions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconcileAction {
    /// A payment left initiating, settled with Vipps's `details`.
    InitiatingSettled,
    /// A payment never started (or failed) past its expiry, expired.
    Expired,
    /// A payment past its expiry at Vipps with nothing happened, cancelled.
    CancelledAtVipps,
    /// Vipps reports activity on a payment we never charged (an operator's alarm).
    UnexplainedVippsActivity,
    /// A charge without an outcome, failed.
    StuckChargeFailed,
    /// An authorisation the payment does not use, voided at the acquirer.
    AuthorisationVoided,
    /// A capture, refund or cancel an instance began and never recorded, settled.
    OperationResumed,
}

impl ReconcileAction {
    const ALL: [Self; 7] = [
        Self::InitiatingSettled,
        Self::Expired,
        Self::CancelledAtVipps,
        Self::UnexplainedVippsActivity,
        Self::StuckChargeFailed,
        Self::AuthorisationVoided,
        Self::OperationResumed,
    ];
}

impl ReconcileActions {
    pub fn record(&self, action: ReconcileAction) {
        self.record_by(action, 1);
    }

    fn record_by(&self, action: ReconcileAction, n: u64) {
        let kind = match action {
            ReconcileAction::InitiatingSettled => "initiating_settled",
            ReconcileAction::Expired => "expired",
            ReconcileAction::CancelledAtVipps => "cancelled_at_vipps",
            ReconcileAction::UnexplainedVippsActivity => "unexplained_vipps_activity",
            ReconcileAction::StuckChargeFailed => "stuck_charge_failed",
            ReconcileAction::AuthorisationVoided => "authorisation_voided",
            ReconcileAction::OperationResumed => "operation_resumed",
        };
        self.count.get_or_create(&KindLabels { kind }).inc_by(n);
    }
}

impl std::fmt::Debug for ReconcileActions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReconcileActions")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The value of one series as exposed (`name{labels}` exactly), for tests.
    pub(crate) fn sample<'a>(text: &'a str, series: &str) -> Option<&'a str> {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
    }

    #[test]
    fn requests_are_counted_by_route_pattern_and_429s_apart() -> Result<(), std::fmt::Error> {
        let metrics = Metrics::new();
        let route = "/v1/payments/{id}";
        let took = Duration::from_millis(3);
        metrics.request(&Method::GET, route, StatusCode::OK, took);
        metrics.request(&Method::GET, route, StatusCode::OK, took);
        metrics.request(&Method::GET, route, StatusCode::TOO_MANY_REQUESTS, took);
        metrics.request(
            &Method::from_bytes(b"BREW").unwrap_or_default(),
            route,
            StatusCode::METHOD_NOT_ALLOWED,
            took,
        );
        let text = metrics.encode()?;
        let ok = r#"psp_http_requests_total{method="GET",route="/v1/payments/{id}",status="200"}"#;
        assert_eq!(sample(&text, ok), Some("2"), "{text}");
        assert_eq!(sample(&text, "psp_rate_limited_total"), Some("1"), "{text}");
        let limited =
            r#"psp_http_requests_total{method="GET",route="/v1/payments/{id}",status="429"}"#;
        assert_eq!(sample(&text, limited), Some("1"), "{text}");
        assert!(text.contains(r#"method="other""#), "{text}");
        assert!(!text.contains("BREW"), "{text}");
        let count =
            r#"psp_http_request_duration_seconds_count{method="GET",route="/v1/payments/{id}"}"#;
        assert_eq!(sample(&text, count), Some("3"), "{text}");
        Ok(())
    }

    #[test]
    fn make_payment_buckets_reach_vipps_deadline() -> Result<(), std::fmt::Error> {
        let metrics = Metrics::new();
        metrics.make_payment(MakePaymentOutcome::Fail, Duration::from_secs(14));
        let text = metrics.encode()?;
        let le = |bound: &str| {
            format!(r#"psp_make_payment_duration_seconds_bucket{{le="{bound}",outcome="fail"}}"#)
        };
        assert_eq!(sample(&text, &le("10.0")), Some("0"), "{text}");
        assert_eq!(sample(&text, &le("15.0")), Some("1"), "{text}");
        Ok(())
    }

    #[test]
    fn a_backlog_shows_its_depth_and_the_age_of_its_oldest_item() -> Result<(), std::fmt::Error> {
        let metrics = Metrics::new();
        let backlog = Backlog {
            pending: 3,
            oldest_created_at: Some(1_000),
            dead: 1,
        };
        metrics.set_backlog(Queue::StatusUpdates, backlog, 1_042);
        metrics.set_backlog(Queue::Webhooks, Backlog::default(), 1_042);
        let text = metrics.encode()?;
        let series = |name: &str, queue: &str| format!(r#"psp_{name}{{queue="{queue}"}}"#);
        assert_eq!(
            sample(&text, &series("outbox_pending", "updatestatus")),
            Some("3")
        );
        assert_eq!(
            sample(&text, &series("outbox_dead", "updatestatus")),
            Some("1")
        );
        let age = series("outbox_oldest_pending_age_seconds", "updatestatus");
        assert_eq!(sample(&text, &age), Some("42"), "{text}");
        let none = series("outbox_oldest_pending_age_seconds", "webhooks");
        assert_eq!(sample(&text, &none), Some("0"), "{text}");
        Ok(())
    }

    #[test]
    fn series_with_labels_known_up_front_show_at_zero_before_anything_happens()
    -> Result<(), std::fmt::Error> {
        let text = Metrics::new().encode()?;
        for series in [
            "psp_rate_limited_total",
            r#"psp_make_payment_duration_seconds_count{outcome="ok"}"#,
            r#"psp_make_payment_duration_seconds_count{outcome="fail"}"#,
            r#"psp_make_payment_duration_seconds_count{outcome="error"}"#,
            r#"psp_reconciliation_actions_total{kind="expired"}"#,
            r#"psp_reconciliation_actions_total{kind="authorisation_voided"}"#,
            r#"psp_reconciliation_actions_total{kind="operation_resumed"}"#,
        ] {
            assert_eq!(sample(&text, series), Some("0"), "{series}: {text}");
        }
        Ok(())
    }
}
