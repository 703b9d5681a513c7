//! Dispatch of gRPC requests to the plugin's three services by the service part of the path
//! (`/<package.Service>/<Method>`). tonic's own `Router` does the same through axum; this keeps a web framework out
//! of the provider binary.

use std::convert::Infallible;
use std::task::{Context, Poll};

use tonic::body::Body;
use tonic::codegen::http::{Request, Response};
use tonic::codegen::{BoxFuture, Service};
use tonic::server::NamedService;

use tonic_health::pb::health_server::{Health, HealthServer};

use crate::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::proto::tfplugin5::provider_server::{Provider as ProviderRpc, ProviderServer};

/// `tfplugin5.Provider`, `plugin.GRPCController` and `grpc.health.v1.Health`, served on one connection.
pub(crate) struct PluginServices<P, C, H> {
    pub provider: ProviderServer<P>,
    pub controller: GrpcControllerServer<C>,
    pub health: HealthServer<H>,
}

// Not derived: the generated servers share their implementation through an Arc, so they clone whatever P, C, H are.
impl<P, C, H> Clone for PluginServices<P, C, H> {
    fn clone(&self) -> Self {
        PluginServices {
            provider: self.provider.clone(),
            controller: self.controller.clone(),
            health: self.health.clone(),
        }
    }
}

/// The `package.Service` of a gRPC request path, if it has the `/<service>/<method>` shape.
fn service_name(path: &str) -> Option<&str> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    (!service.is_empty() && !method.is_empty() && !method.contains('/')).then_some(service)
}

impl<P: ProviderRpc, C: GrpcController, H: Health> Service<Request<Body>> for PluginServices<P, C, H> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Response<Body>, Infallible>;

    /// The generated servers are always ready (they spawn nothing and hold no capacity).
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        match service_name(request.uri().path()) {
            Some(ProviderServer::<P>::NAME) => self.provider.call(request),
            Some(GrpcControllerServer::<C>::NAME) => self.controller.call(request),
            Some(HealthServer::<H>::NAME) => self.health.call(request),
            _ => {
                let path = request.uri().path().to_owned();
                Box::pin(async move {
                    Ok(tonic::Status::unimplemented(format!("no gRPC service serves {path}")).into_http())
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_is_the_first_path_segment_of_a_grpc_path() {
        assert_eq!(service_name("/tfplugin5.Provider/GetSchema"), Some("tfplugin5.Provider"));
        assert_eq!(service_name("/grpc.health.v1.Health/Check"), Some("grpc.health.v1.Health"));
        for not_grpc in ["", "/", "/tfplugin5.Provider", "/tfplugin5.Provider/", "//GetSchema", "/a/b/c", "x/y"] {
            assert_eq!(service_name(not_grpc), None, "{not_grpc:?}");
        }
    }
}
