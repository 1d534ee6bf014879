package org.xldt;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Work that recurses as deep as its input nests (the DTS and xl.cfg parsers) runs on a thread
 * with a large stack. Threads made by {@link #newThread} have one, so such work started on them
 * runs in place; anywhere else it runs on a new thread, which the caller waits for. (A batch's
 * worker threads are made here: one thread per parse would cost more than many parses.)
 */
public final class LargeStack {
    /** The stack size of the threads made here (address space; pages are used as the stack grows). */
    public static final long BYTES = 1L << 30;

    private LargeStack() {
    }

    private static final class Large extends Thread {
        Large(Runnable work, String name) {
            super(null, work, name, BYTES);
        }
    }

    /** A new (not started) thread with a large stack. */
    public static Thread newThread(Runnable work, String name) {
        return new Large(work, name);
    }

    /**
     * {@code work}'s result, computed on a large stack (this thread's when it has one); its
     * runtime exceptions and errors propagate to the caller. Waiting is not interruptible (the
     * interrupt is kept for the caller).
     */
    public static <T> T call(Supplier<T> work) {
        if (Thread.currentThread() instanceof Large) return work.get();
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Large(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "xldt-large-stack");
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
        return result.get();
    }
}
