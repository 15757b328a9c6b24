//! The SSRF rule: webhook deliveries connect only to public addresses unless the PSP allows
//! private ones (sandbox). Checked on the address actually connected to: names go through
//! [`PolicyResolver`], which drops refused addresses after resolving, and IP-literal hosts
//! (which reqwest never resolves) are checked by [`check_literal_host`] before sending.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// An endpoint resolved or pointed to an address the PSP may not connect to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("address not allowed: {0}")]
pub struct AddressNotAllowed(pub IpAddr);

/// Whether `ip` is a public unicast address: not loopback, private, link-local,
/// unique-local, unspecified, CGNAT, multicast, broadcast, documentation, benchmarking or
/// reserved, nor one of those inside IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0                                // "this network", unspecified
        || a == 10                                      // private
        || (a == 100 && (64..128).contains(&b))         // CGNAT 100.64/10
        || a == 127                                     // loopback
        || (a == 169 && b == 254)                       // link-local
        || (a == 172 && (16..32).contains(&b))          // private
        || (a == 192 && b == 0 && c == 0)               // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)               // TEST-NET-1
        || (a == 192 && b == 88 && c == 99)             // 6to4 relay anycast
        || (a == 192 && b == 168)                       // private
        || (a == 198 && (b == 18 || b == 19))           // benchmarking
        || (a == 198 && b == 51 && c == 100)            // TEST-NET-2
        || (a == 203 && b == 0 && c == 113)             // TEST-NET-3
        || a >= 224; // multicast, reserved, broadcast
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let embedded_v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if s[..6] == [0; 6] {
        // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
        return false;
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7])); // NAT64
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2])); // 6to4
    }
    let refused = (s[0] & 0xfe00) == 0xfc00             // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80                    // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0                    // site-local (deprecated) fec0::/10
        || (s[0] & 0xff00) == 0xff00                    // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8)           // documentation 2001:db8::/32
        || (s[0] == 0x3fff && s[1] < 0x1000)            // documentation 3fff::/20
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])     // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] < 0x0200 && s[1] != 0) // IETF protocol assignments 2001::/23 (Teredo 2001::/32 aside)
        || (s[0] & 0xe000) != 0x2000; // outside global unicast 2000::/3
    !refused
}

/// For an IP-literal host in `url`, whether it may be connected to; names pass here
/// and are checked by [`PolicyResolver`].
pub fn check_literal_host(url: &Url, allow_private: bool) -> Result<(), AddressNotAllowed> {
    let host = url.host_str().unwrap_or_default();
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let Ok(ip) = literal.parse::<IpAddr>() else {
        return Ok(());
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(AddressNotAllowed(ip))
    }
}

/// Resolves names with the system resolver and keeps only the addresses the policy
/// allows; fails with [`AddressNotAllowed`] when none is left.
#[derive(Debug, Clone, Copy)]
pub struct PolicyResolver {
    pub allow_private: bool,
}

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let allow_private = self.allow_private;
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = resolved
                .into_iter()
                .partition(|addr| allow_private || is_public(addr.ip()));
            match (allowed.is_empty(), refused.first()) {
                (true, Some(first)) => {
                    let refused: Box<dyn std::error::Error + Send + Sync> =
                        Box::new(AddressNotAllowed(first.ip()));
                    Err(refused)
                }
                _ => {
                    let addrs: Addrs = Box::new(allowed.into_iter());
                    Ok(addrs)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused_and_public_ones_allowed() {
        let refused = [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.0.9",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:192.168.0.1",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "ff05::2",
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "2001:2::1",
            "4000::1",
            "::ffff:0.0.0.0",
            "::ffff:100.64.0.1",
        ];
        for text in refused {
            let Ok(ip) = text.parse::<IpAddr>() else {
                unreachable!("{text}")
            };
            assert!(!is_public(ip), "{text} must be refused");
        }
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "126.255.255.255",
            "128.0.0.1",
            "169.253.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "192.167.0.1",
            "192.169.0.1",
            "198.17.0.1",
            "198.20.0.1",
            "203.0.114.1",
            "223.255.255.255",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "2a00:1450::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001::1",
        ];
        for text in public {
            let Ok(ip) = text.parse::<IpAddr>() else {
                unreachable!("{text}")
            };
            assert!(is_public(ip), "{text} must be allowed");
        }
    }

    #[test]
    fn ip_literal_hosts_are_checked_and_names_are_left_to_the_resolver() {
        let check = |url: &str, allow: bool| {
            let Ok(url) = Url::parse(url) else {
                unreachable!("{url}")
            };
            check_literal_host(&url, allow)
        };
        assert_eq!(
            check("http://127.0.0.1:9/hook", false),
            Err(AddressNotAllowed(IpAddr::V4(Ipv4Addr::LOCALHOST)))
        );
        assert!(check("http://[::1]/", false).is_err());
        assert!(check("http://[::ffff:7f00:1]/", false).is_err());
        assert!(
            check("http://0x7f.1/", false).is_err(),
            "URL parsing normalises hex IPv4"
        );
        assert!(check("http://127.0.0.1/", true).is_ok());
        assert!(check("https://8.8.8.8/", false).is_ok());
        assert!(check("https://shop.example/", false).is_ok());
        assert_eq!(
            AddressNotAllowed(IpAddr::V4(Ipv4Addr::LOCALHOST)).to_string(),
            "address not allowed: 127.0.0.1"
        );
    }

    #[tokio::test]
    async fn the_resolver_drops_refused_addresses_and_fails_when_none_is_left() {
        let Ok(name) = "localhost".parse::<Name>() else {
            unreachable!()
        };
        let refused = PolicyResolver {
            allow_private: false,
        }
        .resolve(name)
        .await;
        let Err(error) = refused else {
            unreachable!("localhost must be refused")
        };
        assert!(
            error.to_string().starts_with("address not allowed: "),
            "{error}"
        );

        let Ok(name) = "localhost".parse::<Name>() else {
            unreachable!()
        };
        let Ok(allowed) = (PolicyResolver {
            allow_private: true,
        })
        .resolve(name)
        .await
        else {
            unreachable!("allowed in the sandbox")
        };
        assert!(allowed.into_iter().all(|a| a.ip().is_loopback()));
    }
}
