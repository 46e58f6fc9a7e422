//! The standard gRPC health service (`grpc.health.v1.Health`), following the
//! pool: SERVING while the pool is healthy and the server is not stopping,
//! NOT_SERVING as soon as the stop begins (before the listener says GOAWAY), so
//! a load balancer drains this server first. One status covers `""` and every
//! service of the `.proto` catalog: they all run on the same pool.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};

use crate::pool::PoolHandle;

/// How often the pool's health is looked at (a snapshot locks each slot briefly).
const POLL: Duration = Duration::from_millis(250);

/// The status every known service shares, and whether the stop began.
pub(super) struct HealthState {
    status: watch::Sender<ServingStatus>,
    names: HashSet<String>,
    stopping: AtomicBool,
}

impl HealthState {
    /// Known services: `""` (the whole server) plus `services`. Starts SERVING.
    pub(super) fn new(services: &[String]) -> Arc<HealthState> {
        let mut names: HashSet<String> = services.iter().cloned().collect();
        names.insert(String::new());
        Arc::new(HealthState { status: watch::channel(ServingStatus::Serving).0, names, stopping: AtomicBool::new(false) })
    }

    /// The stop began: NOT_SERVING for good, and open Watch streams end after saying so.
    pub(super) fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        self.status.send_replace(ServingStatus::NotServing);
    }

    /// Follows the pool's health (ignored once stopping).
    fn set_healthy(&self, healthy: bool) {
        let to = if healthy { ServingStatus::Serving } else { ServingStatus::NotServing };
        self.status.send_if_modified(|s| {
            let change = *s != to && !self.stopping.load(Ordering::Acquire);
            if change {
                tracing::info!(status = to.as_str_name(), "grpc health");
                *s = to;
            }
            change
        });
    }

    pub(super) fn current(&self) -> ServingStatus {
        *self.status.borrow()
    }
}

/// The tower service for `/grpc.health.v1.Health/*`.
pub(super) fn service(state: &Arc<HealthState>) -> HealthServer<HealthService> {
    HealthServer::new(HealthService(state.clone()))
}

/// Spawns the task that turns the pool's health and the shutdown signal into
/// the status. It ends when the stop begins or the state is dropped.
pub(super) fn follow(state: &Arc<HealthState>, pool: PoolHandle, mut shutdown: watch::Receiver<bool>, runtime: &tokio::runtime::Handle) {
    let weak: Weak<HealthState> = Arc::downgrade(state);
    runtime.spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let closed = tokio::select! {
                _ = tick.tick() => false,
                r = shutdown.changed() => r.is_err(),
            };
            let Some(state) = weak.upgrade() else { return };
            if closed || *shutdown.borrow() {
                state.stop();
                return;
            }
            state.set_healthy(pool.snapshot().healthy && !pool.is_stopping());
        }
    });
}

pub(super) struct HealthService(Arc<HealthState>);

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(&self, request: Request<HealthCheckRequest>) -> Result<Response<HealthCheckResponse>, Status> {
        let name = &request.get_ref().service;
        if !self.0.names.contains(name) {
            return Err(Status::not_found(format!("unknown service {name:?}: the health service knows \"\" and the services of grpc.proto")));
        }
        Ok(Response::new(HealthCheckResponse { status: self.0.current() as i32 }))
    }

    type WatchStream = WatchStream;

    /// Per the health protocol, an unknown service is answered SERVICE_UNKNOWN
    /// and the call stays open (the service might appear later; here it never does).
    async fn watch(&self, request: Request<HealthCheckRequest>) -> Result<Response<WatchStream>, Status> {
        let known = self.0.names.contains(&request.get_ref().service);
        let statuses = tokio_stream::wrappers::WatchStream::new(self.0.status.subscribe());
        Ok(Response::new(WatchStream { statuses, known, state: self.0.clone(), started: false, done: false }))
    }
}

/// Statuses as they change; ends right after the NOT_SERVING of a stop, so an
/// open Watch does not hold the server's graceful shutdown for its whole timeout.
pub(super) struct WatchStream {
    statuses: tokio_stream::wrappers::WatchStream<ServingStatus>,
    known: bool,
    state: Arc<HealthState>,
    started: bool,
    done: bool,
}

impl Stream for WatchStream {
    type Item = Result<HealthCheckResponse, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if !this.known && !this.started {
            this.started = true;
            return Poll::Ready(Some(Ok(HealthCheckResponse { status: ServingStatus::ServiceUnknown as i32 })));
        }
        loop {
            let Some(status) = std::task::ready!(Pin::new(&mut this.statuses).poll_next(cx)) else {
                return Poll::Ready(None);
            };
            let stopping = this.state.stopping.load(Ordering::Acquire);
            if this.known {
                this.done = stopping && status == ServingStatus::NotServing;
                return Poll::Ready(Some(Ok(HealthCheckResponse { status: status as i32 })));
            }
            if stopping {
                this.done = true;
                return Poll::Ready(None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_stream::StreamExt;

    fn names() -> Vec<String> {
        vec!["hello.Greeter".to_string()]
    }

    async fn check(state: &Arc<HealthState>, name: &str) -> Result<i32, tonic::Code> {
        let svc = HealthService(state.clone());
        let req = Request::new(HealthCheckRequest { service: name.into() });
        svc.check(req).await.map(|r| r.into_inner().status).map_err(|s| s.code())
    }

    #[tokio::test]
    async fn check_answers_serving_for_the_server_and_each_proto_service() {
        let state = HealthState::new(&names());
        assert_eq!(check(&state, "").await, Ok(ServingStatus::Serving as i32));
        assert_eq!(check(&state, "hello.Greeter").await, Ok(ServingStatus::Serving as i32));
    }

    #[tokio::test]
    async fn check_of_an_unknown_service_is_not_found() {
        let state = HealthState::new(&names());
        assert_eq!(check(&state, "nope.Nope").await, Err(tonic::Code::NotFound));
    }

    #[tokio::test]
    async fn an_unhealthy_pool_is_not_serving_and_recovers() {
        let state = HealthState::new(&names());
        state.set_healthy(false);
        assert_eq!(check(&state, "hello.Greeter").await, Ok(ServingStatus::NotServing as i32));
        state.set_healthy(true);
        assert_eq!(check(&state, "").await, Ok(ServingStatus::Serving as i32));
    }

    #[tokio::test]
    async fn stopping_is_final_even_if_the_pool_is_healthy() {
        let state = HealthState::new(&names());
        state.stop();
        state.set_healthy(true);
        assert_eq!(check(&state, "").await, Ok(ServingStatus::NotServing as i32));
    }

    #[tokio::test]
    async fn watch_sees_not_serving_when_the_stop_begins_then_ends() {
        let state = HealthState::new(&names());
        let svc = HealthService(state.clone());
        let mut s = svc.watch(Request::new(HealthCheckRequest { service: String::new() })).await.unwrap().into_inner();
        assert_eq!(s.next().await.unwrap().unwrap().status, ServingStatus::Serving as i32);
        state.stop();
        assert_eq!(s.next().await.unwrap().unwrap().status, ServingStatus::NotServing as i32);
        assert!(tokio::time::timeout(Duration::from_secs(1), s.next()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn watch_of_an_unknown_service_says_service_unknown_and_stays_open() {
        let state = HealthState::new(&names());
        let svc = HealthService(state.clone());
        let mut s = svc.watch(Request::new(HealthCheckRequest { service: "x.Y".into() })).await.unwrap().into_inner();
        assert_eq!(s.next().await.unwrap().unwrap().status, ServingStatus::ServiceUnknown as i32);
        assert!(tokio::time::timeout(Duration::from_millis(100), s.next()).await.is_err());
        state.stop();
        assert!(tokio::time::timeout(Duration::from_secs(1), s.next()).await.unwrap().is_none());
    }
}
