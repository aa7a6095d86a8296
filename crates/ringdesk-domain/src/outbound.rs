//! R-X8: which addresses Ringdesk may connect out to (AMI hosts, Twilio's
//! API, outgoing webhooks). The caller resolves the host; this decides.
//!
//! `outbound_allow` is a list of host names (`pbx.example.com`, or
//! `*.example.com` for any name under it) and networks (`10.0.0.0/8`,
//! `192.168.1.10`, `fd00::/8`). When the list is not empty, only what it
//! names is reached. When it is empty, everything is reached except, on a
//! hosted service (`refuse_private`), private, loopback, link-local and
//! unspecified addresses, so that a company cannot point Ringdesk at the
//! hosting network's insides.

use std::net::IpAddr;

/// One entry of `outbound_allow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowEntry {
    /// A host name, lower case; `*.example.com` matches any name under it.
    Host(String),
    /// An address with a prefix length.
    Net { addr: IpAddr, prefix: u8 },
}

impl AllowEntry {
    pub fn parse(s: &str) -> Result<AllowEntry, String> {
        let t = s.trim();
        if t.is_empty() {
            return Err("an empty entry".into());
        }
        if let Some((a, p)) = t.split_once('/') {
            let addr: IpAddr = a
                .parse()
                .map_err(|_| format!("{t:?}: {a:?} is not an IP address"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let prefix: u8 = p
                .parse()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{t:?}: the prefix must be 0…{max}"))?;
            return Ok(AllowEntry::Net { addr, prefix });
        }
        if let Ok(addr) = t.parse::<IpAddr>() {
            let prefix = if addr.is_ipv4() { 32 } else { 128 };
            return Ok(AllowEntry::Net { addr, prefix });
        }
        let host = t.to_ascii_lowercase();
        let bare = host.strip_prefix("*.").unwrap_or(&host);
        let ok = !bare.is_empty()
            && bare
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            return Err(format!("{t:?} is neither a host name nor a network"));
        }
        Ok(AllowEntry::Host(host))
    }

    fn names(&self, host: &str) -> bool {
        match self {
            AllowEntry::Host(h) => match h.strip_prefix("*.") {
                Some(suffix) => host
                    .strip_suffix(suffix)
                    .is_some_and(|rest| rest.ends_with('.')),
                None => h == host,
            },
            AllowEntry::Net { .. } => false,
        }
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let AllowEntry::Net { addr, prefix } = self else {
            return false;
        };
        match (addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(*prefix)).unwrap_or(0);
                u32::from(*a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*prefix)).unwrap_or(0);
                u128::from(*a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

/// The installation's rule for outbound connections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    pub allow: Vec<AllowEntry>,
    /// A hosted service: private and loopback addresses are refused unless listed.
    pub refuse_private: bool,
}

/// Why a connection was refused; the text names the host and what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0} did not resolve to any address")]
    Unresolved(String),
    #[error("{host} ({addr}) is not in this installation's outbound_allow list")]
    NotListed { host: String, addr: IpAddr },
    #[error("{host} ({addr}) is a private or loopback address, which a hosted service reaches only when outbound_allow lists it")]
    Private { host: String, addr: IpAddr },
}

impl OutboundPolicy {
    pub fn parse<S: AsRef<str>>(entries: &[S], refuse_private: bool) -> Result<Self, String> {
        Ok(OutboundPolicy {
            allow: entries
                .iter()
                .map(|e| AllowEntry::parse(e.as_ref()))
                .collect::<Result<_, _>>()?,
            refuse_private,
        })
    }

    /// Whether `host`, which resolved to `addrs`, may be connected to. Every
    /// address must pass, since the connection may use any of them.
    pub fn check(&self, host: &str, addrs: &[IpAddr]) -> Result<(), Refused> {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if addrs.is_empty() {
            return Err(Refused::Unresolved(host));
        }
        if self.allow.iter().any(|e| e.names(&host)) {
            return Ok(());
        }
        for &addr in addrs {
            if self.allow.iter().any(|e| e.contains(addr)) {
                continue;
            }
            if !self.allow.is_empty() {
                return Err(Refused::NotListed { host, addr });
            }
            if self.refuse_private && is_internal(addr) {
                return Err(Refused::Private { host, addr });
            }
        }
        Ok(())
    }
}

/// Loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT
/// and unspecified addresses, IPv4-mapped ones included.
pub fn is_internal(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] == 0
        }
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = a.segments();
            a.is_loopback()
                || a.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_empty_list_reaches_everything_on_a_shops_own_installation_r_x8() {
        let p = OutboundPolicy::default();
        assert_eq!(p.check("localhost", &[ip("127.0.0.1")]), Ok(()));
        assert_eq!(p.check("pbx", &[ip("192.168.1.5")]), Ok(()));
        assert!(matches!(p.check("x", &[]), Err(Refused::Unresolved(_))));
    }

    #[test]
    fn a_hosted_service_refuses_private_and_loopback_unless_listed_r_x8() {
        let p = OutboundPolicy::parse::<&str>(&[], true).unwrap();
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.1",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
        ] {
            assert!(
                matches!(p.check("h", &[ip(a)]), Err(Refused::Private { .. })),
                "{a}"
            );
        }
        assert_eq!(p.check("api.twilio.com", &[ip("54.172.60.1")]), Ok(()));
        // One internal address among public ones is enough to refuse.
        assert!(p.check("h", &[ip("8.8.8.8"), ip("10.0.0.1")]).is_err());
        let listed = OutboundPolicy::parse(&["10.0.0.0/8", "pbx.shop.example"], true).unwrap();
        assert_eq!(listed.check("h", &[ip("10.20.30.40")]), Ok(()));
        assert_eq!(
            listed.check("PBX.shop.example", &[ip("192.168.1.1")]),
            Ok(())
        );
    }

    #[test]
    fn a_list_reaches_only_what_it_names_r_x8() {
        let p = OutboundPolicy::parse(&["*.example.com", "203.0.113.0/24", "2001:db8::/32"], false)
            .unwrap();
        assert_eq!(p.check("a.example.com", &[ip("1.2.3.4")]), Ok(()));
        assert_eq!(p.check("a.b.example.com", &[ip("1.2.3.4")]), Ok(()));
        assert!(p.check("example.com.evil.org", &[ip("1.2.3.4")]).is_err());
        assert!(p.check("badexample.com", &[ip("1.2.3.4")]).is_err());
        assert_eq!(p.check("x", &[ip("203.0.113.77")]), Ok(()));
        assert!(matches!(
            p.check("x", &[ip("203.0.114.1")]),
            Err(Refused::NotListed { .. })
        ));
        assert_eq!(p.check("x", &[ip("2001:db8::5")]), Ok(()));
        assert_eq!(p.check("[2001:db8::5]", &[ip("2001:db8::5")]), Ok(()));
    }

    #[test]
    fn entries_are_read_exactly_or_refused() {
        assert_eq!(
            AllowEntry::parse("0.0.0.0/0"),
            Ok(AllowEntry::Net {
                addr: ip("0.0.0.0"),
                prefix: 0
            })
        );
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "a..b",
            "host name",
            "10.0.0.0/x",
            "exa_mple.com",
        ] {
            assert!(AllowEntry::parse(bad).is_err(), "{bad:?}");
        }
        let all = OutboundPolicy::parse(&["0.0.0.0/0"], true).unwrap();
        assert_eq!(all.check("h", &[ip("10.0.0.1")]), Ok(()));
    }
}
