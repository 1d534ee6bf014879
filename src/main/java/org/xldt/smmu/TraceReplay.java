package org.xldt.smmu;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs {@link TraceLine}s against physical SMMUv3 models over one sparse memory covering the
 * whole 64-bit address space, and gives one reply per line, as QEMU's qtest does for its lines:
 * {@code OK}, {@code OK 0x%016x} for readb/w/l/q, {@code OK 0x<bytes>} for read. xldt's lines:
 * {@code smmu} → {@code OK}; {@code dma} → {@code OK 0x%016x} (the PA), {@code FAULT
 * EVENT_NAME}, or {@code FAULT ABORT} (terminated without an event); {@code irq} → {@code OK N}
 * (pulses of the wired line). An access inside an SMMU's 128 KiB window goes to its registers
 * ({@code read}/{@code write} of any size in naturally aligned pieces of at most 8 bytes), any
 * other to memory.
 */
public final class TraceReplay {
    private final SparseMemory mem = new SparseMemory(64);
    private final List<Long> bases = new ArrayList<>();
    private final List<Smmu> smmus = new ArrayList<>();

    /** The reply to {@code l}. */
    public String run(TraceLine l) {
        if (l instanceof TraceLine.NewSmmu s) {
            bases.add(s.base());
            smmus.add(new Smmu(s.config(), mem));
            return "OK";
        } else if (l instanceof TraceLine.Write w) {
            store(w.addr(), w.size(), w.value());
            return "OK";
        } else if (l instanceof TraceLine.Read r) {
            return String.format("OK 0x%016x", load(r.addr(), r.size()));
        } else if (l instanceof TraceLine.WriteBytes w) {
            writeBytes(w.addr(), w.data());
            return "OK";
        } else if (l instanceof TraceLine.ReadBytes r) {
            return "OK 0x" + HexFormat.of().formatHex(readBytes(r.addr(), r.size()));
        } else if (l instanceof TraceLine.Dma d) {
            DmaResult res = smmu(d.base()).translate(d.sid(), Smmu.NO_SSID, d.iova(),
                    d.write() ? Access.WRITE : Access.READ);
            if (res instanceof DmaResult.Ok ok) {
                return String.format("OK 0x%016x", ok.pa());
            }
            return res instanceof DmaResult.Fault f ? "FAULT " + f.event().type()
                    : "FAULT ABORT";
        } else {
            TraceLine.Irq i = (TraceLine.Irq) l;
            return "OK " + smmu(i.base()).irq(i.name()).pulses();
        }
    }

    /** Runs every line, handing each reply to {@code out}. */
    public static void run(List<TraceLine> lines, java.util.function.Consumer<String> out) {
        TraceReplay r = new TraceReplay();
        for (TraceLine l : lines) {
            out.accept(r.run(l));
        }
    }

    private Smmu smmu(long base) {
        return smmus.get(bases.indexOf(base));
    }

    /** Index of the SMMU whose window holds {@code addr}, or -1. */
    private int window(long addr) {
        for (int i = 0; i < bases.size(); i++) {
            if (Long.compareUnsigned(addr - bases.get(i), Reg.WINDOW) < 0) {
                return i;
            }
        }
        return -1;
    }

    private void store(long addr, int size, long v) {
        int i = window(addr);
        if (i >= 0) {
            smmus.get(i).mmioWrite(addr - bases.get(i), size, v);
        } else {
            byte[] b = new byte[size];
            Memory.Le.put(b, 0, size, v);
            mem.write(addr, b, 0, size);
        }
    }

    private long load(long addr, int size) {
        int i = window(addr);
        if (i >= 0) {
            return smmus.get(i).mmioRead(addr - bases.get(i), size);
        }
        byte[] b = new byte[size];
        mem.read(addr, b, 0, size);
        return Memory.Le.get(b, 0, size);
    }

    /** The largest naturally aligned piece (1, 2, 4 or 8 bytes) at {@code a} within {@code n}. */
    private static int piece(long a, int n) {
        int s = 8;
        while (s > 1 && ((a & (s - 1)) != 0 || s > n)) {
            s >>= 1;
        }
        return s;
    }

    private void writeBytes(long addr, byte[] data) {
        if (window(addr) < 0) {
            mem.write(addr, data, 0, data.length);
            return;
        }
        for (int o = 0; o < data.length; ) {
            int s = piece(addr + o, data.length - o);
            store(addr + o, s, Memory.Le.get(data, o, s));
            o += s;
        }
    }

    private byte[] readBytes(long addr, int size) {
        byte[] b = new byte[size];
        if (window(addr) < 0) {
            mem.read(addr, b, 0, size);
            return b;
        }
        for (int o = 0; o < size; ) {
            int s = piece(addr + o, size - o);
            Memory.Le.put(b, o, s, load(addr + o, s));
            o += s;
        }
        return b;
    }
}
