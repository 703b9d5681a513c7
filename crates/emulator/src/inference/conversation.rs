//! A request of either API (chat completions `messages`, Responses `input`) read into one shape: the text seen so
//! far, what the last turn was, the function tools offered, the tool choice and the reasoning effort.

use std::collections::HashMap;

use serde_json::Value;

use super::errors::InferenceError;

/// A function the caller offers the model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FunctionTool {
    pub(crate) name: String,
    /// Its JSON schema (`{"type": "object", "properties": ...}`), possibly null.
    pub(crate) parameters: Value,
}

/// `tool_choice`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ToolChoice {
    None,
    Auto,
    Required,
    Function(String),
}

/// `reasoning_effort` (chat) or `reasoning.effort` (Responses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Effort {
    None,
    Minimal,
    Low,
    Medium,
    High,
    XHigh,
}

/// The values Azure documents for `ReasoningEffort`.
const EFFORTS: [&str; 6] = ["none", "minimal", "low", "medium", "high", "xhigh"];

impl Effort {
    fn parse(param: &str, value: &Value) -> Result<Option<Effort>, InferenceError> {
        let text = match value {
            Value::Null => return Ok(None),
            Value::String(s) => s.as_str(),
            other => return Err(InferenceError::invalid_value(param, &other.to_string(), &EFFORTS)),
        };
        let effort = match text {
            "none" => Effort::None,
            "minimal" => Effort::Minimal,
            "low" => Effort::Low,
            "medium" => Effort::Medium,
            "high" => Effort::High,
            "xhigh" => Effort::XHigh,
            other => return Err(InferenceError::invalid_value(param, other, &EFFORTS)),
        };
        Ok(Some(effort))
    }
}

/// What the conversation ends with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LastTurn {
    /// The user spoke last (this text).
    User(String),
    /// A tool result came back for the function `name` (when the history names it).
    ToolResult { name: Option<String>, output: String },
    /// A system or assistant message.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Conversation {
    /// Every message's text: what routing hashes and token counts are based on.
    pub(crate) text: String,
    pub(crate) last: LastTurn,
    pub(crate) tools: Vec<FunctionTool>,
    pub(crate) tool_choice: ToolChoice,
    pub(crate) effort: Option<Effort>,
    pub(crate) stream: bool,
}

/// The text of a `content`: a string, or the `text` of each part (`text`, `input_text`, `output_text`).
fn content_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join(""),
        _ => String::new(),
    }
}

/// Which API's spelling a request uses: chat nests a function tool under `function` and says `reasoning_effort`;
/// Responses keeps tools flat and says `reasoning.effort`.
#[derive(Clone, Copy)]
enum Dialect {
    Chat,
    Responses,
}

fn read_tools(request: &Value, dialect: Dialect) -> Result<Vec<FunctionTool>, InferenceError> {
    let Some(tools) = request.get("tools").filter(|t| !t.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(tools) = tools.as_array() else {
        return Err(InferenceError::invalid("tools", "'tools' must be an array of tool definitions."));
    };
    let mut functions = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        if tool["type"] != "function" {
            // Built-in tools (web search, code interpreter, ...) are accepted and never called by the emulator.
            continue;
        }
        let function = match dialect {
            Dialect::Chat => &tool["function"],
            Dialect::Responses => tool,
        };
        let Some(name) = function["name"].as_str().filter(|n| !n.is_empty()) else {
            let param = match dialect {
                Dialect::Chat => format!("tools[{i}].function.name"),
                Dialect::Responses => format!("tools[{i}].name"),
            };
            return Err(InferenceError::invalid(&param, format!("Missing required parameter: '{param}'.")));
        };
        functions.push(FunctionTool { name: name.to_owned(), parameters: function["parameters"].clone() });
    }
    Ok(functions)
}

fn read_tool_choice(request: &Value, dialect: Dialect, tools: &[FunctionTool]) -> Result<ToolChoice, InferenceError> {
    const CHOICES: [&str; 3] = ["none", "auto", "required"];
    let choice = match &request["tool_choice"] {
        Value::Null => return Ok(if tools.is_empty() { ToolChoice::None } else { ToolChoice::Auto }),
        Value::String(s) => match s.as_str() {
            "none" => ToolChoice::None,
            "auto" => ToolChoice::Auto,
            "required" => ToolChoice::Required,
            other => return Err(InferenceError::invalid_value("tool_choice", other, &CHOICES)),
        },
        Value::Object(_) => {
            let named = match dialect {
                Dialect::Chat => &request["tool_choice"]["function"]["name"],
                Dialect::Responses => &request["tool_choice"]["name"],
            };
            let Some(name) = named.as_str() else {
                return Err(InferenceError::invalid(
                    "tool_choice",
                    "'tool_choice' must be 'none', 'auto', 'required' or name a function.",
                ));
            };
            if !tools.iter().any(|t| t.name == name) {
                return Err(InferenceError::invalid(
                    "tool_choice",
                    format!("Invalid value for 'tool_choice': no function named '{name}' was specified in 'tools'."),
                ));
            }
            ToolChoice::Function(name.to_owned())
        }
        other => return Err(InferenceError::invalid_value("tool_choice", &other.to_string(), &CHOICES)),
    };
    if choice != ToolChoice::None && choice != ToolChoice::Auto && tools.is_empty() {
        return Err(InferenceError::invalid(
            "tool_choice",
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        ));
    }
    Ok(choice)
}

impl Conversation {
    /// The conversation read so far, with what the request sets beside it: tools, tool choice, effort, stream.
    fn with_options(
        request: &Value,
        dialect: Dialect,
        text: String,
        last: LastTurn,
    ) -> Result<Conversation, InferenceError> {
        let tools = read_tools(request, dialect)?;
        let effort = match dialect {
            Dialect::Chat => Effort::parse("reasoning_effort", &request["reasoning_effort"])?,
            Dialect::Responses => Effort::parse("reasoning.effort", &request["reasoning"]["effort"])?,
        };
        Ok(Conversation {
            text,
            last,
            tool_choice: read_tool_choice(request, dialect, &tools)?,
            tools,
            effort,
            stream: request["stream"].as_bool() == Some(true),
        })
    }

    /// A chat completions request: `messages` (system, user, assistant with `tool_calls`, tool), `tools`,
    /// `tool_choice`, `reasoning_effort`, `stream`.
    pub(crate) fn from_chat(request: &Value) -> Result<Conversation, InferenceError> {
        let Some(messages) = request["messages"].as_array().filter(|m| !m.is_empty()) else {
            return Err(InferenceError::invalid("messages", "'messages' must be a non-empty array."));
        };
        let mut text = String::new();
        let mut call_names: HashMap<String, String> = HashMap::new();
        let mut last = LastTurn::Other;
        for message in messages {
            let content = content_text(&message["content"]);
            text.push_str(&content);
            text.push('\n');
            for call in message["tool_calls"].as_array().into_iter().flatten() {
                if let (Some(id), Some(name)) = (call["id"].as_str(), call["function"]["name"].as_str()) {
                    call_names.insert(id.to_owned(), name.to_owned());
                }
            }
            last = match message["role"].as_str() {
                Some("user") => LastTurn::User(content),
                Some("tool") => LastTurn::ToolResult {
                    name: message["tool_call_id"].as_str().and_then(|id| call_names.get(id)).cloned(),
                    output: content,
                },
                _ => LastTurn::Other,
            };
        }
        Conversation::with_options(request, Dialect::Chat, text, last)
    }

    /// A Responses request: `instructions`, `input` (a string, or items: messages, `function_call`,
    /// `function_call_output`), `tools`, `tool_choice`, `reasoning.effort`, `stream`.
    pub(crate) fn from_responses(request: &Value) -> Result<Conversation, InferenceError> {
        let mut text = request["instructions"].as_str().map(|i| format!("{i}\n")).unwrap_or_default();
        let mut last = LastTurn::Other;
        match &request["input"] {
            Value::String(s) if !s.is_empty() => {
                text.push_str(s);
                text.push('\n');
                last = LastTurn::User(s.clone());
            }
            Value::Array(items) if !items.is_empty() => {
                let mut call_names: HashMap<String, String> = HashMap::new();
                for item in items {
                    match item["type"].as_str() {
                        Some("function_call") => {
                            if let (Some(id), Some(name)) = (item["call_id"].as_str(), item["name"].as_str()) {
                                call_names.insert(id.to_owned(), name.to_owned());
                            }
                            last = LastTurn::Other;
                        }
                        Some("function_call_output") => {
                            let output = match &item["output"] {
                                Value::String(s) => s.clone(),
                                other => content_text(other),
                            };
                            text.push_str(&output);
                            text.push('\n');
                            last = LastTurn::ToolResult {
                                name: item["call_id"].as_str().and_then(|id| call_names.get(id)).cloned(),
                                output,
                            };
                        }
                        _ => {
                            let content = content_text(&item["content"]);
                            text.push_str(&content);
                            text.push('\n');
                            last = if item["role"] == "user" { LastTurn::User(content) } else { LastTurn::Other };
                        }
                    }
                }
            }
            _ => {
                return Err(InferenceError::invalid(
                    "input",
                    "'input' must be a non-empty string or a non-empty array of input items.",
                ));
            }
        }
        Conversation::with_options(request, Dialect::Responses, text, last)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn weather_tool() -> Value {
        json!({"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}})
    }

    #[test]
    fn chat_history_with_a_tool_result() {
        let conversation = Conversation::from_chat(&json!({
            "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
            ],
            "tools": [weather_tool()],
        }))
        .unwrap();
        assert_eq!(
            conversation.last,
            LastTurn::ToolResult { name: Some("get_weather".into()), output: "sunny".into() }
        );
        assert_eq!(conversation.tool_choice, ToolChoice::Auto);
        assert_eq!(conversation.tools[0].name, "get_weather");
    }

    #[test]
    fn bad_values_name_the_parameter_and_the_allowed_values() {
        let ask = |extra: Value| {
            let mut request = json!({"messages": [{"role": "user", "content": "hi"}]});
            request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            Conversation::from_chat(&request).unwrap_err()
        };
        let InferenceError::InvalidRequest { param, message, .. } = ask(json!({"reasoning_effort": "extreme"})) else {
            panic!("an invalid request")
        };
        assert_eq!(param.as_deref(), Some("reasoning_effort"));
        assert!(message.contains("'extreme'") && message.contains("'minimal'"), "{message}");
        let error =
            ask(json!({"tools": [weather_tool()], "tool_choice": {"type": "function", "function": {"name": "nope"}}}));
        assert!(matches!(error, InferenceError::InvalidRequest { ref message, .. } if message.contains("'nope'")));
        let error = ask(json!({"tool_choice": "required"}));
        assert!(matches!(error, InferenceError::InvalidRequest { ref message, .. } if message.contains("'tools'")));
        assert!(Conversation::from_chat(&json!({"messages": []})).is_err());
    }

    #[test]
    fn responses_input_forms() {
        let plain = Conversation::from_responses(&json!({"input": "Hello", "instructions": "Be brief."})).unwrap();
        assert_eq!(plain.last, LastTurn::User("Hello".into()));
        assert!(plain.text.starts_with("Be brief.\n"));
        let items = Conversation::from_responses(&json!({
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "Weather?"}]},
                {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "c1", "output": "rain"},
            ],
            "reasoning": {"effort": "low"},
        }))
        .unwrap();
        assert_eq!(items.last, LastTurn::ToolResult { name: Some("get_weather".into()), output: "rain".into() });
        assert_eq!(items.effort, Some(Effort::Low));
        assert!(Conversation::from_responses(&json!({"input": ""})).is_err());
    }
}
