/*
 * What the user set for the INI entries php-cli hard-codes.
 *
 * Why: php-cli applies its HARDCODED_INI (html_errors=0, register_argc_argv=1,
 * implicit_flush=1, output_buffering=0, max_execution_time=0,
 * max_input_time=-1) after php.ini, so the engine never sees the user's
 * php.ini values of these six; only -d entries, parsed after them, win. A web
 * SAPI (php-fpm) honours php.ini. folk's request threads live in php-cli, so
 * this file reads the user's own sources again, in php_init_config()'s order
 * and with PHP's own INI parser: php.ini, the scanned conf.d files, then -d.
 * A key the user set nowhere is left NULL (the caller takes the engine's
 * default for it).
 *
 * Called once, at module startup (single-threaded); the values are copied
 * into process-lifetime storage and only read afterwards.
 */
#include "php.h"
#include "php_ini.h"
#include "SAPI.h"
#include "zend_ini.h"
#include "zend_ini_scanner.h"

/* main/php_ini.c: the php.ini and conf.d files PHP read at startup (no header declares them). */
extern PHPAPI char *php_ini_opened_path;
extern PHPAPI char *php_ini_scanned_files;

/* php_cli.c's HARDCODED_INI, which prefixes sapi_module.ini_entries. */
static const char hardcoded_ini[] = "html_errors=0\n"
									"register_argc_argv=1\n"
									"implicit_flush=1\n"
									"output_buffering=0\n"
									"max_execution_time=0\n"
									"max_input_time=-1\n";

static const char *const keys[] = {
	"html_errors", "register_argc_argv", "implicit_flush", "output_buffering", "max_execution_time", "max_input_time", NULL,
};

#define KEY_COUNT 6
static char *found[KEY_COUNT];

typedef struct {
	/* Inside a [PATH=...] or [HOST=...] section: its entries apply to those only. */
	int special_section;
} parse_state;

static void record(zval *name, zval *value, int callback_type, parse_state *state) {
	if (callback_type == ZEND_INI_PARSER_SECTION) {
		const char *section = Z_STRVAL_P(name);
		state->special_section = !strncasecmp(section, "PATH=", 5) || !strncasecmp(section, "HOST=", 5);
		return;
	}
	if (callback_type != ZEND_INI_PARSER_ENTRY || !value || state->special_section) {
		return;
	}
	for (int i = 0; keys[i]; i++) {
		if (zend_string_equals_cstr(Z_STR_P(name), keys[i], strlen(keys[i]))) {
			free(found[i]);
			found[i] = strndup(Z_STRVAL_P(value), Z_STRLEN_P(value));
			return;
		}
	}
}

static void parser_cb(zval *arg1, zval *arg2, zval *arg3, int callback_type, void *arg) {
	record(arg1, arg2, callback_type, (parse_state *)arg);
}

static void parse_file(const char *path) {
	FILE *file = fopen(path, "r");
	if (!file) {
		return;
	}
	zend_file_handle fh;
	zend_stream_init_fp(&fh, file, path);
	parse_state state = {0};
	zend_parse_ini_file(&fh, 1, ZEND_INI_SCANNER_NORMAL, parser_cb, &state);
	zend_destroy_file_handle(&fh);
}

/* php_ini_scanned_files: "a.ini,\nb.ini\n". */
static void parse_scanned(const char *list) {
	const char *start = list;
	while (start && *start) {
		size_t len = strcspn(start, ",\n");
		if (len) {
			char *path = strndup(start, len);
			parse_file(path);
			free(path);
		}
		start += len;
		start += strspn(start, ",\n");
	}
}

void folk_web_ini_discover(void) {
	zend_try {
		if (php_ini_opened_path) {
			parse_file(php_ini_opened_path);
		}
		if (php_ini_scanned_files) {
			parse_scanned(php_ini_scanned_files);
		}
		const char *entries = sapi_module.ini_entries;
		size_t prefix = sizeof(hardcoded_ini) - 1;
		if (entries && !strncmp(entries, hardcoded_ini, prefix) && entries[prefix]) {
			parse_state state = {0};
			zend_parse_ini_string((char *)entries + prefix, 1, ZEND_INI_SCANNER_NORMAL, parser_cb, &state);
		}
	}
	zend_end_try();
}

/* The user's value of one of the six keys, or NULL if they set it nowhere. */
const char *folk_web_ini_user_value(const char *name) {
	for (int i = 0; keys[i]; i++) {
		if (!strcmp(name, keys[i])) {
			return found[i];
		}
	}
	return NULL;
}

/* This thread's value of an INI entry now (NULL if there is no such entry);
 * the caller copies it before changing the entry. */
const char *folk_ini_current(const char *name) {
	return zend_ini_string_ex((char *)name, strlen(name), 0, NULL);
}

/* Whether this thread's request changed the entry already (ini_set()). */
int folk_ini_modified(const char *name) {
	return EG(modified_ini_directives) && zend_hash_str_exists(EG(modified_ini_directives), name, strlen(name));
}

/*
 * PHP_VALUE and PHP_ADMIN_VALUE of a FastCGI request: its INI lines, read
 * with PHP's own INI parser (so `error_reporting = E_ALL & ~E_NOTICE` works
 * as under php-fpm), each entry set for this request only. PHP_VALUE sets
 * what ini_set() could (PHP_INI_USER, runtime stage); PHP_ADMIN_VALUE sets
 * any entry and locks it for the request, as php_admin_value does
 * (PHP_INI_SYSTEM, activate stage). Either way PHP's request shutdown (or a
 * worker's baseline) restores the entry: unlike php-fpm, where these stick to
 * the child process for every later request it serves.
 * `extension` and `zend_extension` are refused: loading code per request is
 * not something a web server's parameter may do.
 * Returns how many entries were refused; the first one's name goes to `refused`.
 */
typedef struct {
	int admin;
	int lock;
	int refused;
	char *first;
	size_t first_len;
} request_ini_state;

static void request_ini_cb(zval *arg1, zval *arg2, zval *arg3, int callback_type, void *arg) {
	request_ini_state *state = (request_ini_state *)arg;
	(void)arg3;
	if (callback_type != ZEND_INI_PARSER_ENTRY || !arg1 || Z_TYPE_P(arg1) != IS_STRING) {
		state->refused++;
		return;
	}
	zend_string *name = Z_STR_P(arg1);
	int ok = arg2 && Z_TYPE_P(arg2) == IS_STRING && ZSTR_LEN(name) > 0
		&& !zend_string_equals_literal(name, "extension") && !zend_string_equals_literal(name, "zend_extension");
	if (ok) {
		ok = zend_alter_ini_entry_chars(name, Z_STRVAL_P(arg2), Z_STRLEN_P(arg2),
				state->admin ? ZEND_INI_SYSTEM : ZEND_INI_USER,
				state->admin && state->lock ? ZEND_INI_STAGE_ACTIVATE : ZEND_INI_STAGE_RUNTIME) == SUCCESS;
	}
	if (!ok) {
		if (state->refused == 0 && state->first) {
			size_t n = ZSTR_LEN(name) < state->first_len - 1 ? ZSTR_LEN(name) : state->first_len - 1;
			memcpy(state->first, ZSTR_VAL(name), n);
			state->first[n] = '\0';
		}
		state->refused++;
	}
}

int folk_apply_request_ini(const char *lines, int admin, int lock, char *refused, size_t refused_len) {
	request_ini_state state = { admin, lock, 0, refused, refused_len };
	if (refused && refused_len) {
		refused[0] = '\0';
	}
	/* The parser wants a final newline, as php-fpm adds one. */
	size_t len = strlen(lines);
	char *text = emalloc(len + 2);
	memcpy(text, lines, len);
	text[len] = '\n';
	text[len + 1] = '\0';
	zend_try {
		if (zend_parse_ini_string(text, 1, ZEND_INI_SCANNER_NORMAL, request_ini_cb, &state) == FAILURE) {
			state.refused++;
		}
	}
	zend_catch {
		state.refused++;
	}
	zend_end_try();
	efree(text);
	return state.refused;
}
