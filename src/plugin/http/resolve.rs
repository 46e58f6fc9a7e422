//! Maps a request path onto the document root (`http.root`) the way nginx's
//! `try_files $uri $uri/ /index.php$is_args$args` in front of php-fpm does,
//! and refuses every trick that could run a non-PHP file as PHP or send a PHP
//! file's source: `..`, `%00`, encoded slashes, dotfiles, symlinks leading out
//! of the root, `/upload.txt/x.php`, `x.PHP` and `x.php.` look-alikes.
//!
//! Pure file-system logic with no sockets: the HTTP plugin calls `resolve()`
//! per request, outside PHP. The file-system calls are `stat`s and one
//! `realpath`, served from the kernel's caches.

use std::ffi::OsStr;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Extensions whose files are PHP source, never sent as they are even though
/// they do not execute (stock nginx leaks `.inc` and `.phps` files as text).
const SOURCE_EXTENSIONS: &[&str] = &[".php", ".phtml", ".phps", ".php3", ".php4", ".php5", ".php7", ".phar", ".inc"];

/// Files tried, in order, for a request that names a directory.
const INDEX_FILES: &[&str] = &["index.php", "index.html"];

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Run this PHP script, as php-fpm would with these CGI variables.
    Script {
        /// `SCRIPT_FILENAME`: the real path of the script.
        filename: PathBuf,
        /// `SCRIPT_NAME`: the script's URL path, e.g. `/index.php`.
        script_name: String,
        /// `PATH_INFO`: what followed the script in the URL (`/extra/path`), or "".
        path_info: String,
    },
    /// Send this file (its real path) as it is.
    Static(PathBuf),
    /// A directory named without its trailing slash: redirect (301) to this path.
    AddSlash(String),
    /// Refused; the status says how.
    Refused(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 400: a path no browser sends (`..`, a NUL byte, not absolute).
    BadPath,
    /// 403: exists, but not for the public (dotfiles, PHP source, outside the root).
    Forbidden,
    /// 404: nothing here, and no front controller to take it.
    NotFound,
}


impl Refusal {
    pub fn status(self) -> hyper::StatusCode {
        match self {
            Refusal::BadPath => hyper::StatusCode::BAD_REQUEST,
            Refusal::Forbidden => hyper::StatusCode::FORBIDDEN,
            Refusal::NotFound => hyper::StatusCode::NOT_FOUND,
        }
    }
}

/// The document root and the rules for what in it runs or is served.
#[derive(Debug, Clone)]
pub struct DocRoot {
    /// The root's real path (symlinks resolved once, at start-up).
    real: PathBuf,
    /// The front controller, relative to the root (`index.php`).
    front_controller: String,
    /// Extensions that execute, lower case with their dot (`.php`).
    php_extensions: Vec<String>,
    /// Whether files and directories whose name starts with a dot are served.
    dotfiles: bool,
}

impl DocRoot {
    /// Fails when `root` is not a directory; the message names it.
    pub fn new(root: &Path, front_controller: &str, php_extensions: &[String], dotfiles: bool) -> io::Result<DocRoot> {
        let real = fs::canonicalize(root)?;
        if !real.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, format!("{} is not a directory", root.display())));
        }
        Ok(DocRoot {
            real,
            front_controller: front_controller.trim_start_matches('/').to_string(),
            php_extensions: php_extensions.iter().map(|e| e.to_ascii_lowercase()).collect(),
            dotfiles,
        })
    }

    /// The root's real path (`DOCUMENT_ROOT`).
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// Where the request for `raw_path` (the URL path, still percent-encoded,
    /// without the query) goes.
    pub fn resolve(&self, raw_path: &str) -> Target {
        let Some(decoded) = decode(raw_path) else { return Target::Refused(Refusal::BadPath) };
        let mut segments: Vec<&[u8]> = Vec::new();
        for seg in decoded.split(|b| *b == b'/') {
            match seg {
                b"" | b"." => {}
                b".." => return Target::Refused(Refusal::BadPath),
                _ if seg[0] == b'.' && !self.dotfiles && seg != b".well-known" => {
                    return Target::Refused(Refusal::Forbidden);
                }
                _ => segments.push(seg),
            }
        }
        // A path ending in `/` (or `/.`, which nginx normalises to `/`) names what is
        // inside: a directory's index, or PATH_INFO "/" after a script (`/s.php/`).
        let trailing_slash = matches!(decoded.rsplit(|b| *b == b'/').next(), Some(b"" | b"."));
        let mut path = self.real.clone();
        // Whether a symlink lies on the way: only then can the path lead out of the root.
        let mut linked = false;
        for (i, seg) in segments.iter().enumerate() {
            path.push(OsStr::from_bytes(seg));
            let Some(meta) = probe(&path, &mut linked) else { return self.front_controller() };
            if meta.is_dir() {
                continue;
            }
            if !meta.is_file() {
                return Target::Refused(Refusal::Forbidden);
            }
            let script_name = url_path(&segments[..=i], false);
            let rest = &segments[i + 1..];
            // nginx's `fastcgi_split_path_info ^(.+?\.php)(/.*)$`: everything after the
            // script, a lone trailing slash included (`/s.php/` gives "/").
            let path_info = if rest.is_empty() && !trailing_slash { String::new() } else { url_path(rest, trailing_slash) };
            return self.file(path, linked, script_name, path_info);
        }
        // Every segment is a directory (or there are none: the root itself).
        if !segments.is_empty() && !trailing_slash {
            return Target::AddSlash(url_path(&segments, true));
        }
        for index in INDEX_FILES {
            let candidate = path.join(index);
            let mut index_linked = linked;
            if probe(&candidate, &mut index_linked).is_some_and(|m| m.is_file()) {
                let mut name = url_path(&segments, true);
                name.push_str(index);
                return self.file(candidate, index_linked, name, String::new());
            }
        }
        self.front_controller()
    }

    /// An existing regular file named by the URL: run it, send it, or refuse.
    /// `linked`: a symlink lies on the way from the root (else `path` is already real:
    /// the root is, and no segment is `.`, `..` or a link).
    fn file(&self, path: PathBuf, linked: bool, script_name: String, path_info: String) -> Target {
        let real = if linked {
            let Ok(real) = fs::canonicalize(&path) else { return Target::Refused(Refusal::NotFound) };
            if !real.starts_with(&self.real) {
                return Target::Refused(Refusal::Forbidden);
            }
            real
        } else {
            path.clone()
        };
        let named = file_name(&path);
        let points_to = file_name(&real);
        // Both the name in the URL and the file it leads to must be PHP, exactly.
        if self.executes(named) && self.executes(points_to) {
            return Target::Script { filename: real, script_name, path_info };
        }
        if !path_info.is_empty() {
            // `/upload.txt/x.php`: a non-PHP file never runs, whatever follows it; nginx's PHP
            // location (`[^/]\.php(/|$)`) takes such a path and finds no script: 404.
            if script_name.split('/').chain(path_info.split('/')).any(|seg| self.executes(seg.as_bytes())) {
                return Target::Refused(Refusal::NotFound);
            }
            // `/upload.txt/more`, `/upload.txt/`: no file has that name, so nginx's
            // `try_files $uri $uri/` falls through to the front controller.
            return self.front_controller();
        }
        if looks_like_source(named, &self.php_extensions) || looks_like_source(points_to, &self.php_extensions) {
            return Target::Refused(Refusal::Forbidden);
        }
        Target::Static(real)
    }

    /// The front controller as a script target (NotFound if it does not exist).
    pub fn front_controller(&self) -> Target {
        let path = self.real.join(&self.front_controller);
        // The configured name may hold `..` or links: let canonicalize judge it.
        if !path.is_file() {
            return Target::Refused(Refusal::NotFound);
        }
        let name = format!("/{}", self.front_controller);
        match self.file(path, true, name, String::new()) {
            t @ Target::Script { .. } => t,
            _ => Target::Refused(Refusal::NotFound),
        }
    }

    /// Whether a file of this name runs as PHP: its extension is one of
    /// `http.php_extensions`, spelled exactly so (`x.PHP` and `x.php.` do not run).
    fn executes(&self, name: &[u8]) -> bool {
        self.php_extensions.iter().any(|ext| name.len() > ext.len() && name.ends_with(ext.as_bytes()))
    }
}

/// Whether a file name is PHP source in disguise or by convention: a PHP or
/// source extension in any letter case, also behind trailing dots or spaces
/// (`x.PHP`, `x.php.`, `x.inc`), which some file systems map onto `x.php`.
fn looks_like_source(name: &[u8], php_extensions: &[String]) -> bool {
    let name = String::from_utf8_lossy(name);
    let trimmed = name.trim_end_matches(['.', ' ']).to_lowercase();
    SOURCE_EXTENSIONS.iter().copied().chain(php_extensions.iter().map(String::as_str)).any(|ext| trimmed.ends_with(ext))
}

/// `lstat`, following a symlink (and noting it in `linked`) only when there is one.
fn probe(path: &Path, linked: &mut bool) -> Option<Metadata> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return Some(meta);
    }
    *linked = true;
    fs::metadata(path).ok()
}

fn file_name(path: &Path) -> &[u8] {
    path.file_name().map(OsStrExt::as_bytes).unwrap_or_default()
}

/// `/a/b`, plus a trailing slash if asked; segments are decoded bytes, shown lossily.
fn url_path(segments: &[&[u8]], trailing_slash: bool) -> String {
    let mut out = String::new();
    for seg in segments {
        out.push('/');
        out.push_str(&String::from_utf8_lossy(seg));
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    out
}

/// Percent-decodes a URL path. None for what no file name can contain or
/// what would change the path's structure once decoded: a NUL byte, an
/// encoded `/` or `\`, a malformed escape, or a path that is not absolute.
fn decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    if bytes.first() != Some(&b'/') {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if matches!(v, 0 | b'/' | b'\\') {
                return None;
            }
            out.push(v);
            i += 3;
        } else {
            if b == 0 {
                return None;
            }
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A document root with a few files, removed when dropped.
    struct Site {
        dir: PathBuf,
        outside: PathBuf,
    }

    impl Site {
        fn new(front_controller: bool) -> Site {
            let base = std::env::temp_dir().join(format!("folk-resolve-{}-{}", std::process::id(), rand_suffix()));
            let dir = base.join("public");
            let outside = base.join("secret");
            fs::create_dir_all(dir.join("css")).unwrap();
            fs::create_dir_all(dir.join("admin")).unwrap();
            fs::create_dir_all(dir.join("docs")).unwrap();
            fs::create_dir_all(dir.join(".git")).unwrap();
            fs::create_dir_all(&outside).unwrap();
            for (name, body) in [
                ("info.php", "<?php phpinfo();"),
                ("css/site.css", "body{}"),
                ("upload.txt", "<?php echo 'pwned';"),
                ("admin/index.php", "<?php"),
                ("docs/index.html", "<h1>docs</h1>"),
                (".env", "DB_PASSWORD=x"),
                (".git/config", "[core]"),
                ("config.inc", "<?php $password = 1;"),
                ("Upper.PHP", "<?php echo 1;"),
                ("dot.php.", "<?php echo 1;"),
            ] {
                fs::write(dir.join(name), body).unwrap();
            }
            if front_controller {
                fs::write(dir.join("index.php"), "<?php echo 'front';").unwrap();
            }
            fs::write(outside.join("passwd"), "root:x:0:0").unwrap();
            fs::write(outside.join("evil.php"), "<?php").unwrap();
            symlink(outside.join("passwd"), dir.join("passwd.txt")).unwrap();
            symlink(outside.join("evil.php"), dir.join("evil.php")).unwrap();
            symlink(&outside, dir.join("out")).unwrap();
            symlink(dir.join("info.php"), dir.join("source.txt")).unwrap();
            symlink(dir.join("upload.txt"), dir.join("upload-as.php")).unwrap();
            Site { dir, outside }
        }

        fn root(&self) -> DocRoot {
            DocRoot::new(&self.dir, "index.php", &[".php".to_string()], false).unwrap()
        }

        fn real(&self, name: &str) -> PathBuf {
            fs::canonicalize(self.dir.join(name)).unwrap()
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(self.outside.parent().unwrap());
        }
    }

    fn rand_suffix() -> u64 {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        N.fetch_add(1, Ordering::Relaxed) * 1000 + u64::from(std::time::SystemTime::now().elapsed().map(|d| d.subsec_nanos()).unwrap_or(0) % 1000)
    }

    fn script(site: &Site, file: &str, name: &str, info: &str) -> Target {
        Target::Script { filename: site.real(file), script_name: name.into(), path_info: info.into() }
    }

    #[test]
    fn a_php_file_runs_and_other_files_are_static() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/info.php"), script(&site, "info.php", "/info.php", ""));
        assert_eq!(r.resolve("/css/site.css"), Target::Static(site.real("css/site.css")));
        assert_eq!(r.resolve("/css//site.css"), Target::Static(site.real("css/site.css")));
        assert_eq!(r.resolve("/./css/./site.css"), Target::Static(site.real("css/site.css")));
    }

    #[test]
    fn path_info_follows_the_script() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/index.php/extra/path"), script(&site, "index.php", "/index.php", "/extra/path"));
        assert_eq!(r.resolve("/index.php/extra/"), script(&site, "index.php", "/index.php", "/extra/"));
        assert_eq!(r.resolve("/info.php/a%20b"), script(&site, "info.php", "/info.php", "/a b"));
    }

    #[test]
    fn a_trailing_slash_after_the_script_is_path_info_slash() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/info.php/"), script(&site, "info.php", "/info.php", "/"));
        // nginx merges slashes and drops `.` segments before splitting.
        assert_eq!(r.resolve("/info.php//"), script(&site, "info.php", "/info.php", "/"));
        assert_eq!(r.resolve("/info.php/."), script(&site, "info.php", "/info.php", "/"));
        assert_eq!(r.resolve("/info.php/a/."), script(&site, "info.php", "/info.php", "/a/"));
        assert_eq!(r.resolve("/admin/."), script(&site, "admin/index.php", "/admin/index.php", ""));
    }

    #[test]
    fn a_non_php_file_followed_by_a_path_goes_to_the_front_controller() {
        let site = Site::new(true);
        let r = site.root();
        // No file has these names: nginx's try_files falls through to /index.php.
        assert_eq!(r.resolve("/upload.txt/"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(r.resolve("/upload.txt/more"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(r.resolve("/css/site.css/more/"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(Site::new(false).root().resolve("/upload.txt/more"), Target::Refused(Refusal::NotFound));
    }

    #[test]
    fn unknown_paths_go_to_the_front_controller_or_404_without_one() {
        let site = Site::new(true);
        assert_eq!(site.root().resolve("/blog/hello-world"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(site.root().resolve("/missing.php"), script(&site, "index.php", "/index.php", ""));
        let bare = Site::new(false);
        assert_eq!(bare.root().resolve("/blog/hello-world"), Target::Refused(Refusal::NotFound));
        assert_eq!(bare.root().resolve("/"), Target::Refused(Refusal::NotFound));
    }

    #[test]
    fn directories_get_their_index_or_a_slash() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(r.resolve("/admin/"), script(&site, "admin/index.php", "/admin/index.php", ""));
        assert_eq!(r.resolve("/admin"), Target::AddSlash("/admin/".into()));
        assert_eq!(r.resolve("/docs/"), Target::Static(site.real("docs/index.html")));
        // No index and no listing: the front controller takes it.
        assert_eq!(r.resolve("/css/"), script(&site, "index.php", "/index.php", ""));
    }

    #[test]
    fn a_non_php_file_never_runs_whatever_follows_it() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/upload.txt/x.php"), Target::Refused(Refusal::NotFound));
        assert_eq!(r.resolve("/upload.txt/x.php/y"), Target::Refused(Refusal::NotFound));
        assert_eq!(r.resolve("/upload.txt"), Target::Static(site.real("upload.txt")));
        // A .php name that links to a text file neither runs nor is sent.
        assert_eq!(r.resolve("/upload-as.php"), Target::Refused(Refusal::Forbidden));
    }

    #[test]
    fn traversal_nul_and_encoded_slashes_are_refused() {
        let site = Site::new(true);
        let r = site.root();
        for p in ["/../secret/passwd", "/css/../../secret/passwd", "/%2e%2e/secret/passwd", "/css/%2E%2E/info.php"] {
            assert_eq!(r.resolve(p), Target::Refused(Refusal::BadPath), "{p}");
        }
        for p in ["/info.php%00.txt", "/upload.txt%00.php", "/css%2fsite.css", "/css%5csite.css", "/bad%zz", "/bad%2", "relative"] {
            assert_eq!(r.resolve(p), Target::Refused(Refusal::BadPath), "{p}");
        }
    }

    #[test]
    fn dotfiles_are_refused_unless_allowed() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/.env"), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/.git/config"), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/%2egit/config"), Target::Refused(Refusal::Forbidden));
        let open = DocRoot::new(&site.dir, "index.php", &[".php".into()], true).unwrap();
        assert_eq!(open.resolve("/.env"), Target::Static(site.real(".env")));
    }

    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/passwd.txt"), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/evil.php"), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/out/passwd"), Target::Refused(Refusal::Forbidden));
    }

    #[test]
    fn php_source_is_never_sent_under_another_spelling() {
        let site = Site::new(true);
        let r = site.root();
        assert_eq!(r.resolve("/Upper.PHP"), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/dot.php."), Target::Refused(Refusal::Forbidden));
        assert_eq!(r.resolve("/config.inc"), Target::Refused(Refusal::Forbidden));
        // A text name leading to a PHP file.
        assert_eq!(r.resolve("/source.txt"), Target::Refused(Refusal::Forbidden));
        // Case tricks on a case-sensitive file system name no file: the front controller.
        assert_eq!(r.resolve("/INFO.PHP"), script(&site, "index.php", "/index.php", ""));
        assert_eq!(r.resolve("/info.p%C4%A5p"), script(&site, "index.php", "/index.php", ""));
    }

    #[test]
    fn other_php_extensions_are_configurable() {
        let site = Site::new(true);
        fs::write(site.dir.join("page.phtml"), "<?php").unwrap();
        assert_eq!(site.root().resolve("/page.phtml"), Target::Refused(Refusal::Forbidden));
        let r = DocRoot::new(&site.dir, "index.php", &[".php".into(), ".phtml".into()], false).unwrap();
        assert_eq!(r.resolve("/page.phtml"), script(&site, "page.phtml", "/page.phtml", ""));
    }

    #[test]
    fn a_root_that_is_not_a_directory_is_an_error() {
        let site = Site::new(true);
        assert!(DocRoot::new(&site.dir.join("info.php"), "index.php", &[".php".into()], false).is_err());
        assert!(DocRoot::new(&site.dir.join("nope"), "index.php", &[".php".into()], false).is_err());
    }
}
