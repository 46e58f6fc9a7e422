--TEST--
Imagick in folk's request threads: a 400x300 PNG made with GD is resized to fit 100x100 (100x75), answered as a PNG of that size, by four requests at once on a server of two worker threads
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/pecl.php'; if ($why = pecl_unavailable('imagick')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$script = <<<'PHP'
<?php
$gd = imagecreatetruecolor(400, 300);
imagefilledrectangle($gd, 0, 0, 199, 299, imagecolorallocate($gd, 255, 0, 0));
imagefilledrectangle($gd, 200, 0, 399, 299, imagecolorallocate($gd, 0, 0, 255));
ob_start(); imagepng($gd); $png = ob_get_clean();
$im = new Imagick();
$im->readImageBlob($png);
$before = [$im->getImageWidth(), $im->getImageHeight(), $im->getImageFormat()];
$im->resizeImage(100, 100, Imagick::FILTER_LANCZOS, 1, true);
$im->setImageFormat('png');
$blob = $im->getImageBlob();
[$w, $h, $type] = getimagesizefromstring($blob);
// Left half still red, right half still blue.
$left = $im->getImagePixelColor(10, 40)->getColor();
$right = $im->getImagePixelColor(90, 40)->getColor();
echo json_encode(['before' => $before, 'after' => [$im->getImageWidth(), $im->getImageHeight()], 'png' => [$w, $h, $type === IMAGETYPE_PNG],
    'red' => $left['r'] > 200 && $left['b'] < 50, 'blue' => $right['b'] > 200 && $right['r'] < 50]);
PHP;
$srv = pecl_classic(['resize.php' => $script], [], ['workers' => ['count' => 2]]);
foreach (pecl_get_concurrently($srv[2], array_fill(0, 4, '/resize.php')) as $answer) echo $answer, "\n";
var_dump(folk_stop_server($srv)[0]);
?>
--EXPECT--
200 {"before":[400,300,"PNG"],"after":[100,75],"png":[100,75,true],"red":true,"blue":true}
200 {"before":[400,300,"PNG"],"after":[100,75],"png":[100,75,true],"red":true,"blue":true}
200 {"before":[400,300,"PNG"],"after":[100,75],"png":[100,75,true],"red":true,"blue":true}
200 {"before":[400,300,"PNG"],"after":[100,75],"png":[100,75,true],"red":true,"blue":true}
int(0)
