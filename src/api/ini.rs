//! `folk.*` INI directives: one per configuration key of the schema, empty
//! meaning "not set". Registered at module startup so php.ini and `-d` can
//! set them; phpinfo() lists them with their defaults and accepted values.

use std::ffi::CString;

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef};
use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};

use crate::config::every_key;

/// Registers one `folk.<key>` directive per schema key. The engine borrows the
/// table for the life of the process, so it is built once here and leaked.
pub fn register(module_number: i32) {
    let mut entries: Vec<IniEntryDef> = every_key()
        .map(|k| {
            let name = CString::new(format!("folk.{}", k.name)).expect("schema key names hold no NUL byte (schema tests)");
            IniEntryDef::new(Box::leak(name.into_boxed_c_str()), c"", IniEntryPermission::All)
        })
        .collect();
    entries.push(IniEntryDef::end());
    IniEntryDef::register(Box::leak(entries.into_boxed_slice()), module_number);
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

/// phpinfo()'s table of the directives: default, accepted values, meaning.
pub fn info_table() {
    info_table_start!();
    info_table_header!("Option", "Default", "Accepted", "Meaning");
    for k in every_key() {
        info_table_row!(format!("folk.{}", k.name), k.default, k.accepted, k.doc);
    }
    info_table_end!();
}
