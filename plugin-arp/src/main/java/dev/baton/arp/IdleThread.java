package dev.baton.arp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Puts the calling thread under SCHED_IDLE (sched(7)) for work that is never urgent: the
 * conflict watcher. A takeover's gratuitous ARPs reach every node's watcher at the moment the
 * clients move to the new master; under SCHED_IDLE a normally scheduled process that wakes (the
 * service behind the VIP) takes the CPU from it at once. Anyone may lower their own thread.
 */
final class IdleThread {

    private static final int SCHED_IDLE = 5;

    private IdleThread() {}

    /** @return null when the calling thread now runs SCHED_IDLE, else why not */
    static String enter() {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle call = linker.downcallHandle(linker.defaultLookup().find("sched_setscheduler").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority; } = 0
            int rc = (int) call.invokeExact(0, SCHED_IDLE, param);
            return rc == 0 ? null : "sched_setscheduler returned " + rc;
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }
}
