//! The `.proto` catalog: the files named by `grpc.proto`, compiled once at boot
//! with protox (a pure-Rust protoc, so no `protoc` at run time). It knows which
//! methods exist, so unknown ones are answered UNIMPLEMENTED without PHP, and it
//! holds the encoded descriptor set the reflection service serves.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use miette::Diagnostic;

/// How a method streams, from its `stream` keywords in the `.proto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    Unary,
    ServerStreaming,
    ClientStreaming,
    Bidi,
}

impl MethodKind {
    fn of(client_streaming: bool, server_streaming: bool) -> MethodKind {
        match (client_streaming, server_streaming) {
            (false, false) => MethodKind::Unary,
            (false, true) => MethodKind::ServerStreaming,
            (true, false) => MethodKind::ClientStreaming,
            (true, true) => MethodKind::Bidi,
        }
    }
}

/// Why the `.proto` files could not be compiled; the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("grpc.proto: {path}: no such file (paths are relative to the directory folk starts in)")]
    FileNotFound { path: PathBuf },
    #[error("grpc.proto_path: {path}: no such directory")]
    IncludeDirNotFound { path: PathBuf },
    /// A syntax error, an unknown type, a missing import...: `at` is `file:line:column` when known.
    #[error("grpc.proto: {at}: {message}")]
    Invalid { at: String, message: String },
    #[error("grpc.proto: {path} is not under any grpc.proto_path directory ({dirs}); add its directory to grpc.proto_path")]
    NotIncluded { path: PathBuf, dirs: String },
}

/// The compiled `.proto` files: their services and methods, and the encoded
/// `FileDescriptorSet` (with every import, well-known types included) for reflection.
#[derive(Debug)]
pub struct Catalog {
    descriptor_set: Vec<u8>,
    services: Vec<String>,
    methods: HashMap<String, MethodKind>,
}

impl Catalog {
    /// Compiles `files`; `include_dirs` are where imports are looked up (empty:
    /// each file's own directory). `google/protobuf/*.proto` are always available.
    pub fn compile(files: &[PathBuf], include_dirs: &[PathBuf]) -> Result<Catalog, CatalogError> {
        let files = files
            .iter()
            .map(|f| absolute(f).filter(|p| p.is_file()).ok_or_else(|| CatalogError::FileNotFound { path: f.clone() }))
            .collect::<Result<Vec<_>, _>>()?;
        let includes = if include_dirs.is_empty() {
            let dirs: BTreeSet<PathBuf> = files.iter().filter_map(|f| f.parent().map(Path::to_path_buf)).collect();
            dirs.into_iter().collect::<Vec<_>>()
        } else {
            include_dirs
                .iter()
                .map(|d| absolute(d).filter(|p| p.is_dir()).ok_or_else(|| CatalogError::IncludeDirNotFound { path: d.clone() }))
                .collect::<Result<Vec<_>, _>>()?
        };
        for f in &files {
            if !includes.iter().any(|d| f.starts_with(d)) {
                let dirs = includes.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ");
                return Err(CatalogError::NotIncluded { path: f.clone(), dirs });
            }
        }
        let mut compiler = protox::Compiler::new(&includes).map_err(|e| invalid(&e, &includes))?;
        compiler.include_imports(true).include_source_info(false);
        compiler.open_files(&files).map_err(|e| invalid(&e, &includes))?;
        let set = compiler.file_descriptor_set();
        let mut services = Vec::new();
        let mut methods = HashMap::new();
        for file in set.file.iter().filter(|f| !f.name().starts_with("google/protobuf/")) {
            let package = file.package();
            for service in &file.service {
                let name = if package.is_empty() { service.name().to_string() } else { format!("{package}.{}", service.name()) };
                for m in &service.method {
                    let kind = MethodKind::of(m.client_streaming(), m.server_streaming());
                    methods.insert(format!("/{name}/{}", m.name()), kind);
                }
                services.push(name);
            }
        }
        Ok(Catalog { descriptor_set: compiler.encode_file_descriptor_set(), services, methods })
    }

    /// The method at a gRPC path (`/pkg.Service/Method`), or None when no `.proto` declares it.
    pub fn method(&self, path: &str) -> Option<MethodKind> {
        self.methods.get(path).copied()
    }

    /// Fully qualified service names (`pkg.Service`), in the order the files declare them.
    pub fn services(&self) -> &[String] {
        &self.services
    }

    /// The encoded `FileDescriptorSet` of the files and everything they import.
    pub fn descriptor_set(&self) -> &[u8] {
        &self.descriptor_set
    }
}

/// `path` made absolute and without `.`/`..`/symlinks, or None when it does not exist.
fn absolute(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Turns protox's error into one that names `file:line:column` when it points into a file.
fn invalid(err: &protox::Error, includes: &[PathBuf]) -> CatalogError {
    let message = err.to_string();
    let mut at = err.file().map(|name| shown_path(name, includes)).unwrap_or_else(|| "?".to_string());
    let label = err.labels().and_then(|mut l| l.next());
    if let (Some(label), Some(source)) = (label, err.source_code()) {
        if let Ok(span) = source.read_span(label.inner(), 0, 0) {
            let file = span.name().map(|n| shown_path(n, includes)).unwrap_or(at);
            at = format!("{file}:{}:{}", span.line() + 1, span.column() + 1);
        }
    }
    let message = match err.help() {
        Some(help) => format!("{message}; {help}"),
        None => message,
    };
    CatalogError::Invalid { at, message }
}

/// A proto file name (relative to its include dir) as the path a developer can open.
fn shown_path(name: &str, includes: &[PathBuf]) -> String {
    includes
        .iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(files: &[(&str, &str)]) -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("folk-catalog-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for (name, text) in files {
            let p = d.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        d
    }

    const GREETER: &str = r#"syntax = "proto3";
package hello;
import "google/protobuf/empty.proto";
message Req { string name = 1; }
message Rep { string message = 1; }
service Greeter {
  rpc Say (Req) returns (Rep);
  rpc Many (Req) returns (stream Rep);
  rpc Gather (stream Req) returns (Rep);
  rpc Chat (stream Req) returns (stream Rep);
  rpc Ping (google.protobuf.Empty) returns (google.protobuf.Empty);
}
"#;

    #[test]
    fn compiles_services_and_method_kinds_with_a_well_known_import() {
        let d = dir(&[("greeter.proto", GREETER)]);
        let c = Catalog::compile(&[d.join("greeter.proto")], &[]).unwrap();
        assert_eq!(c.services(), ["hello.Greeter"]);
        assert_eq!(c.method("/hello.Greeter/Say"), Some(MethodKind::Unary));
        assert_eq!(c.method("/hello.Greeter/Many"), Some(MethodKind::ServerStreaming));
        assert_eq!(c.method("/hello.Greeter/Gather"), Some(MethodKind::ClientStreaming));
        assert_eq!(c.method("/hello.Greeter/Chat"), Some(MethodKind::Bidi));
        assert_eq!(c.method("/hello.Greeter/Ping"), Some(MethodKind::Unary));
    }

    #[test]
    fn unknown_methods_and_services_are_not_in_the_catalog() {
        let d = dir(&[("greeter.proto", GREETER)]);
        let c = Catalog::compile(&[d.join("greeter.proto")], &[]).unwrap();
        assert_eq!(c.method("/hello.Greeter/Nope"), None);
        assert_eq!(c.method("/hello.Other/Say"), None);
        assert_eq!(c.method("/Greeter/Say"), None);
    }

    #[test]
    fn descriptor_set_carries_the_file_and_its_imports() {
        use prost::Message;
        let d = dir(&[("greeter.proto", GREETER)]);
        let c = Catalog::compile(&[d.join("greeter.proto")], &[]).unwrap();
        let set = prost_types::FileDescriptorSet::decode(c.descriptor_set()).unwrap();
        let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["google/protobuf/empty.proto", "greeter.proto"]);
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let d = dir(&[("bad.proto", "syntax = \"proto3\";\npackage p;\nmessage M {\n  string x = ;\n}\n")]);
        let err = Catalog::compile(&[d.join("bad.proto")], &[]).unwrap_err().to_string();
        let at = format!("{}:4:", d.join("bad.proto").canonicalize().unwrap().display());
        assert!(err.contains(&at), "{err}");
    }

    #[test]
    fn a_missing_import_names_the_importing_file_line_and_the_import() {
        let d = dir(&[("a.proto", "syntax = \"proto3\";\n\nimport \"missing/b.proto\";\n")]);
        let err = Catalog::compile(&[d.join("a.proto")], &[]).unwrap_err().to_string();
        assert!(err.contains("a.proto:3:"), "{err}");
        assert!(err.contains("missing/b.proto"), "{err}");
    }

    #[test]
    fn an_unknown_type_names_the_file_and_line() {
        let d = dir(&[("t.proto", "syntax = \"proto3\";\nservice S {\n  rpc M (Nope) returns (Nope);\n}\n")]);
        let err = Catalog::compile(&[d.join("t.proto")], &[]).unwrap_err().to_string();
        assert!(err.contains("t.proto:3:"), "{err}");
        assert!(err.contains("Nope"), "{err}");
    }

    #[test]
    fn imports_resolve_through_proto_path() {
        let d = dir(&[
            ("protos/api/svc.proto", "syntax = \"proto3\";\npackage api;\nimport \"common/m.proto\";\nservice S { rpc M (common.M) returns (common.M); }\n"),
            ("protos/common/m.proto", "syntax = \"proto3\";\npackage common;\nmessage M {}\n"),
        ]);
        let c = Catalog::compile(&[d.join("protos/api/svc.proto")], &[d.join("protos")]).unwrap();
        assert_eq!(c.services(), ["api.S"]);
        assert_eq!(c.method("/api.S/M"), Some(MethodKind::Unary));
    }

    #[test]
    fn a_missing_file_or_include_dir_is_named() {
        let d = dir(&[("x.proto", "syntax = \"proto3\";\n")]);
        let err = Catalog::compile(&[d.join("nope.proto")], &[]).unwrap_err().to_string();
        assert!(err.contains("nope.proto: no such file"), "{err}");
        let err = Catalog::compile(&[d.join("x.proto")], &[d.join("nodir")]).unwrap_err().to_string();
        assert!(err.contains("nodir: no such directory"), "{err}");
        let err = Catalog::compile(&[d.join("x.proto")], &[d.join("..").join("nowhere-else")]).unwrap_err();
        assert!(matches!(err, CatalogError::IncludeDirNotFound { .. }));
    }

    #[test]
    fn a_file_outside_proto_path_is_refused_with_advice() {
        let d = dir(&[("a/x.proto", "syntax = \"proto3\";\n"), ("b/.keep", "")]);
        let err = Catalog::compile(&[d.join("a/x.proto")], &[d.join("b")]).unwrap_err().to_string();
        assert!(err.contains("not under any grpc.proto_path"), "{err}");
    }
}
