package org.xldt.dt;

import java.util.List;

/** One {@code /memreserve/} entry: an address range the OS must not use. Labels only matter in DTS. */
public record MemReserve(long address, long size, List<String> labels) {
    public MemReserve {
        labels = List.copyOf(labels);
    }

    public MemReserve(long address, long size) {
        this(address, size, List.of());
    }
}
