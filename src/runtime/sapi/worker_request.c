/*
 * One HTTP request inside a running worker script (Folk\Worker::handleRequest).
 *
 * Why C: the request is a partial startup and shutdown of PHP's request state
 * (output layer, SAPI, superglobals, session, filter) while the worker script's
 * own PHP request stays open, as FrankenPHP's worker mode does it. That state
 * lives in PG()/SG()/EG()/CG()/PS() globals whose layouts and accessor macros
 * are PHP's; compiled against PHP's own headers they cannot drift.
 *
 * Every PHP entry here sits inside its own zend_try: a bailout never leaves
 * this file, so no longjmp crosses a Rust frame. Each function reports
 * whether it completed; on failure the caller retires the worker thread.
 *
 * The order follows php_request_startup()/php_request_shutdown() in
 * main/main.c, minus what would wipe the booted application (zend_activate,
 * RINIT of every module, the symbol table).
 */
#include "php.h"
#include "SAPI.h"
#include "php_main.h"
#include "php_output.h"
#include "php_variables.h"
#include "php_globals.h"
#include "php_streams.h"
#include "php_memory_streams.h"
#include "zend_exceptions.h"
#include "ext/session/php_session.h"

#define FOLK_OK 0
#define FOLK_FAILED (-1)

/* Modules whose request state must follow the request, by their own
 * RINIT/RSHUTDOWN: filter keeps its own copies of $_GET/$_POST/$_COOKIE/
 * $_SERVER for filter_input(); zlib starts zlib.output_compression and
 * forgets the encoding ob_gzhandler chose from the last request's
 * Accept-Encoding; random reseeds mt_rand()/rand() (an mt_srand() of one
 * request would make the next ones predictable). */
static const char *const reloaded_modules[] = {"filter", "zlib", "random", NULL};

/* worker_baseline.c */
void folk_worker_job_begin(void);
int folk_worker_job_end(void);

static void reload_modules(int startup) {
	for (const char *const *name = reloaded_modules; *name; name++) {
		zend_module_entry *module = zend_hash_str_find_ptr(&module_registry, *name, strlen(*name));
		if (!module) {
			continue;
		}
		if (startup && module->request_startup_func) {
			module->request_startup_func(module->type, module->module_number);
		} else if (!startup && module->request_shutdown_func) {
			module->request_shutdown_func(module->type, module->module_number);
		}
	}
}

/* php://input and large request bodies are temp streams registered in
 * EG(regular_list); the worker's request never ends, so they would pile up
 * (temp files and descriptors) unless released when nothing holds them. */
static void release_temp_streams(void) {
	zend_resource *res;
	int le_stream = php_file_le_stream();
	ZEND_HASH_FOREACH_PTR(&EG(regular_list), res) {
		if (res->type != le_stream) {
			continue;
		}
		php_stream *stream = (php_stream *)res->ptr;
		if (stream && stream->ops == &php_stream_temp_ops && stream->__exposed == 0 && GC_REFCOUNT(res) == 1) {
			zend_list_delete(res);
		}
	}
	ZEND_HASH_FOREACH_END();
}

/* The session of this request is written and closed, and nothing of it stays
 * for the next one (its id least of all). Save handlers registered while the
 * worker booted are kept: php_rshutdown_session_globals() minus the handler names. */
static void reset_session(void) {
	if (PS(session_status) == php_session_active) {
		php_session_flush(1);
	}
	if (!Z_ISUNDEF(PS(http_session_vars))) {
		zval_ptr_dtor(&PS(http_session_vars));
		ZVAL_UNDEF(&PS(http_session_vars));
	}
	if (PS(mod_data) || PS(mod_user_implemented)) {
		zend_try {
			PS(mod)->s_close(&PS(mod_data));
		}
		zend_end_try();
	}
	if (PS(id)) {
		zend_string_release_ex(PS(id), 0);
		PS(id) = NULL;
	}
	if (PS(session_vars)) {
		zend_string_release_ex(PS(session_vars), 0);
		PS(session_vars) = NULL;
	}
	PS(session_status) = php_session_none;
	PS(in_save_handler) = 0;
	PS(set_handler) = 0;
	PS(mod_data) = NULL;
	PS(mod_user_is_open) = 0;
	PS(define_sid) = 1;
}

/* Rebuilds every superglobal from this request, as php_hash_environment()
 * does at request startup: $_FILES dropped (the POST handler refills it),
 * $_SESSION removed from the symbol table (it is not an http global),
 * $_SERVER always re-imported (compiled code never re-arms a JIT global),
 * $_REQUEST re-imported if the application has already used it. $_ENV and
 * $GLOBALS stay the worker's. */
static void reset_superglobals(void) {
	zval *files = &PG(http_globals)[TRACK_VARS_FILES];
	zval_ptr_dtor_nogc(files);
	ZVAL_UNDEF(files);
	zend_hash_str_del(&EG(symbol_table), "_SESSION", sizeof("_SESSION") - 1);

	zend_string *env = ZSTR_KNOWN(ZEND_STR_AUTOGLOBAL_ENV);
	zend_string *server = ZSTR_KNOWN(ZEND_STR_AUTOGLOBAL_SERVER);
	zend_string *request = ZSTR_KNOWN(ZEND_STR_AUTOGLOBAL_REQUEST);
	zend_auto_global *global;
	ZEND_HASH_MAP_FOREACH_PTR(CG(auto_globals), global) {
		if (global->name == env) {
			continue;
		}
		if (global->name == server) {
			global->armed = global->auto_global_callback(global->name);
		} else if (global->jit) {
			if (global->name == request && zend_hash_exists(&EG(symbol_table), global->name)) {
				global->armed = global->auto_global_callback(global->name);
			}
		} else if (global->auto_global_callback) {
			global->armed = global->auto_global_callback(global->name);
		} else {
			global->armed = 0;
		}
	}
	ZEND_HASH_FOREACH_END();
}

/* The process environment as $_SERVER starts it, imported once per worker
 * (through the input filter, as php_import_environment_variables does) and
 * copied into each request's $_SERVER: importing it anew per request cost
 * a filtered registration per variable per request. It lives in the worker
 * script's request, so folk_worker_forget_environment() drops an earlier worker's copy. */
static __thread HashTable *environment;

void folk_worker_import_environment(zval *track_vars) {
	if (!environment) {
		zval imported;
		array_init(&imported);
		php_import_environment_variables(&imported);
		environment = Z_ARR(imported);
	}
	zend_hash_copy(Z_ARRVAL_P(track_vars), environment, zval_add_ref);
}

static void reload_modules_shutdown(void) {
	reload_modules(0);
}

/* sapi_deactivate(), leaving no freed pointer behind: it frees the auth
 * strings and content_type_dup without clearing them (php_request_startup's
 * sapi_activate() and php_handle_auth_data() overwrite them next, but a
 * worker thread deactivates its SAPI state twice between two requests). */
static void sapi_deactivate_cleanly(void) {
	sapi_deactivate();
	SG(request_info).auth_user = NULL;
	SG(request_info).auth_password = NULL;
	SG(request_info).auth_digest = NULL;
	SG(request_info).content_type_dup = NULL;
}

/* Runs one step of a request's shutdown in its own zend_try: a bailout in it
 * (an output handler, a session writer) fails the step, not the ones after. */
static int guarded(void (*step)(void)) {
	volatile int rc = FOLK_OK;
	zend_try {
		step();
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	return rc;
}

/* A worker starts serving: any environment copy of an earlier worker on
 * this thread (the main one serves again after a second run()) is stale. */
void folk_worker_forget_environment(void) {
	environment = NULL;
}

/* Outside its requests a worker thread is in php-cli's state: an output
 * layer and SAPI state of its own (the boot's, then reopened after each
 * request), so code between requests, job handlers, the code after the loop
 * and shutdown functions (which may ob_start() or header()) find them live.
 * Before a request that state is closed (output left in buffers goes to the
 * CLI's stdout), so the request opens its own. */
int folk_worker_close_cli_state(void) {
	int rc = guarded(php_output_end_all);
	rc |= guarded(php_output_deactivate);
	rc |= guarded(sapi_deactivate_cleanly);
	return rc;
}

/* Between requests, before a job runs in a handleRequest() worker: the
 * superglobals are rebuilt with no request bound (as a php-cli job sees
 * them under serve()), so a job never sees the last request's input. */
int folk_worker_clear_request_globals(void) {
	volatile int rc = FOLK_OK;
	zend_try {
		reset_superglobals();
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	return rc;
}

/* After a request (its context unbound): the thread is back in php-cli's
 * state, with an output layer and SAPI state of its own, as its boot had. */
int folk_worker_resume_cli_state(void) {
	volatile int rc = FOLK_OK;
	zend_try {
		php_output_activate();
		sapi_activate();
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	return rc;
}

/* Opens one request: the caller has bound SG(server_context) and filled
 * SG(request_info). The user's error handler is masked while PHP parses the
 * request's input, so a max_input_vars or post_max_size warning is logged
 * and cannot become an exception that any client could use to kill workers. */
int folk_worker_request_startup(void) {
	volatile int rc = FOLK_OK;
	zval user_handler;
	ZVAL_COPY_VALUE(&user_handler, &EG(user_error_handler));
	ZVAL_UNDEF(&EG(user_error_handler));
	/* As in php_request_startup(): errors while PHP reads the request are
	 * "PHP Request Startup" errors "in Unknown on line 0" (shown only with
	 * display_startup_errors), not warnings of handleRequest()'s caller. */
	zend_execute_data *caller = EG(current_execute_data);
	EG(current_execute_data) = NULL;
	PG(during_request_startup) = 1;
	folk_worker_job_begin();
	zend_try {
		release_temp_streams();
		php_output_activate();
		PG(header_is_being_sent) = 0;
		PG(connection_status) = PHP_CONNECTION_NORMAL;
		sapi_activate();
		if (PG(expose_php) && !SG(headers_sent)) {
			sapi_add_header(SAPI_PHP_VERSION_HEADER, sizeof(SAPI_PHP_VERSION_HEADER) - 1, 1);
		}
		if (PG(output_handler) && PG(output_handler)[0]) {
			zval handler;
			ZVAL_STRING(&handler, PG(output_handler));
			php_output_start_user(&handler, 0, PHP_OUTPUT_HANDLER_STDFLAGS);
			zval_ptr_dtor(&handler);
		} else if (PG(output_buffering)) {
			php_output_start_user(NULL, PG(output_buffering) > 1 ? PG(output_buffering) : 0, PHP_OUTPUT_HANDLER_STDFLAGS);
		} else if (PG(implicit_flush)) {
			php_output_set_implicit_flush(1);
		}
		reset_superglobals();
		reload_modules(1);
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	PG(during_request_startup) = 0;
	EG(current_execute_data) = caller;
	if (Z_ISUNDEF(EG(user_error_handler))) {
		ZVAL_COPY_VALUE(&EG(user_error_handler), &user_handler);
	} else {
		zval_ptr_dtor(&user_handler);
	}
	SG(sapi_started) = 1;
	zend_memory_reset_peak_usage();
	return rc;
}

/* Closes the request: output flushed (keep_output) or discarded, filter,
 * zlib and session reset, headers sent (captured by folk's send_headers), SAPI
 * state freed (unread body drained, unmoved upload temp files unlinked,
 * headers_sent() false again), the worker's baseline back (INI, time limit,
 * handlers, locale, umask, working directory), the memory limit restored. A pending
 * exception (exit()'s unwind) is set aside meanwhile, so that output
 * handlers run, and put back for the worker script to unwind with. */
int folk_worker_request_shutdown(int keep_output) {
	zend_object *pending = EG(exception);
	EG(exception) = NULL;
	int rc = guarded(keep_output ? php_output_end_all : php_output_discard_all);
	rc |= guarded(reload_modules_shutdown);
	rc |= guarded(reset_session);
	rc |= guarded(php_output_deactivate);
	rc |= guarded(sapi_deactivate_cleanly);
	rc |= folk_worker_job_end();
	zend_set_memory_limit(PG(memory_limit));
	if (EG(exception)) {
		/* Thrown by an output handler or a session writer while set aside: it
		 * has nowhere to go; the request is answered already. */
		zend_clear_exception();
	}
	EG(exception) = pending;
	return rc;
}
