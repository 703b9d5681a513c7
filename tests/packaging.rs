//! Release packaging: `scripts/package.sh` (the command a release runs) turns cargo's binary into the registry's
//! artifacts; a packed filesystem mirror made of them satisfies an offline `terraform init`, and the lock file
//! Terraform writes holds the `h1:` hash we compute ourselves from the package contents, the same hash
//! `terraform providers lock -fs-mirror` records. The test packages cargo's debug binary (a release build is too
//! slow for CI) through the same script.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{PROVIDER_BINARY, REQUIRED_PROVIDERS, VERSION, Workdir, platform};

const NAME: &str = "terraform-provider-modelrouter";

struct Artifacts {
    dir: tempfile::TempDir,
    zip: PathBuf,
}

/// Runs the release packaging script on the binary cargo built for these tests.
fn package() -> Artifacts {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package.sh");
    let out = Command::new(&script)
        .args(["--binary", PROVIDER_BINARY, "--out"])
        .arg(dir.path())
        .output()
        .expect("run scripts/package.sh");
    assert!(out.status.success(), "package.sh failed: {}", String::from_utf8_lossy(&out.stderr));
    let zip = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Artifacts { dir, zip }
}

// --- Hashes: computed here with the sha2 and base64 crates, independently of the packaging script -----------

fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Go's `dirhash.Hash1` over a package's files (path, contents), as Terraform records it in the lock file.
fn h1(files: &[(&str, &[u8])]) -> String {
    let mut sorted = files.to_vec();
    sorted.sort_by_key(|(path, _)| *path);
    let summary: String = sorted.iter().map(|(path, data)| format!("{}  {path}\n", hex(&sha256(data)))).collect();
    format!("h1:{}", base64(&sha256(summary.as_bytes())))
}

/// One packaging run (a few seconds for a debug binary), checked as artifacts and then as a packed mirror.
#[test]
fn release_artifacts_install_from_a_packed_mirror_offline() {
    let artifacts = package();
    package_writes_the_registry_artifacts(&artifacts);
    packed_mirror_satisfies_an_offline_init_with_a_matching_lock_file(&artifacts);
}

fn package_writes_the_registry_artifacts(artifacts: &Artifacts) {
    let expected_zip = format!("{NAME}_{VERSION}_{}.zip", platform());
    assert_eq!(artifacts.zip.file_name().and_then(|n| n.to_str()), Some(expected_zip.as_str()));
    let manifest_name = format!("{NAME}_{VERSION}_manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(artifacts.dir.path().join(&manifest_name)).expect("manifest"))
            .expect("manifest is JSON");
    assert_eq!(manifest, serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}}));

    let sums =
        std::fs::read_to_string(artifacts.dir.path().join(format!("{NAME}_{VERSION}_SHA256SUMS"))).expect("sums");
    let mut listed: Vec<(String, String)> = sums
        .lines()
        .map(|line| {
            let (digest, file) = line.split_once("  ").expect("`<sha256>  <file>` lines");
            (file.to_owned(), digest.to_owned())
        })
        .collect();
    listed.sort();
    assert_eq!(listed.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), [expected_zip.as_str(), &manifest_name]);
    for (file, digest) in &listed {
        let data = std::fs::read(artifacts.dir.path().join(file)).expect("artifact");
        assert_eq!(&hex(&sha256(&data)), digest, "SHA256SUMS entry of {file}");
    }
}

fn packed_mirror_satisfies_an_offline_init_with_a_matching_lock_file(artifacts: &Artifacts) {
    let mirror = tempfile::tempdir().expect("mirror dir");
    let package_dir = mirror.path().join("registry.terraform.io/modelrouter/modelrouter");
    std::fs::create_dir_all(&package_dir).expect("mirror layout");
    let zip_name = artifacts.zip.file_name().expect("zip name");
    std::fs::copy(&artifacts.zip, package_dir.join(zip_name)).expect("copy the zip into the mirror");
    let cli_config = mirror.path().join("terraformrc");
    std::fs::write(&cli_config, support::mirror_cli_config(mirror.path())).expect("CLI config");

    // The hash of the package contents: one executable, the binary cargo built.
    let binary = std::fs::read(PROVIDER_BINARY).expect("provider binary");
    let executable = format!("{NAME}_v{VERSION}");
    let expected = h1(&[(executable.as_str(), &binary)]);

    let mut wd = Workdir::new(REQUIRED_PROVIDERS);
    wd.set_env("TF_CLI_CONFIG_FILE", cli_config.to_str().expect("utf-8 path"));
    let init = wd.init();
    assert!(
        init.text().contains(&format!("Installed modelrouter/modelrouter v{VERSION} (unauthenticated)")),
        "{init:?}"
    );
    let installed = wd
        .path()
        .join(".terraform/providers/registry.terraform.io/modelrouter/modelrouter")
        .join(VERSION)
        .join(platform())
        .join(&executable);
    assert_eq!(std::fs::read(&installed).expect("extracted executable"), binary, "the zip holds the binary");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&installed).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "the extracted provider is executable: {mode:o}");

    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("lock file");
    assert!(lock.contains("provider \"registry.terraform.io/modelrouter/modelrouter\""), "{lock}");
    assert!(lock.contains(&format!("version = \"{VERSION}\"")), "{lock}");
    assert_eq!(lock_hashes(&lock), std::slice::from_ref(&expected), "the lock file's hashes:\n{lock}");

    // The provider really runs from the packed mirror.
    wd.ok(&["validate", "-no-color"]);

    // `terraform providers lock -fs-mirror` computes the same hash from the mirror.
    let mut locked = Workdir::new(REQUIRED_PROVIDERS);
    locked.set_env("TF_CLI_CONFIG_FILE", cli_config.to_str().expect("utf-8 path"));
    let fs_mirror = format!("-fs-mirror={}", mirror.path().display());
    let platform_arg = format!("-platform={}", platform());
    locked.ok(&["providers", "lock", "-no-color", &fs_mirror, &platform_arg]);
    let from_lock_command =
        std::fs::read_to_string(locked.path().join(".terraform.lock.hcl")).expect("lock file from providers lock");
    assert_eq!(lock_hashes(&from_lock_command), [expected], "{from_lock_command}");
}

/// The quoted entries of the `hashes = [...]` list of a lock file with one provider.
fn lock_hashes(lock: &str) -> Vec<String> {
    let start = lock.find("hashes = [").expect("a hashes list") + "hashes = [".len();
    let end = lock[start..].find(']').expect("end of the hashes list") + start;
    lock[start..end].split(',').map(|h| h.trim().trim_matches('"').to_owned()).filter(|h| !h.is_empty()).collect()
}

// --- Signing: the release signs SHA256SUMS (scripts/release-sums.sh --sign), the registry verifies it ---------

/// A throwaway GnuPG home with one freshly generated signing key; its agent is stopped on drop.
struct Keyring {
    home: tempfile::TempDir,
    fingerprint: String,
}

impl Keyring {
    /// `passphrase`: None for a key without one (as the brief for CI asks), Some for one like a real release key.
    fn generate(passphrase: Option<&str>) -> Keyring {
        let home = tempfile::Builder::new().prefix("gpg").tempdir_in("/tmp").expect("GNUPGHOME"); // short: agent socket path
        let mut keyring = Keyring { home, fingerprint: String::new() };
        let mut args = vec!["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase.unwrap_or("")];
        args.extend([
            "--quick-generate-key",
            "Release Test <release-test@example.invalid>",
            "ed25519",
            "sign",
            "never",
        ]);
        keyring.gpg(&args);
        let listing = keyring.gpg(&["--batch", "--with-colons", "--list-secret-keys"]);
        let fingerprint = listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:").map(|rest| rest.trim_matches(':').to_owned()))
            .expect("the generated key's fingerprint");
        // A fresh agent: the passphrase used at generation must not be cached for the signing under test.
        let _ = keyring.command("gpgconf").args(["--kill", "gpg-agent"]).status();
        keyring.fingerprint = fingerprint;
        keyring
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("GNUPGHOME", self.home.path()).env_remove("GPG_PASSPHRASE");
        command
    }

    /// Runs gpg, which must succeed; returns its stdout.
    fn gpg(&self, args: &[&str]) -> String {
        let out = self
            .command("gpg")
            .args(args)
            .output()
            .expect("run gpg: it is not installed (.ci/run installs the distribution's gnupg package)");
        assert!(out.status.success(), "gpg {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `gpg --verify`: Ok(status lines) when the signature is good, Err(status lines) otherwise.
    fn verify(&self, signature: &Path, data: &Path) -> Result<String, String> {
        let out = self
            .command("gpg")
            .args(["--batch", "--status-fd", "1", "--verify"])
            .arg(signature)
            .arg(data)
            .output()
            .expect("run gpg --verify");
        let status = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() { Ok(status) } else { Err(status) }
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.command("gpgconf").args(["--kill", "gpg-agent"]).status();
    }
}

/// scripts/release-sums.sh over a directory of zips, as the release's publish job runs it.
fn release_sums(dir: &Path, keyring: &Keyring, passphrase: Option<&str>) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/release-sums.sh");
    let mut command = keyring.command(script.to_str().expect("utf-8 path"));
    command.arg(dir).args(["--sign", &keyring.fingerprint]);
    if let Some(passphrase) = passphrase {
        command.env("GPG_PASSPHRASE", passphrase);
    }
    command.output().expect("run scripts/release-sums.sh")
}

/// Two platforms' zips (stand-ins: the signature is over the checksums, not the binaries) and an unrelated file.
fn release_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("release dir");
    for platform in ["linux_amd64", "windows_arm64"] {
        std::fs::write(dir.path().join(format!("{NAME}_{VERSION}_{platform}.zip")), platform).expect("zip");
    }
    std::fs::write(dir.path().join("notes.md"), "not an artifact").expect("other file");
    dir
}

#[test]
fn release_checksums_are_signed_with_the_release_key_and_verify() {
    let keyring = Keyring::generate(None);
    let dir = release_dir();
    let out = release_sums(dir.path(), &keyring, None);
    assert!(out.status.success(), "release-sums.sh failed: {}", String::from_utf8_lossy(&out.stderr));

    // SHA256SUMS covers every zip and the manifest, which is the repository's registry manifest.
    let sums_path = dir.path().join(format!("{NAME}_{VERSION}_SHA256SUMS"));
    let sums = std::fs::read_to_string(&sums_path).expect("SHA256SUMS");
    let mut files: Vec<&str> = sums.lines().map(|l| l.split_once("  ").expect("`<sha256>  <file>`").1).collect();
    files.sort();
    let manifest = format!("{NAME}_{VERSION}_manifest.json");
    let linux = format!("{NAME}_{VERSION}_linux_amd64.zip");
    let windows = format!("{NAME}_{VERSION}_windows_arm64.zip");
    assert_eq!(files, [linux.as_str(), &manifest, &windows]);
    let root_manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("terraform-registry-manifest.json");
    let root_manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root_manifest).expect("terraform-registry-manifest.json")).expect("JSON");
    assert_eq!(root_manifest, serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}}));
    let released: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(&manifest)).expect("manifest")).expect("JSON");
    assert_eq!(released, root_manifest);

    // A binary (not ASCII-armoured) detached signature by the release key, as the registry expects.
    let signature = dir.path().join(format!("{NAME}_{VERSION}_SHA256SUMS.sig"));
    let sig_bytes = std::fs::read(&signature).expect("SHA256SUMS.sig");
    assert!(!sig_bytes.starts_with(b"-----BEGIN"), "the signature is binary");
    let status = keyring.verify(&signature, &sums_path).unwrap_or_else(|status| panic!("bad signature:\n{status}"));
    assert!(status.contains(&format!("VALIDSIG {}", keyring.fingerprint)), "{status}");

    // Changing one checksum breaks it.
    let tampered = dir.path().join("tampered_SHA256SUMS");
    let mut changed = sums.clone().into_bytes();
    changed[0] = if changed[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&tampered, changed).expect("tampered copy");
    let status = keyring.verify(&signature, &tampered).expect_err("a tampered SHA256SUMS must not verify");
    assert!(status.contains("BADSIG"), "{status}");
}

#[test]
fn a_release_key_with_a_passphrase_signs_with_gpg_passphrase() {
    let keyring = Keyring::generate(Some("correct horse"));
    let dir = release_dir();
    let sums_path = dir.path().join(format!("{NAME}_{VERSION}_SHA256SUMS"));
    let signature = dir.path().join(format!("{NAME}_{VERSION}_SHA256SUMS.sig"));

    let wrong = release_sums(dir.path(), &keyring, Some("wrong"));
    assert!(!wrong.status.success(), "signed with a wrong passphrase");
    assert!(!signature.exists(), "no signature is left behind by a failed signing");

    let out = release_sums(dir.path(), &keyring, Some("correct horse"));
    assert!(out.status.success(), "release-sums.sh failed: {}", String::from_utf8_lossy(&out.stderr));
    let status = keyring.verify(&signature, &sums_path).unwrap_or_else(|status| panic!("bad signature:\n{status}"));
    assert!(status.contains(&format!("VALIDSIG {}", keyring.fingerprint)), "{status}");
}
