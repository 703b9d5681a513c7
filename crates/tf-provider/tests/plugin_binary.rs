//! The real plugin process (examples/fake_provider): cookie check, handshake line, AutoMTLS with a
//! Terraform-style client certificate (ECDSA P-521, CA=true), Shutdown.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tf_provider::proto::plugin::Empty;
use tf_provider::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::proto::tfplugin5::provider_client::ProviderClient;
use tf_provider::server::handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use tonic::transport::{Channel, Endpoint};

fn plugin_binary() -> PathBuf {
    // target/debug/deps/<this test> -> target/debug/examples/fake_provider
    let exe = std::env::current_exe().unwrap();
    let debug_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = debug_dir.join("examples").join("fake_provider");
    assert!(path.exists(), "build the example first (cargo test builds it): {}", path.display());
    path
}

fn base_command() -> Command {
    let mut command = Command::new(plugin_binary());
    command
        .env_remove(MAGIC_COOKIE_KEY)
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .env_remove("PLUGIN_MIN_PORT")
        .env_remove("PLUGIN_MAX_PORT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn run_by_hand_explains_and_exits_1() {
    let out = base_command().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Terraform provider \"fake\"") && stderr.contains("terraform init"), "{stderr}");
}

#[test]
fn unsupported_protocol_version_is_refused() {
    let out =
        base_command().env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE).env("PLUGIN_PROTOCOL_VERSIONS", "6").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only speaks version 5"));
}

/// A go-plugin-style client certificate: ECDSA P-521, self-signed, CA=true.
struct ClientIdentity {
    pem: String,
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

fn terraform_like_client_cert() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let cert = tf_provider::server::tls::go_plugin_certificate_params().unwrap().self_signed(&key).unwrap();
    ClientIdentity { pem: cert.pem(), cert: cert.der().clone(), key: PrivatePkcs8KeyDer::from(key.serialize_der()) }
}

/// Trusts exactly the server certificate from the handshake line, as go-plugin's client does.
#[derive(Debug)]
struct PinnedServer {
    cert: CertificateDer<'static>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        assert_eq!(server_name.to_str(), "localhost");
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

struct Plugin {
    child: Child,
    addr: SocketAddr,
    server_cert: CertificateDer<'static>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client_pem: &str) -> Plugin {
    let mut child = base_command()
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_pem)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let parts: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line: {line:?}");
    assert_eq!(&parts[..3], ["1", "5", "tcp"]);
    assert_eq!(parts[4], "grpc");
    assert!(!parts[5].ends_with('='), "no base64 padding");
    let addr: SocketAddr = parts[3].parse().unwrap();
    assert!(addr.ip().is_loopback() && (10000..=25000).contains(&addr.port()));
    let der = base64::engine::general_purpose::STANDARD_NO_PAD.decode(parts[5]).unwrap();
    Plugin { child, addr, server_cert: CertificateDer::from(der) }
}

async fn connect(plugin: &Plugin, client: Option<&ClientIdentity>) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer { cert: plugin.server_cert.clone(), provider }));
    let mut config = match client {
        Some(id) => {
            builder.with_client_auth_cert(vec![id.cert.clone()], PrivateKeyDer::Pkcs8(id.key.clone_key())).unwrap()
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let addr = plugin.addr;
    Endpoint::from_static("http://unused")
        .connect_with_connector(tower::service_fn(move |_uri| {
            let connector = connector.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(addr).await?;
                let tls = connector.connect(ServerName::try_from("localhost").unwrap(), tcp).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
}

/// Under TLS 1.3 the server judges the client certificate after the client considers the handshake done,
/// so the client sees the server's alert (`AccessDenied`, `CertificateRequired`), a closed connection or a
/// broken pipe, depending on timing. What matters: the call fails in the transport, no gRPC answer arrives.
fn refused_by_tls(error: &str) -> bool {
    error.contains("tonic::transport::Error(Transport")
}

async fn get_schema(channel: Channel) -> Result<pb::get_provider_schema::Response, tonic::Status> {
    ProviderClient::new(channel).get_schema(pb::get_provider_schema::Request {}).await.map(|r| r.into_inner())
}

#[tokio::test]
async fn automtls_accepts_terraforms_certificate_and_shuts_down() {
    let identity = terraform_like_client_cert();
    let mut plugin = start_plugin(&identity.pem);
    let channel = connect(&plugin, Some(&identity)).await.expect("TLS connection with the pinned cert");
    let schema = get_schema(channel.clone()).await.expect("GetSchema over mutual TLS");
    assert!(schema.resource_schemas.contains_key("fake_thing"));

    GrpcControllerClient::new(channel.clone()).shutdown(Empty {}).await.unwrap();
    drop(channel);
    let started = Instant::now();
    loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(2), "plugin did not exit within 2 s of Shutdown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn automtls_refuses_another_certificate() {
    let expected = terraform_like_client_cert();
    let intruder = terraform_like_client_cert();
    let plugin = start_plugin(&expected.pem);
    let outcome = match connect(&plugin, Some(&intruder)).await {
        Ok(channel) => get_schema(channel).await.map(|_| ()).map_err(|e| e.to_string()),
        Err(e) => Err(format!("{e:?}")),
    };
    let error = outcome.expect_err("a different P-521 certificate must be refused");
    assert!(refused_by_tls(&error), "refused by the TLS handshake: {error}");
}

#[tokio::test]
async fn automtls_refuses_no_certificate() {
    let expected = terraform_like_client_cert();
    let plugin = start_plugin(&expected.pem);
    let outcome = match connect(&plugin, None).await {
        Ok(channel) => get_schema(channel).await.map(|_| ()).map_err(|e| e.to_string()),
        Err(e) => Err(format!("{e:?}")),
    };
    let error = outcome.expect_err("a client without a certificate must be refused");
    assert!(refused_by_tls(&error), "refused by the TLS handshake: {error}");
}

/// True while the process exists and has not exited (a zombie counts as exited).
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            // "pid (comm) STATE ...": the state follows the last ')'.
            let state = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next());
            !matches!(state, Some("Z") | Some("X"))
        }
        Err(_) => false,
    }
}

#[cfg(target_os = "linux")]
#[test]
fn exits_when_terraform_disappears() {
    // A shell stands in for Terraform: it starts the plugin in the background, lets it start up and
    // exits without calling Shutdown (what a killed Terraform does).
    let script = format!("'{}' & echo $!; sleep 0.5", plugin_binary().display());
    let mut shell = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(shell.stdout.take().unwrap()).lines();
    let pid: u32 = lines.next().unwrap().unwrap().trim().parse().unwrap();
    let handshake = lines.next().unwrap().unwrap();
    assert!(handshake.starts_with("1|5|tcp|127.0.0.1:"), "{handshake}");
    assert!(shell.wait().unwrap().success());
    let started = Instant::now();
    while process_alive(pid) {
        if started.elapsed() > Duration::from_secs(5) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("orphaned plugin {pid} kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
