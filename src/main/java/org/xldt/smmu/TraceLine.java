package org.xldt.smmu;

/**
 * One command line of an SMMU trace ({@code xldt smmu replay}), as {@link TraceReader} reads
 * it and {@link TraceReplay} runs it. {@code line} is its 1-based line number.
 */
public sealed interface TraceLine {

    int line();

    /** {@code writeb|writew|writel|writeq ADDR VAL} (VAL truncated to the width, as qtest). */
    record Write(int line, long addr, int size, long value) implements TraceLine {
    }

    /** {@code readb|readw|readl|readq ADDR}. */
    record Read(int line, long addr, int size) implements TraceLine {
    }

    /** {@code write ADDR SIZE 0xHEX}: bytes in memory order, zero-padded to SIZE. */
    record WriteBytes(int line, long addr, byte[] data) implements TraceLine {
    }

    /** {@code read ADDR SIZE}. */
    record ReadBytes(int line, long addr, int size) implements TraceLine {
    }

    /** {@code smmu BASE [s1] [s2] [sidsize=N] [oas=N]}. */
    record NewSmmu(int line, long base, SmmuConfig config) implements TraceLine {
    }

    /** {@code dma SID IOVA r|w [BASE]}: {@code base} is the SMMU the stream belongs to. */
    record Dma(int line, long base, int sid, long iova, boolean write) implements TraceLine {
    }

    /** {@code irq NAME [BASE]}: how many times the wired line fired. */
    record Irq(int line, long base, String name) implements TraceLine {
    }
}
