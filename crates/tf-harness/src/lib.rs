//! Driving the real `terraform` binary against a provider built by cargo, for the acceptance tests (`tests/`) and
//! the benchmarks (`crates/bench`): one definition of the filesystem mirror that installs the provider, of the
//! working directory, and of the environment a terraform command runs with.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The provider's registry address, as `required_providers` names it (`source = "modelrouter/modelrouter"`).
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/modelrouter/modelrouter";

/// Variables a developer's shell may hold that would make a run depend on that shell: another CLI configuration,
/// logging, caches, extra arguments, and the azurerm credentials the provider would otherwise pick up. Every
/// `TF_CLI_ARGS*` variable is removed as well (it has one form per command).
pub const HOST_ENV_TO_CLEAR: &[&str] = &[
    "TF_CLI_CONFIG_FILE",
    "TF_LOG",
    "TF_LOG_CORE",
    "TF_LOG_PROVIDER",
    "TF_LOG_PATH",
    "TF_DISABLE_PLUGIN_TLS",
    "TF_PLUGIN_CACHE_DIR",
    "TF_DATA_DIR",
    "TF_WORKSPACE",
    "ARM_TENANT_ID",
    "ARM_CLIENT_ID",
    "ARM_CLIENT_SECRET",
    "ARM_USE_OIDC",
    "ARM_OIDC_TOKEN",
    "ARM_OIDC_TOKEN_FILE_PATH",
    "ARM_USE_MSI",
    "ARM_USE_CLI",
    "ARM_ACCESS_TOKEN",
    "ARM_ENVIRONMENT",
    "ARM_RESOURCE_MANAGER_ENDPOINT",
    "AZURE_FEDERATED_TOKEN_FILE",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
];

/// Go's name of this machine's architecture, as Terraform spells platforms.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// This machine's Terraform platform, e.g. `linux_amd64`.
pub fn platform() -> String {
    format!("{}_{}", std::env::consts::OS, go_arch())
}

/// A Terraform CLI configuration that installs the provider only from the filesystem mirror at `root` (packed or
/// unpacked layout) and never from a registry.
pub fn mirror_cli_config(root: &Path) -> String {
    mirror_cli_config_for(root, &[PROVIDER_ADDRESS])
}

/// A Terraform CLI configuration that installs each of `addresses` only from the filesystem mirror at `root`.
pub fn mirror_cli_config_for(root: &Path, addresses: &[&str]) -> String {
    let list = addresses.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{root}\"\n    include = \
         [{list}]\n  }}\n  direct {{\n    exclude = [{list}]\n  }}\n}}\n",
        root = root.display()
    )
}

/// A temporary filesystem mirror (unpacked layout) holding a link to the provider binary under test, and a CLI
/// configuration that installs only from it.
pub struct Mirror {
    dir: tempfile::TempDir,
    addresses: std::sync::Mutex<Vec<String>>,
}

impl Mirror {
    pub fn new(provider_binary: &Path, version: &str) -> io::Result<Mirror> {
        let mirror = Mirror { dir: tempfile::tempdir()?, addresses: std::sync::Mutex::new(Vec::new()) };
        mirror.add_provider(PROVIDER_ADDRESS, version, provider_binary)?;
        Ok(mirror)
    }

    /// Adds another provider (e.g. a stand-in for `registry.terraform.io/azure/azapi`) at `version`, linked to
    /// `binary` under the file name Terraform runs (`terraform-provider-<type>_v<version>`), and installs it only from
    /// this mirror from now on.
    pub fn add_provider(&self, address: &str, version: &str, binary: &Path) -> io::Result<()> {
        let provider_type = address.rsplit('/').next().unwrap_or(address);
        let package = self.dir.path().join(address).join(version).join(platform());
        std::fs::create_dir_all(&package)?;
        std::os::unix::fs::symlink(binary, package.join(format!("terraform-provider-{provider_type}_v{version}")))?;
        let mut addresses = self.addresses.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !addresses.iter().any(|a| a == address) {
            addresses.push(address.to_owned());
        }
        let addresses: Vec<&str> = addresses.iter().map(String::as_str).collect();
        std::fs::write(self.dir.path().join("terraformrc"), mirror_cli_config_for(self.dir.path(), &addresses))
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The file for `TF_CLI_CONFIG_FILE`.
    pub fn cli_config(&self) -> PathBuf {
        self.dir.path().join("terraformrc")
    }
}

/// A temporary Terraform working directory holding `main.tf`.
pub fn workdir(main_tf: &str) -> io::Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("main.tf"), main_tf)?;
    Ok(dir)
}

/// `terraform ARGS` in `dir`, installing providers per `cli_config`, non-interactive, with none of the host's
/// settings ([`HOST_ENV_TO_CLEAR`], `TF_CLI_ARGS*`). Callers add their own variables and stdio.
pub fn terraform(dir: &Path, cli_config: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("terraform");
    command.args(args).current_dir(dir);
    for key in HOST_ENV_TO_CLEAR {
        command.env_remove(key);
    }
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("TF_CLI_ARGS")) {
            command.env_remove(&key);
        }
    }
    command
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0");
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(command: &Command) -> Vec<(String, Option<String>)> {
        command
            .get_envs()
            .map(|(k, v)| (k.to_string_lossy().into_owned(), v.map(|v| v.to_string_lossy().into_owned())))
            .collect()
    }

    #[test]
    fn the_mirror_holds_the_provider_where_terraform_looks_and_a_config_that_uses_only_it() {
        let binary = tempfile::NamedTempFile::new().unwrap();
        let mirror = Mirror::new(binary.path(), "9.8.7").unwrap();
        let linked = mirror
            .path()
            .join("registry.terraform.io/modelrouter/modelrouter/9.8.7")
            .join(platform())
            .join("terraform-provider-modelrouter_v9.8.7");
        assert_eq!(std::fs::read_link(&linked).unwrap(), binary.path());
        let config = std::fs::read_to_string(mirror.cli_config()).unwrap();
        assert_eq!(config, mirror_cli_config(mirror.path()));
        assert!(config.contains(&format!("path    = \"{}\"", mirror.path().display())), "{config}");
        assert!(config.contains("exclude = [\"registry.terraform.io/modelrouter/modelrouter\"]"), "{config}");
    }

    #[test]
    fn added_providers_are_linked_under_their_plugin_name_and_installed_only_from_the_mirror() {
        let binary = tempfile::NamedTempFile::new().unwrap();
        let mirror = Mirror::new(binary.path(), "1.0.0").unwrap();
        mirror.add_provider("registry.terraform.io/azure/azapi", "2.5.0", binary.path()).unwrap();
        let linked = mirror
            .path()
            .join("registry.terraform.io/azure/azapi/2.5.0")
            .join(platform())
            .join("terraform-provider-azapi_v2.5.0");
        assert_eq!(std::fs::read_link(&linked).unwrap(), binary.path());
        let config = std::fs::read_to_string(mirror.cli_config()).unwrap();
        let both = "[\"registry.terraform.io/modelrouter/modelrouter\", \"registry.terraform.io/azure/azapi\"]";
        assert_eq!(config.matches(both).count(), 2, "include and exclude name both: {config}");
    }

    #[test]
    fn a_terraform_command_runs_in_its_directory_with_the_mirror_and_without_the_host_settings() {
        let dir = workdir("# empty\n").unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("main.tf")).unwrap(), "# empty\n");
        let command = terraform(dir.path(), Path::new("/mirror/terraformrc"), &["plan", "-no-color"]);
        assert_eq!(command.get_program(), "terraform");
        assert_eq!(command.get_args().collect::<Vec<_>>(), ["plan", "-no-color"]);
        assert_eq!(command.get_current_dir(), Some(dir.path()));
        let env = env_of(&command);
        assert!(env.contains(&("TF_CLI_CONFIG_FILE".into(), Some("/mirror/terraformrc".into()))), "{env:?}");
        assert!(env.contains(&("TF_IN_AUTOMATION".into(), Some("1".into()))), "{env:?}");
        for key in ["ARM_ACCESS_TOKEN", "TF_LOG", "TF_DATA_DIR"] {
            assert!(env.contains(&(key.into(), None)), "{key} is removed: {env:?}");
        }
    }

    #[test]
    fn platform_names_follow_go() {
        assert!(["amd64", "arm64"].contains(&go_arch()) || go_arch() == std::env::consts::ARCH);
        assert_eq!(platform(), format!("{}_{}", std::env::consts::OS, go_arch()));
    }
}
