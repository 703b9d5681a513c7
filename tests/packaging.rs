//! Release packaging: `scripts/package.sh` (the command a release runs) turns cargo's binary into the registry's
//! artifacts; a packed filesystem mirror made of them satisfies an offline `terraform init`, and the lock file
//! Terraform writes holds the `h1:` hash we compute ourselves from the package contents, the same hash
//! `terraform providers lock -fs-mirror` records. The test packages cargo's debug binary (a release build is too
//! slow for CI) through the same script.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{PROVIDER_BINARY, REQUIRED_PROVIDERS, VERSION, Workdir};

const NAME: &str = "terraform-provider-modelrouter";

fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

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

// --- SHA-256 and base64, written out so the expected hash does not come from the code under test -------------

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        digest[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    digest
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `dirhash.Hash1` over a package's files (path, contents), as Terraform records it in the lock file.
fn h1(files: &[(&str, &[u8])]) -> String {
    let mut sorted = files.to_vec();
    sorted.sort_by_key(|(path, _)| *path);
    let summary: String = sorted.iter().map(|(path, data)| format!("{}  {path}\n", hex(&sha256(data)))).collect();
    format!("h1:{}", base64(&sha256(summary.as_bytes())))
}

#[test]
fn hash_helpers_match_known_vectors() {
    assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    let long = vec![b'a'; 1000];
    assert_eq!(hex(&sha256(&long)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64(b"fooba"), "Zm9vYmE=");
    assert_eq!(base64(b"foob"), "Zm9vYg==");
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
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = \
             [\"registry.terraform.io/modelrouter/modelrouter\"]\n  }}\n  direct {{\n    exclude = \
             [\"registry.terraform.io/modelrouter/modelrouter\"]\n  }}\n}}\n",
            mirror.path().display()
        ),
    )
    .expect("CLI config");

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
