//! RoadRunner's PHP worker API on folk's web workers (`http.roadrunner_compat`):
//! a RoadRunner worker script (`Spiral\RoadRunner\Worker::create()`, a
//! `Http\PSR7Worker` loop) runs unchanged. Its classes are folk's own
//! (`php/RoadRunner/`, on `Folk\Worker::waitRequest()`), compiled into the
//! extension and declared in the worker's request before its script runs:
//! declared first, they are the ones the script gets, even when its vendor
//! directory holds RoadRunner's real packages (Composer's autoloader is
//! never asked for a class that exists). A class the thread has already
//! (the main thread's script may have loaded folk's PSR-7 helpers) is kept.

/// Each class and its source, in an order where every class follows what it extends or implements.
const CLASSES: &[(&str, &str, &str)] = &[
    ("Folk\\Psr7\\ServerRequestBuilder", "Psr7/ServerRequestBuilder.php", include_str!("../../php/Psr7/ServerRequestBuilder.php")),
    ("Folk\\Psr7\\ResponseEmitter", "Psr7/ResponseEmitter.php", include_str!("../../php/Psr7/ResponseEmitter.php")),
    (
        "Spiral\\RoadRunner\\Exception\\RoadRunnerException",
        "RoadRunner/Exception/RoadRunnerException.php",
        include_str!("../../php/RoadRunner/Exception/RoadRunnerException.php"),
    ),
    ("Spiral\\RoadRunner\\Payload", "RoadRunner/Payload.php", include_str!("../../php/RoadRunner/Payload.php")),
    ("Spiral\\RoadRunner\\WorkerInterface", "RoadRunner/WorkerInterface.php", include_str!("../../php/RoadRunner/WorkerInterface.php")),
    (
        "Spiral\\RoadRunner\\WorkerAwareInterface",
        "RoadRunner/WorkerAwareInterface.php",
        include_str!("../../php/RoadRunner/WorkerAwareInterface.php"),
    ),
    ("Spiral\\RoadRunner\\Worker", "RoadRunner/Worker.php", include_str!("../../php/RoadRunner/Worker.php")),
    ("Spiral\\RoadRunner\\Http\\Request", "RoadRunner/Http/Request.php", include_str!("../../php/RoadRunner/Http/Request.php")),
    (
        "Spiral\\RoadRunner\\Http\\HttpWorkerInterface",
        "RoadRunner/Http/HttpWorkerInterface.php",
        include_str!("../../php/RoadRunner/Http/HttpWorkerInterface.php"),
    ),
    (
        "Spiral\\RoadRunner\\Http\\PSR7WorkerInterface",
        "RoadRunner/Http/PSR7WorkerInterface.php",
        include_str!("../../php/RoadRunner/Http/PSR7WorkerInterface.php"),
    ),
    ("Spiral\\RoadRunner\\Http\\HttpWorker", "RoadRunner/Http/HttpWorker.php", include_str!("../../php/RoadRunner/Http/HttpWorker.php")),
    ("Spiral\\RoadRunner\\Http\\PSR7Worker", "RoadRunner/Http/PSR7Worker.php", include_str!("../../php/RoadRunner/Http/PSR7Worker.php")),
];

/// Declares the classes on this worker thread. Call inside its open request
/// and a zend_try, before the worker script; false if PHP refused one.
pub fn define() -> bool {
    CLASSES.iter().all(|(class, file, source)| declared(class) || declare(file, source))
}

/// Whether `class` (a class or an interface) exists on this thread, without autoloading.
fn declared(class: &str) -> bool {
    let quoted = class.replace('\\', "\\\\");
    super::php::eval_true(&format!("class_exists('{quoted}', false) || interface_exists('{quoted}', false)"), c"folk RoadRunner compatibility")
}

/// Compiles one file's source; errors in it name the file under folk's php/ directory.
fn declare(file: &str, source: &str) -> bool {
    let Ok(name) = std::ffi::CString::new(format!("folk/php/{file}")) else { return false };
    super::php::eval(code(source), &name)
}

/// The source as eval() takes it: without its opening tag, on the same lines as in the file.
fn code(source: &str) -> &str {
    source.strip_prefix("<?php").unwrap_or(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_declares_its_class_and_comes_after_what_it_uses() {
        for (i, (class, file, source)) in CLASSES.iter().enumerate() {
            let (ns, short) = class.rsplit_once('\\').unwrap();
            assert!(source.starts_with("<?php\n"), "{file} must start with its opening tag");
            assert!(code(source).contains(&format!("\nnamespace {ns};\n")), "{file} is not in namespace {ns}");
            let header = source.lines().find(|l| ["class ", "interface ", "final class "].iter().any(|k| l.starts_with(k)));
            let header = header.unwrap_or_else(|| panic!("{file} declares no class"));
            let name = header.split_whitespace().find(|w| !["final", "class", "interface"].contains(w));
            assert_eq!(name, Some(short), "{file} declares another class");
            // What it extends or implements by short name is declared earlier in the list.
            for used in ["WorkerInterface", "WorkerAwareInterface", "HttpWorkerInterface", "PSR7WorkerInterface"] {
                if header.split_whitespace().skip(2).any(|w| w.trim_end_matches(',') == used) {
                    assert!(
                        CLASSES[..i].iter().any(|(c, _, _)| c.rsplit_once('\\').unwrap().1 == used),
                        "{file} uses {used} before it is declared"
                    );
                }
            }
        }
    }

    #[test]
    fn every_file_of_php_roadrunner_is_embedded() {
        fn files(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    files(&path, out);
                } else {
                    out.push(path.to_string_lossy().into_owned());
                }
            }
        }
        let php = concat!(env!("CARGO_MANIFEST_DIR"), "/php/");
        let mut found = Vec::new();
        files(std::path::Path::new(&format!("{php}RoadRunner")), &mut found);
        for path in found {
            let rel = path.strip_prefix(php).unwrap();
            assert!(CLASSES.iter().any(|(_, file, _)| *file == rel), "{rel} is not in CLASSES: http.roadrunner_compat would not declare it");
        }
    }
}
