<?php
// Classic-mode benchmark: what a typical page does, fresh per request: include
// 20 files, build some data, render it through a template with escaping.
for ($i = 1; $i <= 20; $i++) require __DIR__ . sprintf('/inc/part%02d.php', $i);
$rows = [];
for ($i = 0; $i < 50; $i++) $rows[] = ['id' => $i, 'v' => "item <$i> & \"more\""];
$title = 'Items';
require __DIR__ . '/template.php';
