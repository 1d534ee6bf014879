package org.xldt.smmu;

/** A register window that software programs (the physical SMMU, or a vSMMU's guest view). */
public interface Mmio {
    long mmioRead(long offset, int size);

    void mmioWrite(long offset, int size, long value);
}
