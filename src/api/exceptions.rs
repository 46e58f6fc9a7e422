//! `Folk\Exception\*`: one class per way a job or a pool can fail, all under
//! `FolkException`, and the one mapping from `WorkError` to them.

use ext_php_rs::class::RegisteredClass;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, ZendObject};
use ext_php_rs::zend::ce;

use crate::error::{ConfigError, WorkError};
use crate::runtime::exception::located_exception;

/// Base class of every exception folk throws.
#[php_class]
#[php(name = "Folk\\Exception\\FolkException")]
#[php(extends(ce = ce::exception, stub = "\\Exception"))]
#[derive(Default)]
pub struct FolkException;

/// The pool is full or no worker became free in time. Retry later.
#[php_class]
#[php(name = "Folk\\Exception\\BusyException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct BusyException;

/// A job ran past `workers.exec_timeout` and was interrupted.
#[php_class]
#[php(name = "Folk\\Exception\\TimeoutException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct TimeoutException;

/// The worker died during the job (fatal error, exit(), memory_limit); it was replaced.
#[php_class]
#[php(name = "Folk\\Exception\\WorkerDiedException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct WorkerDiedException;

/// The handler threw; carries the original exception's class, message, file and line.
#[php_class]
#[php(name = "Folk\\Exception\\ApplicationException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct ApplicationException {
    original_class: String,
    original_message: String,
    original_file: String,
    original_line: i64,
}

#[php_impl]
impl ApplicationException {
    /// Class of the exception the handler threw, e.g. "RuntimeException".
    pub fn get_original_class(&self) -> String {
        self.original_class.clone()
    }
    /// Its message.
    pub fn get_original_message(&self) -> String {
        self.original_message.clone()
    }
    /// The file it was thrown in (in the worker).
    pub fn get_original_file(&self) -> String {
        self.original_file.clone()
    }
    /// The line it was thrown at.
    pub fn get_original_line(&self) -> i64 {
        self.original_line
    }
}

/// An option is unknown or invalid; the message names the key.
#[php_class]
#[php(name = "Folk\\Exception\\ConfigException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct ConfigException;

/// A method argument is out of its accepted range; the message names the argument and the range.
#[php_class]
#[php(name = "Folk\\Exception\\InvalidArgumentException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct InvalidArgumentException;

/// A jobs broker operation failed: the queue and the reason are in the message and its getters.
#[php_class]
#[php(name = "Folk\\Exception\\JobsException")]
#[php(extends(FolkException))]
#[derive(Default)]
pub struct JobsException {
    queue: String,
    reason: String,
}

#[php_impl]
impl JobsException {
    /// The queue the operation was for ("-" when none was named yet).
    pub fn get_queue(&self) -> String {
        self.queue.clone()
    }
    /// Why it failed, without the queue.
    pub fn get_reason(&self) -> String {
        self.reason.clone()
    }
}

/// An exception of class `T`, located at the PHP code that called into folk.
fn located<T: RegisteredClass>(message: String, fill: impl FnOnce(&mut ZendObject)) -> PhpException {
    located_exception(T::get_metadata().ce(), message, fill)
}

pub fn exception<T: RegisteredClass>(message: impl Into<String>) -> PhpException {
    located::<T>(message.into(), |_| {})
}

pub fn config_error(e: ConfigError) -> PhpException {
    exception::<ConfigException>(e.to_string())
}

pub fn jobs_error(e: crate::server::jobs::JobsError) -> PhpException {
    let message = e.to_string();
    located::<JobsException>(message, |obj| {
        if let Some(j) = ZendClassObject::<JobsException>::from_zend_obj_mut(obj) {
            j.queue = e.queue;
            j.reason = e.reason;
        }
    })
}

pub fn folk_error(message: impl Into<String>) -> PhpException {
    exception::<FolkException>(message)
}

/// Throws the exception for `e` now (used where the error carries data the
/// exception must hold).
pub fn throw_work_error(e: WorkError) {
    let message = e.to_string();
    match e {
        WorkError::Busy(_) => exception::<BusyException>(message).throw(),
        WorkError::Timeout(_) => exception::<TimeoutException>(message).throw(),
        WorkError::WorkerDied(_) => exception::<WorkerDiedException>(message).throw(),
        WorkError::Application { class, message: original, file, line } => {
            located::<ApplicationException>(original.clone(), |obj| {
                if let Some(app) = ZendClassObject::<ApplicationException>::from_zend_obj_mut(obj) {
                    app.original_class = class;
                    app.original_message = original;
                    app.original_file = file;
                    app.original_line = line;
                }
            })
            .throw();
        }
        WorkError::Unhealthy(_) | WorkError::ShutDown | WorkError::Bridge(_) => exception::<FolkException>(message).throw(),
    }
}

/// Thrown inside a worker by the interrupt hook when its job ran out of time.
pub fn throw_timeout(message: &str) {
    exception::<TimeoutException>(message).throw();
}

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<FolkException>()
        .class::<BusyException>()
        .class::<TimeoutException>()
        .class::<WorkerDiedException>()
        .class::<ApplicationException>()
        .class::<ConfigException>()
        .class::<InvalidArgumentException>()
        .class::<JobsException>()
}
