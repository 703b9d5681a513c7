//! Date-aware questions: is a router version retired, is a model close to (or past) its published retirement, was a
//! name a model that has been retired, how old is the table. "Today" is always a parameter.

use crate::data::{Catalog, ModelEntry, RetiredModel, RouterVersion};
use crate::date::CatalogDate;

/// How many days before a model's published retirement plans start to warn.
pub const RETIREMENT_WARNING_DAYS: i64 = 30;

/// A model's published retirement as seen on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRetirement {
    /// The model's ARM name.
    pub name: String,
    /// The published retirement date.
    pub date: CatalogDate,
    /// Days from the day asked about to `date`; zero or negative once the model is retired.
    pub days_left: i64,
    /// Where the date comes from.
    pub source: String,
}

impl ModelRetirement {
    /// Whether the retirement date has been reached.
    pub fn is_past(&self) -> bool {
        self.days_left <= 0
    }
}

impl ModelEntry {
    /// The model's retirement when it is past on `today` or at most `within_days` away; `None` when the catalog has
    /// no date for it or the date is further away.
    pub fn retirement_within(&self, today: CatalogDate, within_days: i64) -> Option<ModelRetirement> {
        let date = self.retirement_date?;
        let days_left = today.days_until(date);
        (days_left <= within_days).then(|| ModelRetirement {
            name: self.name.clone(),
            date,
            days_left,
            source: self.retirement_source.clone().unwrap_or_default(),
        })
    }
}

impl RouterVersion {
    /// Whether this version is retired on `today` (its retirement date has been reached).
    pub fn retired_on(&self, today: CatalogDate) -> bool {
        self.retirement_date.is_some_and(|date| today >= date)
    }

    /// The retired model with this name (any case), if this version once routed to it.
    pub fn find_retired_model(&self, name: &str) -> Option<&RetiredModel> {
        let name = name.trim();
        self.retired_models.iter().find(|m| m.name.eq_ignore_ascii_case(name))
    }

    /// The retirements of `models` that are past on `today` or at most `within_days` away, in input order.
    pub fn retirements_within<'a>(
        models: impl IntoIterator<Item = &'a ModelEntry>,
        today: CatalogDate,
        within_days: i64,
    ) -> Vec<ModelRetirement> {
        models.into_iter().filter_map(|m| m.retirement_within(today, within_days)).collect()
    }
}

impl RetiredModel {
    /// A sentence for a diagnostic, e.g. "`grok-4-fast-reasoning` was retired on 2026-05-01; it was replaced by
    /// `grok-4-1-fast-reasoning`."
    pub fn describe(&self) -> String {
        let mut text = format!("`{}`", self.name);
        if let Some(version) = &self.version {
            text.push_str(&format!(" (version {version})"));
        }
        match self.retired_on {
            Some(date) => text.push_str(&format!(" was retired on {date}")),
            None => text.push_str(" was retired"),
        }
        if let Some(successor) = &self.replaced_by {
            text.push_str(&format!("; it was replaced by `{successor}`"));
        }
        if let Some(note) = self.note.as_ref().filter(|_| self.retired_on.is_none()) {
            text.push_str(&format!(" ({note})"));
        }
        text.push('.');
        text
    }
}

impl Catalog {
    /// The day of Microsoft's table revision this catalog reflects.
    pub fn table_revision_date(&self) -> CatalogDate {
        self.table_revision_date
    }

    /// How many days old the table is on `today` (for "the table is N days old" in diagnostics).
    pub fn table_age_days(&self, today: CatalogDate) -> i64 {
        self.table_revision_date.days_until(today)
    }

    /// The router versions retired on `today`, newest first.
    pub fn retired_router_versions(&self, today: CatalogDate) -> Vec<&RouterVersion> {
        self.router_versions.iter().filter(|r| r.retired_on(today)).collect()
    }

    /// The retired model `name` of router version `router_version`, if that version once routed to it.
    pub fn find_retired_model(&self, router_version: &str, name: &str) -> Option<&RetiredModel> {
        self.router_version(router_version)?.find_retired_model(name)
    }
}
