//! (a) Plugin start: time from exec to the handshake line, as Terraform starts a plugin (magic cookie,
//! protocol 5, a port range and, with AutoMTLS, its client certificate), plus the RSS at that moment.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BenchError;
use crate::rss::status_kib;
use crate::stats::median;

/// The cookie every Terraform plugin checks (go-plugin's HandshakeConfig for Terraform providers).
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A client certificate like the one Terraform generates per run for AutoMTLS: self-signed ECDSA P-521, CA=true.
pub fn terraform_style_client_cert() -> Result<String, BenchError> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)?;
    Ok(tf_provider::server::tls::go_plugin_certificate_params()?.self_signed(&key)?.pem())
}

/// One plugin start measured `runs` times.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StartTimes {
    pub binary: PathBuf,
    pub client_cert: bool,
    pub runs: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// Median RSS right after the handshake line.
    pub rss_at_handshake_kib: u64,
}

/// Starts the plugin `runs` times (after one unmeasured warm-up start that fills the page cache).
pub fn measure(binary: &Path, client_cert: Option<&str>, runs: usize) -> Result<StartTimes, BenchError> {
    start_once(binary, client_cert)?;
    let mut times = Vec::with_capacity(runs);
    let mut rss = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (elapsed, kib) = start_once(binary, client_cert)?;
        times.push(elapsed);
        rss.push(kib);
    }
    rss.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(StartTimes {
        binary: binary.to_path_buf(),
        client_cert: client_cert.is_some(),
        runs,
        median_ms: ms(median(&times)),
        min_ms: times.iter().min().copied().map(ms).unwrap_or_default(),
        max_ms: times.iter().max().copied().map(ms).unwrap_or_default(),
        rss_at_handshake_kib: rss.get(rss.len() / 2).copied().unwrap_or_default(),
    })
}

/// Exec to the first stdout line; then the RSS, then the process is killed (Terraform would call Shutdown).
fn start_once(binary: &Path, client_cert: Option<&str>) -> Result<(Duration, u64), BenchError> {
    let mut command = Command::new(binary);
    command
        .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert {
        command.env("PLUGIN_CLIENT_CERT", pem);
    }
    let started = Instant::now();
    let mut child = command.spawn().map_err(BenchError::io(format!("start {}", binary.display())))?;
    let mut line = String::new();
    let read = match child.stdout.take() {
        Some(stdout) => BufReader::new(stdout).read_line(&mut line),
        None => Ok(0),
    };
    let elapsed = started.elapsed();
    let rss = status_kib(child.id(), "VmRSS:").unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    match read {
        Ok(n) if n > 0 && line.split('|').count() >= 5 => Ok((elapsed, rss)),
        Ok(_) => Err(BenchError::Handshake { binary: binary.to_path_buf(), detail: format!("got {line:?}") }),
        Err(e) => Err(BenchError::Handshake { binary: binary.to_path_buf(), detail: e.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_cert_is_a_pem_certificate() {
        let pem = terraform_style_client_cert().expect("generate");
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    }
}
