package org.xldt.smmu;

import static org.xldt.smmu.EvtLayout.CLASS_CD;
import static org.xldt.smmu.EvtLayout.CLASS_IN;
import static org.xldt.smmu.EvtLayout.CLASS_TT;

/**
 * Transaction translation: stream table and CD lookup (through the configuration cache),
 * IOTLB lookup, and stage 1, stage 2 and nested VMSAv8-64 table walks (Arm SMMUv3 §3.3–3.4,
 * §5; Armv8-A VMSA). One instance belongs to one {@link Smmu}; it is not thread-safe.
 *
 * <p>The hit path ({@link #translatePa}) allocates nothing: cached STE and CD are found in
 * open-addressing maps and the IOTLB lookup hashes primitives.
 */
final class Translator {

    /** Where translation faults go (the SMMU's event queue). */
    interface EventSink {
        /** Records the event; returns true if it reached the event queue. */
        boolean record(Event e);
    }

    private final SmmuConfig cfg;
    private final Memory mem;
    private final RegisterFile regs;
    final Iotlb tlb;
    final WalkCache walkCache;
    final ConfigCache cache = new ConfigCache();
    private final EventSink sink;
    private final long oasMask;
    private final long[] buf = new long[8];
    private final StreamTables.WordReader reader = this::read;

    // fault state of the last failed step (no allocation until an event is built)
    private EventType fType;
    private boolean fS2;
    private int fClass;
    private long fAddr;

    // result of the last translatePa
    private int lastPerms;
    private int lastShift;
    private DmaResult lastFailure;
    private long descriptorReads;

    Translator(SmmuConfig cfg, Memory mem, RegisterFile regs, EventSink sink) {
        this.cfg = cfg;
        this.mem = mem;
        this.regs = regs;
        this.sink = sink;
        this.tlb = new Iotlb(cfg.tlbCapacity());
        this.walkCache = new WalkCache(cfg.tlbCapacity());
        this.oasMask = (1L << cfg.oasBits()) - 1;
    }

    long descriptorReads() {
        return descriptorReads;
    }

    DmaResult translate(int sid, int ssid, long iova, Access access) {
        long pa = translatePa(sid, ssid, iova, access);
        return pa >= 0 ? new DmaResult.Ok(pa, lastPerms, lastShift) : lastFailure;
    }

    /** The PA, or -1 with {@link #lastFailure()} describing the fault or abort. */
    long translatePa(int sid, int ssid, long iova, Access access) {
        if (!regs.smmuEnabled()) {
            // SMMUEN = 0: GBPA decides; an input beyond the OAS aborts without event (§3.4).
            if (Regs.GBPA.ABORT.isSet(regs.get32(Reg.GBPA))) {
                return abort("GBPA.ABORT with SMMUEN = 0");
            }
            if ((iova & ~oasMask) != 0) {
                return abort("bypass input beyond the OAS with SMMUEN = 0");
            }
            return ok(iova, DmaResult.Perm.R | DmaResult.Perm.W | DmaResult.Perm.X, 64);
        }
        long usid = sid & 0xffffffffL;
        Ste ste = cache.ste(usid);
        if (ste == null) {
            ste = fetchSte(usid);
            if (ste == null) {
                return fail(sid, ssid, iova, access, null, null);
            }
        }
        if (ste.abort()) {
            return abort("STE.Config abort");
        }
        Access a = override(ste, access);
        boolean s1 = ste.s1();
        int cdIndex = 0;
        if (ssid >= 0) {
            if (!s1 || ste.s1CdMax() == 0 || cfg.ssidSize() == 0 || (ssid >>> ste.s1CdMax()) != 0) {
                return config(EventType.C_BAD_SUBSTREAMID, sid, ssid);
            }
            if (ste.s1Dss() == SteLayout.S1DSS_SSID0 && ssid == 0) {
                return config(EventType.F_STREAM_DISABLED, sid, ssid);
            }
            cdIndex = ssid;
        } else if (s1 && ste.s1CdMax() > 0) {
            if (ste.s1Dss() == SteLayout.S1DSS_TERMINATE) {
                return config(EventType.F_STREAM_DISABLED, sid, ssid);
            }
            if (ste.s1Dss() == SteLayout.S1DSS_BYPASS) {
                s1 = false;
            }
        }
        if (!s1) {
            // stage 1 bypassed: the input is the IPA and must fit the IAS (§3.4)
            if ((iova >>> cfg.iasBits()) != 0) {
                fault(EventType.F_ADDR_SIZE, false, CLASS_IN, 0);
                return fail(sid, ssid, iova, a, ste, null);
            }
            if (!ste.s2Enabled()) {
                return ok(iova, DmaResult.Perm.R | DmaResult.Perm.W | DmaResult.Perm.X, 64);
            }
            TlbEntry e = s2Translate(ste.s2(), iova, CLASS_IN);
            if (e == null) {
                return fail(sid, ssid, iova, a, ste, null);
            }
            int need = Perms.needed(a);
            if ((e.s2Perms() & need) == 0) {
                fault(EventType.F_PERMISSION, true, CLASS_IN, iova);
                return fail(sid, ssid, iova, a, ste, null);
            }
            return ok(e.outBase() + (iova - e.inBase()), Perms.forPrivilege(e.s2Perms(),
                    a.privileged), e.shift());
        }
        Cd cd = cache.cd(usid, cdIndex);
        if (cd == null) {
            cd = fetchCd(usid, ste, cdIndex);
            if (cd == null) {
                return fail(sid, ssid, iova, a, ste, null);
            }
        }
        return translateS1(sid, ssid, iova, a, ste, cd);
    }

    private long translateS1(int sid, int ssid, long iova, Access a, Ste ste, Cd cd) {
        StreamWorld world = ste.world();
        // TTB selection by VA[55]; VA[AddrTop:64-TxSZ] must all equal it (§3.4.1)
        boolean upper = world.twoRanges() && (iova & (1L << 55)) != 0;
        Cd.Tt tt = upper ? cd.tt1() : cd.tt0();
        boolean tbi = upper ? cd.tbi1() : cd.tbi0();
        int top = tbi ? 55 : 63;
        if (tt == null) {
            fault(EventType.F_TRANSLATION, false, CLASS_IN, 0);
            return fail(sid, ssid, iova, a, ste, cd);
        }
        int n = tt.iasBits();
        long hi = (iova << (63 - top)) >> (63 - top + n); // VA[top:n], sign-extended
        if (hi != (upper ? -1L : 0L)) {
            fault(EventType.F_TRANSLATION, false, CLASS_IN, 0);
            return fail(sid, ssid, iova, a, ste, cd);
        }
        long va = tbi ? (iova << 8) >> 8 : iova; // canonical: sign-extension of VA[55]
        boolean nested = ste.s2Enabled();
        int kind = nested ? TlbEntry.NESTED : TlbEntry.S1;
        int asid = world.usesAsid() ? cd.asid() : -1;
        TlbEntry e = tlb.lookup(kind, world, ste.vmid(), asid, va);
        if (e == null) {
            TlbEntry s1 = walkS1(ste, cd, tt, va);
            if (s1 == null) {
                return fail(sid, ssid, iova, a, ste, cd);
            }
            if (!nested) {
                tlb.insert(s1);
                e = s1;
            } else {
                // stage 1 permission faults take priority over stage 2 of the output IPA
                if ((s1.s1Perms() & Perms.needed(a)) == 0) {
                    fault(EventType.F_PERMISSION, false, CLASS_IN, 0);
                    return fail(sid, ssid, iova, a, ste, cd);
                }
                long ipa = s1.outBase() + (va - s1.inBase());
                TlbEntry s2 = s2Translate(ste.s2(), ipa, CLASS_IN);
                if (s2 == null) {
                    return fail(sid, ssid, iova, a, ste, cd);
                }
                int shift = Math.min(s1.shift(), s2.shift());
                long inBase = va & ~((1L << shift) - 1);
                long ipaBase = s1.outBase() + (inBase - s1.inBase());
                e = new TlbEntry(TlbEntry.NESTED, world, ste.vmid(), s1.asid(), inBase, shift,
                        s1.granule(), s1.level(), s2.outBase() + (ipaBase - s2.inBase()),
                        ipaBase, s1.s1Perms(), s2.s2Perms());
                tlb.insert(e);
            }
        }
        int need = Perms.needed(a);
        if ((e.s1Perms() & need) == 0) {
            fault(EventType.F_PERMISSION, false, CLASS_IN, 0);
            return fail(sid, ssid, iova, a, ste, cd);
        }
        if ((e.s2Perms() & need) == 0) {
            fault(EventType.F_PERMISSION, true, CLASS_IN, e.ipaBase() + (va - e.inBase()));
            return fail(sid, ssid, iova, a, ste, cd);
        }
        return ok(e.outBase() + (va - e.inBase()),
                Perms.forPrivilege(e.s1Perms() & e.s2Perms(), a.privileged), e.shift());
    }

    DmaResult lastFailure() {
        return lastFailure;
    }

    // ---- results -----------------------------------------------------------------------

    private long ok(long pa, int perms, int shift) {
        lastPerms = perms;
        lastShift = shift;
        return pa;
    }

    private long abort(String reason) {
        lastFailure = new DmaResult.Abort(reason);
        return -1;
    }

    private void fault(EventType t, boolean s2, int clazz, long addr) {
        fType = t;
        fS2 = s2;
        fClass = clazz;
        fAddr = addr;
    }

    private long config(EventType t, int sid, int ssid) {
        Event ev = Event.config(t, sid, ssid);
        lastFailure = new DmaResult.Fault(ev, sink.record(ev));
        return -1;
    }

    /** Builds the event for the pending fault and records it as §5.5 and §7.3 say. */
    private long fail(int sid, int ssid, long iova, Access a, Ste ste, Cd cd) {
        EventType t = fType;
        Event ev;
        boolean record;
        if (t.isTranslationRelated() || t == EventType.F_WALK_EABT) {
            boolean rnw = !a.write;
            ev = new Event(t, sid, ssid >= 0, Math.max(ssid, 0), a.privileged,
                    rnw && a.instruction, rnw, fS2, fClass, fClass == CLASS_TT && fS2, iova,
                    fAddr);
            if (t == EventType.F_WALK_EABT) {
                record = true; // external aborts are always recorded
            } else if (fS2) {
                record = ste != null && ste.s2() != null && ste.s2().record();
            } else {
                record = cd == null || cd.record(); // no CD: stage 1 bypass address size
            }
        } else if (t == EventType.F_STE_FETCH || t == EventType.F_CD_FETCH) {
            ev = new Event(t, sid, ssid >= 0, Math.max(ssid, 0), false, false, false, false, 0,
                    false, 0, fAddr);
            record = true;
        } else {
            ev = Event.config(t, sid, ssid);
            // C_BAD_STREAMID is recorded only when SMMU_CR2.RECINVSID = 1 (§7.3.3)
            record = t != EventType.C_BAD_STREAMID
                    || Regs.CR2.RECINVSID.isSet(regs.get32(Reg.CR2));
        }
        lastFailure = new DmaResult.Fault(ev, record && sink.record(ev));
        return -1;
    }

    private Access override(Ste ste, Access a) {
        Access r = a;
        if (ste.privCfg() == 0b10) {
            r = r.withPrivileged(false);
        } else if (ste.privCfg() == 0b11) {
            r = r.withPrivileged(true);
        }
        if (ste.instCfg() == 0b10) {
            r = r.withInstruction(false);
        } else if (ste.instCfg() == 0b11) {
            r = r.withInstruction(true);
        }
        // writes are always data (§13.1.2)
        return r.write && r.instruction ? r.withInstruction(false) : r;
    }

    // ---- stream table ------------------------------------------------------------------

    private Ste fetchSte(long sid) {
        StreamTables.Fetch f = StreamTables.of(regs).fetch(sid, reader, buf, cache.l1stds, cfg,
                Regs.CR2.E2H.isSet(regs.get32(Reg.CR2)));
        if (f.ste() == null) {
            fault(f.fault(), false, 0, f.fetchAddr());
            return null;
        }
        cache.stes.put(sid, new ConfigCache.SteEntry(sid, f.ste()));
        return f.ste();
    }

    private boolean read(long addr, int words) {
        descriptorReads++;
        return mem.readLongs(addr, buf, 0, words);
    }

    // ---- context descriptors -----------------------------------------------------------

    private Cd fetchCd(long sid, Ste ste, int cdIndex) {
        long ctx = ste.s1ContextPtr();
        long cdAddr;
        if (ste.s1CdMax() == 0) {
            cdAddr = ctx;
        } else if (ste.s1Fmt() == 0) {
            cdAddr = (ctx & ~((64L << ste.s1CdMax()) - 1)) + 64L * cdIndex;
        } else {
            int l2bits = ste.s1Fmt() == 1 ? 6 : 10;
            long l1idx = cdIndex >>> l2bits;
            ConfigCache.L1Cd l1 = cache.l1cds.get(ConfigCache.cdKey(sid, l1idx));
            if (l1 == null) {
                int l1bits = Math.max(0, ste.s1CdMax() - l2bits);
                long l1base = ctx & ~(Math.max(64L, 8L << l1bits) - 1);
                long pa = structurePa(ste, l1base + 8 * l1idx);
                if (pa < 0) {
                    return null;
                }
                if (!read(pa, 1)) {
                    fault(EventType.F_CD_FETCH, false, 0, pa);
                    return null;
                }
                if (!CdLayout.L1CD_V.isSet(buf[0])) {
                    fault(EventType.C_BAD_SUBSTREAMID, false, 0, 0);
                    return null;
                }
                long l2 = CdLayout.L1CD_L2PTR.getAddr(buf[0]) & ~((1L << (l2bits + 6)) - 1);
                if (!ste.s2Enabled() && (l2 & ~oasMask) != 0) {
                    fault(EventType.C_BAD_SUBSTREAMID, false, 0, 0); // SMMUv3.1+ (§3.4.3)
                    return null;
                }
                long first = l1idx << l2bits;
                l1 = new ConfigCache.L1Cd(sid, l1idx, first, first + (1L << l2bits) - 1, l2);
                cache.l1cds.put(ConfigCache.cdKey(sid, l1idx), l1);
            }
            cdAddr = l1.l2ptr() + 64L * (cdIndex & ((1 << l2bits) - 1));
        }
        long pa = structurePa(ste, cdAddr);
        if (pa < 0) {
            return null;
        }
        if (!read(pa, CdLayout.WORDS)) {
            fault(EventType.F_CD_FETCH, false, 0, pa);
            return null;
        }
        Checked<Cd> d = CdDecoder.decode(buf, cfg, ste.world());
        if (!d.isOk()) {
            fault(EventType.C_BAD_CD, false, 0, 0);
            return null;
        }
        cache.cds.put(ConfigCache.cdKey(sid, cdIndex),
                new ConfigCache.CdEntry(sid, cdIndex, d.value()));
        return d.value();
    }

    /** PA of a CD/L1CD: the address itself, or its stage 2 translation (CLASS = CD). */
    private long structurePa(Ste ste, long addr) {
        if (!ste.s2Enabled()) {
            return addr;
        }
        TlbEntry e = s2Translate(ste.s2(), addr, CLASS_CD);
        if (e == null) {
            return -1;
        }
        if ((e.s2Perms() & Perms.PR) == 0) {
            fault(EventType.F_PERMISSION, true, CLASS_CD, addr);
            return -1;
        }
        return e.outBase() + (addr - e.inBase());
    }

    // ---- walks -------------------------------------------------------------------------

    /** Stage 2 translation of an IPA (IOTLB, then walk). Null on fault. */
    TlbEntry s2Translate(Ste.S2 s2, long ipa, int clazz) {
        TlbEntry e = tlb.lookup(TlbEntry.S2, StreamWorld.NS_EL1, s2.vmid(), -1, ipa);
        if (e != null) {
            return e;
        }
        e = walkS2(s2, ipa, clazz);
        if (e != null) {
            tlb.insert(e);
        }
        return e;
    }

    private TlbEntry walkS2(Ste.S2 s2, long ipa, int clazz) {
        if ((ipa >>> s2.iasBits()) != 0) {
            fault(EventType.F_TRANSLATION, true, clazz, ipa); // outside S2T0SZ (§3.4)
            return null;
        }
        Granule g = s2.granule();
        int level = s2.startLevel();
        long table = s2.ttb();
        int bits = s2.startBits();
        while (true) {
            int ls = g.levelShift(level);
            long descAddr = table + 8 * ((ipa >>> ls) & ((1L << bits) - 1));
            long desc = level < 3 ? walkCache.lookup(TlbEntry.S2, StreamWorld.NS_EL1,
                    s2.vmid(), -1, g, level, ipa) : -1;
            boolean cached = desc != -1;
            if (!cached) {
                if (!read(descAddr, 1)) {
                    fault(EventType.F_WALK_EABT, true, clazz, descAddr);
                    return null;
                }
                desc = buf[0];
            }
            if (!PteLayout.VALID.isSet(desc)) {
                fault(EventType.F_TRANSLATION, true, clazz, ipa);
                return null;
            }
            if (level < 3 && PteLayout.TYPE.isSet(desc)) {
                long next = PteLayout.OA.getAddr(desc) & ~(g.size() - 1);
                if (PteLayout.OA_HI.get(desc) != 0 || (next >>> s2.psBits()) != 0) {
                    fault(EventType.F_ADDR_SIZE, true, clazz, ipa);
                    return null;
                }
                if (!cached) {
                    walkCache.insert(TlbEntry.S2, StreamWorld.NS_EL1, s2.vmid(), -1, g, level,
                            ipa, desc);
                }
                table = next;
                level++;
                bits = g.stride;
                continue;
            }
            if (level == 3 ? !PteLayout.TYPE.isSet(desc) : !g.blockAllowed(level)) {
                fault(EventType.F_TRANSLATION, true, clazz, ipa); // reserved encoding
                return null;
            }
            long oa = PteLayout.OA.getAddr(desc) & ~((1L << ls) - 1);
            if (PteLayout.OA_HI.get(desc) != 0 || (oa >>> s2.psBits()) != 0) {
                fault(EventType.F_ADDR_SIZE, true, clazz, ipa);
                return null;
            }
            if (!PteLayout.AF.isSet(desc) && !s2.affd()) {
                fault(EventType.F_ACCESS, true, clazz, ipa);
                return null;
            }
            return new TlbEntry(TlbEntry.S2, StreamWorld.NS_EL1, s2.vmid(), -1,
                    ipa & ~((1L << ls) - 1), ls, g, level, oa, 0, Perms.ALL, s2Perms(desc));
        }
    }

    /** Stage 2 permissions: S2AP read/write, XN[1:0] by privilege when IDR3.XNX = 1. */
    private int s2Perms(long desc) {
        int p = 0;
        if (PteLayout.S2AP_R.isSet(desc)) {
            p |= Perms.PR | Perms.UR;
        }
        if (PteLayout.S2AP_W.isSet(desc)) {
            p |= Perms.PW | Perms.UW;
        }
        int xn = (PteLayout.UXN.isSet(desc) ? 2 : 0) | (PteLayout.PXN.isSet(desc) ? 1 : 0);
        if (!cfg.xnx()) {
            xn &= 2; // without XNX, bit 53 is RES0 and bit 54 is XN for both
            xn = xn != 0 ? 0b10 : 0;
        }
        switch (xn) {
            case 0b00 -> p |= Perms.PX | Perms.UX;
            case 0b01 -> p |= Perms.UX; // not executable at EL1
            case 0b11 -> p |= Perms.PX; // not executable at EL0
            default -> { } // 0b10: not executable
        }
        return p;
    }

    /** Stage 1 walk of canonical {@code va} through {@code tt}. Null on fault. */
    private TlbEntry walkS1(Ste ste, Cd cd, Cd.Tt tt, long va) {
        StreamWorld world = ste.world();
        int asidTag = world.usesAsid() ? cd.asid() : -1;
        boolean nested = ste.s2Enabled();
        Granule g = tt.granule();
        int level = tt.startLevel();
        long table = tt.ttb();
        int bits = tt.startBits();
        boolean noWrite = false;
        boolean noUnpriv = false;
        boolean pxnT = false;
        boolean uxnT = false;
        while (true) {
            int ls = g.levelShift(level);
            long descIpa = table + 8 * ((va >>> ls) & ((1L << bits) - 1));
            long desc = level < 3 ? walkCache.lookup(TlbEntry.S1, world, ste.vmid(), asidTag, g,
                    level, va) : -1;
            boolean cached = desc != -1;
            if (!cached) {
                long pa = descIpa;
                if (nested) {
                    TlbEntry e = s2Translate(ste.s2(), descIpa, CLASS_TT);
                    if (e == null) {
                        return null;
                    }
                    if ((e.s2Perms() & Perms.PR) == 0) {
                        fault(EventType.F_PERMISSION, true, CLASS_TT, descIpa);
                        return null;
                    }
                    pa = e.outBase() + (descIpa - e.inBase());
                }
                if (!read(pa, 1)) {
                    fault(EventType.F_WALK_EABT, false, CLASS_TT, pa); // S2 = 0, CLASS = TT
                    return null;
                }
                desc = buf[0];
            }
            if (!PteLayout.VALID.isSet(desc)) {
                fault(EventType.F_TRANSLATION, false, CLASS_IN, 0);
                return null;
            }
            if (level < 3 && PteLayout.TYPE.isSet(desc)) {
                long next = PteLayout.OA.getAddr(desc) & ~(g.size() - 1);
                if (PteLayout.OA_HI.get(desc) != 0 || (next >>> cd.ipsBits()) != 0) {
                    fault(EventType.F_ADDR_SIZE, false, CLASS_IN, 0);
                    return null;
                }
                if (!tt.had()) {
                    noWrite |= PteLayout.AP_TABLE1.isSet(desc);
                    noUnpriv |= PteLayout.AP_TABLE0.isSet(desc);
                    pxnT |= PteLayout.PXN_TABLE.isSet(desc);
                    uxnT |= PteLayout.UXN_TABLE.isSet(desc);
                }
                if (!cached) {
                    walkCache.insert(TlbEntry.S1, world, ste.vmid(), asidTag, g, level, va,
                            desc);
                }
                table = next;
                level++;
                bits = g.stride;
                continue;
            }
            if (level == 3 ? !PteLayout.TYPE.isSet(desc) : !g.blockAllowed(level)) {
                fault(EventType.F_TRANSLATION, false, CLASS_IN, 0);
                return null;
            }
            long oa = PteLayout.OA.getAddr(desc) & ~((1L << ls) - 1);
            if (PteLayout.OA_HI.get(desc) != 0 || (oa >>> cd.ipsBits()) != 0) {
                fault(EventType.F_ADDR_SIZE, false, CLASS_IN, 0);
                return null;
            }
            if (!PteLayout.AF.isSet(desc) && !cd.affd()) {
                fault(EventType.F_ACCESS, false, CLASS_IN, 0);
                return null;
            }
            int perms = s1Perms(desc, world, cd, noWrite, noUnpriv, pxnT, uxnT);
            boolean global = !PteLayout.NG.isSet(desc) || !world.usesAsid();
            return new TlbEntry(TlbEntry.S1, world, ste.vmid(), global ? -1 : cd.asid(),
                    va & ~((1L << ls) - 1), ls, g, level, oa, 0, perms, Perms.ALL);
        }
    }

    /**
     * Stage 1 direct permissions (VMSAv8-64): AP[2:1] with APTable, UXN/PXN with the table
     * bits, EL0-writable pages implicitly PXN, WXN, PAN. In an NS-EL2 StreamWorld there is one
     * privilege level: AP[1] is ignored, XN (bit 54) applies and every access is treated as
     * privileged (the unprivileged bits mirror the privileged ones).
     */
    private static int s1Perms(long d, StreamWorld world, Cd cd, boolean noWrite,
            boolean noUnpriv, boolean pxnT, boolean uxnT) {
        boolean ro = PteLayout.AP2.isSet(d) || noWrite;
        if (world == StreamWorld.NS_EL2) {
            boolean x = !PteLayout.UXN.isSet(d) && !uxnT && !(cd.wxn() && !ro);
            int p = Perms.PR | (ro ? 0 : Perms.PW) | (x ? Perms.PX : 0);
            return p | (p << 3);
        }
        boolean el0 = PteLayout.AP1.isSet(d) && !noUnpriv;
        boolean ur = el0;
        boolean uw = el0 && !ro;
        boolean pr = true;
        boolean pw = !ro;
        boolean ux = !PteLayout.UXN.isSet(d) && !uxnT && !(cd.wxn() && uw);
        boolean px = !PteLayout.PXN.isSet(d) && !pxnT && !uw && !(cd.wxn() && pw);
        if (cd.pan() && ur) {
            pr = false; // PAN: privileged data access to EL0-accessible memory faults
            pw = false;
        }
        int p = 0;
        p |= pr ? Perms.PR : 0;
        p |= pw ? Perms.PW : 0;
        p |= px ? Perms.PX : 0;
        p |= ur ? Perms.UR : 0;
        p |= uw ? Perms.UW : 0;
        p |= ux ? Perms.UX : 0;
        return p;
    }
}
