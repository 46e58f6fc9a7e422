--TEST--
stubs/folk.stub.php declares exactly the classes, methods and functions the extension defines
--FILE--
<?php
$src = file_get_contents(__DIR__ . '/../../../stubs/folk.stub.php');
$tokens = token_get_all($src);
$ns = ''; $class = null; $stub = ['functions' => [], 'methods' => []];
for ($i = 0; $i < count($tokens); $i++) {
    $t = $tokens[$i];
    if (!is_array($t)) continue;
    if ($t[0] === T_NAMESPACE) {
        $ns = '';
        for ($j = $i + 1; $tokens[$j] !== '{' && $tokens[$j] !== ';'; $j++) if (is_array($tokens[$j]) && $tokens[$j][0] !== T_WHITESPACE) $ns .= $tokens[$j][1];
    } elseif ($t[0] === T_CLASS) {
        $class = ltrim($ns . '\\' . $tokens[$i + 2][1], '\\');
        $stub['methods'][$class] = [];
    } elseif ($t[0] === T_FUNCTION) {
        $name = $tokens[$i + 2][1];
        if ($class !== null) $stub['methods'][$class][] = $name; else $stub['functions'][] = $name;
    } elseif ($t[0] === T_NAMESPACE) {
        $class = null;
    }
    if ($t[0] === T_NAMESPACE) $class = null;
}
$ext = new ReflectionExtension('folk');
$real = ['functions' => array_keys($ext->getFunctions()), 'methods' => []];
foreach ($ext->getClassNames() as $c) {
    $rc = new ReflectionClass($c);
    // Exceptions carry a constructor from the class registration; the stub documents that instead.
    $own = array_filter($rc->getMethods(), fn ($m) => $m->class === $c
        && !($m->name === '__construct' && $rc->isSubclassOf(Throwable::class)));
    $real['methods'][$c] = array_values(array_map(fn ($m) => $m->name, $own));
}
$norm = function ($a) { sort($a['functions']); ksort($a['methods']); foreach ($a['methods'] as &$m) sort($m); return $a; };
$stub = $norm($stub); $real = $norm($real);
if ($stub === $real) { echo "stubs match\n"; } else { echo "stub: ", json_encode($stub), "\nreal: ", json_encode($real), "\n"; }
?>
--EXPECT--
stubs match
