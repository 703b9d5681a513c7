//! What the answering model says — text, or a call of one of the offered functions — and the token usage Azure
//! reports for it, the same for both APIs.

use std::collections::HashSet;
use std::sync::Mutex;

use serde_json::{Map, Value, json};

use super::conversation::{Conversation, Effort, FunctionTool, LastTurn, ToolChoice};
use super::routing::is_reasoning_model;

/// The model's reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    Text(String),
    /// A function call: `arguments` is a JSON object as a string, as the APIs carry it.
    ToolCall {
        call_id: String,
        name: String,
        arguments: String,
    },
}

/// Token counts as the APIs report them; `completion` includes `reasoning`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Usage {
    pub(crate) prompt: u64,
    pub(crate) cached: u64,
    pub(crate) completion: u64,
    pub(crate) reasoning: u64,
}

impl Usage {
    pub(crate) fn total(&self) -> u64 {
        self.prompt + self.completion
    }
}

/// One answer: who answered (as Azure spells it), what it said and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Turn {
    pub(crate) model: String,
    pub(crate) reply: Reply,
    pub(crate) usage: Usage,
}

/// A rough token count (about four characters a token), enough for usage figures.
pub(crate) fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

fn excerpt(text: &str) -> String {
    text.trim().chars().take(60).collect()
}

/// The words of a function name (`get_weather`, `lookupOrder`) long enough to mean something on their own.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || (c.is_uppercase() && !current.is_empty()) {
            words.push(std::mem::take(&mut current));
        }
        if c.is_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        }
    }
    words.push(current);
    words.retain(|w| w.len() >= 4);
    words
}

/// The offered function the user's message asks for: its name, or a word of it of four letters or more
/// (`get_weather` for "What is the weather in Paris?").
fn asked_for<'a>(tools: &'a [FunctionTool], user_text: &str) -> Option<&'a FunctionTool> {
    let said = user_text.to_lowercase();
    tools.iter().find(|tool| {
        said.contains(&tool.name.to_lowercase()) || name_words(&tool.name).iter().any(|w| said.contains(w.as_str()))
    })
}

/// Example arguments for a function's schema: each required property (all when none are required) gets a
/// value of its type; strings take the last capitalised word of the user's message (a name or a place), else
/// `example`; an `enum` gives its first value.
fn example_arguments(parameters: &Value, user_text: &str) -> Value {
    let properties = parameters["properties"].as_object().cloned().unwrap_or_default();
    let required: Vec<&str> =
        parameters["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let proper_noun = user_text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .skip(1)
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
        .last()
        .unwrap_or("example")
        .to_owned();
    let mut arguments = Map::new();
    for (name, schema) in &properties {
        if !required.is_empty() && !required.contains(&name.as_str()) {
            continue;
        }
        let value = if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
            first.clone()
        } else {
            match schema["type"].as_str() {
                Some("integer") | Some("number") => json!(1),
                Some("boolean") => json!(true),
                Some("array") => json!([]),
                Some("object") => json!({}),
                _ => json!(proper_noun),
            }
        };
        arguments.insert(name.clone(), value);
    }
    Value::Object(arguments)
}

fn call(tool: &FunctionTool, user_text: &str) -> Reply {
    Reply::ToolCall {
        call_id: format!("call_{}", uuid::Uuid::new_v4().simple()),
        name: tool.name.clone(),
        arguments: example_arguments(&tool.parameters, user_text).to_string(),
    }
}

/// Text or a function call: a named `tool_choice` or `required` always calls (the asked-for function, else the
/// first); `auto` calls when the user's last message asks for an offered function; a tool result is answered
/// with text that quotes it.
fn reply(conversation: &Conversation, model: &str, deployment: &str) -> Reply {
    let user_text = match &conversation.last {
        LastTurn::User(text) => text.as_str(),
        _ => "",
    };
    let tools = &conversation.tools;
    let forced = match &conversation.tool_choice {
        ToolChoice::None => None,
        ToolChoice::Function(name) => tools.iter().find(|t| &t.name == name),
        ToolChoice::Required => asked_for(tools, user_text).or(tools.first()),
        ToolChoice::Auto if user_text.is_empty() => None,
        ToolChoice::Auto => asked_for(tools, user_text),
    };
    if let Some(tool) = forced {
        return call(tool, user_text);
    }
    Reply::Text(match &conversation.last {
        LastTurn::ToolResult { name, output } => format!(
            "Emulated answer from {model} (deployment {deployment}) using the result of {}: {}",
            name.as_deref().unwrap_or("the tool"),
            excerpt(output)
        ),
        LastTurn::User(text) => format!("Emulated answer from {model} (deployment {deployment}) to: {}", excerpt(text)),
        LastTurn::Other => {
            format!("Emulated answer from {model} (deployment {deployment}) to: {}", excerpt(&conversation.text))
        }
    })
}

/// Prompts seen per deployment, for `cached_tokens`: as on Azure, a prompt of 1,024 tokens or more whose
/// beginning was sent before is partly served from cache (1,024 tokens, then whole 128-token blocks).
#[derive(Default)]
pub(crate) struct PromptCache {
    seen: Mutex<HashSet<u64>>,
}

/// How many entries the cache keeps before it starts over (the emulator runs for hours in pipelines).
const PROMPT_CACHE_LIMIT: usize = 10_000;

impl PromptCache {
    fn cached_tokens(&self, scope: &str, prompt: &str) -> u64 {
        let prompt_tokens = tokens(prompt);
        if prompt_tokens < 1024 {
            return 0;
        }
        let cacheable = 1024 + (prompt_tokens - 1024) / 128 * 128;
        let prefix: String = prompt.chars().take((cacheable * 4) as usize).collect();
        let key = super::routing::fnv1a(&format!("{scope}\n{prefix}"), 4);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= PROMPT_CACHE_LIMIT {
            seen.clear();
        }
        if seen.insert(key) { 0 } else { cacheable }
    }
}

impl Turn {
    /// `model` answers `conversation` sent to `deployment` (`scope` identifies the deployment for the cache).
    pub(crate) fn new(
        conversation: &Conversation,
        model: &str,
        deployment: &str,
        scope: &str,
        cache: &PromptCache,
    ) -> Turn {
        let reply = reply(conversation, model, deployment);
        let visible = match &reply {
            Reply::Text(text) => tokens(text),
            Reply::ToolCall { name, arguments, .. } => tokens(name) + tokens(arguments),
        };
        // Reasoning models think before answering unless told not to; how much grows with the effort.
        let reasoning = if is_reasoning_model(model) {
            match conversation.effort.unwrap_or(Effort::Medium) {
                Effort::None | Effort::Minimal => 0,
                Effort::Low => visible,
                Effort::Medium => 4 * visible,
                Effort::High => 16 * visible,
                Effort::XHigh => 32 * visible,
            }
        } else {
            0
        };
        let tool_tokens: u64 =
            conversation.tools.iter().map(|t| tokens(&t.name) + tokens(&t.parameters.to_string())).sum();
        let usage = Usage {
            prompt: tokens(&conversation.text) + tool_tokens,
            cached: cache.cached_tokens(scope, &conversation.text),
            completion: visible + reasoning,
            reasoning,
        };
        Turn { model: model.to_owned(), reply, usage }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(user: &str, tools: &[(&str, Value)], choice: ToolChoice) -> Conversation {
        Conversation {
            text: format!("{user}\n"),
            last: LastTurn::User(user.to_owned()),
            tools: tools.iter().map(|(n, p)| FunctionTool { name: (*n).to_owned(), parameters: p.clone() }).collect(),
            tool_choice: choice,
            effort: None,
            stream: false,
        }
    }

    fn weather() -> (&'static str, Value) {
        (
            "get_weather",
            json!({"type": "object", "properties": {
                "location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer"}}, "required": ["location", "unit"]}),
        )
    }

    #[test]
    fn auto_calls_the_function_the_user_asks_for() {
        let turn = Turn::new(
            &conversation("What is the weather in Paris today?", &[weather()], ToolChoice::Auto),
            "gpt-4.1-2025-04-14",
            "router",
            "s",
            &PromptCache::default(),
        );
        let Reply::ToolCall { name, arguments, call_id } = turn.reply else { panic!("{:?}", turn.reply) };
        assert_eq!(name, "get_weather");
        assert!(call_id.starts_with("call_"));
        let arguments: Value = serde_json::from_str(&arguments).unwrap();
        assert_eq!(arguments, json!({"location": "Paris", "unit": "celsius"}), "required properties only");
    }

    #[test]
    fn auto_answers_text_when_no_function_is_asked_for_and_none_never_calls() {
        let cache = PromptCache::default();
        let auto = Turn::new(&conversation("Tell me a joke", &[weather()], ToolChoice::Auto), "m", "d", "s", &cache);
        assert!(matches!(auto.reply, Reply::Text(_)));
        let none = Turn::new(&conversation("The weather?", &[weather()], ToolChoice::None), "m", "d", "s", &cache);
        assert!(matches!(none.reply, Reply::Text(_)));
        let required =
            Turn::new(&conversation("Tell me a joke", &[weather()], ToolChoice::Required), "m", "d", "s", &cache);
        assert!(matches!(required.reply, Reply::ToolCall { .. }));
    }

    #[test]
    fn a_tool_result_is_answered_with_text_quoting_it() {
        let mut c = conversation("", &[weather()], ToolChoice::Auto);
        c.last = LastTurn::ToolResult { name: Some("get_weather".into()), output: "18 degrees, sunny".into() };
        let turn = Turn::new(&c, "gpt-4.1-2025-04-14", "router", "s", &PromptCache::default());
        let Reply::Text(text) = turn.reply else { panic!("text") };
        assert!(text.contains("get_weather") && text.contains("18 degrees, sunny"), "{text}");
    }

    #[test]
    fn reasoning_tokens_follow_the_model_and_the_effort() {
        let cache = PromptCache::default();
        let mut c = conversation("Prove it", &[], ToolChoice::None);
        let plain = Turn::new(&c, "gpt-4.1-2025-04-14", "d", "s", &cache).usage;
        assert_eq!(plain.reasoning, 0);
        let medium = Turn::new(&c, "gpt-5-mini-2025-08-07", "d", "s", &cache).usage;
        c.effort = Some(Effort::High);
        let high = Turn::new(&c, "gpt-5-mini-2025-08-07", "d", "s", &cache).usage;
        c.effort = Some(Effort::Minimal);
        let minimal = Turn::new(&c, "gpt-5-mini-2025-08-07", "d", "s", &cache).usage;
        assert!(high.reasoning > medium.reasoning && medium.reasoning > 0 && minimal.reasoning == 0);
        assert!(medium.completion > medium.reasoning, "completion tokens include the reasoning and the answer");
    }

    #[test]
    fn a_long_prompt_sent_again_is_partly_cached() {
        let cache = PromptCache::default();
        let long = "word ".repeat(1200); // 6000 characters, 1500 tokens
        assert_eq!(cache.cached_tokens("d1", &long), 0, "first time");
        assert_eq!(cache.cached_tokens("d1", &long), 1408, "1024 + 3 blocks of 128");
        assert_eq!(cache.cached_tokens("d2", &long), 0, "another deployment has its own cache");
        assert_eq!(cache.cached_tokens("d1", "short"), 0);
        assert_eq!(cache.cached_tokens("d1", "short"), 0, "short prompts are never cached");
    }
}
