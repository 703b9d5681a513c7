//! Catalog files: a user's TOML document in the embedded format, laid over the embedded table so teams can follow
//! Microsoft's table between provider releases. Router versions match by version, models by name; a file adds
//! router versions and models, overrides the fields it names, and retires a model by listing it in
//! `retired_models`. Every error carries the line, column and key of the offending entry.

// A catalog file is loaded once per configure; the size of its error type does not matter.
#![allow(clippy::result_large_err)]

use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;
use toml::de::{DeTable, DeValue};

use crate::build::{RawCatalog, Span, build, merge};
use crate::data::{Catalog, CatalogError, EntrySource};

/// Why a catalog file was not loaded.
#[derive(Debug, Error)]
pub enum CatalogFileError {
    #[error("cannot read the catalog file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file's content is wrong: where (1-based line and column, the dotted key) and what.
    #[error("line {line}, column {column}{}: {error}", key_suffix(key))]
    Invalid { line: usize, column: usize, key: String, error: CatalogError },
}

fn key_suffix(key: &str) -> String {
    if key.is_empty() { String::new() } else { format!(" (`{key}`)") }
}

impl CatalogFileError {
    /// The 1-based line of the offending entry, when the file could be read.
    pub fn line(&self) -> Option<usize> {
        match self {
            CatalogFileError::Invalid { line, .. } => Some(*line),
            CatalogFileError::Read { .. } => None,
        }
    }

    /// The dotted key of the offending entry (e.g. `router_versions[0].models[2].format`), when known.
    pub fn key(&self) -> Option<&str> {
        match self {
            CatalogFileError::Invalid { key, .. } if !key.is_empty() => Some(key),
            _ => None,
        }
    }
}

impl Catalog {
    /// This catalog with the catalog file `text` laid over it. The result's entries from the file have
    /// `source == EntrySource::File`; the file's `table_revision`, when given, becomes the catalog's.
    pub fn with_overlay(&self, text: &str) -> Result<Catalog, CatalogFileError> {
        let locate = |(error, span): (CatalogError, Span)| invalid(text, span, error);
        let raw: RawCatalog = toml::from_str(text).map_err(|e| {
            let error = CatalogError::Schema(e.message().trim().to_owned());
            invalid(text, e.span(), error)
        })?;
        let mut draft = self.draft.clone();
        draft.forget_spans();
        merge(&mut draft, raw, EntrySource::File).map_err(locate)?;
        build(draft, true).map_err(locate)
    }

    /// This catalog with the catalog file at `path` laid over it.
    pub fn with_overlay_file(&self, path: &Path) -> Result<Catalog, CatalogFileError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| CatalogFileError::Read { path: path.to_owned(), source })?;
        self.with_overlay(&text)
    }
}

fn invalid(text: &str, span: Span, error: CatalogError) -> CatalogFileError {
    let offset = span.map_or(0, |s| s.start.min(text.len()));
    let (line, column) = line_and_column(text, offset);
    CatalogFileError::Invalid { line, column, key: key_at(text, offset), error }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The dotted key (with `[index]` for array elements) of the innermost entry at a byte offset; empty when the
/// document does not parse or nothing is there.
fn key_at(text: &str, offset: usize) -> String {
    let Ok(document) = DeTable::parse(text) else {
        return String::new();
    };
    let mut best: Option<(usize, String)> = None;
    visit_table(document.get_ref(), "", offset, &mut best);
    best.map(|(_, key)| key).unwrap_or_default()
}

/// Keeps the candidate whose span around `offset` is the shortest (the innermost).
fn consider(span: Range<usize>, path: &str, offset: usize, best: &mut Option<(usize, String)>) {
    let contains = span.start <= offset && (offset < span.end || span.is_empty() && offset == span.start);
    if contains && best.as_ref().is_none_or(|(len, _)| span.len() <= *len) {
        *best = Some((span.len(), path.to_owned()));
    }
}

fn visit_table(table: &DeTable<'_>, prefix: &str, offset: usize, best: &mut Option<(usize, String)>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
        consider(key.span(), &path, offset, best);
        consider(value.span(), &path, offset, best);
        visit_value(value.get_ref(), &path, offset, best);
    }
}

fn visit_value(value: &DeValue<'_>, path: &str, offset: usize, best: &mut Option<(usize, String)>) {
    match value {
        DeValue::Table(table) => visit_table(table, path, offset, best),
        DeValue::Array(array) => {
            for (index, element) in array.iter().enumerate() {
                let path = format!("{path}[{index}]");
                consider(element.span(), &path, offset, best);
                visit_value(element.get_ref(), &path, offset, best);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        assert_eq!(line_and_column(text, text.find('=').unwrap()), (1, 3));
        let second_eq = text.rfind('=').unwrap();
        assert_eq!(line_and_column(text, second_eq), (2, 4));
    }

    #[test]
    fn key_at_finds_the_innermost_dotted_key() {
        let text = "top = 1\n[[router_versions]]\nversion = \"x\"\nmodels = [ { name = \"a\" }, { name = \"b\", format = \"F\" } ]\n";
        assert_eq!(key_at(text, 0), "top");
        assert_eq!(key_at(text, text.find("\"x\"").unwrap()), "router_versions[0].version");
        assert_eq!(key_at(text, text.find("\"F\"").unwrap()), "router_versions[0].models[1].format");
        assert_eq!(key_at(text, text.find("{ name = \"b\"").unwrap()), "router_versions[0].models[1]");
        assert_eq!(key_at("not toml [", 3), "");
    }
}
