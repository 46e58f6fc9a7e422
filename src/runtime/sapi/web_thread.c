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
 */
#include "php.h"
#include "ext/pcre/php_pcre.h"

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
