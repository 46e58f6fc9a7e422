<?php
// Classic-mode benchmark: the smallest PHP script.
echo "Hello, World!";
