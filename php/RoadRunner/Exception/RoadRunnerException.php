<?php
// RoadRunner's exception class: what the RoadRunner API under folk throws.

namespace Spiral\RoadRunner\Exception;

class RoadRunnerException extends \RuntimeException
{
}
