//! The ARM emulator, in this process on its own small runtime, for terraform's provider to talk to.

use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, FaultRule, RecordedRequest, Settings};

use crate::config::TOKEN;
use crate::error::BenchError;

pub struct BenchEmulator {
    emulator: Emulator,
    _runtime: tokio::runtime::Runtime,
}

impl BenchEmulator {
    /// Serves `accounts`; `operation_delay_ms` is how long each PUT/DELETE runs (0 = zero latency).
    pub fn start(accounts: &[String], operation_delay_ms: u64) -> Result<BenchEmulator, BenchError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("emulator")
            .enable_all()
            .build()
            .map_err(BenchError::io("tokio runtime for the emulator"))?;
        let options = EmulatorOptions {
            accounts: accounts.iter().map(AccountSpec::new).collect(),
            static_token: Some(TOKEN.to_owned()),
            settings: Settings { operation_delay_ms, ..Settings::default() },
            ..Default::default()
        };
        let emulator = runtime.block_on(Emulator::start(options))?;
        Ok(BenchEmulator { emulator, _runtime: runtime })
    }

    pub fn base_url(&self) -> String {
        self.emulator.base_url()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.emulator.requests()
    }

    pub fn clear_requests(&self) {
        self.emulator.clear_requests();
    }

    /// Arms a fault rule (e.g. a delay on every request).
    pub fn inject(&self, rule: FaultRule) {
        self.emulator.inject(rule);
    }

    /// Deletes every deployment (and the log), keeping the accounts and the start settings.
    pub fn reset(&self) {
        self.emulator.reset();
    }
}
