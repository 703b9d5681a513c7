//! The fake provider served over loopback gRPC (plaintext) with a generated client, and the value helpers the
//! in-process tests share.

use std::sync::Arc;

use tf_provider::proto::tfplugin5 as pb;
use tf_provider::proto::tfplugin5::provider_client::ProviderClient;
use tf_provider::server::serve_listener;
use tf_provider::value::msgpack;
use tf_provider::{Type, Value};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

use super::fake::{FakeProvider, FakeThing};

pub struct Harness {
    pub client: ProviderClient<Channel>,
    pub channel: Channel,
    pub provider: Arc<FakeProvider>,
    pub server: JoinHandle<()>,
    pub shutdown: CancellationToken,
}

pub async fn start() -> Harness {
    start_with(FakeProvider::default()).await
}

pub async fn start_with(provider: FakeProvider) -> Harness {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let provider = Arc::new(provider);
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(serve_listener(provider.clone(), listener, None, shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    Harness { client: ProviderClient::new(channel.clone()), channel, provider, server, shutdown }
}

pub fn thing_type() -> Type {
    FakeThing::schema_block().value_type()
}

pub fn dv(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue { msgpack: msgpack::encode(value, ty).unwrap(), json: vec![] })
}

pub fn undv(value: Option<pb::DynamicValue>, ty: &Type) -> Value {
    msgpack::decode(&value.expect("a DynamicValue").msgpack, ty).unwrap()
}
