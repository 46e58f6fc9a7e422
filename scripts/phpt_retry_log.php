<?php
// php scripts/phpt_retry_log.php RUN-TESTS.PHP COPY.PHP: writes a copy of PHP's
// run-tests.php that appends the output of a test's first attempt, when it is
// retried, to the file PHPT_FIRST_ATTEMPTS_LOG names (not a FOLK_* name: every
// Folk\Server a test starts takes FOLK_* variables as its options). PHP's runner
// keeps only the retry's output, so a test that passes on its retry (a failure
// for `make test`, see run-phpt.sh) would otherwise leave nothing that says
// what went wrong.
[, $from, $to] = $argv;
$src = file_get_contents($from);
$hook = '$1file_put_contents((string) getenv("PHPT_FIRST_ATTEMPTS_LOG"), "=== first attempt of $file\n$output\n", FILE_APPEND);' . "\n" . '$1goto retry;';
$out = preg_replace('/^(\s*)goto retry;/m', $hook, $src, 1, $n);
if ($n !== 1) {
    fwrite(STDERR, "run-tests.php has no retry to hook: first attempts are not logged\n");
    $out = $src;
}
file_put_contents($to, $out);
