//! The HTTP server: accepts connections and serves the router over HTTP/1.1 with limits
//! that keep slow or many clients from exhausting it.
//!
//! - A connection that does not send a whole request head within the header-read
//!   timeout is closed; the same clock runs while a keep-alive connection sits idle.
//! - At most `max_connections` are served at once. Over the cap the loop stops
//!   accepting until one closes: the extra connections wait in the kernel's listen
//!   backlog, costing no task, buffer or file descriptor here, and are served in turn
//!   when a slot frees. Accepting and closing them instead would spend a syscall pair
//!   and a descriptor on every attempt and turn a burst into errors for real clients.
//! - The request timeout is a layer on the router (`routes::router`).
//!
//! Each connection's service carries `ConnectInfo<SocketAddr>` for handlers and layers.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::serve::Listener;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

use crate::config::ServerLimits;

/// Serves `router` on `listener` until the task is dropped.
pub async fn serve(
    mut listener: TcpListener,
    router: Router,
    limits: ServerLimits,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    loop {
        // Taken before accepting: over the cap, new connections wait in the backlog.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(()); // never closed
        };
        // Retries accept errors (e.g. out of file descriptors) with a pause, as axum does.
        let (stream, remote) = Listener::accept(&mut listener).await;
        let Ok(service) = make_service.call(remote).await;
        let service = TowerToHyperService::new(service);
        let builder = builder.clone();
        tokio::spawn(async move {
            if let Err(error) = builder
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(slot);
        });
    }
}
