--TEST--
Folk\Jobs refusals are JobsException naming the queue and the reason: no config outside a server, bad queue names, unconfigured queues, payloads without a JSON form, bad options; bad jobs config is a ConfigException naming the key
--FILE--
<?php
function show(callable $f): void {
    try { $r = $f(); echo 'ok: ', json_encode($r), "\n"; }
    catch (Folk\Exception\JobsException $e) { echo get_class($e), " [", $e->getQueue(), "] ", $e->getReason(), "\n"; }
    catch (Folk\Exception\FolkException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
}
show(fn () => new Folk\Jobs());
$jobs = new Folk\Jobs(['driver' => 'memory', 'queues' => ['mail' => ['concurrency' => 2]]]);
show(fn () => $jobs->push('Mail!', 'x'));
show(fn () => $jobs->push('images', 'x'));
show(fn () => $jobs->push('mail', 'x', ['blob' => "\xff\xfe"]));
show(fn () => $jobs->push('mail', 'x', NAN));
show(fn () => $jobs->push('mail', 'x', null, ['delay' => 'soon']));
show(fn () => $jobs->push('mail', 'x', null, ['priority' => 1]));
show(fn () => $jobs->push('mail', 'x', null, ['id' => 42]));
show(fn () => $jobs->push('mail', ''));
show(fn () => $jobs->pushMany('mail', [['payload' => 1]]));
show(fn () => strlen($jobs->push('mail', 'x', ['ok' => true])));
show(fn () => $jobs->push('mail', 'x', null, ['id' => 'same']) === $jobs->push('mail', 'y', null, ['id' => 'same']));
show(fn () => $jobs->stats('mail'));
show(fn () => new Folk\Jobs(['driver' => 'rabbit']));
show(fn () => new Folk\Jobs(['queues' => ['mail' => []]]));
show(fn () => new Folk\Jobs(['driver' => 'memory', 'queues' => ['mail' => ['concurency' => 2]]]));
show(fn () => new Folk\Jobs(['driver' => 'memory', 'queues' => ['mail' => ['retry_backoff' => 'quadratic']]]));
show(fn () => new Folk\Jobs(['driver' => 'memory', 'queues' => ['Bad Name' => ['concurrency' => 1]]]));
?>
--EXPECTF--
Folk\Exception\JobsException [-] no jobs configuration: pass options (['driver' => 'redis', …]) or create it in a worker of a server with a 'jobs' section
Folk\Exception\JobsException [Mail!] queue name "Mail!" must be 1 to 64 of a-z, 0-9, '_' and '-'
Folk\Exception\JobsException [images] not a configured queue (jobs.queues: mail)
Folk\Exception\JobsException [mail] the payload cannot be stored: payload['blob']: the string is not UTF-8 (base64-encode binary data)
Folk\Exception\JobsException [mail] the payload cannot be stored: payload: NAN and INF have no JSON form
Folk\Exception\JobsException [mail] invalid option 'options['delay']': expected a duration like "30s", "500ms" or "1h", got "soon"
Folk\Exception\JobsException [mail] options: unknown option 'priority' (known: 'delay', 'id')
Folk\Exception\JobsException [mail] options['id'] must be a string of 1 to 256 bytes
Folk\Exception\JobsException [mail] options: the job name must not be empty
Folk\Exception\JobsException [mail] jobs[0]['name'] must be a string
ok: 32
ok: true
ok: {"ready":2,"delayed":0,"running":0,"dead":0,"done":0,"failed":0}
Folk\Exception\ConfigException: invalid option 'jobs.driver': expected one of off, memory, redis, got "rabbit"
Folk\Exception\ConfigException: invalid option 'jobs.driver': queues are configured but no driver: set 'memory' or 'redis'
Folk\Exception\ConfigException: invalid option 'jobs.queues.mail.concurency': unknown queue option (known: concurrency, prefetch, max_retries, retry_delay, retry_backoff, timeout, dead_letter, priority)
Folk\Exception\ConfigException: invalid option 'jobs.queues.mail.retry_backoff': expected one of fixed, linear, exponential, got "quadratic"
Folk\Exception\ConfigException: invalid option 'jobs.queues.Bad Name.concurrency': queue name "Bad Name" must be 1 to 64 of a-z, 0-9, '_' and '-'
