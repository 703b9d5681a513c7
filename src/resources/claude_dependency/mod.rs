//! Resource `modelrouter_claude_dependency`: a Claude deployment a router may route to. Claude models are the
//! one exception to "the router needs no separate deployment": each must be deployed in the same account with
//! the same SKU name before a router's subset may name it.

pub mod guard;

pub use guard::check_deployed;
