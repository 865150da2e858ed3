package org.camaudit.testbed;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Raises this process's open-file limit (RLIMIT_NOFILE) so that thousands of simulated devices,
 * each with a handful of sockets, fit in one process. A root process may raise the hard limit
 * too; anyone else goes up to the hard limit. Linux only; elsewhere it does nothing.
 */
final class FileLimit {
    private static final int RLIMIT_NOFILE = 7;

    private FileLimit() {
    }

    /** Returns the soft limit in force afterwards (-1 when it cannot be read). */
    static long raiseTo(long wanted) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith(
                "linux")) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle get = linker.downcallHandle(linker.defaultLookup().find("getrlimit")
                    .orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            MethodHandle set = linker.downcallHandle(linker.defaultLookup().find("setrlimit")
                    .orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            MemorySegment limit = arena.allocate(16, 8);
            if ((int) get.invokeExact(RLIMIT_NOFILE, limit) != 0) {
                return -1;
            }
            long soft = limit.get(JAVA_LONG, 0);
            long hard = limit.get(JAVA_LONG, 8);
            if (soft >= wanted) {
                return soft;
            }
            if (hard < wanted) {
                limit.set(JAVA_LONG, 0, wanted);
                limit.set(JAVA_LONG, 8, wanted);
                if ((int) set.invokeExact(RLIMIT_NOFILE, limit) == 0) {
                    return wanted; // root: hard limit raised as well
                }
            }
            long target = Math.min(wanted, hard);
            limit.set(JAVA_LONG, 0, target);
            limit.set(JAVA_LONG, 8, hard);
            return (int) set.invokeExact(RLIMIT_NOFILE, limit) == 0 ? target : soft;
        } catch (Throwable t) {
            return -1;
        }
    }
}
