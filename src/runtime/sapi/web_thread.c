/*
 * What PHP decided from the SAPI's name "cli" for every thread, undone on
 * folk's request threads.
 *
 * Why: folk's threads live inside php-cli, and some engine state is set up
 * per thread from `sapi_module.name` when the thread's globals are made.
 * pcre's GINIT makes its compiled-regex cache per request when the SAPI is
 * "cli" ("there will only be one request"): on a request thread every
 * request then compiles and JIT-compiles every pattern again (about 120 per
 * MediaWiki page, 9% of folk's CPU there). php-fpm keeps the cache for the
 * life of the process; a folk request thread keeps it for the life of the
 * thread.
 *
 * Called on a fresh thread, after its globals exist and before its first
 * request starts.
 *
 * The "php" stream wrapper lets `php://fd/N` open any of the process's
 * descriptors when the SAPI is "cli" and refuses it otherwise. In folk's
 * process a request's script could then write into the server's own
 * sockets: another client's connection, the listener. Inside a request
 * (SG(server_context) set: classic mode, handleRequest()) it is refused as
 * php-fpm refuses it ("Failed to open stream: operation failed"); a
 * Folk\Pool or serve() worker, which is php-cli code, keeps it. Installed
 * once at module startup.
 */
#include "php.h"
#include "SAPI.h"
#include "ext/pcre/php_pcre.h"
#include "ext/standard/php_fopen_wrappers.h"

/* php_pcre.c's php_free_pcre_cache(), which is static: a persistent entry. */
static void free_persistent_pattern(zval *data) {
	pcre_cache_entry *pce = (pcre_cache_entry *)Z_PTR_P(data);
	if (!pce) {
		return;
	}
	pcre2_code_free(php_pcre_pce_re(pce));
	free(pce);
}

void folk_web_thread_keep_pcre_cache(void) {
	if (!PCRE_G(per_request_cache)) {
		return;
	}
	/* As pcre's GINIT does for a SAPI that is not "cli": a persistent table
	 * that RINIT/RSHUTDOWN leave alone and GSHUTDOWN destroys with the thread. */
	PCRE_G(per_request_cache) = 0;
	zend_hash_init(&PCRE_G(pcre_cache), 0, NULL, free_persistent_pattern, 1);
}

static php_stream_wrapper_ops request_php_wrapper_ops;
static php_stream_wrapper request_php_wrapper;

static php_stream *open_php_url(php_stream_wrapper *wrapper, const char *path, const char *mode, int options,
	zend_string **opened_path, php_stream_context *context STREAMS_DC) {
	const char *what = path;
	if (!strncasecmp(what, "php://", 6)) {
		what += 6;
	}
	if (SG(server_context) && !strncasecmp(what, "fd/", 3)) {
		if (options & REPORT_ERRORS) {
			php_error_docref(NULL, E_WARNING, "Direct access to file descriptors is only available from command-line PHP");
		}
		return NULL;
	}
	return php_stream_php_wrapper.wops->stream_opener(wrapper, path, mode, options, opened_path, context STREAMS_REL_CC);
}

void folk_web_thread_install(void) {
	request_php_wrapper_ops = *php_stream_php_wrapper.wops;
	request_php_wrapper_ops.stream_opener = open_php_url;
	request_php_wrapper = php_stream_php_wrapper;
	request_php_wrapper.wops = &request_php_wrapper_ops;
	php_unregister_url_stream_wrapper("php");
	php_register_url_stream_wrapper("php", &request_php_wrapper);
}
