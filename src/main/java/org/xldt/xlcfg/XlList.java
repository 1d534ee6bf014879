package org.xldt.xlcfg;

import java.util.List;

/**
 * A list value {@code [a, b, [c]]}.
 *
 * @param items    the items in order (strings or nested lists)
 * @param location where the opening bracket is
 */
public record XlList(List<XlValue> items, Location location) implements XlValue {
    public XlList {
        items = List.copyOf(items);
    }
}
