package org.xldt.validate;

import java.util.List;
import org.xldt.smmu.CdBuilder;
import org.xldt.smmu.CmdLayout;
import org.xldt.smmu.Commands;
import org.xldt.smmu.Event;
import org.xldt.smmu.Granule;
import org.xldt.smmu.Memory;
import org.xldt.smmu.Mmio;
import org.xldt.smmu.PageTableBuilder;
import org.xldt.smmu.Reg;
import org.xldt.smmu.Regs;
import org.xldt.smmu.SmmuDriver;
import org.xldt.smmu.SteBuilder;
import org.xldt.smmu.TableAllocator;

/**
 * What Linux's arm-smmu-v3 driver does in a guest, on one SMMUv3 node of the guest's tree:
 * probe (read IDR0/IDR1/IDR5 and refuse what Linux refuses), enable the SMMU with its queues and
 * stream table ({@link SmmuDriver#init}), attach a master (an ASID, an empty stage-1 table, a CD,
 * an STE pointing at it, CFGI_STE + CMD_SYNC), then map DMA buffers into the master's table as
 * {@code dma_map_*} does (new mappings need no invalidation). Everything is written to the
 * guest's memory through MMIO traps: the driver knows the node's address and the guest's RAM,
 * nothing else.
 */
final class GuestDriver {
    /** Linux's stage-1 input size: 48-bit VAs (T0SZ 16). */
    static final int T0SZ = 16;
    /** Queues of at most 2^8 entries (the driver caps what IDR1 offers). */
    static final int MAX_QUEUE_LOG2 = 8;
    /** Linux's stream-table split: 2-level only for more than 2^8 stream IDs. */
    static final int STRTAB_SPLIT = 8;
    /** Polls of CMDQ_CONS before a CMD_SYNC counts as lost. */
    static final int MAX_POLLS = 10_000;

    /** Why the driver refused or failed; its message is for the report. */
    static final class DriverException extends RuntimeException {
        DriverException(String message) {
            super(message);
        }
    }

    /** A master attached to its own domain: its ASID and stage-1 table. */
    record Attached(int sid, int asid, PageTableBuilder table) {
    }

    private final SmmuDriver drv;
    private final Memory mem;
    private final TableAllocator alloc;
    private final int ips;
    private int nextAsid = 1;

    private GuestDriver(SmmuDriver drv, Memory mem, TableAllocator alloc, int ips) {
        this.drv = drv;
        this.mem = mem;
        this.alloc = alloc;
        this.ips = ips;
    }

    /**
     * Probes and enables the SMMU behind {@code mmio}, with its tables and queues from {@code alloc}
     * in {@code mem}.
     *
     * @throws DriverException when Linux would not use it (no stage 1, no AArch64 tables, no 4 KiB
     *                         granule, preset tables) or a command does not complete
     */
    static GuestDriver probe(Mmio mmio, Memory mem, TableAllocator alloc) {
        SmmuDriver drv = new SmmuDriver(mmio, mem, alloc);
        long idr0 = drv.read(Reg.IDR0);
        long idr1 = drv.read(Reg.IDR1);
        long idr5 = drv.read(Reg.IDR5);
        if (!Regs.IDR0.S1P.isSet(idr0)) throw new DriverException("IDR0.S1P = 0: no stage 1, so Linux cannot translate its devices' DMA");
        if ((Regs.IDR0.TTF.get(idr0) & 0b10) == 0) throw new DriverException("IDR0.TTF offers no AArch64 translation tables");
        if (!Regs.IDR5.GRAN4K.isSet(idr5)) throw new DriverException("IDR5.GRAN4K = 0: no 4 KiB granule for a 4 KiB-page kernel");
        if (Regs.IDR1.TABLES_PRESET.isSet(idr1) || Regs.IDR1.QUEUES_PRESET.isSet(idr1)) {
            throw new DriverException("IDR1 says the tables or queues are preset, which Linux does not support");
        }
        int sidBits = (int) Regs.IDR1.SIDSIZE.get(idr1);
        int qlog2 = (int) Math.min(MAX_QUEUE_LOG2, Math.min(Regs.IDR1.CMDQS.get(idr1), Regs.IDR1.EVENTQS.get(idr1)));
        if (sidBits == 0 || qlog2 < 1) throw new DriverException("IDR1 gives " + sidBits + " stream-ID bits and 2^" + qlog2 + "-entry queues");
        boolean twoLevel = Regs.IDR0.ST_LVL.get(idr0) == 1 && sidBits > STRTAB_SPLIT;
        drv.init(qlog2, Math.min(sidBits, 16), twoLevel);
        if (drv.commandError() != 0) throw new DriverException("CFGI_ALL + TLBI + CMD_SYNC stopped with command error " + drv.commandError());
        if (!Regs.CR0.SMMUEN.isSet(drv.read(Reg.CR0ACK))) throw new DriverException("CR0ACK.SMMUEN stayed 0 after enabling");
        return new GuestDriver(drv, mem, alloc, (int) Regs.IDR5.OAS.get(idr5));
    }

    /**
     * Attaches stream {@code sid} to a new domain: an empty stage-1 table, a CD with a fresh
     * ASID, the STE, then CFGI_STE + CMD_SYNC.
     *
     * @throws DriverException when the commands do not complete
     */
    Attached attach(int sid) {
        int asid = nextAsid++;
        PageTableBuilder table = PageTableBuilder.stage1(mem, Granule.G4K, T0SZ, alloc);
        long cd = alloc.alloc(64, 64);
        CdBuilder.of(asid, Granule.G4K, T0SZ, table.root()).ips(ips).writeTo(mem, cd);
        drv.streamTable().put(sid, SteBuilder.s1(cd));
        if (!invalidateSte(sid)) {
            throw new DriverException(String.format("CFGI_STE + CMD_SYNC for stream 0x%x stopped with command error %d", sid, drv.commandError()));
        }
        return new Attached(sid, asid, table);
    }

    /** CFGI_STE + CMD_SYNC for {@code sid}; false (the failed command skipped) when the queue stopped. */
    boolean invalidateSte(int sid) {
        boolean ok = drv.submitAndWait(MAX_POLLS, Commands.cfgiSte(sid, true), Commands.sync(CmdLayout.CS_NONE));
        if (!ok && drv.commandError() != 0) drv.skipFailedCommand();
        return ok;
    }

    /** Maps the 4 KiB page at {@code ipa} at {@code iova}, read-write, in {@code a}'s table. */
    void map(Attached a, long iova, long ipa) {
        a.table().mapPage(iova, ipa, PageTableBuilder.S1_RW);
    }

    /** The event records waiting on the guest's event queue (consumed). */
    List<Event> drainEvents() {
        return drv.drainEvents();
    }
}
