package io.redislock.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Catches SIGINT, SIGTERM and SIGHUP sent to {@code redislock run} so that the JVM does not just exit:
 * once the command runs, each signal is passed on to it (and its descendants); before that, the first
 * signal interrupts the thread that is acquiring the lock.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, looked up reflectively so
 * that the build stays free of internal-API warnings; where it is missing, signals keep their default
 * behaviour.
 *
 * <p>Thread-safety: thread-safe (signal handlers run on their own threads).
 */
final class SignalForwarder {
    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

    /**
     * A received signal.
     *
     * @param name e.g. {@code "TERM"}
     * @param number e.g. 15
     * @param at System.nanoTime() when its handler started (before it waited for an earlier signal's)
     */
    record Received(String name, int number, long at) {}

    private final Thread waiter;
    private Child child; // guarded by this
    private Received first; // guarded by this

    private SignalForwarder(Thread waiter) {
        this.waiter = waiter;
    }

    /**
     * Installs the handlers (signals the platform does not know are skipped).
     *
     * @param waiter the thread to interrupt when a signal arrives before the command is started
     * @return the forwarder
     */
    static SignalForwarder install(Thread waiter) {
        SignalForwarder f = new SignalForwarder(waiter);
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> create = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method name = signalClass.getMethod("getName");
            Method number = signalClass.getMethod("getNumber");
            Object handler = Proxy.newProxyInstance(SignalForwarder.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                long at = System.nanoTime();
                                f.onSignal(new Received((String) name.invoke(args[0]), (Integer) number.invoke(args[0]),
                                        at));
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                return "redislock-signal-forwarder";
                        }
                    });
            for (String s : SIGNALS) {
                try {
                    handle.invoke(null, create.newInstance(s), handler);
                } catch (ReflectiveOperationException | IllegalArgumentException unsupported) {
                    // unknown on this platform, or reserved by the JVM (e.g. with -Xrs): left as is
                }
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // no sun.misc.Signal in this runtime: default signal behaviour
        }
        return f;
    }

    /**
     * Hands the started command to the forwarder.
     *
     * @param c the command
     * @return false if a signal had already arrived (the caller passes it on itself)
     */
    synchronized boolean attach(Child c) {
        this.child = c;
        return first == null;
    }

    /** @return the first signal received, or null */
    synchronized Received received() {
        return first;
    }

    private synchronized void onSignal(Received signal) {
        if (first == null) {
            first = signal;
        }
        if (child != null) {
            child.forward(signal);
        } else {
            waiter.interrupt();
        }
    }
}
