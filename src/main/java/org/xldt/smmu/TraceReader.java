package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.xldt.BadInputException;

/**
 * Reads an SMMU trace ({@code xldt smmu replay}): QEMU qtest lines ({@code writeb|w|l|q},
 * {@code readb|w|l|q}, {@code write}, {@code read}) and xldt's own ({@code smmu}, {@code dma},
 * {@code irq}), {@code #} comments. Numbers are read as qtest reads them (C's strtoull with base
 * 0: {@code 0x} hex, a leading {@code 0} octal, else decimal). The whole trace is checked before
 * anything runs; the first problem is a {@link BadInputException} located {@code TRACE:LINE}.
 */
public final class TraceReader {
    /** Largest {@code read}/{@code write} SIZE. */
    public static final int MAX_BYTES = 1 << 20;

    private final String name;
    private final List<TraceLine.NewSmmu> smmus = new ArrayList<>();
    private boolean accessed;
    private int line;

    private TraceReader(String name) {
        this.name = name;
    }

    /** The command lines of {@code text} (file name {@code name} for error locations). */
    public static List<TraceLine> read(String name, String text) {
        return new TraceReader(name).readAll(text);
    }

    private List<TraceLine> readAll(String text) {
        List<TraceLine> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String l = lines[i];
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            String[] w = l.trim().split("[ \t]+");
            if (w.length == 1 && w[0].isEmpty()) {
                continue;
            }
            out.add(command(w));
        }
        return out;
    }

    private BadInputException error(String message) {
        return new BadInputException(name + ":" + line, message);
    }

    private TraceLine command(String[] w) {
        String op = w[0];
        switch (op) {
            case "writeb", "writew", "writel", "writeq" -> {
                arity(w, 3, "ADDR VAL");
                int size = width(op.charAt(5));
                long addr = access(number(w[1], "ADDR"), size);
                long v = number(w[2], "VAL");
                return new TraceLine.Write(line, addr, size, size == 8 ? v
                        : v & ((1L << (8 * size)) - 1));
            }
            case "readb", "readw", "readl", "readq" -> {
                arity(w, 2, "ADDR");
                int size = width(op.charAt(4));
                return new TraceLine.Read(line, access(number(w[1], "ADDR"), size), size);
            }
            case "write" -> {
                arity(w, 4, "ADDR SIZE 0xDATA");
                long addr = number(w[1], "ADDR");
                int size = byteCount(w[2]);
                access(addr, size);
                return new TraceLine.WriteBytes(line, addr, hexBytes(w[3], size));
            }
            case "read" -> {
                arity(w, 3, "ADDR SIZE");
                long addr = number(w[1], "ADDR");
                int size = byteCount(w[2]);
                return new TraceLine.ReadBytes(line, access(addr, size), size);
            }
            case "smmu" -> {
                return smmu(w);
            }
            case "dma" -> {
                if (w.length != 4 && w.length != 5) {
                    throw error("dma takes SID IOVA r|w [BASE]");
                }
                long sid = number(w[1], "SID");
                if ((sid >>> 32) != 0) {
                    throw error("SID " + w[1] + " is wider than 32 bits");
                }
                long iova = number(w[2], "IOVA");
                boolean write = switch (w[3]) {
                    case "r" -> false;
                    case "w" -> true;
                    default -> throw error("expected r or w, found '" + w[3] + "'");
                };
                long base = smmuFor(w.length == 5 ? w[4] : null);
                accessed = true;
                return new TraceLine.Dma(line, base, (int) sid, iova, write);
            }
            case "irq" -> {
                if (w.length != 2 && w.length != 3) {
                    throw error("irq takes NAME [BASE]");
                }
                if (!List.of("eventq", "priq", "cmdq-sync", "gerror").contains(w[1])) {
                    throw error("unknown interrupt '" + w[1]
                            + "' (eventq, priq, cmdq-sync, gerror)");
                }
                long base = smmuFor(w.length == 3 ? w[2] : null);
                accessed = true;
                return new TraceLine.Irq(line, base, w[1]);
            }
            default -> throw error("unknown command '" + op + "'");
        }
    }

    private void arity(String[] w, int n, String args) {
        if (w.length != n) {
            throw error(w[0] + " takes " + args);
        }
    }

    private static int width(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            default -> 8;
        };
    }

    private TraceLine smmu(String[] w) {
        if (w.length < 2) {
            throw error("smmu takes BASE [s1] [s2] [sidsize=N] [oas=N]");
        }
        if (accessed) {
            throw error("smmu lines must come before any access");
        }
        long base = number(w[1], "BASE");
        if ((base & 0xffff) != 0) {
            throw error(String.format("SMMU base 0x%x is not 64 KiB aligned", base));
        }
        if (Long.compareUnsigned(base, -Reg.WINDOW) > 0) {
            throw error(String.format("SMMU window at 0x%x runs past 2^64", base));
        }
        for (TraceLine.NewSmmu s : smmus) {
            if (Long.compareUnsigned(base - s.base(), Reg.WINDOW) < 0
                    || Long.compareUnsigned(s.base() - base, Reg.WINDOW) < 0) {
                throw error(String.format("SMMU window at 0x%x overlaps the one at 0x%x (line "
                        + "%d)", base, s.base(), s.line()));
            }
        }
        boolean s1 = false;
        boolean s2 = false;
        Integer sidSize = null;
        Integer oas = null;
        for (int i = 2; i < w.length; i++) {
            String o = w[i];
            if (o.equals("s1") && !s1) {
                s1 = true;
            } else if (o.equals("s2") && !s2) {
                s2 = true;
            } else if (o.startsWith("sidsize=") && sidSize == null) {
                long v = number(o.substring(8), "sidsize");
                if (v > 32) {
                    throw error("sidsize " + v + " is not 0..32");
                }
                sidSize = (int) v;
            } else if (o.startsWith("oas=") && oas == null) {
                long v = number(o.substring(4), "oas");
                if (SmmuConfig.oasEncoding((int) Math.min(v, 64)) < 0 || v > 48) {
                    throw error("oas " + v + " is not one of 32, 36, 40, 42, 44, 48");
                }
                oas = (int) v;
            } else {
                throw error("unknown or repeated smmu option '" + o
                        + "' (s1, s2, sidsize=N, oas=N)");
            }
        }
        SmmuConfig.Builder b = SmmuConfig.builder().s1p(s1 || !s2).s2p(s2 || !s1);
        if (sidSize != null) {
            b.sidSize(sidSize);
        }
        if (oas != null) {
            b.oas(oas);
        }
        TraceLine.NewSmmu s = new TraceLine.NewSmmu(line, base, b.build());
        smmus.add(s);
        return s;
    }

    /** The SMMU a dma/irq line names (or the only one). */
    private long smmuFor(String tok) {
        if (tok != null) {
            long base = number(tok, "BASE");
            for (TraceLine.NewSmmu s : smmus) {
                if (s.base() == base) {
                    return base;
                }
            }
            throw error(String.format("no SMMU at 0x%x", base));
        }
        if (smmus.isEmpty()) {
            throw error("no SMMU: an smmu line must come first");
        }
        if (smmus.size() > 1) {
            throw error("there are " + smmus.size() + " SMMUs: name one with BASE");
        }
        return smmus.get(0).base();
    }

    /** Marks an access; it must not straddle an SMMU window's edge. */
    private long access(long addr, long size) {
        accessed = true;
        long last = addr + size - 1;
        if (Long.compareUnsigned(last, addr) < 0) {
            throw error(String.format("access at 0x%x of %d bytes wraps past 2^64", addr, size));
        }
        for (TraceLine.NewSmmu s : smmus) {
            boolean first = inWindow(s, addr);
            if (first != inWindow(s, last)) {
                throw error(String.format("access at 0x%x of %d bytes straddles the edge of "
                        + "the SMMU window at 0x%x", addr, size, s.base()));
            }
        }
        return addr;
    }

    private static boolean inWindow(TraceLine.NewSmmu s, long a) {
        return Long.compareUnsigned(a - s.base(), Reg.WINDOW) < 0;
    }

    private int byteCount(String tok) {
        long n = number(tok, "SIZE");
        if (n == 0 || n > MAX_BYTES) {
            throw error("SIZE " + tok + " is not 1.." + MAX_BYTES);
        }
        return (int) n;
    }

    /** {@code 0x} and an even number of hex digits, at most 2·size (zero-padded to size). */
    private byte[] hexBytes(String tok, int size) {
        if (!tok.startsWith("0x") && !tok.startsWith("0X")) {
            throw error("DATA must start with 0x");
        }
        String h = tok.substring(2);
        if (h.isEmpty() || (h.length() & 1) != 0) {
            throw error("DATA needs an even, non-zero number of hex digits");
        }
        if (h.length() > 2L * size) {
            throw error("DATA has " + h.length() / 2 + " bytes, more than SIZE " + size);
        }
        byte[] b = new byte[size];
        for (int i = 0; i < h.length(); i += 2) {
            int hi = Character.digit(h.charAt(i), 16);
            int lo = Character.digit(h.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw error("bad hex digit in DATA '" + tok + "'");
            }
            b[i / 2] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** An unsigned 64-bit number as strtoull(…, 0) reads it (no sign, no trailing junk). */
    private long number(String tok, String what) {
        String t = tok.toLowerCase(Locale.ROOT);
        int radix = 10;
        String digits = t;
        if (t.startsWith("0x")) {
            radix = 16;
            digits = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            radix = 8;
            digits = t.substring(1);
        }
        try {
            if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + tok + "': expected a number (0x hex, 0 octal, "
                    + "decimal) below 2^64");
        }
    }
}
