//! Connections out of Ringdesk (R-X8): a URL's host is resolved once, every
//! address it resolved to is checked against the installation's
//! `outbound_allow` (`ringdesk_domain::outbound`), and the request goes to
//! exactly those addresses (the client is pinned to them, so a second DNS
//! answer cannot point it elsewhere).

use crate::error::AppError;
use axum::http::StatusCode;
use ringdesk_domain::outbound::OutboundPolicy;
use std::net::SocketAddr;
use std::time::Duration;

/// How long an outgoing request may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The host and port of an http(s) URL.
fn host_port(url: &str) -> Result<(String, u16), AppError> {
    let (rest, default_port) = if let Some(r) = url.strip_prefix("https://") {
        (r, 443)
    } else if let Some(r) = url.strip_prefix("http://") {
        (r, 80)
    } else {
        return Err(refused(format!(
            "{url:?} is not an http:// or https:// URL"
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(h) = authority.strip_prefix('[') {
        let (h, after) = h
            .split_once(']')
            .ok_or_else(|| refused(format!("{url:?} has a malformed host")))?;
        (h.to_owned(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (authority.to_owned(), None),
        }
    };
    let port = match port {
        Some(p) => p
            .parse()
            .map_err(|_| refused(format!("{url:?} has a malformed port")))?,
        None => default_port,
    };
    if host.is_empty() {
        return Err(refused(format!("{url:?} has no host")));
    }
    Ok((host, port))
}

fn refused(message: String) -> AppError {
    AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "outbound_refused",
        message,
    )
}

/// Resolves `url`'s host and checks every address (422 `outbound_refused`
/// naming the host and the rule otherwise).
pub async fn checked_addrs(
    policy: &OutboundPolicy,
    url: &str,
) -> Result<(String, Vec<SocketAddr>), AppError> {
    let (host, port) = host_port(url)?;
    let lookup = tokio::net::lookup_host((host.as_str(), port));
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(TIMEOUT, lookup).await {
        Ok(Ok(a)) => a.collect(),
        Ok(Err(_)) | Err(_) => Vec::new(),
    };
    let ips: Vec<_> = addrs.iter().map(|a| a.ip()).collect();
    policy
        .check(&host, &ips)
        .map_err(|e| refused(e.to_string()))?;
    Ok((host, addrs))
}

/// A client that reaches `url`'s host only at the checked addresses.
pub async fn client_for(policy: &OutboundPolicy, url: &str) -> Result<reqwest::Client, AppError> {
    let (host, addrs) = checked_addrs(policy, url).await?;
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(&host, &addrs)
        .build()
        .map_err(|e| AppError::internal(format!("building the outbound client: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_ports_are_read_from_urls() {
        assert_eq!(
            host_port("https://pbx.example.com/dial").unwrap(),
            ("pbx.example.com".into(), 443)
        );
        assert_eq!(
            host_port("http://10.0.0.5:8088/x?y").unwrap(),
            ("10.0.0.5".into(), 8088)
        );
        assert_eq!(
            host_port("http://[::1]:9000/").unwrap(),
            ("::1".into(), 9000)
        );
        assert_eq!(host_port("http://user:pw@h:81").unwrap(), ("h".into(), 81));
        assert!(host_port("ftp://h/").is_err());
        assert!(host_port("http:///x").is_err());
        assert!(host_port("http://h:port/").is_err());
    }

    #[tokio::test]
    async fn a_hosted_service_does_not_post_to_loopback_r_x8() {
        let hosted = OutboundPolicy::parse::<&str>(&[], true).unwrap();
        let e = checked_addrs(&hosted, "http://127.0.0.1:9/x")
            .await
            .unwrap_err();
        assert_eq!(e.code, "outbound_refused");
        assert!(e.message.contains("127.0.0.1"), "{}", e.message);
        assert!(
            checked_addrs(&OutboundPolicy::default(), "http://127.0.0.1:9/x")
                .await
                .is_ok()
        );
    }
}
