//! Where the server may send a request it is told to send (webhook targets). An agency admin
//! names the URL, but the request leaves from inside the server's network: a URL that
//! reaches loopback, a private network, a link-local or metadata address or the like would
//! let it probe and poke internal services. Such targets are refused when registered and
//! again when connecting — the check runs on the addresses the connection then actually
//! uses, so a name that resolved to a public address at registration and to an internal
//! one later (DNS rebinding) is refused too.
use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::{Arc, LazyLock},
};

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// What the settings allow beyond public `https://` targets.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub allow_private: bool,
    pub allow_http: bool,
}

/// Networks no outside service lives on (RFC 6890 and the IANA special-purpose registries).
static INTERNAL: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        // Unspecified, loopback and the deprecated IPv4-compatible form (`::7f00:1`).
        "::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    ]
    .iter()
    .map(|n| n.parse().expect("a network"))
    .collect()
});

/// Whether `ip` is an address on the public internet. Addresses that embed an IPv4 address
/// (mapped, NAT64, 6to4) are judged by it.
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    !INTERNAL.iter().any(|net| net.contains(&ip))
}

fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = v6.to_ipv4_mapped() {
        Some(v4)
    } else if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        Some(tail())
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8))
    } else {
        None
    }
}

/// Why a target is refused, in words for the one registering it.
pub async fn check(url: &str, policy: Policy) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| crate::problem!("target-url-not-absolute"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        "http" => {
            return Err(crate::problem!("target-url-not-https-dev"));
        }
        _ => return Err(crate::problem!("target-url-not-https")),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(crate::problem!("target-url-credentials"));
    }
    let Some(host) = parsed.host_str() else { return Err(crate::problem!("target-url-no-host")) };
    if policy.allow_private {
        return Ok(());
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    // One answer for a name that does not resolve and one that resolves inward: telling them
    // apart would tell an admin which internal names exist.
    let refused = || crate::problem!("target-url-not-public");
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port)).await.map_err(|_| refused())?.collect(),
    };
    if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(refused());
    }
    Ok(())
}

/// The resolver of the client that sends to targets: only public addresses come out of it, so
/// a connection can only be made to one.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// A target that resolved to internal addresses only.
#[derive(Debug, thiserror::Error)]
#[error("the target resolves to an internal address")]
pub struct Refused;

/// A client for sending to targets under `policy`: no proxy from the environment (the request
/// must go where it was checked to go), no redirects (a public target could bounce it inward),
/// and unless private targets are allowed, only public addresses.
pub fn client(policy: Policy, timeout: std::time::Duration) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    let builder = if policy.allow_private { builder } else { builder.dns_resolver(Arc::new(PublicOnly)) };
    builder.build().expect("HTTP client")
}

/// Whether a URL names an internal address literally (a literal is never resolved, so the
/// resolver cannot refuse it).
pub fn literal_is_internal(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else { return false };
    // The URL parser has already normalised literals (`0x7f000001` is `127.0.0.1` by now).
    let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    host.parse::<IpAddr>().is_ok_and(|ip| !is_public(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: Policy = Policy { allow_private: false, allow_http: false };

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.5",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "::7f00:1",
            "fec0::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} counted as public");
        }
        for ip in ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} counted as internal");
        }
    }

    #[tokio::test]
    async fn loopback_private_and_metadata_targets_are_refused() {
        for url in [
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://0x7f000001/hook",
            "https://2130706433/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://localhost:9999/",
            "https://10.0.0.8/",
        ] {
            assert!(check(url, STRICT).await.is_err(), "{url} accepted");
        }
    }

    #[tokio::test]
    async fn plain_http_and_other_schemes_need_the_setting() {
        assert!(check("http://93.184.215.14/hook", STRICT).await.unwrap_err().contains("https"));
        assert!(check("ftp://93.184.215.14/hook", STRICT).await.is_err());
        assert!(check("https://user:pw@93.184.215.14/", STRICT).await.is_err());
        let dev = Policy { allow_private: true, allow_http: true };
        assert!(check("http://127.0.0.1:9999/hook", dev).await.is_ok());
    }

    #[test]
    fn literal_internal_addresses_are_recognised_in_urls() {
        assert!(literal_is_internal("https://127.0.0.1:8080/x"));
        assert!(literal_is_internal("https://[::ffff:10.0.0.1]/"));
        assert!(!literal_is_internal("https://93.184.215.14/"));
        assert!(!literal_is_internal("https://hooks.example.com/"));
    }
}
