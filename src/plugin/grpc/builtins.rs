//! The services folk answers itself, without PHP: health (`grpc.health.v1`)
//! and server reflection (`grpc.reflection.v1` and `v1alpha`, from the
//! `.proto` catalog). The listener asks `route` first and sends everything
//! else to the workers.

use std::convert::Infallible;
use std::sync::Arc;

use tower::util::{BoxCloneService, BoxCloneSyncService};

use super::catalog::Catalog;
use super::health::{self, HealthState};
use crate::plugin::PluginContext;

/// A built-in service as the listener calls it.
pub type BuiltinService = BoxCloneService<http::Request<hyper::body::Incoming>, http::Response<tonic::body::Body>, Infallible>;

const HEALTH: &str = "/grpc.health.v1.Health/";
const REFLECTION_V1: &str = "/grpc.reflection.v1.ServerReflection/";
const REFLECTION_V1ALPHA: &str = "/grpc.reflection.v1alpha.ServerReflection/";

/// The built-in services a listener serves: health unless `grpc.health` is off,
/// reflection when a catalog exists and `grpc.reflection` is on.
pub struct Builtins {
    health: Option<Arc<HealthState>>,
    reflection: Option<Reflection>,
}

/// A service over tonic's own body (tonic's builders return unnameable types, so they are boxed once here).
/// Sync, as `Builtins` is shared by every connection.
type Boxed = BoxCloneSyncService<http::Request<tonic::body::Body>, http::Response<tonic::body::Body>, Infallible>;

struct Reflection {
    v1: Boxed,
    v1alpha: Boxed,
}

impl Builtins {
    /// Builds the services; with health on, spawns (on `ctx.runtime`) the task
    /// that follows the pool's health and `ctx.shutdown`.
    pub fn new(catalog: Option<Arc<Catalog>>, health: bool, reflection: bool, ctx: &PluginContext) -> Builtins {
        let builtins = Builtins::without_pool(catalog, health, reflection);
        if let Some(state) = &builtins.health {
            health::follow(state, ctx.pool.clone(), ctx.shutdown.clone(), &ctx.runtime);
        }
        builtins
    }

    /// The services alone: health stays SERVING until `not_serving`.
    pub(super) fn without_pool(catalog: Option<Arc<Catalog>>, health: bool, reflection: bool) -> Builtins {
        let services = catalog.as_ref().map(|c| c.services().to_vec()).unwrap_or_default();
        let health = health.then(|| HealthState::new(&services));
        let reflection = match catalog {
            Some(catalog) if reflection => Reflection::build(&catalog, health.is_some()),
            _ => None,
        };
        Builtins { health, reflection }
    }

    /// The built-in service for a gRPC path, or None (PHP's, or unknown).
    pub fn route(&self, path: &str) -> Option<BuiltinService> {
        let svc = self.route_boxed(path)?;
        Some(BoxCloneService::new(tower::ServiceExt::map_request(svc, |r: http::Request<hyper::body::Incoming>| r.map(tonic::body::Body::new))))
    }

    /// `route` over tonic's body (tests drive it with in-memory bodies).
    pub(super) fn route_boxed(&self, path: &str) -> Option<Boxed> {
        if path.starts_with(HEALTH) {
            return self.health.as_ref().map(|s| BoxCloneSyncService::new(health::service(s)));
        }
        let r = self.reflection.as_ref()?;
        if path.starts_with(REFLECTION_V1) {
            Some(r.v1.clone())
        } else if path.starts_with(REFLECTION_V1ALPHA) {
            Some(r.v1alpha.clone())
        } else {
            None
        }
    }

    /// The stop began: health turns NOT_SERVING now (the plugin calls this
    /// before it stops accepting, so clients learn before the GOAWAY).
    pub fn not_serving(&self) {
        if let Some(state) = &self.health {
            state.stop();
        }
    }
}

impl Reflection {
    /// Reflection over the catalog (and the health service, when served).
    /// A descriptor set reflection cannot read is logged and leaves reflection off.
    fn build(catalog: &Catalog, with_health: bool) -> Option<Reflection> {
        let builder = || {
            let b = tonic_reflection::server::Builder::configure().register_encoded_file_descriptor_set(catalog.descriptor_set());
            if with_health { b.register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET) } else { b }
        };
        match (builder().build_v1(), builder().build_v1alpha()) {
            (Ok(v1), Ok(v1alpha)) => Some(Reflection { v1: BoxCloneSyncService::new(v1), v1alpha: BoxCloneSyncService::new(v1alpha) }),
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "grpc reflection is off: the compiled .proto files could not be registered");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::testing::Harness;
    use crate::pool::mock;
    use http_body_util::BodyExt;
    use prost::Message;
    use std::time::{Duration, Instant};
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};
    use tonic_reflection::pb::{v1, v1alpha};

    const GREETER: &str = "syntax = \"proto3\";\npackage hello;\nmessage R {}\nservice Greeter { rpc Say (R) returns (R); }\n";

    fn catalog() -> Arc<Catalog> {
        let d = std::env::temp_dir().join(format!("folk-builtins-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("greeter.proto"), GREETER).unwrap();
        Arc::new(Catalog::compile(&[d.join("greeter.proto")], &[]).unwrap())
    }

    /// One gRPC call through the built-in's tower service: the request messages
    /// framed, the response frames and `grpc-status` read back.
    async fn call(b: &Builtins, path: &str, messages: &[Vec<u8>]) -> (Vec<Vec<u8>>, String) {
        let mut body = Vec::new();
        for m in messages {
            body.push(0u8);
            body.extend_from_slice(&(m.len() as u32).to_be_bytes());
            body.extend_from_slice(m);
        }
        let req = http::Request::post(path)
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(tonic::body::Body::new(http_body_util::Full::new(bytes::Bytes::from(body))))
            .unwrap();
        let svc = b.route_boxed(path).expect("a built-in route");
        let resp = tower::ServiceExt::oneshot(svc, req).await.unwrap();
        let headers_status = resp.headers().get("grpc-status").map(|v| v.to_str().unwrap().to_string());
        let collected = resp.into_body().collect().await.unwrap();
        let trailers = collected.trailers().cloned();
        let data = collected.to_bytes();
        let mut frames = Vec::new();
        let mut rest = &data[..];
        while rest.len() >= 5 {
            let n = u32::from_be_bytes(rest[1..5].try_into().unwrap()) as usize;
            frames.push(rest[5..5 + n].to_vec());
            rest = &rest[5 + n..];
        }
        let status = trailers.and_then(|t| t.get("grpc-status").map(|v| v.to_str().unwrap().to_string())).or(headers_status);
        (frames, status.unwrap_or_default())
    }

    fn list_v1() -> Vec<u8> {
        let m = v1::server_reflection_request::MessageRequest::ListServices(String::new());
        v1::ServerReflectionRequest { host: String::new(), message_request: Some(m) }.encode_to_vec()
    }

    #[tokio::test]
    async fn reflection_v1_lists_the_proto_services_and_the_builtins() {
        let b = Builtins::without_pool(Some(catalog()), true, true);
        let (frames, status) = call(&b, "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", &[list_v1()]).await;
        assert_eq!(status, "0");
        let r = v1::ServerReflectionResponse::decode(&frames[0][..]).unwrap();
        let Some(v1::server_reflection_response::MessageResponse::ListServicesResponse(l)) = r.message_response else { panic!("{r:?}") };
        let mut names: Vec<String> = l.service.into_iter().map(|s| s.name).collect();
        names.sort();
        assert_eq!(names, ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "hello.Greeter"]);
    }

    #[tokio::test]
    async fn reflection_v1alpha_lists_the_proto_services() {
        let b = Builtins::without_pool(Some(catalog()), false, true);
        let m = v1alpha::server_reflection_request::MessageRequest::ListServices(String::new());
        let req = v1alpha::ServerReflectionRequest { host: String::new(), message_request: Some(m) }.encode_to_vec();
        let (frames, status) = call(&b, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &[req]).await;
        assert_eq!(status, "0");
        let r = v1alpha::ServerReflectionResponse::decode(&frames[0][..]).unwrap();
        let Some(v1alpha::server_reflection_response::MessageResponse::ListServicesResponse(l)) = r.message_response else { panic!("{r:?}") };
        let names: Vec<String> = l.service.into_iter().map(|s| s.name).collect();
        assert!(names.contains(&"hello.Greeter".to_string()), "{names:?}");
        assert!(!names.contains(&"grpc.health.v1.Health".to_string()), "health is off: {names:?}");
    }

    #[tokio::test]
    async fn reflection_returns_the_file_declaring_a_symbol() {
        let b = Builtins::without_pool(Some(catalog()), true, true);
        let m = v1::server_reflection_request::MessageRequest::FileContainingSymbol("hello.Greeter".into());
        let req = v1::ServerReflectionRequest { host: String::new(), message_request: Some(m) }.encode_to_vec();
        let (frames, _) = call(&b, "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", &[req]).await;
        let r = v1::ServerReflectionResponse::decode(&frames[0][..]).unwrap();
        let Some(v1::server_reflection_response::MessageResponse::FileDescriptorResponse(f)) = r.message_response else { panic!("{r:?}") };
        let file = prost_types::FileDescriptorProto::decode(&f.file_descriptor_proto[0][..]).unwrap();
        assert_eq!((file.name(), file.service[0].name()), ("greeter.proto", "Greeter"));
    }

    #[tokio::test]
    async fn health_check_goes_not_serving_when_the_stop_begins() {
        let b = Builtins::without_pool(Some(catalog()), true, true);
        let check = |name: &str| HealthCheckRequest { service: name.into() }.encode_to_vec();
        let status = |frames: Vec<Vec<u8>>| HealthCheckResponse::decode(&frames[0][..]).unwrap().status;
        let (frames, _) = call(&b, "/grpc.health.v1.Health/Check", &[check("hello.Greeter")]).await;
        assert_eq!(status(frames), ServingStatus::Serving as i32);
        b.not_serving();
        let (frames, _) = call(&b, "/grpc.health.v1.Health/Check", &[check("")]).await;
        assert_eq!(status(frames), ServingStatus::NotServing as i32);
        let (_, code) = call(&b, "/grpc.health.v1.Health/Check", &[check("nope.Nope")]).await;
        assert_eq!(code, "5");
    }

    #[test]
    fn routes_only_what_is_switched_on() {
        let b = Builtins::without_pool(None, true, true);
        assert!(b.route_boxed("/grpc.health.v1.Health/Check").is_some());
        assert!(b.route_boxed("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo").is_none(), "no catalog, no reflection");
        let b = Builtins::without_pool(Some(catalog()), false, false);
        assert!(b.route_boxed("/grpc.health.v1.Health/Check").is_none());
        assert!(b.route_boxed("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo").is_none());
        let b = Builtins::without_pool(Some(catalog()), true, true);
        assert!(b.route_boxed("/hello.Greeter/Say").is_none(), "PHP's methods are not built in");
        assert!(b.route_boxed("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo").is_some());
    }

    fn wait_for(b: &Builtins, want: ServingStatus) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if b.health.as_ref().unwrap().current() == want {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn health_follows_an_unhealthy_pool() {
        let rt = mock::runtime();
        rt.boot_failures.store(1_000, std::sync::atomic::Ordering::Release);
        let h = Harness::start(rt, Harness::pool_config());
        let b = Builtins::new(None, true, false, &h.ctx);
        assert!(wait_for(&b, ServingStatus::NotServing));
    }

    #[test]
    fn health_follows_the_shutdown_signal() {
        let h = Harness::start(mock::runtime(), Harness::pool_config());
        let b = Builtins::new(None, true, false, &h.ctx);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(b.health.as_ref().unwrap().current(), ServingStatus::Serving);
        h.shutdown_tx.send_replace(true);
        assert!(wait_for(&b, ServingStatus::NotServing));
    }
}
