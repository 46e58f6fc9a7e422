<?php
/**
 * Stubs for the folk extension, for IDEs and static analysers.
 * Keep in step with src/api/.
 */

/** The folk version (the extension's crate version), e.g. "0.1.0". */
function folk_version(): string {}
