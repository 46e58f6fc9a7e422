<?php
// A booted Laravel application served with Folk\Worker::handleRequest(), each
// request in a sandbox the way Laravel Octane makes one: the booted app is
// cloned, the clone becomes the container every facade, the HTTP kernel, the
// router and the managers see, and the request-scoped singletons (auth,
// session, cookies, URL generator, redirector, view factory) are forgotten in
// it, so they are built again for this request only; scoped instances are
// flushed. The booted app itself never serves a request, so nothing a request
// resolves outlives it, except what the application keeps in statics.

namespace Folk\Runtime;

use Illuminate\Container\Container;
use Illuminate\Contracts\Http\Kernel as HttpKernel;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Facade;

class LaravelWorker
{
    /** Singletons that belong to one request: each request gets its own. */
    public const REQUEST_SCOPED = [
        'auth', 'auth.driver', 'auth.password', 'session', 'session.store', 'cookie',
        'url', 'redirect', 'view', 'request', 'translator.locale',
        \Illuminate\Session\Middleware\StartSession::class,
    ];

    /** Resolved once at boot (Octane's default warm list less 'url', which needs a request); the request-scoped ones are forgotten again in each sandbox. */
    public const WARM = [
        'auth', 'cache', 'cache.store', 'config', 'cookie', 'db', 'db.factory', 'encrypter', 'files', 'hash',
        'log', 'router', 'routes', 'session', 'session.store', 'translator', 'view',
    ];

    private HttpKernel $kernel;

    public function __construct(private Application $app)
    {
        $this->kernel = $app->make(HttpKernel::class);
        // Boot once: environment, configuration, exception handling, facades, providers.
        $this->kernel->bootstrap();
        foreach (self::WARM as $abstract) {
            if ($app->bound($abstract)) {
                $app->make($abstract);
            }
        }
    }

    /** Serves requests until the worker must stop, or after `$maxRequests` (0: no limit). */
    public function run(int $maxRequests = 0): void
    {
        ignore_user_abort(true);
        $served = 0;
        while (\Folk\Worker::handleRequest(fn () => $this->handle())) {
            gc_collect_cycles();
            if ($maxRequests > 0 && ++$served >= $maxRequests) {
                return;
            }
        }
    }

    /** One request, from this request's superglobals, in a fresh sandbox. */
    public function handle(): void
    {
        $sandbox = $this->sandbox();
        try {
            $request = Request::capture();
            $sandbox->instance('request', $request);
            $response = $this->kernel->handle($request);
            $response->send();
            $this->kernel->terminate($request, $response);
        } finally {
            $this->restore($sandbox);
        }
    }

    private function sandbox(): Application
    {
        $sandbox = clone $this->app;
        $sandbox->instance('app', $sandbox);
        $sandbox->instance(Container::class, $sandbox);
        $sandbox->instance(Application::class, $sandbox);
        $sandbox->instance(\Illuminate\Contracts\Foundation\Application::class, $sandbox);
        $sandbox->instance(\Illuminate\Contracts\Container\Container::class, $sandbox);
        foreach (self::REQUEST_SCOPED as $abstract) {
            $sandbox->forgetInstance($abstract);
        }
        if (method_exists($sandbox, 'forgetScopedInstances')) {
            $sandbox->forgetScopedInstances();
        }
        Container::setInstance($sandbox);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($sandbox);
        $this->giveApplication($sandbox);
        return $sandbox;
    }

    /** Services the booted app resolved keep a container reference: point them at the sandbox. */
    private function giveApplication(Application $sandbox): void
    {
        if (method_exists($this->kernel, 'setApplication')) {
            $this->kernel->setApplication($sandbox);
        }
        foreach (['router' => 'setContainer', 'validator' => 'setContainer', 'events' => 'setContainer'] as $abstract => $setter) {
            if ($this->app->resolved($abstract) && method_exists($service = $sandbox->make($abstract), $setter)) {
                $service->$setter($sandbox);
            }
        }
        foreach (['cache', 'mail.manager', 'queue', 'db', 'filesystem', 'log', \Illuminate\Contracts\Broadcasting\Factory::class, \Illuminate\Notifications\ChannelManager::class] as $abstract) {
            if ($this->app->resolved($abstract) && method_exists($service = $sandbox->make($abstract), 'setApplication')) {
                $service->setApplication($sandbox);
            }
        }
    }

    /** Back to the booted app; the sandbox and what only it resolved are dropped. */
    private function restore(Application $sandbox): void
    {
        if (method_exists($this->kernel, 'setApplication')) {
            $this->kernel->setApplication($this->app);
        }
        foreach (['router', 'validator', 'events'] as $abstract) {
            if ($this->app->resolved($abstract) && method_exists($service = $this->app->make($abstract), 'setContainer')) {
                $service->setContainer($this->app);
            }
        }
        Container::setInstance($this->app);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($this->app);
        $sandbox->flush();
    }

    /**
     * After a fatal error folk answers the request (500) and replaces the
     * worker; Laravel's shutdown handler would render the error again when no
     * request is open any more (into the server's log, on php-cli's output).
     * Registered before Laravel's, this clears the error so Laravel's sees none.
     */
    public static function guardShutdown(): void
    {
        register_shutdown_function(static function (): void {
            $error = error_get_last();
            if ($error !== null && in_array($error['type'], [E_ERROR, E_CORE_ERROR, E_COMPILE_ERROR, E_PARSE], true)) {
                error_clear_last();
            }
        });
    }
}
