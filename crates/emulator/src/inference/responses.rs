//! A turn rendered as the Responses API answers: a `response` object whose `output` holds a reasoning item (for
//! reasoning models), then a `message` with `output_text` or a `function_call`; or, streamed, the semantic events
//! from `response.created` to `response.completed` (each with its `sequence_number`, no `[DONE]`).

use serde_json::{Value, json};

use super::turn::{Reply, Turn, Usage};

fn usage_json(usage: &Usage) -> Value {
    json!({
        "input_tokens": usage.prompt,
        "input_tokens_details": {"cached_tokens": usage.cached},
        "output_tokens": usage.completion,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning},
        "total_tokens": usage.total(),
    })
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// One item of `output`, in its finished form.
enum OutputItem {
    Reasoning { id: String },
    Message { id: String, text: String },
    FunctionCall { id: String, call_id: String, name: String, arguments: String },
}

impl OutputItem {
    fn json(&self) -> Value {
        match self {
            OutputItem::Reasoning { id } => json!({"type": "reasoning", "id": id, "summary": []}),
            OutputItem::Message { id, text } => json!({
                "type": "message", "id": id, "status": "completed", "role": "assistant",
                "content": [output_text(text)],
            }),
            OutputItem::FunctionCall { id, call_id, name, arguments } => json!({
                "type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": arguments,
                "status": "completed",
            }),
        }
    }

    /// The item as `response.output_item.added` announces it: nothing generated yet.
    fn started(&self) -> Value {
        let mut item = self.json();
        match self {
            OutputItem::Reasoning { .. } => {}
            OutputItem::Message { .. } => {
                item["status"] = json!("in_progress");
                item["content"] = json!([]);
            }
            OutputItem::FunctionCall { .. } => {
                item["status"] = json!("in_progress");
                item["arguments"] = json!("");
            }
        }
        item
    }
}

fn output_text(text: &str) -> Value {
    json!({"type": "output_text", "text": text, "annotations": [], "logprobs": []})
}

pub(crate) struct ResponseObject {
    id: String,
    created_at: i64,
    turn: Turn,
    output: Vec<OutputItem>,
    /// What the request set that the response echoes.
    instructions: Value,
    tools: Value,
    tool_choice: Value,
    effort: Value,
}

impl ResponseObject {
    pub(crate) fn new(turn: Turn, request: &Value) -> ResponseObject {
        let mut output = Vec::new();
        if turn.usage.reasoning > 0 {
            output.push(OutputItem::Reasoning { id: new_id("rs") });
        }
        output.push(match &turn.reply {
            Reply::Text(text) => OutputItem::Message { id: new_id("msg"), text: text.clone() },
            Reply::ToolCall { call_id, name, arguments } => OutputItem::FunctionCall {
                id: new_id("fc"),
                call_id: call_id.clone(),
                name: name.clone(),
                arguments: arguments.clone(),
            },
        });
        let or = |value: &Value, default: Value| if value.is_null() { default } else { value.clone() };
        ResponseObject {
            id: new_id("resp"),
            created_at: time::OffsetDateTime::now_utc().unix_timestamp(),
            output,
            instructions: request["instructions"].clone(),
            tools: or(&request["tools"], json!([])),
            tool_choice: or(&request["tool_choice"], json!("auto")),
            effort: request["reasoning"]["effort"].clone(),
            turn,
        }
    }

    /// The response object; `done` false gives its `in_progress` form (no output, no usage yet).
    fn body(&self, done: bool) -> Value {
        json!({
            "id": self.id,
            "object": "response",
            "created_at": self.created_at,
            "status": if done { "completed" } else { "in_progress" },
            "completed_at": if done { json!(self.created_at) } else { Value::Null },
            "error": null,
            "incomplete_details": null,
            "instructions": self.instructions,
            "max_output_tokens": null,
            "model": self.turn.model,
            "output": if done { self.output.iter().map(OutputItem::json).collect() } else { vec![] },
            "parallel_tool_calls": true,
            "previous_response_id": null,
            "reasoning": {"effort": self.effort, "summary": null},
            "store": true,
            "temperature": 1.0,
            "text": {"format": {"type": "text"}},
            "tool_choice": self.tool_choice,
            "tools": self.tools,
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": if done { usage_json(&self.turn.usage) } else { Value::Null },
            "user": null,
            "metadata": {},
        })
    }

    /// The whole answer (`"stream"` absent or false).
    pub(crate) fn json(&self) -> Value {
        self.body(true)
    }

    /// The streamed answer as server-sent events (`event: <type>` and `data: <json>`).
    pub(crate) fn sse(&self) -> String {
        let mut events = vec![
            json!({"type": "response.created", "response": self.body(false)}),
            json!({"type": "response.in_progress", "response": self.body(false)}),
        ];
        for (index, item) in self.output.iter().enumerate() {
            events.push(json!({"type": "response.output_item.added", "output_index": index, "item": item.started()}));
            match item {
                OutputItem::Reasoning { .. } => {}
                OutputItem::Message { id, text } => {
                    // Every content event names the item, its place in `output` and the content part.
                    let event = |kind: &str, mut fields: Value| {
                        fields["type"] = json!(kind);
                        fields["item_id"] = json!(id);
                        fields["output_index"] = json!(index);
                        fields["content_index"] = json!(0);
                        fields
                    };
                    events.push(event("response.content_part.added", json!({"part": output_text("")})));
                    for word in text.split_inclusive(' ') {
                        events.push(event("response.output_text.delta", json!({"delta": word, "logprobs": []})));
                    }
                    events.push(event("response.output_text.done", json!({"text": text, "logprobs": []})));
                    events.push(event("response.content_part.done", json!({"part": output_text(text)})));
                }
                OutputItem::FunctionCall { id, name, arguments, .. } => {
                    let chars: Vec<char> = arguments.chars().collect();
                    for piece in chars.chunks(8) {
                        events.push(json!({"type": "response.function_call_arguments.delta", "item_id": id,
                            "output_index": index, "delta": piece.iter().collect::<String>()}));
                    }
                    events.push(json!({"type": "response.function_call_arguments.done", "item_id": id,
                        "output_index": index, "name": name, "arguments": arguments}));
                }
            }
            events.push(json!({"type": "response.output_item.done", "output_index": index, "item": item.json()}));
        }
        events.push(json!({"type": "response.completed", "response": self.body(true)}));
        let mut out = String::new();
        for (sequence_number, mut event) in events.into_iter().enumerate() {
            event["sequence_number"] = json!(sequence_number);
            out.push_str(&format!("event: {}\ndata: {event}\n\n", event["type"].as_str().unwrap_or_default()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(reply: Reply, reasoning: u64) -> ResponseObject {
        let turn = Turn {
            model: "gpt-5-mini-2025-08-07".into(),
            reply,
            usage: Usage { prompt: 12, cached: 0, completion: 40, reasoning },
        };
        ResponseObject::new(turn, &json!({"input": "hi"}))
    }

    fn events(stream: &str) -> Vec<(String, Value)> {
        stream
            .split("\n\n")
            .filter(|e| !e.is_empty())
            .map(|e| {
                let (event, data) = e.split_once('\n').unwrap();
                (
                    event.strip_prefix("event: ").unwrap().to_owned(),
                    serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn text_output_after_a_reasoning_item() {
        let body = response(Reply::Text("Paris is sunny".into()), 30).json();
        assert_eq!(body["status"], "completed");
        assert_eq!(body["output"][0]["type"], "reasoning");
        assert_eq!(
            body["output"][1]["content"][0],
            json!({"type": "output_text", "text": "Paris is sunny", "annotations": [], "logprobs": []})
        );
        assert_eq!(body["usage"]["output_tokens_details"]["reasoning_tokens"], 30);
        assert_eq!(body["usage"]["total_tokens"], 52);
        let plain = response(Reply::Text("x".into()), 0).json();
        assert_eq!(plain["output"][0]["type"], "message", "no reasoning item without reasoning");
    }

    #[test]
    fn the_stream_runs_from_created_to_completed_in_sequence() {
        let stream = response(Reply::Text("Paris is sunny".into()), 0).sse();
        let events = events(&stream);
        let types: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            types[..4],
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
        );
        assert_eq!(
            types[types.len() - 4..],
            [
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.completed"
            ]
        );
        for (i, (kind, data)) in events.iter().enumerate() {
            assert_eq!(data["type"], kind.as_str());
            assert_eq!(data["sequence_number"], i);
        }
        let text: String = events
            .iter()
            .filter(|(t, _)| t == "response.output_text.delta")
            .map(|(_, d)| d["delta"].as_str().unwrap())
            .collect();
        assert_eq!(text, "Paris is sunny");
        assert_eq!(events[0].1["response"]["status"], "in_progress");
        assert!(!stream.contains("[DONE]"));
    }

    #[test]
    fn a_function_call_streams_its_arguments() {
        let arguments = r#"{"location":"Paris"}"#;
        let stream = response(
            Reply::ToolCall { call_id: "call_1".into(), name: "get_weather".into(), arguments: arguments.into() },
            0,
        )
        .sse();
        let events = events(&stream);
        let streamed: String = events
            .iter()
            .filter(|(t, _)| t == "response.function_call_arguments.delta")
            .map(|(_, d)| d["delta"].as_str().unwrap())
            .collect();
        assert_eq!(streamed, arguments);
        let done = &events.last().unwrap().1["response"]["output"][0];
        assert_eq!((done["type"].as_str(), done["call_id"].as_str()), (Some("function_call"), Some("call_1")));
    }
}
