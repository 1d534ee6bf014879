package org.xldt.smmu;

import java.util.List;
import java.util.function.Predicate;

/**
 * Where Xen sends an event read from a physical SMMU's event queue: to the guest that owns the
 * stream (its vSMMU's event queue, with the vSID) or to Xen's log. A table of small named rules,
 * the first match wins. Stage 2 faults and anything carrying a physical address (fetch and
 * walk aborts) stay in Xen; stage 1 faults and faults of the guest's own structures (its CDs,
 * an unusable STE of its stream table) go to the guest.
 */
public final class EventRouting {
    private EventRouting() {
    }

    /** What Xen knows about the event's stream. */
    public record Context(Event event, boolean assigned, boolean hasVsmmu,
            boolean guestSteUnusable) {
    }

    /** A rule: its name, when it applies, and whether the guest gets the event. */
    public record Rule(String name, Predicate<Context> when, boolean toGuest) {
    }

    public static final List<Rule> RULES = List.of(
            new Rule("unassigned_stream", c -> !c.assigned(), false),
            new Rule("no_vsmmu", c -> !c.hasVsmmu(), false),
            new Rule("stage2_fault", c -> c.event().s2(), false),
            new Rule("guest_stage1_fault", c -> c.event().type().isTranslationRelated(), true),
            new Rule("guest_context_descriptor", c -> switch (c.event().type()) {
                case C_BAD_CD, C_BAD_SUBSTREAMID, F_STREAM_DISABLED -> true;
                default -> false;
            }, true),
            new Rule("guest_stream_table_entry", c -> c.event().type() == EventType.C_BAD_STE
                    && c.guestSteUnusable(), true),
            new Rule("xen", c -> true, false));

    /** The first rule that applies. */
    public static Rule route(Context c) {
        for (Rule r : RULES) {
            if (r.when().test(c)) {
                return r;
            }
        }
        throw new IllegalStateException("the last rule always applies");
    }
}
