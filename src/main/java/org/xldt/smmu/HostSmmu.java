package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;

/**
 * A physical SMMUv3 as Xen drives it: Xen's own queues and stream table in physical memory
 * (programmed by {@link SmmuDriver}, as Xen's smmu-v3 driver does at probe), STE installs,
 * and a batch of commands that Xen publishes with one CMD_SYNC ({@link #flush}).
 */
public final class HostSmmu {
    /** Commands queued before Xen publishes them anyway (the physical queue has 256 slots). */
    static final int MAX_BATCH = 64;

    private final long base;
    private final int irq;
    private final Smmu smmu;
    private final SmmuDriver driver;
    private final int sidBits;
    private final List<long[]> batch = new ArrayList<>();
    private final XenSystem xen;
    private long commandsIssued;
    private long flushes;

    HostSmmu(XenSystem xen, long base, int irq, SmmuConfig cfg, Memory mem,
            TableAllocator heap) {
        this.xen = xen;
        this.base = base;
        this.irq = irq;
        this.smmu = new Smmu(cfg, mem);
        boolean twoLevel = cfg.twoLevelStreamTable();
        // StreamIDs Xen can assign: 2^16 with a 2-level table, 2^12 with a linear one
        this.sidBits = Math.min(cfg.sidSize(), twoLevel ? 16 : 12);
        this.driver = new SmmuDriver(smmu, mem, heap).init(8, sidBits, twoLevel);
        driver.write(Reg.CR2, Regs.CR2.RECINVSID.mask() | Regs.CR2.PTM.mask());
    }

    /** The SMMU's MMIO base address (and its dom0 vSMMU's). */
    public long base() {
        return base;
    }

    /** The host interrupt (dom0's vSMMU interrupt). */
    public int irq() {
        return irq;
    }

    public Smmu smmu() {
        return smmu;
    }

    public SmmuConfig config() {
        return smmu.config();
    }

    /** StreamIDs [0, 2^sidBits) can be assigned to domains. */
    public int sidBits() {
        return sidBits;
    }

    SmmuDriver driver() {
        return driver;
    }

    /** Commands Xen has issued to this SMMU (CMD_SYNCs included). */
    public long commandsIssued() {
        return commandsIssued;
    }

    /** Batches published (each ends with one CMD_SYNC). */
    public long flushes() {
        return flushes;
    }

    /** Writes the STE of {@code psid} and queues its invalidation. */
    void installSte(int psid, long[] ste) {
        driver.streamTable().put(psid, ste);
        queue(Commands.cfgiSte(psid, false));
    }

    /** The STE words Xen has written for {@code psid}. */
    public long[] ste(int psid) {
        long[] w = new long[SteLayout.WORDS];
        smmu.memory().readLongs(driver.streamTable().steAddress(psid), w, 0, w.length);
        return w;
    }

    void queue(long[] cmd) {
        batch.add(cmd);
        if (batch.size() >= MAX_BATCH) {
            flush();
        }
    }

    /** Publishes the queued commands followed by a CMD_SYNC, and waits for completion. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        batch.add(Commands.sync(CmdLayout.CS_NONE));
        long[][] cmds = batch.toArray(long[][]::new);
        batch.clear();
        commandsIssued += cmds.length;
        flushes++;
        driver.submit(cmds);
        for (int i = 0; i < cmds.length && driver.commandError() != 0; i++) {
            xen.log(base, null, null, "command queue error " + driver.commandError()
                    + " at CMDQ_CONS 0x" + Long.toHexString(driver.read(Reg.CMDQ_CONS))
                    + "; command skipped");
            driver.skipFailedCommand();
        }
    }
}
