//! The widget API's rate limits, and the dashboard's sign-in's: `governor`'s keyed GCRA limiters (sharded, no global
//! lock). Authenticated reads and authenticated actions (start, cancel, qr) are counted
//! per payment; failed authentications (wrong secret, unknown id) per client address,
//! so a stranger can neither use up a shopper's budget nor grow the per-payment state.
//! In memory, per backend instance; [`WidgetLimits::sweep_every`] keeps it bounded.

use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use shared::PaymentId;

use crate::config::Config;

/// One keyed limit: at most `n` a minute per key, all at once or spread out.
pub struct Limit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    /// `n` per minute per key (0 is taken as 1: a limit never shuts a key out for good).
    pub fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// `Ok` when `key` may go on (and counts it); otherwise how long until it may.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    /// How many keys are held now (swept ones excluded).
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }

    /// Forgets keys whose state is back to fresh: nothing is lost by it.
    fn retain_recent(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Every limit of the widget API.
pub struct WidgetLimits {
    /// Authenticated reads (`GET /api/checkout/payments/{id}`) per payment.
    pub reads: Limit<PaymentId>,
    /// Authenticated start, cancel and qr per payment.
    pub actions: Limit<PaymentId>,
    /// Failed authentications per client address ([`client_key`]).
    pub failures: Limit<IpAddr>,
    /// The dashboard's sign-in attempts per email address, so that one account's
    /// password cannot be guessed fast from many addresses…
    pub sign_ins: Limit<String>,
    /// …and per client address, so that one client cannot try many accounts.
    pub sign_in_clients: Limit<IpAddr>,
}

/// Sign-in attempts a minute per email address (enough for a person who mistypes).
pub const SIGN_INS_PER_MINUTE: u32 = 10;
/// Sign-in attempts a minute per client address (an office behind one address).
pub const SIGN_IN_CLIENTS_PER_MINUTE: u32 = 30;

impl WidgetLimits {
    pub fn new(config: &Config) -> Self {
        Self {
            reads: Limit::per_minute(config.poll_limit_per_minute),
            actions: Limit::per_minute(config.widget_actions_per_minute),
            failures: Limit::per_minute(config.widget_failures_per_minute),
            sign_ins: Limit::per_minute(SIGN_INS_PER_MINUTE),
            sign_in_clients: Limit::per_minute(SIGN_IN_CLIENTS_PER_MINUTE),
        }
    }

    /// Drops what has gone quiet, every `period`, for as long as the server runs.
    pub async fn sweep_every(self: Arc<Self>, period: Duration) {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            self.reads.retain_recent();
            self.actions.retain_recent();
            self.failures.retain_recent();
            self.sign_ins.retain_recent();
            self.sign_in_clients.retain_recent();
        }
    }
}

/// Who is counted for failures: the peer's address, an IPv6 client by its /64 (one
/// host usually holds a whole /64), an IPv4-mapped IPv6 address as the IPv4 address.
/// Without a peer address (the router used directly, as in tests) everyone is one client.
pub fn client_key(peer: Option<IpAddr>) -> IpAddr {
    match peer.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V6(v6)) => {
            let prefix = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        Some(v4) => v4,
        None => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn the_request_over_the_limit_is_told_when_to_come_back() {
        let limit = Limit::per_minute(3);
        for _ in 0..3 {
            assert_eq!(limit.check(&"pay_a"), Ok(()));
        }
        let wait = limit.check(&"pay_a");
        assert!(
            matches!(wait, Err(d) if d > Duration::from_secs(10) && d <= Duration::from_secs(20)),
            "one more is allowed every 20 s: {wait:?}"
        );
        assert_eq!(limit.check(&"pay_b"), Ok(()), "keys are limited separately");
        assert_eq!(limit.len(), 2);
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_slash_64() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2::ffff"))
        );
        assert_eq!(
            Some(client_key(ip("2001:db8:1:2:aaaa::1"))),
            ip("2001:db8:1:2::")
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn an_ipv4_client_is_counted_by_its_address_however_it_arrives() {
        assert_eq!(
            client_key(ip("::ffff:192.0.2.7")),
            client_key(ip("192.0.2.7"))
        );
        assert_ne!(client_key(ip("192.0.2.7")), client_key(ip("192.0.2.8")));
        assert_eq!(client_key(None), IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    }
}
