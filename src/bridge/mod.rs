//! Values that cross threads. PHP values (zvals) belong to one thread's
//! interpreter, so every payload and result is copied into an owned `Value`
//! on the sending thread and rebuilt as a zval on the receiving thread.

pub mod value;
pub mod zval;

pub use value::{Key, Value};
