package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A wired interrupt output of the SMMU. The SMMU's wired interrupts are edge-triggered:
 * {@link #pulses()} counts edges. {@link #level()} tells whether the condition behind the line
 * is currently pending (event queue not empty with the IRQ enabled, an active global error
 * with the IRQ enabled); the cmdq-sync line has no lasting condition and its level stays low.
 * Listeners (the vSMMU's interrupt injection, tests) are called on each pulse.
 */
public final class IrqLine {
    private final String name;
    private long pulses;
    private boolean level;
    private final List<Consumer<IrqLine>> listeners = new ArrayList<>();

    public IrqLine(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public long pulses() {
        return pulses;
    }

    public boolean level() {
        return level;
    }

    public void pulse() {
        pulses++;
        for (Consumer<IrqLine> l : listeners) {
            l.accept(this);
        }
    }

    void setLevel(boolean level) {
        this.level = level;
    }

    public void addListener(Consumer<IrqLine> l) {
        listeners.add(l);
    }

    @Override
    public String toString() {
        return name + "(pulses=" + pulses + ", level=" + level + ")";
    }
}
