//! Which changed paths count: a path relative to a watched root matches one
//! of `watch.patterns` and lies under none of `watch.ignore`'s directories.
//! Globs are matched per path segment: `*` and `?` within one name, `**` any
//! number of directories (none included), so `**/*.php` also matches `a.php`.

use std::path::{Component, Path};

/// `watch.patterns` and `watch.ignore`, ready to test paths against.
#[derive(Debug, Clone)]
pub struct Filter {
    patterns: Vec<Vec<String>>,
    ignore: Vec<String>,
}

impl Filter {
    pub fn new(patterns: &[String], ignore: &[String]) -> Self {
        let patterns = patterns
            .iter()
            .map(|p| p.trim_start_matches("./").split('/').filter(|s| !s.is_empty()).map(str::to_string).collect())
            .collect();
        let ignore = ignore.iter().map(|d| d.trim_matches('/').to_string()).collect();
        Filter { patterns, ignore }
    }

    /// Whether a directory of this name is skipped (`watch.ignore`), at any depth.
    pub fn ignores_dir(&self, name: &str) -> bool {
        self.ignore.iter().any(|i| i == name)
    }

    /// Whether a change of `rel` (relative to its root) should reload.
    pub fn wants(&self, rel: &Path) -> bool {
        let mut names = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(n) => names.push(n.to_string_lossy()),
                // Outside the root (or not relative): not ours.
                _ => return false,
            }
        }
        let Some((_, dirs)) = names.split_last() else { return false };
        if dirs.iter().any(|d| self.ignores_dir(d)) {
            return false;
        }
        let names: Vec<&str> = names.iter().map(|n| n.as_ref()).collect();
        self.patterns.iter().any(|p| segments_match(p, &names))
    }
}

/// `pattern`'s segments against a path's names; `**` takes zero or more names.
fn segments_match(pattern: &[String], names: &[&str]) -> bool {
    match pattern.split_first() {
        None => names.is_empty(),
        Some((p, rest)) if p == "**" => (0..=names.len()).any(|skip| segments_match(rest, &names[skip..])),
        Some((p, rest)) => names.split_first().is_some_and(|(n, more)| name_matches(p.as_bytes(), n.as_bytes()) && segments_match(rest, more)),
    }
}

/// One name against one glob segment: `*` any run of bytes, `?` one byte.
fn name_matches(p: &[u8], n: &[u8]) -> bool {
    match (p.split_first(), n.split_first()) {
        (None, _) => n.is_empty(),
        (Some((b'*', rest)), _) => (0..=n.len()).any(|skip| name_matches(rest, &n[skip..])),
        (Some((b'?', rest)), Some((_, more))) => name_matches(rest, more),
        (Some((c, rest)), Some((d, more))) => c == d && name_matches(rest, more),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{WATCH_IGNORE, WATCH_PATTERNS};

    fn defaults() -> Filter {
        let s = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Filter::new(&s(&WATCH_PATTERNS), &s(&WATCH_IGNORE))
    }

    #[test]
    fn default_patterns_take_php_templates_and_config_at_any_depth() {
        let f = defaults();
        for yes in ["index.php", "src/Controller/Home.php", ".env", "config/.env", "templates/a.html.twig", "config/services.yaml", "a.yml", "composer.json"] {
            assert!(f.wants(Path::new(yes)), "{yes}");
        }
        for no in ["README.md", "public/app.js", "index.php~", ".env.local", "src/.Home.php.swp", "var/log/dev.log"] {
            assert!(!f.wants(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn ignored_directories_hide_everything_under_them_at_any_depth() {
        let f = defaults();
        for no in ["vendor/autoload.php", "vendor/composer/installed.json", "node_modules/x/package.json", ".git/config.json", "packages/a/vendor/b.php"] {
            assert!(!f.wants(Path::new(no)), "{no}");
        }
        // A file merely named like an ignored directory is still watched.
        assert!(f.wants(Path::new("src/vendor.php")));
    }

    #[test]
    fn globs_match_per_segment() {
        let f = Filter::new(&["src/*.php".into(), "config/**/?.yaml".into(), "./composer.lock".into()], &[]);
        assert!(f.wants(Path::new("src/a.php")));
        assert!(!f.wants(Path::new("src/sub/a.php")), "* stays within a name");
        assert!(f.wants(Path::new("config/a.yaml")) && f.wants(Path::new("config/x/y/b.yaml")));
        assert!(!f.wants(Path::new("config/ab.yaml")), "? is one character");
        assert!(f.wants(Path::new("composer.lock")));
        assert!(!f.wants(Path::new("../outside.php")) && !f.wants(Path::new("")));
    }
}
