<!doctype html>
<html><head><title><?= htmlspecialchars($title) ?></title></head><body>
<h1><?= htmlspecialchars($title) ?></h1>
<table>
<?php foreach ($rows as $row): ?>
<tr><td><?= $row['id'] ?></td><?= bench_part_01($row) ?></tr>
<?php endforeach ?>
</table>
</body></html>
