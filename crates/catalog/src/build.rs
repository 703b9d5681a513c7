//! From TOML text to a checked [`Catalog`]: the raw (serde) shape of the format, the merge of a document into a
//! draft (the embedded table into an empty one, a catalog file into the embedded one), and the checks that turn a
//! draft into a catalog. One path serves both, so a catalog file is validated exactly like the embedded table.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::data::{Catalog, CatalogError, EntrySource, ModelEntry, RetiredModel, RouterVersion};
use crate::date::CatalogDate;

/// A byte range in the document an item came from; only kept for catalog-file items (errors point at them).
pub(crate) type Span = Option<Range<usize>>;

/// An error and, when it comes from a catalog file, where in the file.
pub(crate) type Located = (CatalogError, Span);

// ---- raw shape -----------------------------------------------------------------------------------------------------
// Every field but the keys is optional here: a catalog file overrides only what it names. The checks that a new
// router version or model is complete happen in `merge`.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalog {
    table_revision: Option<Spanned<String>>,
    formats: Option<Vec<String>>,
    #[serde(default)]
    router_versions: Vec<Spanned<RawRouterVersion>>,
    #[serde(default)]
    context_windows: Vec<Spanned<RawContextWindow>>,
    #[serde(default)]
    model_retirements: Vec<Spanned<RawModelRetirement>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRouterVersion {
    version: Spanned<String>,
    default: Option<Spanned<bool>>,
    supports_routing: Option<bool>,
    lifecycle: Option<String>,
    retirement_date: Option<Spanned<String>>,
    retirement_source: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    models: Vec<Spanned<RawModel>>,
    #[serde(default)]
    retired_models: Vec<Spanned<RawRetiredModel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    name: Spanned<String>,
    format: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    preview: Option<bool>,
    requires_registration: Option<bool>,
    requires_deployment: Option<bool>,
    requires_feature: Option<Spanned<String>>,
    aliases: Option<Spanned<Vec<String>>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetiredModel {
    name: Spanned<String>,
    format: Option<String>,
    version: Option<String>,
    retired_on: Option<Spanned<String>>,
    replaced_by: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContextWindow {
    name: String,
    version: String,
    tokens: u64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModelRetirement {
    name: String,
    version: String,
    date: Spanned<String>,
    source: String,
}

// ---- draft: the merged input ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Draft {
    table_revision: Option<(String, Span)>,
    formats: Vec<String>,
    routers: Vec<DraftRouter>,
    windows: Vec<Keyed<(u64, String)>>,
    retirements: Vec<Keyed<(CatalogDate, String)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DraftRouter {
    version: String,
    is_default: bool,
    supports_routing: bool,
    lifecycle: Option<String>,
    retirement_date: Option<CatalogDate>,
    retirement_source: Option<String>,
    notes: String,
    models: Vec<(ModelEntry, Span)>,
    retired: Vec<(RetiredModel, Span)>,
    source: EntrySource,
    span: Span,
}

impl Draft {
    /// Drops the spans of a catalog file already laid over this draft, so that a next file's errors and duplicate
    /// checks only concern the next file.
    pub(crate) fn forget_spans(&mut self) {
        self.table_revision.iter_mut().for_each(|(_, span)| *span = None);
        for router in &mut self.routers {
            router.span = None;
            router.models.iter_mut().for_each(|(_, span)| *span = None);
            router.retired.iter_mut().for_each(|(_, span)| *span = None);
        }
        self.windows.iter_mut().for_each(|w| w.span = None);
        self.retirements.iter_mut().for_each(|r| r.span = None);
    }
}

/// A per-(name, version) fact: a context window or a retirement date.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Keyed<T> {
    name: String,
    version: String,
    value: T,
    span: Span,
}

impl<T> Keyed<T> {
    fn key(&self) -> (String, String) {
        (self.name.to_ascii_lowercase(), self.version.to_ascii_lowercase())
    }
}

/// Parses a complete catalog document (the embedded table's format, every required field present).
pub(crate) fn parse_complete(text: &str) -> Result<Catalog, CatalogError> {
    let raw: RawCatalog = toml::from_str(text)?;
    let mut draft = Draft::default();
    merge(&mut draft, raw, EntrySource::Embedded).map_err(|(error, _)| error)?;
    build(draft, false).map_err(|(error, _)| error)
}

/// Lays the document `raw` (from `origin`) over `draft`: router versions and models are matched by version and
/// name, named fields override, everything else is added.
pub(crate) fn merge(draft: &mut Draft, raw: RawCatalog, origin: EntrySource) -> Result<(), Located> {
    let keep = |span: Range<usize>| (origin == EntrySource::File).then_some(span);

    if let Some(revision) = raw.table_revision {
        let span = keep(revision.span());
        let revision = revision.into_inner();
        if CatalogDate::parse(&revision).is_none() {
            return Err((CatalogError::BadDate { field: "table_revision", value: revision }, span));
        }
        draft.table_revision = Some((revision, span));
    }
    for format in raw.formats.unwrap_or_default() {
        if !draft.formats.contains(&format) {
            draft.formats.push(format);
        }
    }

    let defaults: Vec<Range<usize>> = raw
        .router_versions
        .iter()
        .filter_map(|r| r.get_ref().default.as_ref().filter(|d| *d.get_ref()).map(|d| d.span()))
        .collect();
    if defaults.len() > 1 {
        return Err((CatalogError::DefaultCount { count: defaults.len() }, keep(defaults[1].clone())));
    }
    if !defaults.is_empty() {
        // The document names the default: it replaces the one it is laid over.
        draft.routers.iter_mut().for_each(|r| r.is_default = false);
    }

    let mut seen = HashSet::new();
    for router in raw.router_versions {
        let router_span = keep(router.span());
        let router = router.into_inner();
        let version_span = keep(router.version.span());
        let version = router.version.into_inner().trim().to_owned();
        if CatalogDate::parse(&version).is_none() {
            return Err((CatalogError::BadVersion(version), version_span));
        }
        if !seen.insert(version.clone()) {
            return Err((CatalogError::DuplicateRouterVersion(version), version_span));
        }
        let index = match draft.routers.iter().position(|r| r.version == version) {
            Some(index) => index,
            None => {
                let Some(supports_routing) = router.supports_routing else {
                    let what = format!("new router version `{version}`");
                    return Err((CatalogError::MissingField { what, field: "supports_routing" }, router_span));
                };
                draft.routers.push(DraftRouter {
                    version: version.clone(),
                    is_default: false,
                    supports_routing,
                    lifecycle: None,
                    retirement_date: None,
                    retirement_source: None,
                    notes: String::new(),
                    models: Vec::new(),
                    retired: Vec::new(),
                    source: origin,
                    span: router_span.clone(),
                });
                draft.routers.len() - 1
            }
        };
        let target = &mut draft.routers[index];
        let retirement_date = match router.retirement_date {
            Some(date) => Some(parse_date("retirement_date", date, origin)?),
            None => None,
        };
        let overrides_own_field = router.default.as_ref().is_some_and(|d| *d.get_ref())
            || router.supports_routing.is_some()
            || router.lifecycle.is_some()
            || retirement_date.is_some()
            || router.retirement_source.is_some()
            || router.notes.is_some();
        if overrides_own_field {
            target.source = origin;
            target.span = router_span.clone();
        }
        if router.default.is_some_and(|d| d.into_inner()) {
            target.is_default = true;
        }
        set(&mut target.supports_routing, router.supports_routing);
        set_some(&mut target.lifecycle, router.lifecycle);
        set_some(&mut target.retirement_date, retirement_date);
        set_some(&mut target.retirement_source, router.retirement_source);
        set(&mut target.notes, router.notes);

        let mut names_in_document = HashSet::new();
        for model in router.models {
            merge_model(target, model, origin, &mut names_in_document)?;
        }
        let mut retired_in_document = HashSet::new();
        for retired in router.retired_models {
            merge_retired(target, retired, origin, &mut retired_in_document)?;
        }
    }

    for window in raw.context_windows {
        let span = keep(window.span());
        let w = window.into_inner();
        if w.tokens == 0 || w.source.trim().is_empty() {
            return Err((CatalogError::BadContextWindow { name: w.name, version: w.version }, span));
        }
        let entry = Keyed { name: w.name, version: w.version, value: (w.tokens, w.source), span };
        upsert(&mut draft.windows, entry, origin, |name, version| CatalogError::DuplicateContextWindow {
            name,
            version,
        })?;
    }
    for retirement in raw.model_retirements {
        let span = keep(retirement.span());
        let r = retirement.into_inner();
        let date = parse_date("date", r.date, origin)?;
        if r.source.trim().is_empty() {
            return Err((CatalogError::BadModelRetirement { name: r.name, version: r.version }, span));
        }
        let entry = Keyed { name: r.name, version: r.version, value: (date, r.source), span };
        upsert(&mut draft.retirements, entry, origin, |name, version| CatalogError::DuplicateModelRetirement {
            name,
            version,
        })?;
    }
    Ok(())
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

fn set_some<T>(field: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *field = value;
    }
}

fn parse_date(field: &'static str, text: Spanned<String>, origin: EntrySource) -> Result<CatalogDate, Located> {
    let span = (origin == EntrySource::File).then(|| text.span());
    let text = text.into_inner();
    CatalogDate::parse(&text).ok_or((CatalogError::BadDate { field, value: text }, span))
}

/// Adds `entry`, replacing an entry with the same key that came from an earlier document; the same key twice in
/// one document is an error.
fn upsert<T>(
    entries: &mut Vec<Keyed<T>>,
    entry: Keyed<T>,
    origin: EntrySource,
    duplicate: impl Fn(String, String) -> CatalogError,
) -> Result<(), Located> {
    let key = entry.key();
    match entries.iter().position(|e| e.key() == key) {
        Some(index) if entries[index].span.is_some() || origin == EntrySource::Embedded => {
            Err((duplicate(entry.name, entry.version), entry.span))
        }
        Some(index) => {
            entries[index] = entry;
            Ok(())
        }
        None => {
            entries.push(entry);
            Ok(())
        }
    }
}

fn merge_model(
    router: &mut DraftRouter,
    model: Spanned<RawModel>,
    origin: EntrySource,
    names_in_document: &mut HashSet<String>,
) -> Result<(), Located> {
    let keep = |span: Range<usize>| (origin == EntrySource::File).then_some(span);
    let span = keep(model.span());
    let raw = model.into_inner();
    let name = raw.name.into_inner().trim().to_owned();
    if !names_in_document.insert(name.to_ascii_lowercase()) {
        return Err((CatalogError::DuplicateModelName { router: router.version.clone(), name }, span));
    }
    let existing = router.models.iter().position(|(m, _)| m.name.eq_ignore_ascii_case(&name));
    let entry = match existing {
        Some(index) => &mut router.models[index],
        None => {
            let what = || format!("new model `{name}` of router version `{}`", router.version);
            let Some(format) = raw.format.as_ref() else {
                return Err((CatalogError::MissingField { what: what(), field: "format" }, span));
            };
            let Some(version) = raw.version.as_ref() else {
                return Err((CatalogError::MissingField { what: what(), field: "version" }, span));
            };
            router.models.push((
                ModelEntry {
                    format: format.get_ref().clone(),
                    name: name.clone(),
                    version: version.get_ref().clone(),
                    preview: false,
                    requires_registration: false,
                    requires_deployment: false,
                    requires_feature: None,
                    context_window: None,
                    context_window_source: None,
                    retirement_date: None,
                    retirement_source: None,
                    aliases: Vec::new(),
                    note: None,
                    source: origin,
                },
                None,
            ));
            router.models.last_mut().expect("just pushed")
        }
    };
    let (model, model_span) = entry;
    *model_span = span;
    model.source = origin;
    set(&mut model.format, raw.format.map(Spanned::into_inner));
    set(&mut model.version, raw.version.map(Spanned::into_inner));
    set(&mut model.preview, raw.preview);
    set(&mut model.requires_registration, raw.requires_registration);
    set(&mut model.requires_deployment, raw.requires_deployment);
    set_some(&mut model.requires_feature, raw.requires_feature.map(Spanned::into_inner));
    set(&mut model.aliases, raw.aliases.map(Spanned::into_inner));
    set_some(&mut model.note, raw.note);
    Ok(())
}

fn merge_retired(
    router: &mut DraftRouter,
    retired: Spanned<RawRetiredModel>,
    origin: EntrySource,
    names_in_document: &mut HashSet<String>,
) -> Result<(), Located> {
    let span = (origin == EntrySource::File).then(|| retired.span());
    let raw = retired.into_inner();
    let name = raw.name.into_inner().trim().to_owned();
    let retired_on = match raw.retired_on {
        Some(date) => Some(parse_date("retired_on", date, origin)?),
        None => None,
    };
    if !names_in_document.insert(name.to_ascii_lowercase()) {
        return Err((CatalogError::DuplicateRetiredModel { router: router.version.clone(), name }, span));
    }
    // A catalog file retires a model of the embedded table by listing it here: it stops being routable.
    if origin == EntrySource::File {
        router.models.retain(|(m, _)| !(m.source == EntrySource::Embedded && m.name.eq_ignore_ascii_case(&name)));
    }
    router.retired.retain(|(r, _)| !r.name.eq_ignore_ascii_case(&name));
    router.retired.push((
        RetiredModel {
            name,
            format: raw.format,
            version: raw.version,
            retired_on,
            replaced_by: raw.replaced_by.map(Spanned::into_inner),
            note: raw.note,
            source: origin,
        },
        span,
    ));
    Ok(())
}

// ---- checks: draft -> catalog --------------------------------------------------------------------------------------

/// Checks a merged draft and builds the catalog from it.
pub(crate) fn build(draft: Draft, overlaid: bool) -> Result<Catalog, Located> {
    if draft.routers.is_empty() {
        return Err((CatalogError::NoRouterVersions, None));
    }
    let Some((table_revision, _)) = draft.table_revision.clone() else {
        return Err((CatalogError::MissingField { what: "the catalog".into(), field: "table_revision" }, None));
    };
    let table_revision_date = CatalogDate::parse(&table_revision).expect("checked in merge");
    let defaults: Vec<&DraftRouter> = draft.routers.iter().filter(|r| r.is_default).collect();
    if defaults.len() != 1 {
        return Err((
            CatalogError::DefaultCount { count: defaults.len() },
            defaults.get(1).and_then(|r| r.span.clone()),
        ));
    }

    let windows = table(&draft.windows);
    let retirements = table(&draft.retirements);
    let mut used_windows = HashSet::new();
    let mut used_retirements = HashSet::new();
    let mut router_versions = Vec::with_capacity(draft.routers.len());
    for router in &draft.routers {
        let mut names = HashSet::new();
        let mut models = Vec::with_capacity(router.models.len());
        for (model, span) in &router.models {
            check_model(&router.version, &draft.formats, model, &mut names).map_err(|e| (e, span.clone()))?;
            let key = (model.name.to_ascii_lowercase(), model.version.to_ascii_lowercase());
            let mut model = model.clone();
            if let Some(&(tokens, ref source)) = windows.get(&key) {
                used_windows.insert(key.clone());
                (model.context_window, model.context_window_source) = (Some(tokens), Some(source.clone()));
            }
            if let Some(&(date, ref source)) = retirements.get(&key) {
                used_retirements.insert(key);
                (model.retirement_date, model.retirement_source) = (Some(date), Some(source.clone()));
            }
            models.push(model);
        }
        let mut retired_names = HashSet::new();
        for (retired, span) in &router.retired {
            let located = |error| (error, span.clone());
            let lower = retired.name.to_ascii_lowercase();
            if retired.name.trim().is_empty() {
                return Err(located(CatalogError::EmptyField {
                    router: router.version.clone(),
                    field: "retired name",
                }));
            }
            if !retired_names.insert(lower.clone()) {
                let name = retired.name.clone();
                return Err(located(CatalogError::DuplicateRetiredModel { router: router.version.clone(), name }));
            }
            if names.contains(&lower) {
                let name = retired.name.clone();
                return Err(located(CatalogError::RetiredModelStillRouted { router: router.version.clone(), name }));
            }
            if let Some(successor) = retired.replaced_by.as_ref().filter(|s| !models.iter().any(|m| m.answers_to(s))) {
                return Err(located(CatalogError::UnknownReplacement {
                    router: router.version.clone(),
                    name: retired.name.clone(),
                    replaced_by: successor.clone(),
                }));
            }
        }
        router_versions.push(RouterVersion {
            version: router.version.clone(),
            supports_routing: router.supports_routing,
            is_default: router.is_default,
            notes: router.notes.clone(),
            models,
            lifecycle: router.lifecycle.clone(),
            retirement_date: router.retirement_date,
            retirement_source: router.retirement_source.clone(),
            retired_models: router.retired.iter().map(|(r, _)| r.clone()).collect(),
            source: router.source,
        });
    }

    if let Some(orphan) = first_unused(&draft.windows, &used_windows) {
        let (name, version) = (orphan.name.clone(), orphan.version.clone());
        return Err((CatalogError::OrphanContextWindow { name, version }, orphan.span.clone()));
    }
    if let Some(orphan) = first_unused(&draft.retirements, &used_retirements) {
        let (name, version) = (orphan.name.clone(), orphan.version.clone());
        return Err((CatalogError::OrphanModelRetirement { name, version }, orphan.span.clone()));
    }

    // YYYY-MM-DD strings sort like the dates they are.
    router_versions.sort_by(|a, b| b.version.cmp(&a.version));
    Ok(Catalog {
        table_revision,
        table_revision_date,
        formats: draft.formats.clone(),
        router_versions,
        overlaid,
        draft,
    })
}

fn table<T: Clone>(entries: &[Keyed<T>]) -> HashMap<(String, String), T> {
    entries.iter().map(|e| (e.key(), e.value.clone())).collect()
}

/// The first entry (catalog-file entries first, so the file's mistake is the one reported) no model uses.
fn first_unused<'a, T>(entries: &'a [Keyed<T>], used: &HashSet<(String, String)>) -> Option<&'a Keyed<T>> {
    let mut unused: Vec<&Keyed<T>> = entries.iter().filter(|e| !used.contains(&e.key())).collect();
    unused.sort_by_key(|e| (e.span.is_none(), e.key()));
    unused.into_iter().next()
}

fn check_model(
    router: &str,
    formats: &[String],
    model: &ModelEntry,
    names: &mut HashSet<String>,
) -> Result<(), CatalogError> {
    let empty = |field| CatalogError::EmptyField { router: router.to_string(), field };
    if model.name.trim().is_empty() {
        return Err(empty("name"));
    }
    if model.version.trim().is_empty() {
        return Err(empty("version"));
    }
    if model.aliases.iter().any(|a| a.trim().is_empty()) {
        return Err(empty("alias"));
    }
    if model.requires_feature.as_ref().is_some_and(|f| f.trim().is_empty()) {
        return Err(empty("requires_feature"));
    }
    if !formats.iter().any(|f| f == &model.format) {
        return Err(CatalogError::UnknownFormat {
            router: router.to_string(),
            model: model.name.clone(),
            format: model.format.clone(),
            allowed: formats.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
        });
    }
    for name in std::iter::once(&model.name).chain(&model.aliases) {
        if !names.insert(name.to_ascii_lowercase()) {
            return Err(CatalogError::DuplicateModelName { router: router.to_string(), name: name.clone() });
        }
    }
    Ok(())
}
