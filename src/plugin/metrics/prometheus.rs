//! The Prometheus text format as the plugins share it: a plugin that keeps
//! counters implements `MetricSource`, and the server hands it to the metrics
//! plugin, so the plugin that counts and the one that serves never import each other.

use std::fmt::Write as _;

/// Series that a plugin renders into the `/metrics` page at scrape time.
pub trait MetricSource: Sync {
    /// Appends the series, each after its `header`.
    fn render(&self, out: &mut String);
    /// Why the server should not take traffic because of this source (a broker down), if it should not.
    fn not_ready(&self) -> Option<String> {
        None
    }
}

/// The `# HELP` and `# TYPE` lines that open a series.
pub fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}
