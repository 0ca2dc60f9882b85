package dev.baton.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code on a thread that has joined a lab host's network namespace (setns(2)), so a test can
 * open sockets in that namespace in-process: a socket belongs to the namespace of the thread that
 * created it, and stays there whichever thread uses it later. The test's other threads are not
 * moved.
 */
final class InNamespace {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private InNamespace() {}

    private static final class Native {
        static final MethodHandle OPEN = link("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT));
        static final MethodHandle SETNS = link("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        private static MethodHandle link(String name, FunctionDescriptor fd) {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), fd);
        }
    }

    static <T> T call(String ns, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns-" + ns).start(() -> {
            try {
                enter(ns);
                result.set(body.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Throwable e) {
                failure.set(new IllegalStateException(e));
            }
        });
        t.join(30_000);
        if (t.isAlive()) {
            t.interrupt();
            throw new IllegalStateException("code in namespace " + ns + " still running after 30s");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static void enter(String ns) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) Native.OPEN.invokeExact(arena.allocateFrom("/run/netns/" + ns), O_RDONLY);
            if (fd < 0) {
                throw new IllegalStateException("cannot open /run/netns/" + ns);
            }
            try {
                if ((int) Native.SETNS.invokeExact(fd, CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns(" + ns + ") failed");
                }
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact(fd);
            }
        }
    }
}
