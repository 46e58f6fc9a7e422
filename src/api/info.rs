//! The `folk` section of `phpinfo()` / `php -i`.

use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

pub extern "C" fn php_module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("folk support", "enabled");
    info_table_row!("folk version", env!("CARGO_PKG_VERSION"));
    info_table_row!("ZTS", if ext_php_rs::PHP_ZTS { "yes" } else { "no" });
    info_table_row!("tokio version", env!("FOLK_TOKIO_VERSION"));
    info_table_end!();
    super::ini::info_table();
}
