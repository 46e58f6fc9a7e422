//! Build script: records the tokio version for phpinfo() and lets unit-test
//! executables link although PHP's symbols only exist inside the `php` binary.
use std::fs;

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
}
