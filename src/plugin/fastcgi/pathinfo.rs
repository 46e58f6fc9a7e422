//! php-fpm does not run the SCRIPT_FILENAME a web server sends as is: with
//! `cgi.fix_pathinfo=1` (the php.ini-production default) `init_request_info()`
//! in `sapi/fpm/fpm/fpm_main.c` (PHP 8.2) rewrites the params first. This is a
//! port of that branch, so `$_SERVER`, PHP_SELF and the script run match php-fpm's.
//!
//! The params are a `Vec` of (name, value) in the order the web server sent
//! them, changed the way php-fpm's `fcgi_hash` is (main/fastcgi.c):
//! - `fcgi_hash_set` on a name already there overwrites the value in its bucket,
//!   so a replaced param keeps its position (also for a duplicate sent by the
//!   web server: first position, last value; see `merge_duplicates`);
//! - a new name gets a new bucket linked at the head of the hash's `list`;
//! - `fcgi_hash_del` only unlinks the bucket from its hash chain and sets its
//!   value to NULL; `fcgi_hash_apply` skips it, and setting the name again makes
//!   a new bucket, so a deleted then re-set param moves to the newest position.
//!
//! So here a put replaces in place or appends, and a delete removes. Beware:
//! `fcgi_loadenv` walks `list` head first, so php-fpm's `$_SERVER` lists the
//! params NEWEST FIRST, i.e. this `Vec` reversed (after the process env, and
//! followed by PHP_SELF, REQUEST_TIME_FLOAT, REQUEST_TIME). FCGI_ROLE, which
//! php-fpm sets before reading PARAMS, is the oldest entry and comes last.
//!
//! php-fpm reads every value as a C string (up to its first NUL byte); so does
//! this port when it reads one. Paths are bytes, as in C.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// What php-fpm keeps in `SG(request_info)` from the params.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestInfo {
    /// `path_translated`: the file to run. `None` when no script was found or
    /// its path has a `..` segment; php-fpm then answers 404 "File not found.".
    pub script: Option<Vec<u8>>,
    /// `request_uri`: the script's URL path, the first part of PHP_SELF.
    pub request_uri: Option<Vec<u8>>,
}

/// The value of `name` as sent (with any NUL bytes), if present.
pub fn param<'a>(params: &'a [(Vec<u8>, Vec<u8>)], name: &[u8]) -> Option<&'a [u8]> {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
}

/// `FCGI_PUTENV`: with a value, replaces the value of `name` where it is or
/// appends the pair at the end; with `None`, removes `name`.
pub fn put_param(params: &mut Vec<(Vec<u8>, Vec<u8>)>, name: &[u8], value: Option<&[u8]>) {
    let at = params.iter().position(|(n, _)| n == name);
    match (at, value) {
        (Some(i), Some(v)) => params[i].1 = v.to_vec(),
        (None, Some(v)) => params.push((name.to_vec(), v.to_vec())),
        (Some(i), None) => {
            params.remove(i);
        }
        (None, None) => {}
    }
}

/// Makes the pairs as parsed from PARAMS what php-fpm's hash holds: a name
/// sent twice stays at its first position with its last value.
pub fn merge_duplicates(params: &mut Vec<(Vec<u8>, Vec<u8>)>) {
    // Web servers rarely send a name twice: find out without allocating per name.
    let mut order: Vec<&[u8]> = params.iter().map(|(n, _)| n.as_slice()).collect();
    order.sort_unstable();
    if !order.windows(2).any(|w| w[0] == w[1]) {
        return;
    }
    drop(order);
    let mut first: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
    let mut merged: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(params.len());
    for (name, value) in params.drain(..) {
        match first.get(&name) {
            Some(&i) => merged[i].1 = value,
            None => {
                first.insert(name.clone(), merged.len());
                merged.push((name, value));
            }
        }
    }
    *params = merged;
}

/// The bytes before the first NUL: what C sees of a value.
fn cstr(value: &[u8]) -> &[u8] {
    value.iter().position(|&b| b == 0).map_or(value, |nul| &value[..nul])
}

/// `FCGI_GETENV`: the value as a C string.
fn getenv(params: &[(Vec<u8>, Vec<u8>)], name: &[u8]) -> Option<Vec<u8>> {
    param(params, name).map(|v| cstr(v).to_vec())
}

fn put(params: &mut Vec<(Vec<u8>, Vec<u8>)>, name: &[u8], value: &[u8]) {
    put_param(params, name, Some(value));
}

fn del(params: &mut Vec<(Vec<u8>, Vec<u8>)>, name: &[u8]) {
    put_param(params, name, None);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `php_raw_url_decode`: `%XX` to a byte (no `+` to space).
fn raw_url_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%'
            && i + 2 < s.len()
            && let (Some(hi), Some(lo)) = (hex(s[i + 1]), hex(s[i + 2]))
        {
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// `is_valid_path`: refuses a path with a `..` segment (unix: `/` only).
fn is_valid_path(path: &[u8]) -> bool {
    let dotdot = |i: usize| path[i..].starts_with(b"..");
    let slash_or_end = |i: usize| i >= path.len() || path[i] == b'/';
    (0..path.len()).filter(|&i| dotdot(i)).all(|i| !((i == 0 || path[i - 1] == b'/') && slash_or_end(i + 2)))
}

const PROXY_PREFIXES: [&[u8]; 2] = [b"proxy:fcgi://", b"proxy:balancer://"];

/// `init_request_info()` with `cgi.fix_pathinfo=1`: rewrites SCRIPT_FILENAME,
/// SCRIPT_NAME, PATH_INFO, PATH_TRANSLATED (keeping ORIG_* copies of what it
/// changes) and DOCUMENT_ROOT (from `doc_root_ini`, php.ini's `doc_root`,
/// when the web server sent none) as php-fpm does, and says which script to run.
///
/// `is_file` is `stat()` + `S_ISREG`; `real_path_exists` is whether
/// `tsrm_realpath()` resolves the path (a directory does). Duplicate names
/// are merged first (`merge_duplicates`).
pub fn fix_request_info(
    params: &mut Vec<(Vec<u8>, Vec<u8>)>,
    doc_root_ini: Option<&[u8]>,
    is_file: &dyn Fn(&[u8]) -> bool,
    real_path_exists: &dyn Fn(&[u8]) -> bool,
) -> RequestInfo {
    merge_duplicates(params);
    let mut info = RequestInfo::default();

    // The C keeps pointers into the hash's values and compares some of them
    // by address; each such identity is tracked below by a flag instead.
    let mut env_script_filename = getenv(params, b"SCRIPT_FILENAME");
    let env_path_translated = getenv(params, b"PATH_TRANSLATED");
    // Broken servers (IIS) send no SCRIPT_FILENAME but the script in PATH_TRANSLATED.
    if env_script_filename.is_none() && env_path_translated.is_none() {
        return info; // php-fpm: 404, nothing rewritten.
    }
    let mut env_path_info = getenv(params, b"PATH_INFO");
    let mut env_script_name = getenv(params, b"SCRIPT_NAME");

    // Hack for buggy IIS that sets a PATH_INFO starting with SCRIPT_NAME.
    if let (Some(software), Some(script_name), Some(path_info)) =
        (getenv(params, b"SERVER_SOFTWARE"), &env_script_name, &env_path_info)
        && software.starts_with(b"Microsoft-IIS")
        && path_info.starts_with(script_name)
    {
        put(params, b"ORIG_PATH_INFO", path_info);
        let rest = path_info[script_name.len()..].to_vec();
        env_path_info = (!rest.is_empty()).then_some(rest);
        put_param(params, b"PATH_INFO", env_path_info.as_deref());
    }

    // Apache mod_proxy_fcgi / mod_proxy_balancer: "proxy:fcgi://host:port/path?query"
    // becomes "/path", edited in place in the hash (so SCRIPT_FILENAME keeps its place).
    let mut apache_was_here = false;
    for prefix in PROXY_PREFIXES {
        let Some(filename) = env_script_filename.as_mut() else { continue };
        if filename.len() < prefix.len() || !filename[..prefix.len()].eq_ignore_ascii_case(prefix) {
            continue;
        }
        if let Some(slash) = filename[prefix.len()..].iter().position(|&b| b == b'/') {
            filename.drain(..prefix.len() + slash);
            apache_was_here = true;
        }
        if let Some(query) = filename.iter().position(|&b| b == b'?') {
            filename.truncate(query);
        }
        put(params, b"SCRIPT_FILENAME", filename);
    }

    // The fix_pathinfo branch.
    let env_redirect_url = getenv(params, b"REDIRECT_URL");
    let mut env_document_root = getenv(params, b"DOCUMENT_ROOT");
    let orig_path_translated = env_path_translated.clone();
    let orig_path_info = env_path_info.clone();
    let mut orig_script_name = env_script_name.clone();
    let orig_script_filename = env_script_filename.clone();
    // `env_script_name` points at REDIRECT_URL instead of SCRIPT_NAME.
    let mut script_name_is_redirect_url = false;
    let mut script_path_translated: Option<Vec<u8>> =
        env_script_filename.clone().or_else(|| env_path_translated.clone());

    // php's `doc_root` ini is OnUpdateStringUnempty: an empty one is unset.
    if env_document_root.is_none()
        && let Some(doc_root) = doc_root_ini.filter(|d| !d.is_empty())
    {
        let doc_root = cstr(doc_root);
        put(params, b"DOCUMENT_ROOT", doc_root);
        env_document_root = Some(doc_root.to_vec());
    }

    // Apache mod_fastcgi/mod_actions: SCRIPT_FILENAME and SCRIPT_NAME name the
    // php binary; the script is in PATH_TRANSLATED and its URL in REDIRECT_URL.
    if !apache_was_here
        && let (Some(path_translated), Some(redirect_url)) = (&env_path_translated, &env_redirect_url)
        && script_path_translated.as_ref() != Some(path_translated)
    {
        script_path_translated = Some(path_translated.clone());
        env_script_name = Some(redirect_url.clone());
        script_name_is_redirect_url = true;
    }

    let spt = script_path_translated.clone().unwrap_or_default();
    if !spt.is_empty() && (spt.ends_with(b"/") || !real_path_exists(&spt)) {
        // Not a file: walk back through the '/' to the script, the rest is path info.
        let len = spt.len();
        let mut pt = spt.clone();
        let mut found = false;
        while let Some(cut) = pt.iter().rposition(|&b| b == b'/').or_else(|| pt.iter().rposition(|&b| b == b'\\')) {
            pt.truncate(cut);
            if !is_file(&pt) {
                continue;
            }
            found = true;
            let ptlen = pt.len();
            let slen = len - ptlen;
            let pilen = env_path_info.as_ref().map_or(0, Vec::len);
            let (path_info, tflag) = if apache_was_here {
                // PATH_INFO won't exist: take it from the file name.
                let path_info = spt[ptlen..].to_vec();
                let tflag = slen != 0 && orig_path_info.as_ref() != Some(&path_info);
                (Some(path_info), tflag)
            } else {
                // The C's `orig_path_info != path_info` compares addresses, and
                // path_info starts at least one byte into env_path_info.
                let path_info = env_path_info.as_ref().filter(|_| pilen > slen).map(|p| p[pilen - slen..].to_vec());
                let tflag = path_info.is_some();
                (path_info, tflag)
            };

            if tflag {
                let path_info = path_info.unwrap_or_default();
                if let Some(orig_pi) = &orig_path_info {
                    put(params, b"ORIG_PATH_INFO", orig_pi);
                    // The C cuts `path_info[0]` to NUL for a moment: without apache
                    // that shortens env_path_info to its part before path_info.
                    let env_pi = env_path_info.clone().unwrap_or_default();
                    let script_name = if apache_was_here { env_pi } else { env_pi[..pilen - slen].to_vec() };
                    if orig_script_name.as_ref() != Some(&script_name) {
                        if let Some(osn) = &orig_script_name {
                            put(params, b"ORIG_SCRIPT_NAME", osn);
                        }
                        put(params, b"SCRIPT_NAME", &script_name);
                        info.request_uri = Some(script_name);
                    } else {
                        info.request_uri = orig_script_name.clone();
                    }
                } else if apache_was_here && let Some(script_name) = env_script_name.clone() {
                    // mod_proxy_fcgi with ProxyPass sends no PATH_INFO and leaves it in
                    // SCRIPT_NAME (possibly url-decoded): cut it off there.
                    let decoded = path_info.contains(&b'%').then(|| raw_url_decode(&path_info));
                    let snlen = script_name.len();
                    let start = if snlen > slen && script_name[snlen - slen..] == path_info[..] {
                        Some(snlen - slen)
                    } else {
                        decoded
                            .filter(|d| snlen > d.len() && script_name[snlen - d.len()..] == *cstr(d))
                            .map(|d| snlen - d.len())
                    };
                    if let Some(start) = start {
                        put(params, b"ORIG_SCRIPT_NAME", &script_name);
                        // Cut in place: orig_script_name is the same C string.
                        let cut = script_name[..start].to_vec();
                        env_script_name = Some(cut.clone());
                        orig_script_name = Some(cut.clone());
                        put(params, b"SCRIPT_NAME", &cut);
                        info.request_uri = Some(cut);
                    }
                }
                put(params, b"PATH_INFO", &path_info);
                env_path_info = Some(path_info);
            }

            if orig_script_filename.as_ref() != Some(&pt) {
                if let Some(osf) = &orig_script_filename {
                    put(params, b"ORIG_SCRIPT_FILENAME", osf);
                }
                put(params, b"SCRIPT_FILENAME", &pt);
                script_path_translated = Some(pt.clone());
            }

            // PATH_TRANSLATED = DOCUMENT_ROOT + PATH_INFO, or without a
            // DOCUMENT_ROOT, SCRIPT_FILENAME - SCRIPT_NAME + PATH_INFO.
            let path_translated = if let Some(doc_root) = &env_document_root {
                let root = doc_root.strip_suffix(b"/").unwrap_or(doc_root);
                Some([root, env_path_info.as_deref().unwrap_or_default()].concat())
            } else if let Some(script_name) = &env_script_name
                && find(&pt, script_name).is_some()
            {
                let base = &pt[..pt.len() - script_name.len()];
                Some([base, env_path_info.as_deref().unwrap_or_default()].concat())
            } else {
                None
            };
            if let Some(path_translated) = path_translated {
                if let Some(opt) = &orig_path_translated {
                    put(params, b"ORIG_PATH_TRANSLATED", opt);
                }
                put(params, b"PATH_TRANSLATED", &path_translated);
            }
            break;
        }
        if !found {
            // Nothing on the way was a file: php-fpm answers 404.
            if let Some(osf) = &orig_script_filename {
                put(params, b"ORIG_SCRIPT_FILENAME", osf);
            }
            del(params, b"SCRIPT_FILENAME");
            script_path_translated = None;
        }
        if info.request_uri.is_none() {
            if orig_script_name.is_none() || orig_script_name != env_script_name {
                if let Some(osn) = &orig_script_name {
                    put(params, b"ORIG_SCRIPT_NAME", osn);
                }
                put_param(params, b"SCRIPT_NAME", env_script_name.as_deref());
                info.request_uri = env_script_name.clone();
            } else {
                info.request_uri = orig_script_name.clone();
            }
        }
    } else {
        // The script exists: remember the originals of what changed.
        if orig_script_filename.as_ref() != Some(&spt) {
            if let Some(osf) = &orig_script_filename {
                put(params, b"ORIG_SCRIPT_FILENAME", osf);
            }
            put(params, b"SCRIPT_FILENAME", &spt);
        }
        if !apache_was_here && env_redirect_url.is_some() {
            if let Some(opi) = &orig_path_info {
                put(params, b"ORIG_PATH_INFO", opi);
                del(params, b"PATH_INFO");
            }
            if let Some(opt) = &orig_path_translated {
                put(params, b"ORIG_PATH_TRANSLATED", opt);
                del(params, b"PATH_TRANSLATED");
            }
        }
        if script_name_is_redirect_url {
            if let Some(osn) = &orig_script_name {
                put(params, b"ORIG_SCRIPT_NAME", osn);
            }
            put_param(params, b"SCRIPT_NAME", env_script_name.as_deref());
        }
        info.request_uri = env_script_name.clone();
    }

    info.script = script_path_translated.filter(|p| is_valid_path(p));
    info
}

/// `fix_request_info` against the real filesystem.
pub fn fix_request_info_fs(params: &mut Vec<(Vec<u8>, Vec<u8>)>, doc_root_ini: Option<&[u8]>) -> RequestInfo {
    let path = |p: &[u8]| OsStr::from_bytes(p).to_os_string();
    let is_file = |p: &[u8]| std::fs::metadata(path(p)).is_ok_and(|m| m.is_file());
    // realpath() fails exactly when the path (or a directory on it) cannot be
    // reached, which one stat tells without reading every link on the way.
    let real_path_exists = |p: &[u8]| std::fs::metadata(path(p)).is_ok();
    fix_request_info(params, doc_root_ini, &is_file, &real_path_exists)
}

/// PHP_SELF as php-fpm makes it with fix_pathinfo (`sapi_cgi_register_variables`):
/// `request_uri` followed by the PATH_INFO param as fixed.
pub fn php_self(params: &[(Vec<u8>, Vec<u8>)], info: &RequestInfo) -> Vec<u8> {
    let script_name = info.request_uri.as_deref().map(cstr).unwrap_or_default();
    let path_info = param(params, b"PATH_INFO").map(cstr).unwrap_or_default();
    [script_name, path_info].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [&str; 4] =
        ["/srv/www/index.php", "/srv/www/app.php", "/srv/www/info.php", "/usr/lib/cgi-bin/php-fcgi"];
    const DIRS: [&str; 6] = ["/", "/srv", "/srv/www", "/usr", "/usr/lib", "/usr/lib/cgi-bin"];

    fn fake_is_file(p: &[u8]) -> bool {
        FILES.iter().any(|f| f.as_bytes() == p)
    }

    /// realpath succeeds on existing files and directories (a trailing slash
    /// is fine only after a directory), and resolves `..`.
    fn fake_real_path_exists(p: &[u8]) -> bool {
        let p = std::str::from_utf8(p).unwrap();
        let mut parts: Vec<&str> = Vec::new();
        for seg in p.split('/').filter(|s| !s.is_empty() && *s != ".") {
            if seg == ".." {
                parts.pop();
            } else {
                parts.push(seg);
            }
        }
        let resolved = format!("/{}", parts.join("/"));
        let is_dir = DIRS.contains(&resolved.as_str());
        is_dir || (FILES.contains(&resolved.as_str()) && !p.ends_with('/'))
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        pairs.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
    }

    /// Runs the port on `sent` and checks every param (name, value, order),
    /// request_uri, the script and PHP_SELF.
    fn check(
        sent: &[(&str, &str)],
        expect: &[(&str, &str)],
        request_uri: Option<&str>,
        script: Option<&str>,
        self_: &str,
    ) {
        let mut p = params(sent);
        let info = fix_request_info(&mut p, None, &fake_is_file, &fake_real_path_exists);
        let shown: Vec<(String, String)> =
            p.iter().map(|(n, v)| (String::from_utf8_lossy(n).into(), String::from_utf8_lossy(v).into())).collect();
        let wanted: Vec<(String, String)> = expect.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(shown, wanted);
        assert_eq!(info.request_uri.as_deref(), request_uri.map(str::as_bytes), "request_uri");
        assert_eq!(info.script.as_deref(), script.map(str::as_bytes), "script");
        assert_eq!(String::from_utf8_lossy(&php_self(&p, &info)), self_, "PHP_SELF");
    }

    #[test]
    fn nginx_split_path_info_to_an_existing_script_is_left_as_sent() {
        // Debian's snippets/fastcgi-php.conf: the script exists, so php-fpm takes
        // the "file exists" branch, which computes no PATH_TRANSLATED at all.
        let sent = [
            ("PATH_INFO", "/a/b"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("QUERY_STRING", "x=1"),
            ("SCRIPT_NAME", "/index.php"),
            ("REQUEST_URI", "/index.php/a/b?x=1"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("SERVER_SOFTWARE", "nginx/1.22.1"),
            ("REDIRECT_STATUS", "200"),
            ("HTTP_HOST", "example.test"),
        ];
        check(&sent, &sent, Some("/index.php"), Some("/srv/www/index.php"), "/index.php/a/b");
    }

    #[test]
    fn a_script_filename_with_path_info_appended_is_cut_back_to_the_script() {
        // Without a PATH_INFO param php-fpm sets none: only SCRIPT_FILENAME is cut.
        let sent = [
            ("SCRIPT_FILENAME", "/srv/www/index.php/a/b"),
            ("SCRIPT_NAME", "/index.php/a/b"),
            ("REQUEST_URI", "/index.php/a/b"),
            ("DOCUMENT_ROOT", "/srv/www"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("SCRIPT_NAME", "/index.php/a/b"),
            ("REQUEST_URI", "/index.php/a/b"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/index.php/a/b"),
            ("PATH_TRANSLATED", "/srv/www"),
        ];
        check(&sent, &expect, Some("/index.php/a/b"), Some("/srv/www/index.php"), "/index.php/a/b");
    }

    #[test]
    fn a_path_info_holding_the_script_name_is_split_into_script_name_and_path_info() {
        let sent = [
            ("SCRIPT_FILENAME", "/srv/www/index.php/a/b"),
            ("PATH_INFO", "/index.php/a/b"),
            ("SCRIPT_NAME", "/index.php/a/b"),
            ("DOCUMENT_ROOT", "/srv/www"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("PATH_INFO", "/a/b"),
            ("SCRIPT_NAME", "/index.php"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("ORIG_PATH_INFO", "/index.php/a/b"),
            ("ORIG_SCRIPT_NAME", "/index.php/a/b"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/index.php/a/b"),
            ("PATH_TRANSLATED", "/srv/www/a/b"),
        ];
        check(&sent, &expect, Some("/index.php"), Some("/srv/www/index.php"), "/index.php/a/b");
    }

    #[test]
    fn apache_proxy_fcgi_prefix_is_stripped_in_place() {
        let sent = [
            ("SCRIPT_FILENAME", "proxy:fcgi://127.0.0.1:9000/srv/www/app.php"),
            ("SCRIPT_NAME", "/app.php"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("SERVER_SOFTWARE", "Apache/2.4.62 (Debian)"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/app.php"),
            ("SCRIPT_NAME", "/app.php"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("SERVER_SOFTWARE", "Apache/2.4.62 (Debian)"),
        ];
        check(&sent, &expect, Some("/app.php"), Some("/srv/www/app.php"), "/app.php");
    }

    #[test]
    fn apache_proxy_fcgi_path_info_is_taken_off_the_file_name_and_script_name() {
        let sent = [
            ("SCRIPT_FILENAME", "proxy:fcgi://127.0.0.1:9000/srv/www/app.php/a/b"),
            ("SCRIPT_NAME", "/app.php/a/b"),
            ("REQUEST_URI", "/app.php/a/b"),
            ("DOCUMENT_ROOT", "/srv/www"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/app.php"),
            ("SCRIPT_NAME", "/app.php"),
            ("REQUEST_URI", "/app.php/a/b"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("ORIG_SCRIPT_NAME", "/app.php/a/b"),
            ("PATH_INFO", "/a/b"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/app.php/a/b"),
            ("PATH_TRANSLATED", "/srv/www/a/b"),
        ];
        check(&sent, &expect, Some("/app.php"), Some("/srv/www/app.php"), "/app.php/a/b");
    }

    #[test]
    fn apache_proxy_query_string_is_dropped_from_the_file_name() {
        let sent = [
            ("SCRIPT_FILENAME", "PROXY:FCGI://127.0.0.1:9000/srv/www/app.php?x=1"),
            ("SCRIPT_NAME", "/app.php"),
            ("QUERY_STRING", "x=1"),
        ];
        let expect = [("SCRIPT_FILENAME", "/srv/www/app.php"), ("SCRIPT_NAME", "/app.php"), ("QUERY_STRING", "x=1")];
        check(&sent, &expect, Some("/app.php"), Some("/srv/www/app.php"), "/app.php");
    }

    #[test]
    fn apache_proxy_encoded_path_info_matches_a_decoded_script_name() {
        // No DOCUMENT_ROOT: PATH_TRANSLATED = SCRIPT_FILENAME - SCRIPT_NAME + PATH_INFO,
        // with the SCRIPT_NAME already cut to "/app.php".
        let sent = [
            ("SCRIPT_FILENAME", "proxy:balancer://pool/srv/www/app.php/caf%C3%A9?x=1"),
            ("SCRIPT_NAME", "/app.php/café"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/app.php"),
            ("SCRIPT_NAME", "/app.php"),
            ("ORIG_SCRIPT_NAME", "/app.php/café"),
            ("PATH_INFO", "/caf%C3%A9"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/app.php/caf%C3%A9"),
            ("PATH_TRANSLATED", "/srv/www/caf%C3%A9"),
        ];
        check(&sent, &expect, Some("/app.php"), Some("/srv/www/app.php"), "/app.php/caf%C3%A9");
    }

    #[test]
    fn a_missing_script_loses_its_script_filename_and_gets_no_script() {
        let sent = [
            ("SCRIPT_FILENAME", "/srv/www/missing.php"),
            ("SCRIPT_NAME", "/missing.php"),
            ("DOCUMENT_ROOT", "/srv/www"),
        ];
        let expect = [
            ("SCRIPT_NAME", "/missing.php"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/missing.php"),
        ];
        check(&sent, &expect, Some("/missing.php"), None, "/missing.php");
    }

    #[test]
    fn a_trailing_slash_is_walked_back_even_though_the_script_exists() {
        let sent = [
            ("SCRIPT_FILENAME", "/srv/www/index.php/"),
            ("SCRIPT_NAME", "/index.php/"),
            ("DOCUMENT_ROOT", "/srv/www/"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("SCRIPT_NAME", "/index.php/"),
            ("DOCUMENT_ROOT", "/srv/www/"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/index.php/"),
            ("PATH_TRANSLATED", "/srv/www"),
        ];
        check(&sent, &expect, Some("/index.php/"), Some("/srv/www/index.php"), "/index.php/");
    }

    #[test]
    fn apache_mod_fastcgi_redirect_url_moves_the_script_to_path_translated() {
        let sent = [
            ("SCRIPT_FILENAME", "/usr/lib/cgi-bin/php-fcgi"),
            ("SCRIPT_NAME", "/cgi-bin/php-fcgi"),
            ("PATH_INFO", "/info.php/test"),
            ("PATH_TRANSLATED", "/srv/www/info.php/test"),
            ("REDIRECT_URL", "/info.php/test"),
            ("DOCUMENT_ROOT", "/srv/www"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/info.php"),
            ("SCRIPT_NAME", "/info.php"),
            ("PATH_INFO", "/test"),
            ("PATH_TRANSLATED", "/srv/www/test"),
            ("REDIRECT_URL", "/info.php/test"),
            ("DOCUMENT_ROOT", "/srv/www"),
            ("ORIG_PATH_INFO", "/info.php/test"),
            ("ORIG_SCRIPT_NAME", "/cgi-bin/php-fcgi"),
            ("ORIG_SCRIPT_FILENAME", "/usr/lib/cgi-bin/php-fcgi"),
            ("ORIG_PATH_TRANSLATED", "/srv/www/info.php/test"),
        ];
        check(&sent, &expect, Some("/info.php"), Some("/srv/www/info.php"), "/info.php/test");
    }

    #[test]
    fn apache_mod_fastcgi_redirect_url_to_an_existing_script_drops_path_info_and_path_translated() {
        let sent = [
            ("SCRIPT_FILENAME", "/usr/lib/cgi-bin/php-fcgi"),
            ("SCRIPT_NAME", "/cgi-bin/php-fcgi"),
            ("PATH_INFO", "/info.php"),
            ("PATH_TRANSLATED", "/srv/www/info.php"),
            ("REDIRECT_URL", "/info.php"),
        ];
        let expect = [
            ("SCRIPT_FILENAME", "/srv/www/info.php"),
            ("SCRIPT_NAME", "/info.php"),
            ("REDIRECT_URL", "/info.php"),
            ("ORIG_SCRIPT_FILENAME", "/usr/lib/cgi-bin/php-fcgi"),
            ("ORIG_PATH_INFO", "/info.php"),
            ("ORIG_PATH_TRANSLATED", "/srv/www/info.php"),
            ("ORIG_SCRIPT_NAME", "/cgi-bin/php-fcgi"),
        ];
        check(&sent, &expect, Some("/info.php"), Some("/srv/www/info.php"), "/info.php");
    }

    #[test]
    fn iis_path_info_starting_with_script_name_is_trimmed() {
        let sent = [
            ("SERVER_SOFTWARE", "Microsoft-IIS/10.0"),
            ("SCRIPT_NAME", "/index.php"),
            ("PATH_INFO", "/index.php/a/b"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
        ];
        let expect = [
            ("SERVER_SOFTWARE", "Microsoft-IIS/10.0"),
            ("SCRIPT_NAME", "/index.php"),
            ("PATH_INFO", "/a/b"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("ORIG_PATH_INFO", "/index.php/a/b"),
        ];
        check(&sent, &expect, Some("/index.php"), Some("/srv/www/index.php"), "/index.php/a/b");
    }

    #[test]
    fn iis_path_info_equal_to_script_name_is_removed() {
        let sent = [
            ("SERVER_SOFTWARE", "Microsoft-IIS/10.0"),
            ("SCRIPT_NAME", "/index.php"),
            ("PATH_INFO", "/index.php"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
        ];
        let expect = [
            ("SERVER_SOFTWARE", "Microsoft-IIS/10.0"),
            ("SCRIPT_NAME", "/index.php"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("ORIG_PATH_INFO", "/index.php"),
        ];
        check(&sent, &expect, Some("/index.php"), Some("/srv/www/index.php"), "/index.php");
    }

    #[test]
    fn a_script_only_in_path_translated_becomes_script_filename() {
        let sent = [("PATH_TRANSLATED", "/srv/www/index.php"), ("SCRIPT_NAME", "/index.php")];
        let expect = [
            ("PATH_TRANSLATED", "/srv/www/index.php"),
            ("SCRIPT_NAME", "/index.php"),
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
        ];
        check(&sent, &expect, Some("/index.php"), Some("/srv/www/index.php"), "/index.php");
    }

    #[test]
    fn a_dot_dot_segment_gives_no_script_though_the_path_resolves() {
        let sent = [("SCRIPT_FILENAME", "/srv/www/../www/index.php"), ("SCRIPT_NAME", "/index.php")];
        check(&sent, &sent, Some("/index.php"), None, "/index.php");
        assert!(is_valid_path(b"/srv/www/a..b.php"));
        assert!(is_valid_path(b"/srv/www/.../x.php"));
        assert!(!is_valid_path(b"../x.php"));
        assert!(!is_valid_path(b"/srv/www/.."));
    }

    #[test]
    fn no_script_filename_nor_path_translated_changes_nothing() {
        let sent = [("SCRIPT_NAME", "/index.php"), ("PATH_INFO", "/a")];
        let mut p = params(&sent);
        let info = fix_request_info(&mut p, Some(b"/srv/www"), &fake_is_file, &fake_real_path_exists);
        assert_eq!(p, params(&sent), "not even doc_root is added");
        assert_eq!(info, RequestInfo::default());
    }

    #[test]
    fn ini_doc_root_is_appended_when_the_web_server_sent_none() {
        let mut p = params(&[("SCRIPT_FILENAME", "/srv/www/index.php/x"), ("SCRIPT_NAME", "/index.php/x")]);
        let info = fix_request_info(&mut p, Some(b"/srv/www/"), &fake_is_file, &fake_real_path_exists);
        let expect = params(&[
            ("SCRIPT_FILENAME", "/srv/www/index.php"),
            ("SCRIPT_NAME", "/index.php/x"),
            ("DOCUMENT_ROOT", "/srv/www/"),
            ("ORIG_SCRIPT_FILENAME", "/srv/www/index.php/x"),
            ("PATH_TRANSLATED", "/srv/www"),
        ]);
        assert_eq!(p, expect);
        assert_eq!(info.script.as_deref(), Some(&b"/srv/www/index.php"[..]));
    }

    #[test]
    fn a_param_sent_twice_keeps_its_first_place_and_last_value() {
        let mut p = params(&[("A", "1"), ("B", "2"), ("A", "3")]);
        merge_duplicates(&mut p);
        assert_eq!(p, params(&[("A", "3"), ("B", "2")]));
    }

    #[test]
    fn put_replaces_in_place_and_a_removed_name_comes_back_last() {
        let mut p = params(&[("A", "1"), ("B", "2"), ("C", "3")]);
        put_param(&mut p, b"A", Some(b"x"));
        assert_eq!(p, params(&[("A", "x"), ("B", "2"), ("C", "3")]));
        put_param(&mut p, b"A", None);
        put_param(&mut p, b"A", Some(b"y"));
        assert_eq!(p, params(&[("B", "2"), ("C", "3"), ("A", "y")]));
    }

    #[test]
    fn the_real_filesystem_wrapper_finds_the_script_under_its_path_info() {
        let root = std::env::temp_dir().join(format!("folk-pathinfo-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("index.php"), b"<?php").unwrap();
        let root_bytes = root.as_os_str().as_bytes().to_vec();
        let filename = [root_bytes.as_slice(), b"/index.php/a/b"].concat();
        let mut p = vec![
            (b"SCRIPT_FILENAME".to_vec(), filename.clone()),
            (b"SCRIPT_NAME".to_vec(), b"/index.php/a/b".to_vec()),
        ];
        let info = fix_request_info_fs(&mut p, Some(&root_bytes));
        let found = info.script.clone();
        let dir = fix_request_info_fs(&mut vec![(b"SCRIPT_FILENAME".to_vec(), root_bytes.clone())], None);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(found, Some([root_bytes.as_slice(), b"/index.php"].concat()));
        assert_eq!(param(&p, b"ORIG_SCRIPT_FILENAME"), Some(filename.as_slice()));
        assert_eq!(param(&p, b"PATH_TRANSLATED"), Some(root_bytes.as_slice()));
        // realpath resolves a directory, so php-fpm hands it on as the script.
        assert_eq!(dir.script, Some(root_bytes));
    }

    #[test]
    fn percent_decoding_needs_two_hex_digits() {
        assert_eq!(raw_url_decode(b"%41%2f%4"), b"A/%4");
        assert_eq!(raw_url_decode(b"a+b%zz%"), b"a+b%zz%");
    }
}
