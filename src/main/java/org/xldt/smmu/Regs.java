package org.xldt.smmu;

/**
 * Register fields (bit positions from the Arm SMMUv3 architecture; Linux's arm-smmu-v3.h and
 * QEMU's smmuv3-common.h use the same ones). Each field is declared once; registers that share
 * a layout (the three queue bases, the three queue pointer pairs, the three IRQ_CFG triples)
 * share the declaration.
 */
public final class Regs {
    private Regs() {
    }

    private static BitField f(String name, int lsb, int width) {
        return new BitField(name, lsb, width);
    }

    public static final class IDR0 {
        public static final BitField S2P = f("IDR0.S2P", 0, 1);
        public static final BitField S1P = f("IDR0.S1P", 1, 1);
        public static final BitField TTF = f("IDR0.TTF", 2, 2);
        public static final BitField COHACC = f("IDR0.COHACC", 4, 1);
        public static final BitField BTM = f("IDR0.BTM", 5, 1);
        public static final BitField HTTU = f("IDR0.HTTU", 6, 2);
        public static final BitField DORMHINT = f("IDR0.DORMHINT", 8, 1);
        public static final BitField HYP = f("IDR0.HYP", 9, 1);
        public static final BitField ATS = f("IDR0.ATS", 10, 1);
        public static final BitField NS1ATS = f("IDR0.NS1ATS", 11, 1);
        public static final BitField ASID16 = f("IDR0.ASID16", 12, 1);
        public static final BitField MSI = f("IDR0.MSI", 13, 1);
        public static final BitField SEV = f("IDR0.SEV", 14, 1);
        public static final BitField ATOS = f("IDR0.ATOS", 15, 1);
        public static final BitField PRI = f("IDR0.PRI", 16, 1);
        public static final BitField VMW = f("IDR0.VMW", 17, 1);
        public static final BitField VMID16 = f("IDR0.VMID16", 18, 1);
        public static final BitField CD2L = f("IDR0.CD2L", 19, 1);
        public static final BitField VATOS = f("IDR0.VATOS", 20, 1);
        public static final BitField TTENDIAN = f("IDR0.TTENDIAN", 21, 2);
        public static final BitField STALL_MODEL = f("IDR0.STALL_MODEL", 24, 2);
        public static final BitField TERM_MODEL = f("IDR0.TERM_MODEL", 26, 1);
        public static final BitField ST_LVL = f("IDR0.ST_LVL", 27, 2);
        /** TTF value: AArch64 translation tables only. */
        public static final int TTF_AARCH64 = 0b10;
        /** TTENDIAN value: little-endian tables only. */
        public static final int TTENDIAN_LE = 0b10;
        /** STALL_MODEL value: stalls not supported. */
        public static final int STALL_NONE = 0b01;
    }

    public static final class IDR1 {
        public static final BitField SIDSIZE = f("IDR1.SIDSIZE", 0, 6);
        public static final BitField SSIDSIZE = f("IDR1.SSIDSIZE", 6, 5);
        public static final BitField PRIQS = f("IDR1.PRIQS", 11, 5);
        public static final BitField EVENTQS = f("IDR1.EVENTQS", 16, 5);
        public static final BitField CMDQS = f("IDR1.CMDQS", 21, 5);
        public static final BitField REL = f("IDR1.REL", 28, 1);
        public static final BitField QUEUES_PRESET = f("IDR1.QUEUES_PRESET", 29, 1);
        public static final BitField TABLES_PRESET = f("IDR1.TABLES_PRESET", 30, 1);
    }

    public static final class IDR3 {
        public static final BitField HAD = f("IDR3.HAD", 2, 1);
        public static final BitField XNX = f("IDR3.XNX", 4, 1);
        public static final BitField RIL = f("IDR3.RIL", 10, 1);
        public static final BitField BBML = f("IDR3.BBML", 11, 2);
    }

    public static final class IDR5 {
        public static final BitField OAS = f("IDR5.OAS", 0, 3);
        public static final BitField GRAN4K = f("IDR5.GRAN4K", 4, 1);
        public static final BitField GRAN16K = f("IDR5.GRAN16K", 5, 1);
        public static final BitField GRAN64K = f("IDR5.GRAN64K", 6, 1);
        public static final BitField VAX = f("IDR5.VAX", 10, 2);
    }

    public static final class IIDR {
        public static final BitField IMPLEMENTER = f("IIDR.Implementer", 0, 12);
        public static final BitField REVISION = f("IIDR.Revision", 12, 4);
        public static final BitField VARIANT = f("IIDR.Variant", 16, 4);
        public static final BitField PRODUCT_ID = f("IIDR.ProductID", 20, 12);
    }

    public static final class AIDR {
        public static final BitField MINOR = f("AIDR.ArchMinorRev", 0, 4);
        public static final BitField MAJOR = f("AIDR.ArchMajorRev", 4, 4);
    }

    /** CR0 and CR0ACK. */
    public static final class CR0 {
        public static final BitField SMMUEN = f("CR0.SMMUEN", 0, 1);
        public static final BitField PRIQEN = f("CR0.PRIQEN", 1, 1);
        public static final BitField EVENTQEN = f("CR0.EVENTQEN", 2, 1);
        public static final BitField CMDQEN = f("CR0.CMDQEN", 3, 1);
        public static final BitField ATSCHK = f("CR0.ATSCHK", 4, 1);
        public static final BitField VMW = f("CR0.VMW", 6, 3);
    }

    public static final class CR1 {
        public static final BitField QUEUE_IC = f("CR1.QUEUE_IC", 0, 2);
        public static final BitField QUEUE_OC = f("CR1.QUEUE_OC", 2, 2);
        public static final BitField QUEUE_SH = f("CR1.QUEUE_SH", 4, 2);
        public static final BitField TABLE_IC = f("CR1.TABLE_IC", 6, 2);
        public static final BitField TABLE_OC = f("CR1.TABLE_OC", 8, 2);
        public static final BitField TABLE_SH = f("CR1.TABLE_SH", 10, 2);
    }

    public static final class CR2 {
        public static final BitField E2H = f("CR2.E2H", 0, 1);
        public static final BitField RECINVSID = f("CR2.RECINVSID", 1, 1);
        public static final BitField PTM = f("CR2.PTM", 2, 1);
    }

    public static final class GBPA {
        public static final BitField MEMATTR = f("GBPA.MemAttr", 0, 4);
        public static final BitField MTCFG = f("GBPA.MTCFG", 4, 1);
        public static final BitField ALLOCCFG = f("GBPA.ALLOCCFG", 8, 4);
        public static final BitField SHCFG = f("GBPA.SHCFG", 12, 2);
        public static final BitField PRIVCFG = f("GBPA.PRIVCFG", 16, 2);
        public static final BitField INSTCFG = f("GBPA.INSTCFG", 18, 2);
        public static final BitField ABORT = f("GBPA.ABORT", 20, 1);
        public static final BitField UPDATE = f("GBPA.UPDATE", 31, 1);
    }

    /** IRQ_CTRL and IRQ_CTRLACK. */
    public static final class IRQ_CTRL {
        public static final BitField GERROR_IRQEN = f("IRQ_CTRL.GERROR_IRQEN", 0, 1);
        public static final BitField PRIQ_IRQEN = f("IRQ_CTRL.PRIQ_IRQEN", 1, 1);
        public static final BitField EVENTQ_IRQEN = f("IRQ_CTRL.EVENTQ_IRQEN", 2, 1);
    }

    /** GERROR and GERRORN. */
    public static final class GERROR {
        public static final BitField CMDQ_ERR = f("GERROR.CMDQ_ERR", 0, 1);
        public static final BitField EVENTQ_ABT_ERR = f("GERROR.EVENTQ_ABT_ERR", 2, 1);
        public static final BitField PRIQ_ABT_ERR = f("GERROR.PRIQ_ABT_ERR", 3, 1);
        public static final BitField MSI_CMDQ_ABT_ERR = f("GERROR.MSI_CMDQ_ABT_ERR", 4, 1);
        public static final BitField MSI_EVENTQ_ABT_ERR = f("GERROR.MSI_EVENTQ_ABT_ERR", 5, 1);
        public static final BitField MSI_PRIQ_ABT_ERR = f("GERROR.MSI_PRIQ_ABT_ERR", 6, 1);
        public static final BitField MSI_GERROR_ABT_ERR = f("GERROR.MSI_GERROR_ABT_ERR", 7, 1);
        public static final BitField SFM_ERR = f("GERROR.SFM_ERR", 8, 1);
    }

    /** GERROR_IRQ_CFG0, EVENTQ_IRQ_CFG0, PRIQ_IRQ_CFG0. */
    public static final class IRQ_CFG0 {
        public static final BitField ADDR = f("IRQ_CFG0.ADDR", 2, 50);
    }

    /** GERROR_IRQ_CFG1, EVENTQ_IRQ_CFG1, PRIQ_IRQ_CFG1. */
    public static final class IRQ_CFG1 {
        public static final BitField DATA = f("IRQ_CFG1.DATA", 0, 32);
    }

    /** GERROR_IRQ_CFG2, EVENTQ_IRQ_CFG2, PRIQ_IRQ_CFG2. */
    public static final class IRQ_CFG2 {
        public static final BitField MEMATTR = f("IRQ_CFG2.MemAttr", 0, 4);
        public static final BitField SH = f("IRQ_CFG2.SH", 4, 2);
    }

    public static final class STRTAB_BASE {
        public static final BitField ADDR = f("STRTAB_BASE.ADDR", 6, 46);
        public static final BitField RA = f("STRTAB_BASE.RA", 62, 1);
    }

    public static final class STRTAB_BASE_CFG {
        public static final BitField LOG2SIZE = f("STRTAB_BASE_CFG.LOG2SIZE", 0, 6);
        public static final BitField SPLIT = f("STRTAB_BASE_CFG.SPLIT", 6, 5);
        public static final BitField FMT = f("STRTAB_BASE_CFG.FMT", 16, 2);
        public static final int FMT_LINEAR = 0;
        public static final int FMT_2LVL = 1;
    }

    /** CMDQ_BASE, EVENTQ_BASE, PRIQ_BASE. */
    public static final class Q_BASE {
        public static final BitField LOG2SIZE = f("Q_BASE.LOG2SIZE", 0, 5);
        public static final BitField ADDR = f("Q_BASE.ADDR", 5, 47);
        public static final BitField RA = f("Q_BASE.RA", 62, 1);
    }

    /** Queue producer/consumer pointers (index and wrap bit in the low 20 bits). */
    public static final class Q_PTR {
        public static final BitField PTR = f("Q_PTR.WR_RD", 0, 20);
        /** CMDQ_CONS.ERR. */
        public static final BitField ERR = f("CMDQ_CONS.ERR", 24, 7);
        /** EVENTQ_PROD.OVFLG / EVENTQ_CONS.OVACKFLG (and the PRIQ pair). */
        public static final BitField OVFLG = f("Q_PTR.OVFLG", 31, 1);
    }
}
