//! Build script: records the tokio version for phpinfo(), compiles the C
//! files (the worker-mode request cycle, which need PHP's own macros) against
//! the headers of the PHP that `PHP_CONFIG` names, and lets unit-test
//! executables link although PHP's symbols only exist inside the `php` binary.
use std::fs;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = fs::read_to_string("Cargo.lock").unwrap_or_default();
    let tokio = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"tokio\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=FOLK_TOKIO_VERSION={tokio}");
    // The cdylib resolves zend_* against the php binary at dlopen time. Test
    // executables never call into PHP, but still reference those symbols.
    // (A shared library allows undefined symbols anyway, so this only changes executables.)
    println!("cargo:rustc-link-arg=-Wl,--unresolved-symbols=ignore-all");
    compile_worker_request();
}

/// The C files (worker-mode request cycle and baseline, the user's INI),
/// built with `php-config --includes`.
fn compile_worker_request() {
    const SOURCES: [&str; 4] = [
        "src/runtime/sapi/worker_request.c",
        "src/runtime/sapi/worker_baseline.c",
        "src/runtime/sapi/web_ini.c",
        "src/runtime/sapi/web_thread.c",
    ];
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
    }
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    let php_config = std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".into());
    let out = Command::new(&php_config)
        .arg("--includes")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {php_config} --includes ({e}): set PHP_CONFIG to the ZTS PHP's php-config (make does)"));
    assert!(out.status.success(), "{php_config} --includes failed");
    let includes = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut build = cc::Build::new();
    for dir in includes.split_whitespace().filter_map(|i| i.strip_prefix("-I")) {
        build.include(dir);
    }
    // PHP's ZTS build compiles with -pthread, which defines _REENTRANT: some
    // globals (basic's mblen_state) exist only then, and every field after
    // them would sit at another offset here without it.
    build.flag("-pthread");
    // An undeclared PHP function would only fail when PHP loads the extension.
    build.flag("-Werror=implicit-function-declaration");
    build.files(SOURCES).warnings(true).flag_if_supported("-Wno-unused-parameter").compile("folk_worker_request");
}
