//! Catalog files laid over the embedded table: what they add and override, which entries are marked as coming from
//! the file, and the errors (with line, column and key) for files that are wrong.

use modelrouter_catalog::{
    CatalogDate, CatalogError, CatalogFileError, CatalogSource, EffectiveCatalog, EntrySource, catalog,
};

fn overlay(text: &str) -> modelrouter_catalog::Catalog {
    catalog().with_overlay(text).unwrap_or_else(|e| panic!("{e}"))
}

fn invalid(text: &str) -> (usize, usize, String, CatalogError) {
    match catalog().with_overlay(text) {
        Err(CatalogFileError::Invalid { line, column, key, error }) => (line, column, key, error),
        other => panic!("expected an invalid-file error, got {other:?}"),
    }
}

#[test]
fn an_empty_file_changes_nothing_but_marks_the_catalog_overlaid() {
    let effective = overlay("");
    assert!(effective.is_overlaid());
    assert_eq!(effective.router_versions(), catalog().router_versions());
    assert_eq!(effective.table_revision(), "2026-09-01");
}

#[test]
fn a_file_adds_models_to_a_router_version_and_marks_them() {
    let effective = overlay(
        r#"
table_revision = "2026-11-11"

[[router_versions]]
version = "2025-11-18"
models = [
  { format = "OpenAI", name = "gpt-6-nova", version = "2026-11-01", preview = true },
]

[[context_windows]]
name = "gpt-6-nova"
version = "2026-11-01"
tokens = 400_000
source = "our own test"
"#,
    );
    assert_eq!(effective.table_revision(), "2026-11-11");
    assert_eq!(effective.table_revision_date(), CatalogDate::parse("2026-11-11").unwrap());
    let router = effective.router_version("2025-11-18").unwrap();
    assert_eq!(router.models.len(), 36);
    assert_eq!(router.source, EntrySource::Embedded, "the file did not change the version's own fields");
    let nova = router.find_model("GPT-6-NOVA").unwrap();
    assert_eq!((nova.source, nova.preview, nova.context_window), (EntrySource::File, true, Some(400_000)));
    assert_eq!(router.find_model("gpt-5").unwrap().source, EntrySource::Embedded);
    assert_eq!(router.models.iter().filter(|m| m.source == EntrySource::File).count(), 1);
    // The embedded catalog is untouched.
    assert!(catalog().default_router_version().find_model("gpt-6-nova").is_none());
}

#[test]
fn a_file_overrides_only_the_fields_it_names() {
    let effective = overlay(
        r#"
formats = ["Mistral"]

[[router_versions]]
version = " 2025-11-18 "
models = [
  { name = "GPT-5", requires_registration = true },
  { name = " grok-4 ", preview = false, note = "GA since November" },
  { format = "Mistral", name = "mistral-large-3", version = "1" },
]

[[model_retirements]]
name = "gpt-5"
version = "2025-08-07"
date = "2026-12-24"
source = "ours"
"#,
    );
    let router = effective.default_router_version();
    let gpt5 = router.find_model("gpt-5").unwrap();
    assert_eq!((gpt5.name.as_str(), gpt5.version.as_str(), gpt5.format.as_str()), ("gpt-5", "2025-08-07", "OpenAI"));
    assert_eq!(gpt5.source, EntrySource::File);
    assert!(gpt5.requires_registration);
    assert_eq!(gpt5.retirement_date.map(|d| d.to_string()).as_deref(), Some("2026-12-24"));
    assert_eq!(gpt5.context_window, Some(400_000), "the embedded window still applies to the same version");
    let grok = router.find_model("grok-4").unwrap();
    assert!(!grok.preview);
    assert_eq!(grok.note.as_deref(), Some("GA since November"));
    assert_eq!(router.find_model("mistral-large-3").unwrap().format, "Mistral");
    assert!(effective.formats().iter().any(|f| f == "Mistral"));
}

#[test]
fn a_file_adds_a_router_version_and_can_make_it_the_default() {
    let effective = overlay(
        r#"
[[router_versions]]
version = "2026-11-11"
default = true
supports_routing = true
lifecycle = "Preview"
notes = "Our early copy of the November router."
models = [ { format = "OpenAI", name = "gpt-6-astra", version = "2026-09-03" } ]
"#,
    );
    assert_eq!(effective.version_names(), ["2026-11-11", "2025-11-18", "2025-08-07", "2025-05-19"]);
    let newest = effective.default_router_version();
    assert_eq!((newest.version.as_str(), newest.source), ("2026-11-11", EntrySource::File));
    assert_eq!(newest.find_model("gpt-6-astra").unwrap().context_window, None);
    assert!(!effective.router_version("2025-11-18").unwrap().is_default);
    assert_eq!(effective.router_versions().iter().filter(|r| r.is_default).count(), 1);
}

#[test]
fn a_file_retires_an_embedded_model_and_a_router_version() {
    let effective = overlay(
        r#"
[[router_versions]]
version = "2025-11-18"
retired_models = [ { name = "o4-mini", version = "2025-04-16", retired_on = "2026-10-16" } ]

[[router_versions]]
version = "2025-08-07"
retirement_date = "2026-07-31"
"#,
    );
    let router = effective.default_router_version();
    assert!(router.find_model("o4-mini").is_none());
    let retired = router.find_retired_model("o4-mini").unwrap();
    assert_eq!(
        (retired.source, retired.retired_on.map(|d| d.to_string())),
        (EntrySource::File, Some("2026-10-16".into()))
    );
    assert_eq!(router.retired_models.len(), 7);
    let older = effective.router_version("2025-08-07").unwrap();
    assert_eq!(older.source, EntrySource::File);
    assert!(older.retired_on(CatalogDate::parse("2026-07-31").unwrap()));
    // The o4-mini retirement date of the embedded table still applies to the versions that keep it.
    assert!(older.find_model("o4-mini").unwrap().retirement_date.is_some());
}

#[test]
fn syntax_errors_name_the_line_and_column() {
    let (line, column, _, error) = invalid("table_revision = \"2026-11-11\"\n[[router_versions]\n");
    assert_eq!(line, 2, "{error}");
    assert!(column > 1);
    assert!(matches!(error, CatalogError::Schema(_)), "{error:?}");
}

#[test]
fn unknown_keys_and_wrong_types_name_the_key() {
    let text =
        "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [\n  { name = \"gpt-5\", preveiw = true },\n]\n";
    let (line, column, key, error) = invalid(text);
    assert_eq!((line, column), (4, 21), "{error}");
    assert_eq!(key, "router_versions[0].models[0].preveiw");
    assert!(error.to_string().contains("preveiw"), "{error}");

    let text = "[[router_versions]]\nversion = \"2025-11-18\"\nsupports_routing = \"yes\"\n";
    let (line, _, key, _) = invalid(text);
    assert_eq!((line, key.as_str()), (3, "router_versions[0].supports_routing"));
}

#[test]
fn semantic_errors_point_at_the_offending_entry() {
    // A new model needs its format and version.
    let text = "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [\n  { name = \"gpt-7\" },\n]\n";
    let (line, column, key, error) = invalid(text);
    assert_eq!((line, column, key.as_str()), (4, 3, "router_versions[0].models[0]"));
    assert_eq!(error.to_string(), "new model `gpt-7` of router version `2025-11-18` needs `format`");

    // A format the catalog does not know names the allowed ones.
    let text = "\n[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [ { name = \"m\", format = \"Mistral\", version = \"1\" } ]\n";
    let (line, _, key, error) = invalid(text);
    assert_eq!((line, key.as_str()), (4, "router_versions[0].models[0]"));
    assert!(error.to_string().contains("`Fireworks`"), "{error}");

    // A bad date names its key.
    let text = "[[router_versions]]\nversion = \"2025-11-18\"\nretirement_date = \"2027-02-30\"\n";
    let (line, column, key, error) = invalid(text);
    assert_eq!((line, column, key.as_str()), (3, 19, "router_versions[0].retirement_date"));
    assert!(matches!(error, CatalogError::BadDate { field: "retirement_date", .. }));

    // A new router version needs supports_routing; a bad version string is refused.
    let (line, _, key, error) = invalid("\n\n[[router_versions]]\nversion = \"2026-12-01\"\nmodels = []\n");
    assert_eq!((line, key.as_str()), (3, "router_versions[0]"), "{error}");
    assert!(matches!(error, CatalogError::MissingField { field: "supports_routing", .. }));
    let (_, _, key, error) = invalid("[[router_versions]]\nversion = \"latest\"\n");
    assert_eq!(key, "router_versions[0].version");
    assert!(matches!(error, CatalogError::BadVersion(ref v) if v == "latest"));
}

#[test]
fn conflicts_with_the_embedded_table_are_errors_in_the_file() {
    // An alias that another model already answers to.
    let text = "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [ { format = \"OpenAI\", name = \"x\", version = \"1\", aliases = [\"gpt-5\"] } ]\n";
    let (line, _, _, error) = invalid(text);
    assert_eq!(line, 3);
    assert!(matches!(error, CatalogError::DuplicateModelName { ref name, .. } if name == "gpt-5"), "{error}");
    // The same model twice in the file.
    let text =
        "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [ { name = \"gpt-5\" }, { name = \"GPT-5\" } ]\n";
    assert!(matches!(invalid(text).3, CatalogError::DuplicateModelName { .. }));
    // Two defaults.
    let text = "[[router_versions]]\nversion = \"2025-11-18\"\ndefault = true\n[[router_versions]]\nversion = \"2025-08-07\"\ndefault = true\n";
    let (line, _, key, error) = invalid(text);
    assert_eq!((line, key.as_str()), (6, "router_versions[1].default"));
    assert!(matches!(error, CatalogError::DefaultCount { count: 2 }));
    // A context window for a model no router version has.
    let text = "\n[[context_windows]]\nname = \"nope\"\nversion = \"1\"\ntokens = 1\nsource = \"x\"\n";
    let (line, _, key, error) = invalid(text);
    assert_eq!((line, key.as_str()), (2, "context_windows[0]"), "{error}");
    assert!(matches!(error, CatalogError::OrphanContextWindow { .. }));
    // A model both routed and retired in the file.
    let text = "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [ { name = \"gpt-5\", preview = true } ]\nretired_models = [ { name = \"gpt-5\" } ]\n";
    assert!(matches!(invalid(text).3, CatalogError::RetiredModelStillRouted { .. }));
}

#[test]
fn error_messages_carry_line_column_and_key() {
    let err = catalog().with_overlay("[[router_versions]]\nversion = \"latest\"\n").unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert_eq!(err.key(), Some("router_versions[0].version"));
    assert_eq!(
        err.to_string(),
        "line 2, column 11 (`router_versions[0].version`): router version `latest` is not a date of the form YYYY-MM-DD"
    );
}

#[test]
fn files_are_read_from_disk_and_unreadable_ones_are_errors() {
    let dir = std::env::temp_dir().join(format!("catalog-file-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalog.toml");
    std::fs::write(&path, "table_revision = \"2026-11-11\"\n").unwrap();
    let effective = EffectiveCatalog::from_file(&path).unwrap();
    assert!(!effective.is_embedded());
    assert_eq!(effective.table_revision(), "2026-11-11");
    let missing = EffectiveCatalog::from_file(&dir.join("missing.toml")).unwrap_err();
    assert!(matches!(missing, CatalogFileError::Read { .. }));
    assert!(missing.to_string().contains("missing.toml"), "{missing}");
    assert_eq!(missing.line(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_effective_catalog_defaults_to_the_embedded_one_and_is_a_catalog_source() {
    let embedded = EffectiveCatalog::default();
    assert!(embedded.is_embedded());
    assert!(std::ptr::eq(&*embedded, catalog()));
    let overlaid = EffectiveCatalog::with_overlay("table_revision = \"2026-11-11\"").unwrap();
    let source: Box<dyn CatalogSource> = Box::new(move || overlaid.clone());
    assert_eq!(source.effective_catalog().table_revision(), "2026-11-11");
    // A second file can be laid over an overlaid catalog; the newest file wins.
    let twice = source.effective_catalog().with_overlay("table_revision = \"2026-12-01\"").unwrap();
    assert_eq!(twice.table_revision(), "2026-12-01");
}

#[test]
fn a_second_file_overrides_the_first_without_duplicate_errors() {
    let first = overlay(
        "[[router_versions]]\nversion = \"2025-11-18\"\n\
         models = [ { format = \"OpenAI\", name = \"gpt-6-nova\", version = \"1\" } ]\n\
         retired_models = [ { name = \"o4-mini\" } ]\n\
         [[context_windows]]\nname = \"gpt-6-nova\"\nversion = \"1\"\ntokens = 1000\nsource = \"a\"\n",
    );
    let second = first
        .with_overlay(
            "[[router_versions]]\nversion = \"2025-11-18\"\n\
             models = [ { name = \"gpt-6-nova\", preview = true } ]\n\
             retired_models = [ { name = \"o4-mini\", retired_on = \"2026-10-16\" } ]\n\
             [[context_windows]]\nname = \"gpt-6-nova\"\nversion = \"1\"\ntokens = 2000\nsource = \"b\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let router = second.default_router_version();
    let nova = router.find_model("gpt-6-nova").unwrap();
    assert!(nova.preview);
    assert_eq!(nova.context_window, Some(2000));
    assert!(router.find_retired_model("o4-mini").unwrap().retired_on.is_some());
    // A mistake in the second file is located in the second file.
    let err = first.with_overlay("\n\n[[router_versions]]\nversion = \"nope\"\n").unwrap_err();
    assert_eq!(err.line(), Some(4));
}
