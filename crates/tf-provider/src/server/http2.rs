//! gRPC's HTTP/2 transport, on the `h2` crate directly.
//!
//! The plugin only ever serves one client (Terraform, over loopback) with unary RPCs, so it needs none of what a
//! general HTTP server brings: this module turns each HTTP/2 stream into an `http::Request` for the generated
//! tonic services and writes their response back (headers, data within the peer's flow-control window,
//! trailers). Doing it here keeps hyper's server, and everything tonic's transport layers on top of it, out of the
//! provider binary.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use h2::server::SendResponse;
use h2::{RecvStream, SendStream};
use http::{HeaderMap, Request, Response};
use http_body::{Body as _, Frame};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;
use tonic::body::Body;
use tonic::codegen::Service;

/// Per-stream receive window. Plans and states of hundreds of resources travel as single messages of a few MiB;
/// HTTP/2's default 64 KiB window would make each one wait for a WINDOW_UPDATE round trip per 64 KiB.
const STREAM_WINDOW: u32 = 4 * 1024 * 1024;
/// Receive window of the whole connection (Terraform sends many RPCs at once during a plan).
const CONNECTION_WINDOW: u32 = 16 * 1024 * 1024;
/// How long a client gets to send its HTTP/2 preface and settings.
const PREFACE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves gRPC on one connection until the client closes it or `shutdown` is cancelled; then it stops taking new
/// streams (GOAWAY) and returns once the streams in flight are answered. Connection errors are logged, not
/// returned: one broken connection must not stop the plugin.
pub(crate) async fn serve_connection<IO, S>(io: IO, service: S, shutdown: CancellationToken)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let handshake = h2::server::Builder::new()
        .initial_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .handshake::<_, Bytes>(io);
    let mut connection = match tokio::time::timeout(PREFACE_TIMEOUT, handshake).await {
        Ok(Ok(connection)) => connection,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "HTTP/2 handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!("HTTP/2 handshake timed out");
            return;
        }
    };

    let mut shutting_down = false;
    loop {
        // Polling `accept` is what drives the whole connection (every stream's frames), so it runs until the end.
        let accepted = tokio::select! {
            accepted = connection.accept() => accepted,
            () = shutdown.cancelled(), if !shutting_down => {
                shutting_down = true;
                connection.graceful_shutdown();
                continue;
            }
        };
        match accepted {
            Some(Ok((request, respond))) => {
                tokio::spawn(serve_stream(request, respond, service.clone()));
            }
            Some(Err(e)) => {
                // Terraform closes its end when it is done with the plugin: after a shutdown, or as a plain closed
                // socket, that is the normal end of the connection, not an error worth a log line.
                let closed_by_peer = e.get_io().is_some_and(|io| {
                    matches!(
                        io.kind(),
                        std::io::ErrorKind::BrokenPipe
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::UnexpectedEof
                    )
                });
                if (e.is_go_away() && e.is_remote()) || shutting_down || shutdown.is_cancelled() || closed_by_peer {
                    tracing::trace!(error = %e, "HTTP/2 connection closed");
                } else {
                    tracing::debug!(error = %e, "HTTP/2 connection error");
                }
                return;
            }
            None => return,
        }
    }
}

/// Answers one stream: the request goes to the service; if the client resets the stream first (it gave up on
/// the call), the service future is dropped, as any gRPC server does with a cancelled call.
async fn serve_stream<S>(request: Request<RecvStream>, mut respond: SendResponse<Bytes>, mut service: S)
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>,
{
    let request = request.map(|recv| Body::new(IncomingBody { recv, data_finished: false, finished: false }));
    let response = tokio::select! {
        response = service.call(request) => match response {
            Ok(response) => response,
            Err(never) => match never {},
        },
        reason = std::future::poll_fn(|cx| respond.poll_reset(cx)) => {
            tracing::debug!(reason = ?reason.ok(), "the client cancelled a call");
            return;
        }
    };
    if let Err(e) = send_response(response, &mut respond).await {
        tracing::debug!(error = %e, "could not send a gRPC response");
    }
}

/// Why a response could not be sent.
#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error(transparent)]
    Http2(#[from] h2::Error),
    #[error("the client closed the stream before the response was sent")]
    StreamClosed,
}

/// Writes headers, body and trailers. A body that ends before its first frame goes out as headers with
/// END_STREAM: that is gRPC's "trailers-only" response, which is how tonic answers a call with an error status.
async fn send_response(response: Response<Body>, respond: &mut SendResponse<Bytes>) -> Result<(), SendError> {
    let (parts, mut body) = response.into_parts();
    let first = next_frame(&mut body).await;
    let head = Response::from_parts(parts, ());
    let Some(first) = first else {
        respond.send_response(head, true)?;
        return Ok(());
    };
    let mut send = respond.send_response(head, false)?;
    let mut frame = Some(first);
    while let Some(current) = frame {
        match current {
            OutgoingFrame::Data(data) => send_data(&mut send, data).await?,
            OutgoingFrame::Trailers(trailers) => {
                send.send_trailers(trailers)?;
                return Ok(());
            }
        }
        frame = next_frame(&mut body).await;
    }
    send.send_data(Bytes::new(), true)?;
    Ok(())
}

enum OutgoingFrame {
    Data(Bytes),
    Trailers(HeaderMap),
}

/// The next frame of a response body. An error in the body becomes the call's status, sent as trailers.
async fn next_frame(body: &mut Body) -> Option<OutgoingFrame> {
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await?;
        match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) if data.is_empty() => continue,
                Ok(data) => return Some(OutgoingFrame::Data(data)),
                Err(frame) => return frame.into_trailers().ok().map(OutgoingFrame::Trailers),
            },
            Err(status) => {
                let mut trailers = HeaderMap::new();
                if status.add_header(&mut trailers).is_err() {
                    let fallback = tonic::Status::internal("the response could not be encoded");
                    let _ = fallback.add_header(&mut trailers);
                }
                return Some(OutgoingFrame::Trailers(trailers));
            }
        }
    }
}

/// Sends `data` in pieces the client's flow-control window allows.
async fn send_data(send: &mut SendStream<Bytes>, mut data: Bytes) -> Result<(), SendError> {
    while !data.is_empty() {
        send.reserve_capacity(data.len());
        let granted = std::future::poll_fn(|cx| send.poll_capacity(cx)).await.ok_or(SendError::StreamClosed)??;
        if granted == 0 {
            continue;
        }
        let piece = data.split_to(granted.min(data.len()));
        send.send_data(piece, false)?;
    }
    Ok(())
}

/// A request body read from an HTTP/2 stream: data frames (their window given back as they are read), then
/// trailers.
struct IncomingBody {
    recv: RecvStream,
    data_finished: bool,
    finished: bool,
}

impl http_body::Body for IncomingBody {
    type Data = Bytes;
    type Error = h2::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, h2::Error>>> {
        if self.finished {
            return Poll::Ready(None);
        }
        if !self.data_finished {
            match ready!(self.recv.poll_data(cx)) {
                Some(Ok(data)) => {
                    // Give the window back at once: tonic buffers the message itself, with its own size limit.
                    let _ = self.recv.flow_control().release_capacity(data.len());
                    return Poll::Ready(Some(Ok(Frame::data(data))));
                }
                Some(Err(e)) => {
                    self.finished = true;
                    return Poll::Ready(Some(Err(e)));
                }
                None => self.data_finished = true,
            }
        }
        let trailers = ready!(self.recv.poll_trailers(cx));
        self.finished = true;
        Poll::Ready(match trailers {
            Ok(Some(trailers)) => Some(Ok(Frame::trailers(trailers))),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
    }

    fn is_end_stream(&self) -> bool {
        self.finished || self.recv.is_end_stream()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use h2::Reason;
    use tonic::codegen::BoxFuture;

    use super::*;

    /// A response or request body made of given frames.
    struct Frames(VecDeque<Frame<Bytes>>);

    impl http_body::Body for Frames {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Ready(self.0.pop_front().map(Ok))
        }
    }

    fn ok_trailers() -> HeaderMap {
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", "0".parse().unwrap());
        trailers
    }

    /// Sets its flag when dropped: tells whether the server gave up on a call.
    struct DropFlag(Arc<AtomicBool>);

    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    /// Answers by path: `/echo` returns the request's data then OK trailers; `/large/<n>` returns n bytes;
    /// `/status` answers trailers-only with NOT_FOUND; `/slow` answers after 300 ms; `/hang` never answers.
    #[derive(Clone, Default)]
    struct TestService {
        dropped: Arc<AtomicBool>,
    }

    impl Service<Request<Body>> for TestService {
        type Response = Response<Body>;
        type Error = Infallible;
        type Future = BoxFuture<Response<Body>, Infallible>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request<Body>) -> Self::Future {
            let dropped = self.dropped.clone();
            Box::pin(async move {
                let path = request.uri().path().to_owned();
                let respond = |data: Vec<u8>| {
                    let frames = VecDeque::from([Frame::data(Bytes::from(data)), Frame::trailers(ok_trailers())]);
                    Response::new(Body::new(Frames(frames)))
                };
                Ok(match path.as_str() {
                    "/echo" => {
                        let mut body = request.into_body();
                        let mut received = Vec::new();
                        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                            if let Ok(data) = frame.expect("request body").into_data() {
                                received.extend_from_slice(&data);
                            }
                        }
                        respond(received)
                    }
                    "/status" => tonic::Status::not_found("no such thing").into_http(),
                    "/slow" => {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        respond(b"late".to_vec())
                    }
                    "/hang" => {
                        let _flag = DropFlag(dropped);
                        std::future::pending::<()>().await;
                        unreachable!()
                    }
                    large => {
                        let size = large.strip_prefix("/large/").and_then(|n| n.parse().ok()).expect("known path");
                        respond(vec![7u8; size])
                    }
                })
            })
        }
    }

    /// A server on one end of an in-memory pipe and an h2 client (with `window` as its receive window) on the other.
    async fn connect(
        service: TestService,
        shutdown: CancellationToken,
        window: u32,
    ) -> (h2::client::SendRequest<Bytes>, tokio::task::JoinHandle<()>) {
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        let server = tokio::spawn(serve_connection(server_io, service, shutdown));
        let (send, connection) =
            h2::client::Builder::new().initial_window_size(window).handshake(client_io).await.expect("handshake");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        (send, server)
    }

    fn request(path: &str) -> Request<()> {
        Request::post(format!("http://localhost{path}")).body(()).unwrap()
    }

    /// Reads a whole response: its data and its trailers.
    async fn read_all(response: Response<RecvStream>) -> (Vec<u8>, Option<HeaderMap>) {
        let mut body = response.into_body();
        let mut data = Vec::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.expect("data frame");
            let _ = body.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        (data, body.trailers().await.expect("trailers"))
    }

    #[tokio::test]
    async fn a_request_body_reaches_the_service_and_the_answer_ends_with_trailers() {
        let (mut client, _server) = connect(TestService::default(), CancellationToken::new(), 65_535).await;
        let (response, mut send) = client.send_request(request("/echo"), false).unwrap();
        send.send_data(Bytes::from_static(b"hello "), false).unwrap();
        send.send_data(Bytes::from_static(b"plugin"), true).unwrap();
        let (data, trailers) = read_all(response.await.unwrap()).await;
        assert_eq!(data, b"hello plugin");
        assert_eq!(trailers.unwrap()["grpc-status"], "0");
    }

    #[tokio::test]
    async fn an_error_status_is_a_trailers_only_response() {
        let (mut client, _server) = connect(TestService::default(), CancellationToken::new(), 65_535).await;
        let (response, _) = client.send_request(request("/status"), true).unwrap();
        let response = response.await.unwrap();
        // END_STREAM on the headers frame: what gRPC clients read as "trailers-only".
        assert!(response.body().is_end_stream());
        assert_eq!(response.headers()["grpc-status"], "5");
    }

    #[tokio::test]
    async fn a_body_larger_than_the_clients_window_arrives_whole() {
        let size = 3 * 1024 * 1024 + 17;
        let (mut client, _server) = connect(TestService::default(), CancellationToken::new(), 16 * 1024).await;
        let (response, _) = client.send_request(request(&format!("/large/{size}")), true).unwrap();
        let (data, trailers) = read_all(response.await.unwrap()).await;
        assert_eq!(data.len(), size);
        assert!(data.iter().all(|&b| b == 7));
        assert!(trailers.is_some());
    }

    #[tokio::test]
    async fn a_call_the_client_cancels_is_dropped_by_the_server() {
        let service = TestService::default();
        let dropped = service.dropped.clone();
        let (mut client, _server) = connect(service, CancellationToken::new(), 65_535).await;
        let (_response, mut send) = client.send_request(request("/hang"), false).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!dropped.load(Ordering::SeqCst), "the call is running");
        send.send_reset(Reason::CANCEL);
        for _ in 0..100 {
            if dropped.load(Ordering::SeqCst) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the cancelled call was not dropped");
    }

    #[tokio::test]
    async fn shutdown_answers_the_calls_in_flight_then_closes_the_connection() {
        let shutdown = CancellationToken::new();
        let (mut client, server) = connect(TestService::default(), shutdown.clone(), 65_535).await;
        let (response, _) = client.send_request(request("/slow"), true).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        shutdown.cancel();
        let (data, _) = read_all(response.await.unwrap()).await;
        assert_eq!(data, b"late");
        tokio::time::timeout(Duration::from_secs(2), server).await.expect("connection closed").unwrap();
    }

    #[tokio::test]
    async fn a_client_that_does_not_speak_http2_is_dropped() {
        use tokio::io::AsyncWriteExt as _;
        let (mut client_io, server_io) = tokio::io::duplex(1024);
        let server = tokio::spawn(serve_connection(server_io, TestService::default(), CancellationToken::new()));
        client_io.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        tokio::time::timeout(Duration::from_secs(2), server).await.expect("connection dropped").unwrap();
    }
}
