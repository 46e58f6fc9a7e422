<?php
// The `make run` demo until the server lands: proves the extension loads
// into a thread-safe PHP and prints what it can do.
if (!extension_loaded('folk')) {
    fwrite(STDERR, "folk is not loaded: run with -d extension=target/release/libfolk.so\n");
    exit(1);
}
printf("folk %s on PHP %s (%s)\n", folk_version(), PHP_VERSION, PHP_ZTS ? 'ZTS' : 'NTS');
$fns = get_extension_funcs('folk') ?: [];
sort($fns);
echo "functions: ", implode(', ', $fns), "\n";
$classes = array_values(array_filter(get_declared_classes(), fn ($c) => str_starts_with($c, 'Folk\\')));
sort($classes);
echo "classes:   ", $classes ? implode(', ', $classes) : '(none yet)', "\n";
echo "opcache:   ", function_exists('opcache_get_status') && ini_get('opcache.enable_cli') ? 'on' : 'off', "\n";
