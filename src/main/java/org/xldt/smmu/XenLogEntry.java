package org.xldt.smmu;

/**
 * One line of Xen's log about the SMMUs: a physical event Xen kept for itself (stage 2 faults,
 * fetch aborts, unassigned streams) or an error of its own command queue. {@code domain} is
 * the owner of the stream (null if none), {@code event} null for a command error.
 */
public record XenLogEntry(long smmuBase, String domain, Event event, String message) {

    @Override
    public String toString() {
        return String.format("smmu@0x%x%s: %s%s", smmuBase,
                domain == null ? "" : " d" + domain, message,
                event == null ? "" : " " + event.type() + " sid 0x" + Integer.toHexString(
                        event.sid()));
    }
}
