//! What a worker script finds in `$_SERVER` when it boots. On a worker
//! thread the boot request is a php-cli request, whose `SCRIPT_FILENAME`,
//! `SCRIPT_NAME`, `PHP_SELF` and `PATH_TRANSLATED` php-cli takes from one
//! process-wide copy: the script php-cli was started with (the one that
//! called `Folk\Server::run()`), not the worker script. Front controllers
//! that find themselves through them (Symfony's `autoload_runtime.php`
//! requires `$_SERVER['SCRIPT_FILENAME']`) would load the wrong file.
//! Set as plain PHP in the thread's own request before the script runs; on
//! the main php-cli thread the script's own values come back afterwards.

/// The PHP that points the four variables at `script` (as configured) and its real path.
fn code(script: &str) -> String {
    let real = std::fs::canonicalize(script).map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| script.to_string());
    format!(
        "$_SERVER['SCRIPT_FILENAME'] = $_SERVER['PATH_TRANSLATED'] = {}; $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = {};",
        quote(&real),
        quote(script)
    )
}

/// Where the main thread keeps the script's own values meanwhile (a key no script uses).
const SAVED: &str = "$GLOBALS[\"\\0folk_boot_server\"]";
const KEYS: &str = "['SCRIPT_FILENAME' => 0, 'PATH_TRANSLATED' => 0, 'SCRIPT_NAME' => 0, 'PHP_SELF' => 0]";

/// Points `$_SERVER`'s script variables at the worker script. `keep`: save
/// the current ones for `restore` (the main thread). Call inside the
/// thread's open request and a zend_try; false if PHP refused the code.
pub fn point_at(script: &str, keep: bool) -> bool {
    let save = if keep { format!("{SAVED} = array_intersect_key($_SERVER, {KEYS}); ") } else { String::new() };
    eval(&format!("{save}{}", code(script)))
}

/// The main thread's script gets its own script variables back.
pub fn restore() -> bool {
    eval(&format!(
        "if (isset({SAVED})) {{ $_SERVER = array_replace(array_diff_key($_SERVER, {KEYS}), {SAVED}); unset({SAVED}); }}"
    ))
}

/// A single-quoted PHP string literal of `s`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn eval(php: &str) -> bool {
    super::php::eval(php, c"folk worker boot")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_paths_are_quoted_as_php_strings() {
        assert_eq!(quote("/srv/it's\\here.php"), "'/srv/it\\'s\\\\here.php'");
        let c = code("/no/such/dir/w.php");
        assert!(c.contains("$_SERVER['SCRIPT_FILENAME'] = $_SERVER['PATH_TRANSLATED'] = '/no/such/dir/w.php'"), "{c}");
        assert!(c.contains("$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/no/such/dir/w.php'"), "{c}");
    }
}
