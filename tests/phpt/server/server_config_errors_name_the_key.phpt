--TEST--
Server configuration errors name the key, the INI directive or the environment variable
--INI--
folk.queue.size=lots
--FILE--
<?php
$w = __DIR__ . '/../../fixtures/worker_http.php';
try { new Folk\Server(['worker' => $w]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
ini_set('folk.queue.size', '');
try { new Folk\Server(['worker' => $w, 'http' => ['listen' => 'somewhere']]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
try { new Folk\Server(['worker' => $w, 'htpp' => ['listen' => '127.0.0.1:1']]); } catch (Folk\Exception\ConfigException $e) { echo substr($e->getMessage(), 0, 48), "\n"; }
putenv('FOLK_WORKERS_COUNT=0');
try { new Folk\Server(['worker' => $w]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
putenv('FOLK_WORKERS_COUNT');
putenv('FOLK_WROKERS=1');
try { new Folk\Server(['worker' => $w]); } catch (Folk\Exception\ConfigException $e) { echo substr($e->getMessage(), 0, 79), "\n"; }
putenv('FOLK_WROKERS');
try { new Folk\Server([]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
invalid option 'folk.queue.size': expected an integer, got "lots"
invalid option 'http.listen': expected an address like "127.0.0.1:8080", got "somewhere"
invalid option 'htpp.listen': unknown option (kn
invalid option 'FOLK_WORKERS_COUNT (workers.count)': must be at least 1
invalid option 'FOLK_WROKERS': unknown environment variable (known: FOLK_WORKER
invalid option 'worker': the worker script is required (option 'worker', folk.worker or FOLK_WORKER), or http.root for classic mode
