//! The go-plugin handshake: what the environment Terraform sets must look like, and the one stdout line
//! the plugin answers with (`CORE|APP|NETWORK|ADDR|PROTOCOL|CERT`).

use std::net::SocketAddr;
use std::ops::RangeInclusive;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use tokio::net::TcpListener;

/// Name and value of the cookie Terraform sets so a plugin can tell it was started by Terraform.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's core protocol version (always 1).
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol major version this crate speaks.
pub const APP_PROTOCOL_VERSION: u32 = 5;

/// Default port range when `PLUGIN_MIN_PORT`/`PLUGIN_MAX_PORT` are unset (go-plugin's defaults).
pub const DEFAULT_PORT_RANGE: RangeInclusive<u16> = 10000..=25000;

/// Why the environment does not allow serving.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    #[error("this binary is a Terraform provider plugin and must be started by Terraform")]
    NotStartedByTerraform,
    #[error(
        "Terraform asked for plugin protocol versions {offered:?}, but this provider only speaks version \
         {APP_PROTOCOL_VERSION}; use a Terraform release that supports protocol 5 (0.12 or newer)"
    )]
    UnsupportedProtocol { offered: String },
    #[error("invalid {name}={value:?}: expected a port number")]
    InvalidPort { name: &'static str, value: String },
    #[error("invalid port range {min}..{max}")]
    EmptyPortRange { min: u16, max: u16 },
    #[error("no free port on 127.0.0.1 in {min}..{max}")]
    NoFreePort { min: u16, max: u16 },
}

/// True when the magic cookie is present and right.
pub fn cookie_is_valid(get: impl Fn(&str) -> Option<String>) -> bool {
    get(MAGIC_COOKIE_KEY).as_deref() == Some(MAGIC_COOKIE_VALUE)
}

/// The explanation printed on stderr when someone runs the binary by hand.
pub fn not_a_plugin_explanation(provider_name: &str) -> String {
    format!(
        "This binary is the Terraform provider \"{provider_name}\", a plugin that Terraform starts itself; it is \
         not meant to be run directly (the {MAGIC_COOKIE_KEY} handshake variable is missing or wrong). To use it, \
         install it where Terraform looks for providers, for example a filesystem mirror \
         (~/.terraform.d/plugins/HOSTNAME/NAMESPACE/{provider_name}/VERSION/OS_ARCH/terraform-provider-{provider_name}) \
         or a dev_overrides entry in a CLI configuration file named by TF_CLI_CONFIG_FILE, reference it in a \
         required_providers block, and run terraform init / plan / apply."
    )
}

/// Checks that `PLUGIN_PROTOCOL_VERSIONS` (comma-separated, any order) includes 5. An unset variable is
/// accepted: old clients did not send it and assumed the plugin's version.
pub fn negotiate_protocol(get: impl Fn(&str) -> Option<String>) -> Result<u32, HandshakeError> {
    let Some(offered) = get("PLUGIN_PROTOCOL_VERSIONS").filter(|v| !v.trim().is_empty()) else {
        return Ok(APP_PROTOCOL_VERSION);
    };
    let speaks_ours = offered.split(',').any(|v| v.trim().parse::<u32>() == Ok(APP_PROTOCOL_VERSION));
    if speaks_ours { Ok(APP_PROTOCOL_VERSION) } else { Err(HandshakeError::UnsupportedProtocol { offered }) }
}

/// The port range from `PLUGIN_MIN_PORT`/`PLUGIN_MAX_PORT`, defaulting each end separately.
pub fn port_range(get: impl Fn(&str) -> Option<String>) -> Result<RangeInclusive<u16>, HandshakeError> {
    let read = |name: &'static str, default: u16| -> Result<u16, HandshakeError> {
        match get(name).filter(|v| !v.trim().is_empty()) {
            None => Ok(default),
            Some(value) => value.trim().parse().map_err(|_| HandshakeError::InvalidPort { name, value }),
        }
    };
    let min = read("PLUGIN_MIN_PORT", *DEFAULT_PORT_RANGE.start())?;
    let max = read("PLUGIN_MAX_PORT", *DEFAULT_PORT_RANGE.end())?;
    if min > max || min == 0 {
        return Err(HandshakeError::EmptyPortRange { min, max });
    }
    Ok(min..=max)
}

/// Binds the first free port of the range on 127.0.0.1, like go-plugin does.
pub async fn bind_in_range(range: RangeInclusive<u16>) -> Result<TcpListener, HandshakeError> {
    let (min, max) = (*range.start(), *range.end());
    for port in range {
        if let Ok(listener) = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await {
            return Ok(listener);
        }
    }
    Err(HandshakeError::NoFreePort { min, max })
}

/// The handshake line (without newline). `server_cert_der` is the TLS certificate, if TLS is used.
pub fn handshake_line(addr: SocketAddr, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der.map(|der| STANDARD_NO_PAD.encode(der)).unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn cookie_must_match_exactly() {
        assert!(cookie_is_valid(env(&[(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)])));
        assert!(!cookie_is_valid(env(&[])));
        assert!(!cookie_is_valid(env(&[(MAGIC_COOKIE_KEY, "nope")])));
        let text = not_a_plugin_explanation("modelrouter");
        assert!(text.contains("Terraform") && text.contains("terraform init") && !text.contains('\n'));
    }

    #[test]
    fn protocol_negotiation() {
        assert_eq!(negotiate_protocol(env(&[("PLUGIN_PROTOCOL_VERSIONS", "6,5")])), Ok(5));
        assert_eq!(negotiate_protocol(env(&[("PLUGIN_PROTOCOL_VERSIONS", " 5 ")])), Ok(5));
        assert_eq!(negotiate_protocol(env(&[])), Ok(5));
        let err = negotiate_protocol(env(&[("PLUGIN_PROTOCOL_VERSIONS", "6")])).unwrap_err();
        assert!(err.to_string().contains("only speaks version 5"), "{err}");
    }

    #[test]
    fn port_range_defaults_and_validation() {
        assert_eq!(port_range(env(&[])), Ok(10000..=25000));
        assert_eq!(port_range(env(&[("PLUGIN_MIN_PORT", "2000"), ("PLUGIN_MAX_PORT", "2010")])), Ok(2000..=2010));
        assert!(port_range(env(&[("PLUGIN_MIN_PORT", "x")])).is_err());
        assert!(port_range(env(&[("PLUGIN_MIN_PORT", "3000"), ("PLUGIN_MAX_PORT", "2000")])).is_err());
    }

    #[test]
    fn handshake_line_format() {
        let addr: SocketAddr = "127.0.0.1:10001".parse().unwrap();
        assert_eq!(handshake_line(addr, None), "1|5|tcp|127.0.0.1:10001|grpc|");
        // base64 without padding: 4 bytes -> 6 characters.
        assert_eq!(handshake_line(addr, Some(&[1, 2, 3, 4])), "1|5|tcp|127.0.0.1:10001|grpc|AQIDBA");
    }

    #[tokio::test]
    async fn binds_next_free_port() {
        let first = bind_in_range(20000..=65000).await.unwrap();
        let taken = first.local_addr().unwrap().port();
        let second = bind_in_range(taken..=taken.saturating_add(50)).await.unwrap();
        assert_ne!(second.local_addr().unwrap().port(), taken);
    }
}
