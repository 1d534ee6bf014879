package org.xldt.smmu;

/**
 * Implementation choices of one SMMU instance, reflected in its ID registers. Use
 * {@link #builder()}; the defaults are a stage-1 + stage-2 SMMUv3.2 with all granules, a
 * 44-bit OAS, 16-bit StreamIDs, a 2-level stream table, 16-bit ASIDs and VMIDs.
 */
public record SmmuConfig(boolean s1p, boolean s2p, boolean gran4k, boolean gran16k,
        boolean gran64k, int oasBits, int sidSize, int ssidSize, boolean twoLevelStreamTable,
        boolean cd2l, int cmdqs, int eventqs, boolean cohacc, boolean vmid16, boolean asid16,
        boolean hyp, boolean ril, boolean had, boolean xnx, boolean msi, boolean sev,
        boolean attrPermsOvr, boolean gbpaAbortAtReset, int iidr, int aidr, int tlbCapacity,
        int commandBudgetPerWrite) {

    /** OAS / IPS / S2PS encodings (0..6) in bits. */
    static final int[] PA_BITS = {32, 36, 40, 42, 44, 48, 52};

    public SmmuConfig {
        if (!s1p && !s2p) {
            throw new IllegalArgumentException("an SMMU needs at least one translation stage");
        }
        if (!gran4k && !gran16k && !gran64k) {
            throw new IllegalArgumentException("at least one granule");
        }
        if (oasEncoding(oasBits) < 0 || oasBits > 48) {
            throw new IllegalArgumentException("OAS " + oasBits + " (32,36,40,42,44,48)");
        }
        if (sidSize < 0 || sidSize > 32 || ssidSize < 0 || ssidSize > 20) {
            throw new IllegalArgumentException("SIDSIZE/SSIDSIZE");
        }
        if (cmdqs < 0 || cmdqs > 19 || eventqs < 0 || eventqs > 19) {
            throw new IllegalArgumentException("queue sizes 0..19");
        }
        if (tlbCapacity < 1 || commandBudgetPerWrite < 1) {
            throw new IllegalArgumentException("tlbCapacity and commandBudgetPerWrite >= 1");
        }
    }

    static int oasEncoding(int bits) {
        for (int i = 0; i < PA_BITS.length; i++) {
            if (PA_BITS[i] == bits) {
                return i;
            }
        }
        return -1;
    }

    /** Effective PA size for an IPS/S2PS encoding, capped to the OAS (reserved values too). */
    int effectivePaBits(int encoding) {
        int bits = encoding < PA_BITS.length ? PA_BITS[encoding] : Integer.MAX_VALUE;
        return Math.min(bits, oasBits);
    }

    /** IAS: VMSAv8-32 is not implemented, so IAS = OAS (§3.4). */
    public int iasBits() {
        return oasBits;
    }

    public boolean supports(Granule g) {
        return switch (g) {
            case G4K -> gran4k;
            case G16K -> gran16k;
            case G64K -> gran64k;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.s1p = s1p;
        b.s2p = s2p;
        b.gran4k = gran4k;
        b.gran16k = gran16k;
        b.gran64k = gran64k;
        b.oasBits = oasBits;
        b.sidSize = sidSize;
        b.ssidSize = ssidSize;
        b.twoLevel = twoLevelStreamTable;
        b.cd2l = cd2l;
        b.cmdqs = cmdqs;
        b.eventqs = eventqs;
        b.cohacc = cohacc;
        b.vmid16 = vmid16;
        b.asid16 = asid16;
        b.hyp = hyp;
        b.ril = ril;
        b.had = had;
        b.xnx = xnx;
        b.msi = msi;
        b.sev = sev;
        b.attrPermsOvr = attrPermsOvr;
        b.gbpaAbort = gbpaAbortAtReset;
        b.iidr = iidr;
        b.aidr = aidr;
        b.tlbCapacity = tlbCapacity;
        b.budget = commandBudgetPerWrite;
        return b;
    }

    public static final class Builder {
        private boolean s1p = true;
        private boolean s2p = true;
        private boolean gran4k = true;
        private boolean gran16k = true;
        private boolean gran64k = true;
        private int oasBits = 44;
        private int sidSize = 16;
        private int ssidSize = 0;
        private boolean twoLevel = true;
        private boolean cd2l = false;
        private int cmdqs = 19;
        private int eventqs = 19;
        private boolean cohacc = true;
        private boolean vmid16 = true;
        private boolean asid16 = true;
        private boolean hyp = false;
        private boolean ril = true;
        private boolean had = true;
        private boolean xnx = true;
        private boolean msi = false;
        private boolean sev = true;
        private boolean attrPermsOvr = true;
        private boolean gbpaAbort = false;
        private int iidr = 0x0000043B; // Implementer 0x43B (Arm), product 0
        private int aidr = 0x02; // SMMUv3.2
        private int tlbCapacity = 4096;
        private int budget = Integer.MAX_VALUE;

        public Builder s1p(boolean v) { s1p = v; return this; }
        public Builder s2p(boolean v) { s2p = v; return this; }
        public Builder granules(boolean g4k, boolean g16k, boolean g64k) {
            gran4k = g4k; gran16k = g16k; gran64k = g64k; return this;
        }
        public Builder oas(int bits) { oasBits = bits; return this; }
        public Builder sidSize(int v) { sidSize = v; return this; }
        public Builder ssidSize(int v) { ssidSize = v; return this; }
        public Builder twoLevelStreamTable(boolean v) { twoLevel = v; return this; }
        public Builder cd2l(boolean v) { cd2l = v; return this; }
        public Builder cmdqs(int v) { cmdqs = v; return this; }
        public Builder eventqs(int v) { eventqs = v; return this; }
        public Builder cohacc(boolean v) { cohacc = v; return this; }
        public Builder vmid16(boolean v) { vmid16 = v; return this; }
        public Builder asid16(boolean v) { asid16 = v; return this; }
        public Builder hyp(boolean v) { hyp = v; return this; }
        public Builder ril(boolean v) { ril = v; return this; }
        public Builder had(boolean v) { had = v; return this; }
        public Builder xnx(boolean v) { xnx = v; return this; }
        public Builder msi(boolean v) { msi = v; return this; }
        public Builder sev(boolean v) { sev = v; return this; }
        public Builder attrPermsOvr(boolean v) { attrPermsOvr = v; return this; }
        public Builder gbpaAbortAtReset(boolean v) { gbpaAbort = v; return this; }
        public Builder iidr(int v) { iidr = v; return this; }
        public Builder aidr(int v) { aidr = v; return this; }
        public Builder tlbCapacity(int v) { tlbCapacity = v; return this; }
        /** Commands processed synchronously per CMDQ_PROD/CR0/GERRORN write (the rest wait). */
        public Builder commandBudgetPerWrite(int v) { budget = v; return this; }

        public SmmuConfig build() {
            return new SmmuConfig(s1p, s2p, gran4k, gran16k, gran64k, oasBits, sidSize, ssidSize,
                    twoLevel, cd2l, cmdqs, eventqs, cohacc, vmid16, asid16, hyp, ril, had, xnx,
                    msi, sev, attrPermsOvr, gbpaAbort, iidr, aidr, tlbCapacity, budget);
        }
    }
}
