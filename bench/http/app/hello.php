<?php
// Benchmark endpoint: the smallest possible PHP response (served at / by folk).
echo "Hello, World!";
