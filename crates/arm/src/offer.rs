//! What a region offers and how much quota is left: the wire types of the location models list
//! (`GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{l}/models`) and of the usages lists
//! (`.../locations/{l}/usages`, `.../accounts/{a}/usages`). Tolerant: unknown fields are ignored, every field the
//! provider does not strictly need is optional, and integers sent as floats are accepted.

use serde::{Deserialize, Deserializer};

/// One entry of the location models list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LocationModel {
    /// The account kind this entry is for (`OpenAI`, `AIServices`).
    pub kind: Option<String>,
    /// The account SKU (`S0`).
    pub sku_name: Option<String>,
    pub model: Option<OfferedModel>,
}

/// The model of a [`LocationModel`] entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OfferedModel {
    pub format: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub skus: Vec<ModelSku>,
    pub lifecycle_status: Option<String>,
    pub is_default_version: Option<bool>,
    #[serde(deserialize_with = "lenient_int")]
    pub max_capacity: Option<i64>,
}

/// A deployment SKU a model version is offered with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModelSku {
    pub name: String,
    /// The usage (quota) this SKU draws from: the join key into the usages lists.
    pub usage_name: Option<String>,
    pub capacity: Option<CapacityLimits>,
    pub deprecation_date: Option<String>,
}

/// `CapacityConfig`: the capacity values a deployment of this SKU may have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CapacityLimits {
    #[serde(deserialize_with = "lenient_int")]
    pub minimum: Option<i64>,
    #[serde(deserialize_with = "lenient_int")]
    pub maximum: Option<i64>,
    #[serde(deserialize_with = "lenient_int")]
    pub step: Option<i64>,
    #[serde(deserialize_with = "lenient_int")]
    pub default: Option<i64>,
    #[serde(deserialize_with = "lenient_ints")]
    pub allowed_values: Vec<i64>,
}

/// Why a capacity is not allowed by [`CapacityLimits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityViolation {
    NotAllowed,
    BelowMinimum(i64),
    AboveMaximum(i64),
    OffStep { step: i64, base: i64 },
}

impl CapacityLimits {
    /// Checks `capacity`: in `allowedValues` when the list is given, else within minimum/maximum and on a
    /// multiple of `step` counted from the minimum (from 0 without one).
    pub fn check(&self, capacity: i64) -> Result<(), CapacityViolation> {
        if !self.allowed_values.is_empty() {
            return if self.allowed_values.contains(&capacity) { Ok(()) } else { Err(CapacityViolation::NotAllowed) };
        }
        if let Some(min) = self.minimum
            && capacity < min
        {
            return Err(CapacityViolation::BelowMinimum(min));
        }
        if let Some(max) = self.maximum
            && capacity > max
        {
            return Err(CapacityViolation::AboveMaximum(max));
        }
        if let Some(step) = self.step.filter(|s| *s > 1) {
            let base = self.minimum.unwrap_or(0);
            if (capacity - base).rem_euclid(step) != 0 {
                return Err(CapacityViolation::OffStep { step, base });
            }
        }
        Ok(())
    }

    /// The limits in words, e.g. `minimum 1, maximum 100, step 1` or `one of 10, 20, 50`.
    pub fn describe(&self) -> String {
        if !self.allowed_values.is_empty() {
            let values: Vec<String> = self.allowed_values.iter().map(i64::to_string).collect();
            return format!("one of {}", values.join(", "));
        }
        let parts: Vec<String> = [("minimum", self.minimum), ("maximum", self.maximum), ("step", self.step)]
            .into_iter()
            .filter_map(|(label, v)| v.map(|v| format!("{label} {v}")))
            .collect();
        if parts.is_empty() { "no limits given".to_string() } else { parts.join(", ") }
    }
}

/// One entry of a usages list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Usage {
    pub name: UsageName,
    pub current_value: f64,
    pub limit: f64,
    pub unit: Option<String>,
    pub status: Option<String>,
    pub scope_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageName {
    pub value: String,
    pub localized_value: Option<String>,
}

impl Usage {
    /// What is left of the limit (never negative).
    pub fn remaining(&self) -> f64 {
        (self.limit - self.current_value).max(0.0)
    }
}

fn int_of(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        }
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An integer that may arrive as `10`, `10.0` or `"10"`; anything else reads as absent.
fn lenient_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.as_ref().and_then(int_of))
}

fn lenient_ints<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    let value = Option::<Vec<serde_json::Value>>::deserialize(deserializer)?;
    Ok(value.unwrap_or_default().iter().filter_map(int_of).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_entry_shape() {
        let entry: LocationModel = serde_json::from_value(json!({"kind": "OpenAI", "skuName": "S0",
            "model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06", "maxCapacity": 50,
              "lifecycleStatus": "GenerallyAvailable", "capabilities": {"chat": "true"},
              "skus": [{"name": "Standard", "usageName": "OpenAI.Standard.GPT4o",
                        "capacity": {"minimum": 1, "maximum": 100.0, "step": "1", "default": 10}}]}}))
        .unwrap();
        let model = entry.model.unwrap();
        assert_eq!((model.name.as_str(), model.max_capacity), ("gpt-4o", Some(50)));
        let sku = &model.skus[0];
        assert_eq!(sku.usage_name.as_deref(), Some("OpenAI.Standard.GPT4o"));
        let capacity = sku.capacity.as_ref().unwrap();
        assert_eq!((capacity.minimum, capacity.maximum, capacity.step), (Some(1), Some(100), Some(1)));
        assert!(capacity.allowed_values.is_empty());
    }

    #[test]
    fn capacity_limits() {
        let limits = CapacityLimits { minimum: Some(10), maximum: Some(100), step: Some(10), ..Default::default() };
        assert_eq!(limits.check(10), Ok(()));
        assert_eq!(limits.check(100), Ok(()));
        assert_eq!(limits.check(5), Err(CapacityViolation::BelowMinimum(10)));
        assert_eq!(limits.check(110), Err(CapacityViolation::AboveMaximum(100)));
        assert_eq!(limits.check(15), Err(CapacityViolation::OffStep { step: 10, base: 10 }));
        assert_eq!(limits.describe(), "minimum 10, maximum 100, step 10");
        let allowed = CapacityLimits { allowed_values: vec![50, 100], minimum: Some(1), ..Default::default() };
        assert_eq!(allowed.check(100), Ok(()));
        assert_eq!(allowed.check(60), Err(CapacityViolation::NotAllowed));
        assert_eq!(allowed.describe(), "one of 50, 100");
        assert_eq!(CapacityLimits::default().check(7), Ok(()));
    }

    #[test]
    fn reads_usages() {
        let usage: Usage = serde_json::from_value(json!({"name": {"value": "AccountCount",
            "localizedValue": "Cognitive Services total account limit"}, "currentValue": 3, "limit": 200,
            "unit": "Count", "scopeType": "Regional", "scopeId": "westus"}))
        .unwrap();
        assert_eq!(usage.name.value, "AccountCount");
        assert_eq!(usage.remaining(), 197.0);
        assert_eq!(Usage { current_value: 5.0, limit: 3.0, ..Default::default() }.remaining(), 0.0);
    }
}
