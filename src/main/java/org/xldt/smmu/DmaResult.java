package org.xldt.smmu;

/** Outcome of one translated transaction ({@link Smmu#translate}). */
public sealed interface DmaResult permits DmaResult.Ok, DmaResult.Fault, DmaResult.Abort {

    boolean ok();

    /**
     * Success. {@code perms} is the effective permission of the translation
     * ({@link Perm} bits), {@code blockShift} log2 of the page or block size that mapped it
     * (64 for an untranslated bypass).
     */
    record Ok(long pa, int perms, int blockShift) implements DmaResult {
        @Override
        public boolean ok() {
            return true;
        }
    }

    /** Terminated with an event; {@code recorded} tells whether it reached the event queue. */
    record Fault(Event event, boolean recorded) implements DmaResult {
        @Override
        public boolean ok() {
            return false;
        }
    }

    /** Terminated without an event (GBPA.ABORT, STE.Config abort, bypass beyond OAS). */
    record Abort(String reason) implements DmaResult {
        @Override
        public boolean ok() {
            return false;
        }
    }

    /** Permission bits in {@link Ok#perms()}. */
    final class Perm {
        private Perm() {
        }

        public static final int R = 1;
        public static final int W = 2;
        public static final int X = 4;
    }
}
