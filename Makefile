# folk — build, run and test. `make run` and `make test` do all set-up on a
# fresh Debian 12 machine (the PHP build is cached outside the checkout).
SHELL := /bin/bash
ROOT  := $(CURDIR)
PHP   := $(ROOT)/.php/bin/php
EXT   := $(ROOT)/target/release/libfolk.so
CARGO_ENV := PHP=$(PHP) PHP_CONFIG=$(ROOT)/.php/bin/php-config

.PHONY: all php build run dist test test-rust test-phpt test-phpt-hyper test-asan bench bench-peers bench-apps bench-fastcgi bench-grpc bench-ab soak clean

all: build

php:
	@scripts/build-php.sh
	@scripts/build-extensions.sh

build: php
	@echo "[folk] cargo build --release"
	@$(CARGO_ENV) cargo build --release
	@test -f $(EXT)

run: build
	@echo "[folk] serving the example site php/examples/site in classic mode on http://127.0.0.1:8080 (metrics on :9090); Ctrl-C stops"
	@FOLK_METRICS_LISTEN=127.0.0.1:9090 bin/folk serve php/examples/site --listen 127.0.0.1:8080

# folk as a relocatable directory and tarball (dist/folk-<version>-linux-<arch>.tar.gz): PHP with its
# extensions, libfolk.so, the folk command, php/ and a php.ini; README "Install on a server".
dist: build
	@scripts/dist.sh

test: build test-rust test-phpt

test-rust: php
	@echo "[folk] cargo test --release"
	@$(CARGO_ENV) cargo test --release

test-phpt: build
	@scripts/run-phpt.sh $(PHP) $(EXT) tests
	@echo "[folk] the php-fpm comparisons again, folk behind Debian's nginx over FastCGI (fastcgi.listen)"
	@TEST_FOLK_FPM_VIA=fastcgi scripts/run-phpt.sh $(PHP) $(EXT) tests/phpt/fpm

# The same suite with http.direct off in every server a test starts (unless the
# test sets it): hyper's path, which serves TLS and what http.direct hands it,
# keeps every guarantee on its own too. Not in `make test`: a second run of the
# whole suite doubles the exposure to its timing-sensitive tests (crash restart,
# Redis shutdown) that pass only on retry now and then under load.
test-phpt-hyper: build
	@echo "[folk] the phpt suite again, with http.direct off (hyper's path)"
	@TEST_FOLK_HTTP_DIRECT=0 scripts/run-phpt.sh $(PHP) $(EXT) tests

# PHP and folk's C files built with AddressSanitizer, the whole phpt suite with
# USE_ZEND_ALLOC=0; not part of `make test` (a second PHP build, and slow).
test-asan:
	@scripts/test-asan.sh

bench: build
	@scripts/bench.sh

# Only the side-by-side run with Swoole, Workerman, php-fpm + nginx and static nginx
# (bench/peers/run.sh, also part of `make bench`); WRK_* and PEERS_* as in its header.
bench-peers: build
	@bench/peers/run.sh

# Only the page views of MediaWiki, WordPress and DokuWiki from Debian's packages, folk classic vs
# php-fpm + nginx (bench/apps/run.sh, also part of `make bench`); WRK_* and BENCH_APPS as in its header.
bench-apps: build
	@bench/apps/run.sh

# Only nginx -> folk over FastCGI vs nginx -> php-fpm, the same nginx config (classic mode on bench/http/site,
# worker mode on Slim) (bench/http/fastcgi.sh, also part of `make bench`); WRK_* and FASTCGI_KEEP_CONN as in its header.
bench-fastcgi: build
	@bench/http/fastcgi.sh

# Only gRPC unary echo vs folk's own HTTP/2 hello, the same handler cost, with h2load (bench/grpc/run.sh,
# also part of `make bench`); H2LOAD_* as in its header.
bench-grpc: build
	@bench/grpc/run.sh

# Two builds of the extension against each other: make bench-ab A=before.so B=after.so (AB_MODE=serve|handle|classic).
bench-ab: php
	@bench/ab/run.sh "$(A)" "$(B)"

# Long-running: SOAK_REQUESTS per mode (default 1,000,000); not part of `make test`.
soak: build
	@scripts/soak.sh

clean:
	cargo clean
