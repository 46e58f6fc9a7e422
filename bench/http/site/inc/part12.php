<?php
// One of the 20 files page.php includes (an application's classes and helpers).
function bench_part_12(array $row): string { return '<td>' . htmlspecialchars((string) ($row['v'] ?? '')) . '</td>'; }
