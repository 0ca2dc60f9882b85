package dev.baton.cli;

import dev.baton.ops.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes the agent's signals even when it was started with them ignored. {@code nohup} sets SIGHUP
 * to SIG_IGN, and a non-interactive shell does the same with SIGINT for {@code cmd &} (POSIX, Shell
 * Command Language 2.11); an ignored disposition survives exec. HotSpot will not put a handler on a
 * shutdown signal (HUP, INT, TERM) that is ignored at the time: {@code Signal.handle} then quietly
 * returns SIG_IGN and the handler never runs, so {@code baton reload} would wait for nothing.
 *
 * <p>For a signal the agent must have (SIGHUP reloads, SIGTERM stops gracefully) the disposition
 * is put back to SIG_DFL with signal(2) and the handler installed again. SIGINT is left ignored:
 * a background job immune to the keyboard interrupt is what the shell that started it asked for,
 * and SIGTERM still stops it. Between the reset and the handler a SIGHUP would end the process, as
 * it does during any start before the handler is in (the JVM's own default exits on it).
 */
final class SignalDisposition {

    private static final Logger log = LoggerFactory.getLogger(SignalDisposition.class);
    /** signal(2) returns SIG_ERR, (void *) -1, on failure. */
    private static final long SIG_ERR = -1L;

    private SignalDisposition() {}

    /** signal(2), linked on first use: only when a signal was ignored at start. */
    private static final class Native {
        static final MethodHandle SIGNAL = link();

        private static MethodHandle link() {
            return Libc.downcall("signal", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        }
    }

    /**
     * Handles {@code signal} with {@code handler}, first taking it back from SIG_IGN if the agent
     * was started with it ignored. When that fails one WARN says so, ending with {@code consequence}.
     *
     * @return whether the handler is in
     */
    static boolean claim(Signal signal, SignalHandler handler, String consequence) {
        if (Signal.handle(signal, handler) != SignalHandler.SIG_IGN) {
            return true;
        }
        String why = resetToDefault(signal.getNumber());
        if (why == null && Signal.handle(signal, handler) != SignalHandler.SIG_IGN) {
            log.debug("SIG{} was ignored at start (nohup?); handling it", signal.getName());
            return true;
        }
        log.warn("SIG{} was ignored when baton started (nohup?) and cannot be taken back ({}): {}",
                signal.getName(), why == null ? "still ignored" : why, consequence);
        return false;
    }

    /**
     * Handles {@code signal} with {@code handler} unless the agent was started with it ignored,
     * which is left as it is.
     *
     * @return whether the handler is in
     */
    static boolean unlessIgnored(Signal signal, SignalHandler handler) {
        if (Signal.handle(signal, handler) != SignalHandler.SIG_IGN) {
            return true;
        }
        log.debug("SIG{} was ignored at start (a background job); left ignored", signal.getName());
        return false;
    }

    /** @return null when {@code signo} is now SIG_DFL, else why not */
    static String resetToDefault(int signo) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle call = Native.SIGNAL;
            MemorySegment errno = Libc.errnoSlot(arena);
            MemorySegment previous = (MemorySegment) call.invokeExact(errno, signo, MemorySegment.NULL); // NULL = SIG_DFL
            if (previous.address() != SIG_ERR) {
                return null;
            }
            return "signal(2): errno " + Libc.errno(errno);
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }
}
