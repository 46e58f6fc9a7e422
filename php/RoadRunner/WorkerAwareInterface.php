<?php
// RoadRunner's WorkerAwareInterface: an HTTP worker hands out the worker it wraps.

namespace Spiral\RoadRunner;

interface WorkerAwareInterface
{
    public function getWorker(): WorkerInterface;
}
