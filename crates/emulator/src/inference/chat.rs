//! A turn rendered as the chat completions API answers: a `chat.completion`, or a stream of
//! `chat.completion.chunk`s ending with the usage chunk (when asked for) and `data: [DONE]`.

use serde_json::{Value, json};

use super::turn::{Reply, Turn, Usage};

/// Chat completions `usage`, with the details Azure reports.
fn usage_json(usage: &Usage) -> Value {
    json!({
        "prompt_tokens": usage.prompt,
        "completion_tokens": usage.completion,
        "total_tokens": usage.total(),
        "prompt_tokens_details": {"cached_tokens": usage.cached, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": usage.reasoning,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    })
}

fn finish_reason(reply: &Reply) -> &'static str {
    match reply {
        Reply::Text(_) => "stop",
        Reply::ToolCall { .. } => "tool_calls",
    }
}

/// Pieces of `text` a few characters long, as a model streams them (whole characters, never split bytes).
fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

pub(crate) struct ChatCompletion {
    id: String,
    created: i64,
    turn: Turn,
}

impl ChatCompletion {
    pub(crate) fn new(turn: Turn) -> ChatCompletion {
        ChatCompletion {
            id: format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
            created: time::OffsetDateTime::now_utc().unix_timestamp(),
            turn,
        }
    }

    /// The whole answer (`"stream"` absent or false).
    pub(crate) fn json(&self) -> Value {
        let message = match &self.turn.reply {
            Reply::Text(text) => json!({"role": "assistant", "content": text}),
            Reply::ToolCall { call_id, name, arguments } => json!({
                "role": "assistant",
                "content": null,
                "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}],
            }),
        };
        json!({
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.turn.model,
            "choices": [{"index": 0, "finish_reason": finish_reason(&self.turn.reply), "message": message}],
            "usage": usage_json(&self.turn.usage),
        })
    }

    fn chunk(&self, choices: Value) -> Value {
        json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.turn.model,
            "choices": choices,
        })
    }

    fn delta(&self, delta: Value) -> Value {
        self.chunk(json!([{"index": 0, "delta": delta, "finish_reason": null}]))
    }

    /// The server-sent events of a streamed answer: a role chunk, the content (a chunk per word) or the tool call
    /// (its name, then its arguments in pieces), the finish chunk, the usage chunk when `include_usage`, then
    /// `[DONE]`.
    pub(crate) fn sse(&self, include_usage: bool) -> String {
        let mut events = Vec::new();
        match &self.turn.reply {
            Reply::Text(text) => {
                events.push(self.delta(json!({"role": "assistant", "content": ""})));
                for word in text.split_inclusive(' ') {
                    events.push(self.delta(json!({"content": word})));
                }
            }
            Reply::ToolCall { call_id, name, arguments } => {
                events.push(self.delta(json!({"role": "assistant", "content": null, "tool_calls": [{
                    "index": 0, "id": call_id, "type": "function", "function": {"name": name, "arguments": ""}
                }]})));
                for piece in pieces(arguments, 8) {
                    events.push(self.delta(json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})));
                }
            }
        }
        events.push(self.chunk(json!([{"index": 0, "delta": {}, "finish_reason": finish_reason(&self.turn.reply)}])));
        if include_usage {
            let mut usage = self.chunk(json!([]));
            usage["usage"] = usage_json(&self.turn.usage);
            events.push(usage);
        }
        let mut out = String::new();
        for event in events {
            out.push_str(&format!("data: {event}\n\n"));
        }
        out.push_str("data: [DONE]\n\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(reply: Reply) -> Turn {
        Turn {
            model: "gpt-5-mini-2025-08-07".into(),
            reply,
            usage: Usage { prompt: 10, cached: 0, completion: 30, reasoning: 24 },
        }
    }

    fn events(stream: &str) -> Vec<Value> {
        let data: Vec<&str> = stream.split("\n\n").filter(|e| !e.is_empty()).collect();
        assert_eq!(data.last(), Some(&"data: [DONE]"));
        data[..data.len() - 1]
            .iter()
            .map(|e| serde_json::from_str(e.strip_prefix("data: ").unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn the_stream_ends_with_usage_then_done() {
        let completion = ChatCompletion::new(turn(Reply::Text("hello there".into())));
        let chunks = events(&completion.sse(true));
        let usage = chunks.last().unwrap();
        assert_eq!(usage["choices"], json!([]));
        assert_eq!(usage["usage"]["total_tokens"], 40);
        assert_eq!(usage["usage"]["completion_tokens_details"]["reasoning_tokens"], 24);
        assert!(!completion.sse(false).contains("\"usage\""));
    }

    #[test]
    fn a_tool_call_streams_its_name_then_its_arguments() {
        let arguments = r#"{"location":"Paris","unit":"celsius"}"#;
        let completion = ChatCompletion::new(turn(Reply::ToolCall {
            call_id: "call_1".into(),
            name: "get_weather".into(),
            arguments: arguments.into(),
        }));
        let chunks = events(&completion.sse(false));
        assert_eq!(chunks[0]["choices"][0]["delta"]["tool_calls"][0]["function"]["name"], "get_weather");
        let streamed: String = chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
            .collect();
        assert_eq!(streamed, arguments);
        assert_eq!(chunks.last().unwrap()["choices"][0]["finish_reason"], "tool_calls");
        let whole = completion.json();
        assert_eq!(whole["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"], arguments);
        assert_eq!(whole["choices"][0]["message"]["content"], Value::Null);
    }
}
