package dev.baton.vrrp;

import dev.baton.ops.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Puts the calling thread under SCHED_RR (sched_setscheduler(2), pid 0 = this thread), as
 * keepalived does for its VRRP process with {@code vrrp_rt_priority}: an advert due now must not
 * wait behind a busy process's time slice. The election thread asks, and one step below it the
 * reconciler and two below the provider call threads (a takeover must not wait for a CPU either);
 * they sleep between tasks, and the kernel's RT throttling (sched_rt_runtime_us) still bounds them.
 * Threads they start are normally scheduled (SCHED_RESET_ON_FORK).
 *
 * <p>Allowed to root, to CAP_SYS_NICE, or up to {@code RLIMIT_RTPRIO} (the systemd unit sets
 * {@code LimitRTPRIO}); otherwise the thread stays as it is and the caller says so once.
 *
 * <p>The other way, {@link #background()}: work that is never urgent (log lines, metrics) under
 * SCHED_IDLE, so it never holds a core the host's services want.
 */
public final class Realtime {

    private static final int SCHED_RR = 2;
    private static final int SCHED_IDLE = 5;
    /**
     * Threads the caller starts begin under normal scheduling (sched(7)): a provider's call thread
     * runs SCHED_RR, but the pools a cloud SDK or Netty makes on it must not inherit that.
     */
    private static final int SCHED_RESET_ON_FORK = 0x40000000;

    private Realtime() {}

    /**
     * The downcall, linked once on first use: every reconciler and provider call thread asks
     * (hundreds at 255 instances), and linking is method-handle spinning each time.
     */
    private static final class Native {
        static final MethodHandle SCHED_SETSCHEDULER = link();

        private static MethodHandle link() {
            return Libc.downcall("sched_setscheduler",
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        }
    }

    private static final class Nice {
        static final MethodHandle SETPRIORITY = Libc.downcall("setpriority",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final int PRIO_PROCESS = 0;
    private static final int NICEST = 19;

    /**
     * Puts the calling thread under SCHED_IDLE (sched(7)), the calling thread alone; anyone may.
     * Not nice 19: under the kernel's EEVDF scheduler a thread at nice 19 that is running keeps
     * its slice (about a millisecond) against a normal thread that wakes, while a SCHED_IDLE one
     * gives the CPU up at once; otherwise it gets the same crumbs on a saturated host. Threads it
     * starts would inherit the policy: the thread that asks must start none. Falls back to nice 19
     * where the policy is refused.
     *
     * @return null when done, else why not
     */
    public static String background() {
        String idle = schedule(SCHED_IDLE, 0);
        return idle == null ? null : nicest();
    }

    /** setpriority(2) to 19; on Linux, PRIO_PROCESS with who 0 is the calling thread alone. */
    private static String nicest() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot(arena);
            int rc = (int) Nice.SETPRIORITY.invokeExact(errno, PRIO_PROCESS, 0, NICEST);
            return rc == 0 ? null : "errno " + Libc.errno(errno);
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    /**
     * Puts the calling thread under SCHED_RR {@code below} steps under the election thread's
     * priority ({@code baton.rt.priority}), so it never delays an advert but is not kept waiting
     * behind normally scheduled processes either. Nothing happens when realtime is turned off or
     * there is no room below.
     *
     * @return null when done or nothing was to be done, else why not
     */
    public static String belowElection(int below) {
        int election = Integer.getInteger("baton.rt.priority", ThreadScheduler.DEFAULT_RT_PRIORITY);
        if (election <= 0 || election - below < 1) {
            return null;
        }
        return roundRobin(election - below);
    }

    /** @return null when the thread now runs SCHED_RR at {@code priority}, else why not (errno text) */
    static String roundRobin(int priority) {
        return schedule(SCHED_RR | SCHED_RESET_ON_FORK, priority);
    }

    /** sched_setscheduler(2) for the calling thread: null when done, else why not (errno text). */
    private static String schedule(int policy, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle call = Native.SCHED_SETSCHEDULER;
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority; }
            param.set(ValueLayout.JAVA_INT, 0, priority);
            int rc = (int) call.invokeExact(errno, 0, policy, param);
            if (rc == 0) {
                return null;
            }
            int e = Libc.errno(errno);
            return e == 1 ? "not permitted (needs root, CAP_SYS_NICE or LimitRTPRIO)" : "errno " + e;
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }
}
