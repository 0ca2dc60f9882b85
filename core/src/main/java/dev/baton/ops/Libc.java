package dev.baton.ops;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library's functions through the Foreign Function &amp; Memory API, with errno captured
 * right after each call ({@link Linker.Option#captureCallState}): the JVM may call into the C
 * library itself between our call and a read of errno, so the thread's errno is not reliable.
 */
public final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private Libc() {}

    /**
     * Links the C library's {@code name}. The handle takes an errno slot ({@link #errnoSlot})
     * before the function's own arguments. Linking spins method handles: do it once per function.
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("no " + name + " in the C library")), descriptor, ERRNO_OPTION);
    }

    /** Room for one call's captured errno; a thread may reuse its slot for all its calls. */
    public static MemorySegment errnoSlot(SegmentAllocator allocator) {
        return allocator.allocate(CAPTURE);
    }

    /** The errno the last call through {@code slot} left. */
    public static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }
}
