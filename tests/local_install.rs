//! `scripts/install-local.sh`, as the README's local-install section uses it: after a rebuild, a directory that was
//! initialised with the previous build initialises again without `-upgrade`, because the script adds the new
//! build's checksum to its lock file.

mod support;

use std::path::Path;
use std::process::Command;

use support::{PROVIDER_BINARY, REQUIRED_PROVIDERS, Workdir};

/// Runs the script with `binary` as the build and `local` as its `.local`; returns the CLI config it wrote.
fn install(binary: &Path, local: &Path, dirs: &[&Path]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install-local.sh");
    let out = Command::new(script)
        .args(dirs)
        .env("MODELROUTER_PROVIDER_BINARY", binary)
        .env("MODELROUTER_LOCAL_DIR", local)
        .output()
        .expect("run scripts/install-local.sh");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "install-local.sh failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let config = stdout.lines().last().expect("the CLI config path").to_owned();
    assert_eq!(Path::new(&config), local.join("terraformrc"));
    format!("{stderr}{stdout}")
}

#[test]
fn a_rebuild_initialises_again_without_upgrade() {
    let local = tempfile::tempdir().expect("temp .local");
    let first = local.path().join("build-1");
    std::fs::copy(PROVIDER_BINARY, &first).expect("copy the provider");
    install(&first, local.path(), &[]);

    let mut wd = Workdir::new(REQUIRED_PROVIDERS);
    wd.set_env("TF_CLI_CONFIG_FILE", local.path().join("terraformrc").to_str().expect("utf-8 path"));
    wd.init();
    let recorded = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("a lock file");

    // A rebuild: another binary (the same program with bytes appended, so its checksum differs).
    let second = local.path().join("build-2");
    let mut bytes = std::fs::read(PROVIDER_BINARY).expect("read the provider");
    bytes.extend_from_slice(b"another build");
    std::fs::write(&second, bytes).expect("write the rebuilt provider");
    std::fs::set_permissions(&second, std::fs::metadata(PROVIDER_BINARY).expect("metadata").permissions())
        .expect("executable");

    // Without the directory, its lock file keeps only the old checksum and init refuses the new build.
    install(&second, local.path(), &[]);
    let refused = wd.run(&["init", "-no-color", "-input=false"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.text().contains("doesn't match any of the checksums"), "{refused:?}");

    // Named, its lock file gains the new checksum: a plain init accepts the new build, and it runs.
    let said = install(&second, local.path(), &[wd.path()]);
    assert!(said.contains("this build's checksum added"), "{said}");
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("a lock file");
    assert_ne!(lock, recorded, "the lock file was updated");
    wd.init();
    wd.ok(&["validate", "-no-color"]);
}
