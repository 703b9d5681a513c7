//! "Did you mean" suggestions for a model name a router version does not know.
//!
//! Candidates are ranked in tiers, best first:
//! 1. exact hits after normalising: an alias (`gpt-4.0` → gpt-4o) or the same name without separators
//!    (`gpt5-mini` → gpt-5-mini);
//! 2. small edit distance (typos, transpositions) on lower-cased names and aliases (`claude-sonet-4-5`);
//! 3. prefix or substring matches (`claude-sonnet` → claude-sonnet-4-5), closest length first.

use std::cmp::Reverse;

use crate::data::{ModelEntry, RouterVersion};

/// How many suggestions a caller gets at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// Shortest input for which prefix and substring matches are offered (shorter ones match too much).
const MIN_PARTIAL_LEN: usize = 3;

impl RouterVersion {
    /// Up to three model names near `name`, best first; empty when nothing is close.
    pub fn suggest(&self, name: &str) -> Vec<&str> {
        suggest_among(&self.models, name)
    }
}

/// Ranks `models` by closeness to `name`; see the module documentation.
pub fn suggest_among<'a>(models: &'a [ModelEntry], name: &str) -> Vec<&'a str> {
    let query = name.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let mut ranked: Vec<(Rank, &str)> =
        models.iter().filter_map(|m| rank(m, &query).map(|r| (r, m.name.as_str()))).collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    ranked.into_iter().take(MAX_SUGGESTIONS).map(|(_, n)| n).collect()
}

/// Sort key, lower is better: (tier, distance within the tier, longer shared prefix first).
type Rank = (u8, usize, Reverse<usize>);

fn rank(model: &ModelEntry, query: &str) -> Option<Rank> {
    let spellings: Vec<String> = std::iter::once(&model.name).chain(&model.aliases).map(|s| s.to_lowercase()).collect();
    let query_compact = without_separators(query);
    // Among equally close names, the one sharing the longest start with the query reads as the better guess
    // (`gpt-5.1` is more likely `gpt-5.2` than `gpt-4.1`).
    let shared = Reverse(spellings.iter().map(|s| shared_prefix_len(query, s)).max().unwrap_or(0));

    if spellings.iter().any(|s| s == query || without_separators(s) == query_compact) {
        return Some((0, 0, shared));
    }
    let max_distance = allowed_distance(query);
    let distance = spellings.iter().map(|s| edit_distance(query, s)).min()?;
    if distance <= max_distance {
        return Some((1, distance, shared));
    }
    if query.chars().count() >= MIN_PARTIAL_LEN {
        let partial = spellings
            .iter()
            .filter(|s| s.starts_with(query) || s.contains(query) || query.starts_with(s.as_str()))
            .map(|s| s.chars().count().abs_diff(query.chars().count()))
            .min();
        if let Some(gap) = partial {
            return Some((2, gap, shared));
        }
    }
    None
}

/// Typos tolerated: one for short names, up to three for long ones.
fn allowed_distance(query: &str) -> usize {
    (query.chars().count() / 5).clamp(1, 3)
}

fn shared_prefix_len(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn without_separators(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '-' | '_' | '.' | ' ')).collect()
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one step each
/// (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Three rows suffice: the swap rule looks two rows back.
    let mut before_prev = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(current[j - 1] + 1).min(prev[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_prev[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before_prev, &mut prev);
        std::mem::swap(&mut prev, &mut current);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, aliases: &[&str]) -> ModelEntry {
        ModelEntry {
            format: "OpenAI".into(),
            name: name.into(),
            version: "1".into(),
            preview: false,
            requires_registration: false,
            requires_deployment: false,
            requires_feature: None,
            context_window: None,
            context_window_source: None,
            retirement_date: None,
            retirement_source: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            note: None,
            source: Default::default(),
        }
    }

    #[test]
    fn edit_distance_counts_each_kind_of_step_once() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("gpt-5", "gpt-5"), 0);
        assert_eq!(edit_distance("sonet", "sonnet"), 1); // insertion
        assert_eq!(edit_distance("gpt-4.1", "gpt-4.2"), 1); // substitution
        assert_eq!(edit_distance("gtp-5", "gpt-5"), 1); // swap of neighbours
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn alias_and_separator_free_hits_rank_first() {
        let models = [model("gpt-4.1", &[]), model("gpt-4o", &["gpt-4.0"]), model("gpt-5-mini", &[])];
        assert_eq!(suggest_among(&models, "GPT-4.0")[0], "gpt-4o");
        assert_eq!(suggest_among(&models, "gpt5mini"), vec!["gpt-5-mini"]);
    }

    #[test]
    fn prefix_and_substring_matches_are_offered_last() {
        let models = [model("claude-sonnet-4-5", &[]), model("claude-haiku-4-5", &[]), model("grok-4", &[])];
        assert_eq!(suggest_among(&models, "claude-sonnet"), vec!["claude-sonnet-4-5"]);
        assert_eq!(suggest_among(&models, "haiku"), vec!["claude-haiku-4-5"]);
        // too short for partial matching, too far for edit distance
        assert!(suggest_among(&models, "gr").is_empty());
    }

    #[test]
    fn nothing_close_gives_nothing_and_results_are_capped() {
        let models = [model("a1", &[]), model("a2", &[]), model("a3", &[]), model("a4", &[])];
        assert!(suggest_among(&models, "completely-different").is_empty());
        assert!(suggest_among(&models, "  ").is_empty());
        assert_eq!(suggest_among(&models, "a0").len(), MAX_SUGGESTIONS);
    }
}
