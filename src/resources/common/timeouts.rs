//! The `timeouts` block both resources carry: how long create, read, update and delete may wait for Azure.
//! Defaults follow azurerm (30 minutes for writes, 5 for reads) so plans port over unchanged.

use std::time::Duration;

use tf_provider::{Attribute, AttributePath, Block, Diagnostics, NestedBlock, Nesting, Type, Value};

use super::field::{Field, Nested};

/// The operation a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    pub const ALL: [Operation; 4] = [Operation::Create, Operation::Read, Operation::Update, Operation::Delete];

    pub fn attribute(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }

    pub fn default_duration(self) -> Duration {
        match self {
            Operation::Read => Duration::from_secs(5 * 60),
            _ => Duration::from_secs(30 * 60),
        }
    }
}

pub const ATTRIBUTE: &str = "timeouts";

pub fn block() -> NestedBlock {
    let mut block = Block::new().describe(
        "How long each operation may take, as a duration such as \"30m\", \"1h\" or \"90s\". Defaults: create 30m, \
         read 5m, update 30m, delete 30m.",
    );
    for op in Operation::ALL {
        block = block.attribute(Attribute::optional(op.attribute(), Type::String).describe(format!(
            "Time allowed for {}; default {}.",
            op.attribute(),
            format_duration(op.default_duration())
        )));
    }
    NestedBlock { type_name: ATTRIBUTE.into(), nesting: Nesting::Single, block, min_items: 0, max_items: 0 }
}

/// The `timeouts` block as typed: one optional duration per operation, stored exactly as written (it never
/// reaches Azure, so it needs no canonical spelling).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeouts {
    pub create: Field<String>,
    pub read: Field<String>,
    pub update: Field<String>,
    pub delete: Field<String>,
}

impl Timeouts {
    fn field(&self, op: Operation) -> &Field<String> {
        match op {
            Operation::Create => &self.create,
            Operation::Read => &self.read,
            Operation::Update => &self.update,
            Operation::Delete => &self.delete,
        }
    }

    /// The duration configured for `op`, or the default. Invalid values were rejected at plan time; should one
    /// slip through, the default applies.
    pub fn duration(&self, op: Operation) -> Duration {
        self.field(op).as_deref().and_then(|s| parse_duration(s).ok()).unwrap_or_else(|| op.default_duration())
    }

    pub fn validate(&self, diags: &mut Diagnostics) {
        for op in Operation::ALL {
            let Some(text) = self.field(op).as_deref() else {
                continue;
            };
            if let Err(problem) = parse_duration(text) {
                diags.error_at(
                    AttributePath::root().attr(ATTRIBUTE).attr(op.attribute()),
                    "Invalid timeout",
                    format!(
                        "timeouts.{} = {text:?}: {problem}. Use a duration such as \"30m\", \"1h30m\" or \"45s\" \
                         (units h, m, s).",
                        op.attribute()
                    ),
                );
            }
        }
    }
}

impl Nested for Timeouts {
    fn parse(value: &Value) -> Timeouts {
        let field = |op: Operation| Field::parse(value.get(op.attribute()));
        Timeouts {
            create: field(Operation::Create),
            read: field(Operation::Read),
            update: field(Operation::Update),
            delete: field(Operation::Delete),
        }
    }

    fn to_value(&self) -> Value {
        Value::object(Operation::ALL.map(|op| (op.attribute(), self.field(op).to_value())))
    }
}

/// The deadline of `op` for a resource whose timeouts block is `timeouts` (null: every default).
pub fn deadline(timeouts: &Field<Timeouts>, op: Operation) -> std::time::Instant {
    let duration = timeouts.known().map_or_else(|| op.default_duration(), |t| t.duration(op));
    std::time::Instant::now() + duration
}

/// Parses Go-style durations made of `<number><unit>` pairs with units `h`, `m`, `s` (and `ms`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("expected a number at {rest:?}"));
        }
        let number: f64 = rest[..digits].parse().map_err(|_| format!("bad number {:?}", &rest[..digits]))?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "" => return Err(format!("missing unit after {number}")),
            other => return Err(format!("unknown unit {other:?}")),
        };
        rest = &rest[unit_len..];
        total += Duration::from_secs_f64(number * seconds);
    }
    if total.is_zero() {
        return Err("a timeout must be longer than zero".into());
    }
    Ok(total)
}

fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else if secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_style_durations() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "30", "m", "10x", "0s", "-5m"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn defaults_apply_when_absent() {
        assert_eq!(Timeouts::default().duration(Operation::Create), Duration::from_secs(1800));
        assert_eq!(Timeouts::default().duration(Operation::Read), Duration::from_secs(300));
        let value = Value::object([
            ("create", Value::string("2m")),
            ("read", Value::Null),
            ("update", Value::Null),
            ("delete", Value::Null),
        ]);
        let timeouts = Timeouts::parse(&value);
        assert_eq!(timeouts.duration(Operation::Create), Duration::from_secs(120));
        assert_eq!(timeouts.to_value(), value, "stored exactly as written");
    }

    #[test]
    fn invalid_timeout_is_reported_on_its_path() {
        let timeouts = Timeouts { delete: Field::string("soon"), ..Timeouts::default() };
        let mut diags = Diagnostics::new();
        timeouts.validate(&mut diags);
        let diag = diags.iter().next().expect("one diagnostic");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "timeouts.delete");
        assert!(diag.detail.contains("\"soon\""));
    }
}
