//! Logs as hclog-shaped JSON lines on stderr, the format Terraform re-logs under `provider.<binary>`.
//!
//! Terraform parses each stderr line that is JSON: `@level`, `@message` and `@timestamp` (Go layout
//! `2006-01-02T15:04:05.000000Z07:00`, anything else makes the line plain text) plus any other key as a
//! field. stdout is reserved for the handshake line, so nothing here ever writes there.
//!
//! Level: `TF_LOG_PROVIDER`, else `TF_LOG`: `trace`/`debug`/`info`/`warn`/`error` (any case), `json` = trace,
//! `off` = nothing. **Unset or empty means off**: Terraform discards provider logs then anyway, so producing
//! them would only cost time. Any other non-empty value means trace, as Terraform itself treats it.

use std::fmt::Write as _;
use std::io::Write as _;

use serde_json::{Map, Value as J};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The log level selected by the environment (`None` = logging off).
pub fn level_from_env(get: impl Fn(&str) -> Option<String>) -> Option<Level> {
    let raw = get("TF_LOG_PROVIDER").filter(|v| !v.trim().is_empty()).or_else(|| get("TF_LOG"))?;
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "off" => None,
        "error" => Some(Level::ERROR),
        "warn" => Some(Level::WARN),
        "info" => Some(Level::INFO),
        "debug" => Some(Level::DEBUG),
        _ => Some(Level::TRACE), // "trace", "json" and anything Terraform would also read as trace
    }
}

/// Installs the stderr JSON logger with the level from the environment. Safe to call more than once
/// (later calls are no-ops).
pub fn init_from_env() {
    let level = level_from_env(|name| std::env::var(name).ok());
    let _ = tracing_subscriber::registry().with(HclogLayer.with_filter(filter_for(level))).try_init();
}

/// Transport crates whose debug output (every HTTP/2 frame, every TLS step) would drown the provider's own.
const NOISY_TRANSPORT_TARGETS: [&str; 8] =
    ["h2", "hyper", "hyper_util", "rustls", "tokio_rustls", "tonic", "tower", "tower_http"];

/// The selected level for everything, except transport crates which stay at WARN (INFO when tracing).
pub fn filter_for(level: Option<Level>) -> Targets {
    let Some(level) = level else {
        return Targets::new().with_default(LevelFilter::OFF);
    };
    // tracing orders levels by verbosity: ERROR < WARN < ... < TRACE. Never log more than chosen.
    let transport_cap = if level == Level::TRACE { Level::INFO } else { Level::WARN };
    let transport = LevelFilter::from_level(std::cmp::min(level, transport_cap));
    NOISY_TRANSPORT_TARGETS
        .iter()
        .fold(Targets::new().with_default(LevelFilter::from_level(level)), |targets, target| {
            targets.with_target(*target, transport)
        })
}

/// Go's layout `2006-01-02T15:04:05.000000Z07:00`, always in UTC.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

/// One hclog JSON line (without the newline).
pub fn format_line(level: Level, message: &str, fields: Map<String, J>, at: time::OffsetDateTime) -> String {
    let mut object = Map::new();
    object.insert("@level".into(), J::from(level.as_str().to_ascii_lowercase()));
    object.insert("@message".into(), J::from(message));
    object.insert("@module".into(), J::from("provider"));
    object.insert("@timestamp".into(), J::from(format_timestamp(at)));
    for (k, v) in fields {
        // Fields never overwrite the hclog keys.
        object.entry(k).or_insert(v);
    }
    J::Object(object).to_string()
}

/// The tracing layer that writes hclog lines.
struct HclogLayer;

#[derive(Default)]
struct FieldCollector {
    message: String,
    fields: Map<String, J>,
}

/// Fields the `log`-crate bridge adds to events of dependencies that log through `log` (reqwest): the source file
/// is an absolute path on the machine that built the provider, which says nothing to a user and leaks build paths.
const DROPPED_FIELDS: [&str; 2] = ["log.file", "log.line"];

impl FieldCollector {
    fn insert(&mut self, field: &Field, value: J) {
        if !DROPPED_FIELDS.contains(&field.name()) {
            self.fields.insert(field.name().to_string(), value);
        }
    }
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.insert(field, J::from(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.insert(field, J::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.insert(field, J::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.insert(field, J::from(value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.insert(field, J::from(text));
        }
    }
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut collector = FieldCollector::default();
        event.record(&mut collector);
        let line = format_line(
            *event.metadata().level(),
            &collector.message,
            collector.fields,
            time::OffsetDateTime::now_utc(),
        );
        // One write per line so concurrent events never interleave within a line.
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(format!("{line}\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn level_selection() {
        assert_eq!(level_from_env(env(&[])), None);
        assert_eq!(level_from_env(env(&[("TF_LOG", "")])), None);
        assert_eq!(level_from_env(env(&[("TF_LOG", "DEBUG")])), Some(Level::DEBUG));
        assert_eq!(level_from_env(env(&[("TF_LOG", "JSON")])), Some(Level::TRACE));
        assert_eq!(level_from_env(env(&[("TF_LOG", "trace"), ("TF_LOG_PROVIDER", "warn")])), Some(Level::WARN));
        assert_eq!(level_from_env(env(&[("TF_LOG", "info"), ("TF_LOG_PROVIDER", "")])), Some(Level::INFO));
        assert_eq!(level_from_env(env(&[("TF_LOG_PROVIDER", "off"), ("TF_LOG", "trace")])), None);
    }

    #[test]
    fn transport_crates_are_capped() {
        let debug = filter_for(Some(Level::DEBUG));
        assert!(debug.would_enable("tf_provider::server", &Level::DEBUG));
        assert!(debug.would_enable("modelrouter_arm::client", &Level::DEBUG));
        assert!(!debug.would_enable("h2::codec", &Level::DEBUG));
        assert!(debug.would_enable("rustls::server::hs", &Level::WARN));
        let trace = filter_for(Some(Level::TRACE));
        assert!(trace.would_enable("tf_provider", &Level::TRACE));
        assert!(trace.would_enable("hyper::proto", &Level::INFO));
        assert!(!trace.would_enable("hyper::proto", &Level::DEBUG));
        let error = filter_for(Some(Level::ERROR));
        assert!(!error.would_enable("rustls", &Level::WARN));
        assert!(!filter_for(None).would_enable("tf_provider", &Level::ERROR));
    }

    #[test]
    fn line_has_hclog_shape() {
        let at = time::macros::datetime!(2024-03-05 07:08:09.123456789 +02:00);
        let mut fields = Map::new();
        fields.insert("rpc".into(), J::from("GetSchema"));
        fields.insert("@level".into(), J::from("bogus"));
        let line = format_line(Level::DEBUG, "hello", fields, at);
        let parsed: J = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["@level"], "debug");
        assert_eq!(parsed["@message"], "hello");
        assert_eq!(parsed["@module"], "provider");
        assert_eq!(parsed["@timestamp"], "2024-03-05T05:08:09.123456Z");
        assert_eq!(parsed["rpc"], "GetSchema");
        assert!(!line.contains('\n'));
    }
}
