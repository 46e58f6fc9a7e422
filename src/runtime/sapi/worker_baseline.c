/*
 * A worker's baseline: the state every request or job of a long-lived
 * worker starts from, and puts back when it ends.
 *
 * Why: php-fpm gets a fresh request state from php_request_shutdown() and
 * php_request_startup(); a worker script keeps its one PHP request open for
 * its whole life (it holds the booted application), so whatever a request
 * changes in the engine would reach the next request on the thread. The
 * baseline is taken when the worker starts serving (its first
 * Folk\Worker::serve() or handleRequest() call), so what the application set
 * while booting stays, and each job or request is put back to it.
 *
 * The order and the reasons are docs/WORKER.md's lifecycle table; each step
 * names the php-src function whose per-request work it stands in for.
 * Every function here is called inside the worker's open PHP request; those
 * that run PHP code catch their own bailouts, so no longjmp leaves this file.
 */
#include "php.h"
#include "php_globals.h"
#include "zend_ini.h"
#include "zend_stack.h"
#include "ext/standard/basic_functions.h"
#include "zend_smart_str.h"
#include "ext/standard/php_filestat.h"
#include "ext/standard/url_scanner_ex.h"
#include <locale.h>
#include <sys/stat.h>
#include <time.h>

#define FOLK_OK 0
#define FOLK_FAILED (-1)

/* A handler zval and the stack of the ones it replaced, copied (references held). */
typedef struct {
	zval current;
	int level;
	int count;
	zval *stack;
	int *levels;
} handlers;

typedef struct {
	/* name -> value of every INI entry modified when serving began (a reference held). */
	HashTable ini;
	/* The thread's working directory (ZTS: virtual, per thread). */
	char *cwd;
	/* The locale, if the application changed it while booting (else PHP's "C"). */
	int locale_changed;
	char *locale;
	handlers errors;
	handlers exceptions;
	/* BG(umask) outside requests: the umask before the boot changed it, or -1. */
	zend_long umask;
	/* BG(user_shutdown_function_names)'s next index when the current job began. */
	zend_ulong shutdown_from;
	/* date_default_timezone_get() (date's globals are not exported: asked through PHP). */
	zend_string *timezone;
} baseline_state;

static __thread baseline_state *baseline;

/* INI entries a request may change for the rest of the worker's life: the
 * session module's. Frameworks set them once, when they first build their
 * session storage service, and that happens in the first request that uses
 * the session (Symfony's NativeSessionStorage sets session.cache_limiter,
 * its NativeFileSessionHandler session.save_path; FrankenPHP's INI reset
 * broke sessions over exactly this, php/frankenphp#2185). Put back, the
 * next requests would run with PHP's session defaults. */
static int is_kept(zend_string *name) {
	return ZSTR_LEN(name) > sizeof("session.") - 1 && !strncmp(ZSTR_VAL(name), "session.", sizeof("session.") - 1);
}

static void copy_handlers(handlers *h, zval *current, zend_stack *stack, zend_stack *levels, int level) {
	ZVAL_COPY(&h->current, current);
	h->level = level;
	h->count = zend_stack_count(stack);
	h->stack = h->count ? pemalloc(sizeof(zval) * h->count, 1) : NULL;
	h->levels = (levels && h->count) ? pemalloc(sizeof(int) * h->count, 1) : NULL;
	zval *elements = zend_stack_base(stack);
	for (int i = 0; i < h->count; i++) {
		ZVAL_COPY(&h->stack[i], &elements[i]);
	}
	if (h->levels) {
		memcpy(h->levels, zend_stack_base(levels), sizeof(int) * h->count);
	}
}

static void free_handlers(handlers *h) {
	zval_ptr_dtor(&h->current);
	for (int i = 0; i < h->count; i++) {
		zval_ptr_dtor(&h->stack[i]);
	}
	if (h->stack) {
		pefree(h->stack, 1);
	}
	if (h->levels) {
		pefree(h->levels, 1);
	}
}

/* set_error_handler()/set_exception_handler() in a request: the handlers
 * (and the stacks restore_*_handler() pops) go back to the baseline's,
 * as shutdown_executor() clears them for php-fpm's next request. */
static void restore_handlers(handlers *h, zval *current, int *level, zend_stack *stack, zend_stack *levels) {
	if (zend_stack_count(stack) == h->count && zend_is_identical(current, &h->current)) {
		return;
	}
	zval_ptr_dtor(current);
	ZVAL_COPY(current, &h->current);
	if (level) {
		*level = h->level;
	}
	while (!zend_stack_is_empty(stack)) {
		zval_ptr_dtor((zval *)zend_stack_top(stack));
		zend_stack_del_top(stack);
	}
	while (levels && !zend_stack_is_empty(levels)) {
		zend_stack_del_top(levels);
	}
	for (int i = 0; i < h->count; i++) {
		zval copy;
		ZVAL_COPY(&copy, &h->stack[i]);
		zend_stack_push(stack, &copy);
		if (levels && h->levels) {
			zend_stack_push(levels, &h->levels[i]);
		}
	}
}

/* output_add_rewrite_var() and trans-sid state: url_scanner's RSHUTDOWN
 * (its deactivate step is static in PHP, so repeated here). Left active, the
 * next request's output_add_rewrite_var() would start no rewriter at all. */
static void reset_url_rewriter(url_adapt_state_ex_t *ctx) {
	if (ctx->active) {
		smart_str_free(&ctx->result);
		smart_str_free(&ctx->buf);
		smart_str_free(&ctx->tag);
		smart_str_free(&ctx->arg);
		smart_str_free(&ctx->attr_val);
		ctx->active = 0;
		ctx->tag_type = 0;
		ctx->attr_type = 0;
	}
	smart_str_free(&ctx->form_app);
	smart_str_free(&ctx->url_app);
}

/* date's globals are not exported, and asking date_default_timezone_get()
 * after every request costs a PHP call: instead date_default_timezone_set()
 * is wrapped (at module startup, in the table every thread copies) to note
 * that this thread's zone changed. */
static zif_handler set_timezone;
static __thread int timezone_changed;

/* The per-job time limit's timer. Arming and stopping it are one
 * timer_settime() syscall each; a worker serving tens of thousands of jobs a
 * second re-arms it only when the deadline it set would come too early for a
 * new job (more than `job_timer_slack()` of it is used up), and leaves it
 * running after a short job: its deadline is then still almost a whole
 * limit away, and an expiry while the worker waits only sets EG(timed_out),
 * which the next job_begin() clears. A job gets its full max_execution_time
 * minus at most that slack. */
static __thread struct {
	int armed;
	/* The job changed the limit (set_time_limit(), ini_set()): the timer PHP
	 * armed for it is not ours, re-arm for the next job whatever its age. */
	int dirty;
	zend_long seconds;
	uint64_t armed_at_ns;
} job_timer;

static uint64_t monotonic_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* 1% of the limit, at most 250 ms: re-armed at most four times a second. */
static uint64_t job_timer_slack(zend_long seconds) {
	uint64_t slack = (uint64_t)seconds * 10000000u;
	return slack < 250000000u ? slack : 250000000u;
}

static void job_timer_stop(void) {
	zend_unset_timeout();
	job_timer.armed = 0;
	job_timer.dirty = 0;
}

static ZEND_NAMED_FUNCTION(noting_set_timezone) {
	timezone_changed = 1;
	set_timezone(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

void folk_worker_baseline_install(void) {
	zend_function *f = zend_hash_str_find_ptr(CG(function_table), ZEND_STRL("date_default_timezone_set"));
	if (f && f->type == ZEND_INTERNAL_FUNCTION && !set_timezone) {
		set_timezone = f->internal_function.handler;
		f->internal_function.handler = noting_set_timezone;
	}
}

/* date_default_timezone_get(), or NULL. */
static zend_string *current_timezone(void) {
	zval name, tz;
	ZVAL_STRING(&name, "date_default_timezone_get");
	ZVAL_UNDEF(&tz);
	call_user_function(NULL, NULL, &name, &tz, 0, NULL);
	zval_ptr_dtor(&name);
	if (Z_TYPE(tz) != IS_STRING) {
		zval_ptr_dtor(&tz);
		return NULL;
	}
	return Z_STR(tz);
}

/* date_default_timezone_set() in a request: date's RSHUTDOWN forgets it for php-fpm. */
static void restore_timezone(void) {
	zend_string *now = current_timezone();
	if (baseline->timezone && now && !zend_string_equals(now, baseline->timezone)) {
		zval name, tz, ret;
		ZVAL_STRING(&name, "date_default_timezone_set");
		ZVAL_STR_COPY(&tz, baseline->timezone);
		call_user_function(NULL, NULL, &name, &ret, 1, &tz);
		zval_ptr_dtor(&ret);
		zval_ptr_dtor(&tz);
		zval_ptr_dtor(&name);
	}
	if (now) {
		zend_string_release(now);
	}
}

/* The worker starts serving: what is in force now is every request's start. */
void folk_worker_baseline_take(void) {
	if (baseline) {
		return;
	}
	baseline = pecalloc(1, sizeof(baseline_state), 1);
	zend_hash_init(&baseline->ini, 8, NULL, NULL, 1);
	if (EG(modified_ini_directives)) {
		zend_string *name;
		zend_ini_entry *entry;
		ZEND_HASH_MAP_FOREACH_STR_KEY_PTR(EG(modified_ini_directives), name, entry) {
			if (name && entry->value) {
				zend_hash_add_ptr(&baseline->ini, name, zend_string_copy(entry->value));
			}
		}
		ZEND_HASH_FOREACH_END();
	}
	char cwd[MAXPATHLEN];
	baseline->cwd = virtual_getcwd(cwd, sizeof(cwd)) ? strdup(cwd) : NULL;
	baseline->locale_changed = BG(locale_changed);
	if (baseline->locale_changed) {
		const char *now = setlocale(LC_ALL, NULL);
		baseline->locale = now ? strdup(now) : NULL;
	}
	copy_handlers(&baseline->errors, &EG(user_error_handler), &EG(user_error_handlers),
		&EG(user_error_handlers_error_reporting), EG(user_error_handler_error_reporting));
	copy_handlers(&baseline->exceptions, &EG(user_exception_handler), &EG(user_exception_handlers), NULL, 0);
	baseline->umask = BG(umask);
	baseline->timezone = current_timezone();
	timezone_changed = 0;
	/* The time limit counts per job from now on, never while the worker boots. */
	job_timer_stop();
}

/* The worker stops serving (before its PHP request ends). */
void folk_worker_baseline_drop(void) {
	job_timer_stop();
	if (!baseline) {
		return;
	}
	zend_string *value;
	ZEND_HASH_FOREACH_PTR(&baseline->ini, value) {
		zend_string_release(value);
	}
	ZEND_HASH_FOREACH_END();
	zend_hash_destroy(&baseline->ini);
	free(baseline->cwd);
	free(baseline->locale);
	free_handlers(&baseline->errors);
	free_handlers(&baseline->exceptions);
	if (baseline->timezone) {
		zend_string_release(baseline->timezone);
	}
	pefree(baseline, 1);
	baseline = NULL;
}

/* error_clear_last(): error_get_last() starts empty, as in a new request. */
static void clear_last_error(void) {
	PG(last_error_type) = 0;
	PG(last_error_lineno) = 0;
	if (PG(last_error_message)) {
		zend_string_release(PG(last_error_message));
		PG(last_error_message) = NULL;
	}
	if (PG(last_error_file)) {
		zend_string_release(PG(last_error_file));
		PG(last_error_file) = NULL;
	}
}

/* A job or request begins: php_request_startup()'s time limit
 * (zend_set_timeout(max_execution_time)) counts from here, error_get_last()
 * is empty, and umask() remembers the value to put back (BG(umask)). */
void folk_worker_job_begin(void) {
	clear_last_error();
	if (baseline) {
		BG(umask) = -1;
		baseline->shutdown_from = BG(user_shutdown_function_names) ? BG(user_shutdown_function_names)->nNextFreeElement : 0;
	}
	/* A timer that fired as the last job ended, or while the worker
	 * waited, must not fail this one. */
	zend_atomic_bool_store_ex(&EG(timed_out), false);
	zend_long seconds = EG(timeout_seconds);
	if (seconds <= 0) {
		if (job_timer.armed) {
			job_timer_stop();
		}
		return;
	}
	uint64_t now = monotonic_ns();
	if (!job_timer.armed || job_timer.dirty || job_timer.seconds != seconds
		|| now - job_timer.armed_at_ns > job_timer_slack(seconds)) {
		zend_set_timeout(seconds, 0);
		job_timer.armed = 1;
		job_timer.dirty = 0;
		job_timer.seconds = seconds;
		job_timer.armed_at_ns = now;
	}
}

/* INI entries the job changed go back to the baseline's values, as
 * zend_ini_deactivate() restores them for php-fpm. Restored at the
 * DEACTIVATE stage, as PHP does, so max_execution_time's handler does not
 * arm the timer again and session settings apply after headers went out. */
static void restore_ini(void) {
	zend_string *name;
	zend_string *base;
	zend_ini_entry *entry;
	/* Entries the baseline has (set while booting): their boot values,
	 * also after an ini_restore() that took them off the modified list. */
	ZEND_HASH_MAP_FOREACH_STR_KEY_PTR(&baseline->ini, name, base) {
		entry = zend_hash_find_ptr(EG(ini_directives), name);
		if (entry && entry->value != base && !zend_string_equals(entry->value, base) && !is_kept(name)) {
			zend_alter_ini_entry_ex(name, base, ZEND_INI_SYSTEM, ZEND_INI_STAGE_DEACTIVATE, 1);
		}
	}
	ZEND_HASH_FOREACH_END();
	if (!EG(modified_ini_directives)) {
		return;
	}
	/* Entries first changed by this job: their values from before it.
	 * Collected first: restoring an entry deletes it from the table walked. */
	zend_string **undo = NULL;
	int count = 0, size = 0;
	ZEND_HASH_MAP_FOREACH_STR_KEY_PTR(EG(modified_ini_directives), name, entry) {
		if (zend_hash_exists(&baseline->ini, name) || is_kept(name)) {
			continue;
		}
		if (count == size) {
			size = size ? size * 2 : 8;
			undo = erealloc(undo, sizeof(zend_string *) * size);
		}
		undo[count++] = zend_string_copy(name);
	}
	ZEND_HASH_FOREACH_END();
	for (int i = 0; i < count; i++) {
		zend_restore_ini_entry(undo[i], ZEND_INI_STAGE_DEACTIVATE);
		zend_string_release(undo[i]);
	}
	if (undo) {
		efree(undo);
	}
}

/* setlocale() is process-wide; basic's RSHUTDOWN puts back "C" for php-fpm. */
static void restore_locale(void) {
	if (!baseline->locale_changed) {
		if (BG(locale_changed)) {
			setlocale(LC_ALL, "C");
			zend_reset_lc_ctype_locale();
			zend_update_current_locale();
			BG(locale_changed) = 0;
		}
		return;
	}
	const char *now = setlocale(LC_ALL, NULL);
	if (baseline->locale && (!now || strcmp(now, baseline->locale))) {
		setlocale(LC_ALL, baseline->locale);
		zend_update_current_locale();
	}
}

/* chdir() in a request: basic's RSHUTDOWN has no part in it (php-fpm
 * chdirs to each script), but the worker's next request must not run
 * somewhere else than the application booted. */
static void restore_cwd(void) {
	char cwd[MAXPATHLEN];
	if (!baseline->cwd || (virtual_getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, baseline->cwd))) {
		return;
	}
	virtual_chdir(baseline->cwd);
}

/* The job or request ended (its output sent, its session closed): the
 * thread goes back to the baseline, and its time limit stops counting. */
int folk_worker_job_end(void) {
	volatile int rc = FOLK_OK;
	/* set_time_limit() or ini_set() in the job armed PHP's own timer. */
	if (EG(timeout_seconds) != job_timer.seconds) {
		job_timer.dirty = 1;
	}
	zend_try {
		if (baseline) {
			restore_ini();
			restore_locale();
			restore_cwd();
			restore_handlers(&baseline->errors, &EG(user_error_handler), &EG(user_error_handler_error_reporting),
				&EG(user_error_handlers), &EG(user_error_handlers_error_reporting));
			restore_handlers(&baseline->exceptions, &EG(user_exception_handler), NULL, &EG(user_exception_handlers), NULL);
			if (BG(umask) != -1) {
				umask(BG(umask));
			}
			BG(umask) = baseline->umask;
			if (timezone_changed) {
				restore_timezone();
				timezone_changed = 0;
			}
			/* basic's RSHUTDOWN: the URL rewriter and the stat cache. */
			reset_url_rewriter(&BG(url_adapt_session_ex));
			reset_url_rewriter(&BG(url_adapt_output_ex));
			php_clear_stat_cache(0, NULL, 0);
		}
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	/* A job that ran longer than the slack stops the timer (one syscall
	 * against its long run): the deadline it would leave running could come
	 * while the worker's own code runs between jobs. */
	if (rc != FOLK_OK || (job_timer.armed && monotonic_ns() - job_timer.armed_at_ns > job_timer_slack(job_timer.seconds))) {
		job_timer_stop();
	}
	return rc;
}

/* register_shutdown_function() in a request: its functions run when the
 * request ends, as php_request_shutdown() runs them for php-fpm (with the
 * output still open, so what they print is part of the response); those
 * the worker registered while booting run when the worker ends. Stops at
 * the first function that leaves an exception pending (exit() included):
 * the caller handles it as if the handler had thrown it. */
int folk_worker_run_request_shutdown_functions(void) {
	HashTable *functions = BG(user_shutdown_function_names);
	if (!baseline || !functions || functions->nNextFreeElement <= (zend_long)baseline->shutdown_from) {
		return FOLK_OK;
	}
	volatile int rc = FOLK_OK;
	zend_try {
		for (zend_ulong i = baseline->shutdown_from; (zend_long)i < functions->nNextFreeElement && !EG(exception); i++) {
			php_shutdown_function_entry *entry = zend_hash_index_find_ptr(functions, i);
			if (!entry) {
				continue;
			}
			zval retval;
			entry->fci.retval = &retval;
			zend_call_function(&entry->fci, &entry->fci_cache);
			zval_ptr_dtor(&retval);
			zend_hash_index_del(functions, i);
		}
		/* After an exception (or exit()) the rest are dropped unrun, as
		 * php_call_shutdown_functions() abandons them after a fatal error. */
		for (zend_ulong i = baseline->shutdown_from; (zend_long)i < functions->nNextFreeElement; i++) {
			zend_hash_index_del(functions, i);
		}
	}
	zend_catch {
		rc = FOLK_FAILED;
	}
	zend_end_try();
	return rc;
}
