//! `folk.*` INI directives: one per configuration key, empty meaning
//! "not set". Registered at module startup so php.ini and `-d` can set them.

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, IniEntryDefs};

static ENTRIES: IniEntryDefs<24> = IniEntryDefs::new([
    IniEntryDef::new(c"folk.worker", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.count", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.max_jobs", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.ttl", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.idle_ttl", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.max_memory", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.exec_timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.workers.boot_timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.queue.size", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.queue.timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.server.shutdown_timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.server.main_worker", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.server.io_threads", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.enabled", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.listen", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.max_header_size", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.max_body_size", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.header_timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.idle_timeout", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.max_connections", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.http.access_log", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.metrics.listen", c"", IniEntryPermission::All),
    IniEntryDef::new(c"folk.log.level", c"", IniEntryPermission::All),
    IniEntryDef::end(),
]);

pub fn register(module_number: i32) {
    IniEntryDef::register(ENTRIES.as_slice(), module_number);
}

/// The `folk.*` directives that are set, as (key without "folk.", value).
pub fn values() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = ExecutorGlobals::get()
        .ini_values()
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("folk.")?.to_string(), v?)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    out.sort();
    out
}
