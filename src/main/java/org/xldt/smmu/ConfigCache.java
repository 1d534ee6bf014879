package org.xldt.smmu;

/**
 * Configuration cache: STEs by StreamID, level-1 stream table descriptors by L1 index, CDs by
 * (StreamID, CD index) and level-1 CD descriptors by (StreamID, L1CD index). Only valid, legal
 * structures are cached (a failed decode is looked up again next time). Each CFGI command
 * removes exactly what §4.3 says it invalidates; the counts are returned for inspection.
 */
public final class ConfigCache {

    /** A cached L1STD: StreamIDs [firstSid, lastSid] resolve through {@code l2ptr}. */
    public record L1Std(long index, long firstSid, long lastSid, int span, long l2ptr) {
    }

    /** A cached L1CD of one stream: CD indexes [first, last] resolve through {@code l2ptr}. */
    public record L1Cd(long sid, long index, long first, long last, long l2ptr) {
    }

    /** A cached CD with the stream and CD-table index it was fetched for. */
    public record CdEntry(long sid, int cdIndex, Cd cd) {
    }

    /** A cached STE with its StreamID. */
    public record SteEntry(long sid, Ste ste) {
    }

    final LongMap<SteEntry> stes = new LongMap<>(64);
    final LongMap<L1Std> l1stds = new LongMap<>(16);
    final LongMap<CdEntry> cds = new LongMap<>(64);
    final LongMap<L1Cd> l1cds = new LongMap<>(16);

    static long cdKey(long sid, long index) {
        return (sid << 20) | index;
    }

    public Ste ste(long sid) {
        SteEntry e = stes.get(sid);
        return e == null ? null : e.ste();
    }

    public Cd cd(long sid, int cdIndex) {
        CdEntry e = cds.get(cdKey(sid, cdIndex));
        return e == null ? null : e.cd();
    }

    public boolean hasSte(long sid) {
        return stes.get(sid) != null;
    }

    public boolean hasCd(long sid, int cdIndex) {
        return cds.get(cdKey(sid, cdIndex)) != null;
    }

    public boolean hasL1Std(long index) {
        return l1stds.get(index) != null;
    }

    public boolean hasL1Cd(long sid, long index) {
        return l1cds.get(cdKey(sid, index)) != null;
    }

    public int steCount() {
        return stes.size();
    }

    public int cdCount() {
        return cds.size();
    }

    public int l1StdCount() {
        return l1stds.size();
    }

    public int l1CdCount() {
        return l1cds.size();
    }

    /** CMD_CFGI_STE: the STE, every CD and L1CD cached through it, and (Leaf = 0) its L1STD. */
    public int invalidateSte(long sid, boolean leaf) {
        int n = stes.remove(sid) != null ? 1 : 0;
        n += cds.removeIf(e -> e.sid() == sid);
        n += l1cds.removeIf(e -> e.sid() == sid);
        if (!leaf) {
            n += l1stds.removeIf(e -> sid >= e.firstSid() && sid <= e.lastSid());
        }
        return n;
    }

    /** CMD_CFGI_STE_RANGE / CMD_CFGI_ALL: everything cached for StreamIDs in [lo, hi]. */
    public int invalidateSteRange(long lo, long hi) {
        int n = stes.removeIf(e -> e.sid() >= lo && e.sid() <= hi);
        n += cds.removeIf(e -> e.sid() >= lo && e.sid() <= hi);
        n += l1cds.removeIf(e -> e.sid() >= lo && e.sid() <= hi);
        n += l1stds.removeIf(e -> e.firstSid() <= hi && e.lastSid() >= lo);
        return n;
    }

    /** CMD_CFGI_CD: the CD at {@code cdIndex} and (Leaf = 0) the L1CD locating it. */
    public int invalidateCd(long sid, long cdIndex, boolean leaf) {
        int n = cds.removeIf(e -> e.sid() == sid && e.cdIndex() == cdIndex);
        if (!leaf) {
            n += l1cds.removeIf(e -> e.sid() == sid && cdIndex >= e.first()
                    && cdIndex <= e.last());
        }
        return n;
    }

    /** CMD_CFGI_CD_ALL: every CD and L1CD cached for the stream. */
    public int invalidateCdAll(long sid) {
        return cds.removeIf(e -> e.sid() == sid) + l1cds.removeIf(e -> e.sid() == sid);
    }
}
