package org.xldt.xen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xldt.BadInputException;

/**
 * The stream IDs a guest's devices use behind its one emulated SMMUv3 (vSIDs) and the physical
 * stream each stands for: the vSID layer of the vSMMUv3 series (v2/v3, patches 21 and 22).
 *
 * <p>The series' Xen keeps a per-domain table of 2^16 entries {vSID, physical SMMU, pSID} and
 * hands out the lowest free vSID for each request (from 0); the toolstack (libxl, or Xen's
 * dom0less builder) asks for one vSID per {@code iommus} entry of a passed-through device, and
 * for a range of 0x1000 vSIDs for the vPCI host bridge ({@code iommu-map}), then writes the vSIDs
 * into the guest's device tree. The series never fills in the physical SMMU (its domctl takes
 * only a pSID); this class records it, so that the same stream ID behind two physical SMMUs gets
 * two vSIDs and a reader can tell them apart.
 *
 * <p>In {@link Mode#VIRTUAL} each distinct (physical SMMU, pSID) pair gets the next free vSID,
 * in the order of the calls (document order for a device tree); asking again for a pair returns
 * its vSID. In {@link Mode#PHYSICAL} (the series' RFC and v1: the guest sees physical stream IDs)
 * the vSID is the pSID, and two physical SMMUs with the same pSID collide; see
 * {@link #collisions()}.
 *
 * <p>A physical SMMU is named by the phandle its devices' {@code iommus} entries hold: in a
 * partial device tree that is the host's phandle copied by hand (the partial tree cannot contain
 * the host's SMMU node, so the number does not resolve there), in the host tree it resolves to
 * the SMMU's node and its path.
 */
public final class VsidMap {
    /** Largest number of vSIDs: the emulated SMMUv3's IDR1.SIDSIZE is 16. */
    public static final int MAX_VSIDS = 1 << 16;
    /** The series' vPCI range: pSIDs 0..0xfff, one vSID range of this size (series v3). */
    public static final int VPCI_RANGE = 0x1000;
    /** The RFC's vPCI {@code iommu-map} length with RID = SID. */
    public static final int VPCI_RANGE_PHYSICAL = 0x10000;

    /** How stream IDs are presented to the guest. */
    public enum Mode {
        /** Series v2/v3: the next free vSID per distinct (physical SMMU, pSID). */
        VIRTUAL,
        /** Series RFC/v1: the guest sees the physical stream IDs (vSID = pSID). */
        PHYSICAL
    }

    /**
     * A physical SMMU as a device's {@code iommus} names it.
     *
     * @param phandle the phandle in the {@code iommus} entry
     * @param path    the SMMU node's path, when the tree holding the entry resolves the phandle
     */
    public record PhysicalSmmu(long phandle, Optional<String> path) {
        public PhysicalSmmu {
            if (phandle < 0 || phandle > 0xffffffffL) throw new IllegalArgumentException("phandle " + phandle);
            path = path == null ? Optional.empty() : path;
        }

        public static PhysicalSmmu of(long phandle) {
            return new PhysicalSmmu(phandle, Optional.empty());
        }

        /** {@code phandle 0x8001 (/smmu@2b400000)} or {@code phandle 0x8001}. */
        public String describe() {
            return "phandle 0x" + Long.toHexString(phandle) + path.map(p -> " (" + p + ")").orElse("");
        }
    }

    /**
     * {@code count} consecutive vSIDs from {@code vsid} standing for {@code count} consecutive
     * pSIDs from {@code psid}.
     *
     * @param vsid   first vSID
     * @param smmu   the physical SMMU, empty when the toolstack does not know it (the vPCI range)
     * @param psid   first physical stream ID
     * @param count  number of stream IDs (1 for an {@code iommus} entry)
     * @param source who asked: a device-tree path and property, or "vPCI"
     */
    public record Entry(long vsid, Optional<PhysicalSmmu> smmu, long psid, long count, String source) {
        public Entry {
            smmu = smmu == null ? Optional.empty() : smmu;
        }

        public boolean contains(long v) {
            return v >= vsid && v - vsid < count;
        }
    }

    /** Two entries that give the same vSID to different physical streams (physical mode only). */
    public record Collision(Entry first, Entry second, long vsid) {
    }

    private record Key(long phandle, long psid) {
    }

    private final Mode mode;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Key, Entry> byStream = new HashMap<>();
    private final List<Collision> collisions = new ArrayList<>();
    private long nextFree;

    public VsidMap(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The vSID for {@code psid} behind {@code smmu}: the pair's existing vSID, else a new one.
     *
     * @param where  a location for errors and for {@link Entry#source()} (e.g.
     *               {@code partial.dts:/passthrough/dma@9010000:iommus})
     * @throws BadInputException when the 2^16 vSIDs are used up or, in physical mode, the pSID does
     *                           not fit the emulated SMMU's 16-bit stream IDs
     */
    public long map(PhysicalSmmu smmu, long psid, String where) {
        if (psid < 0 || psid > 0xffffffffL) throw new IllegalArgumentException("psid " + psid);
        Key key = new Key(smmu.phandle(), psid);
        Entry known = byStream.get(key);
        if (known != null) return known.vsid();
        long vsid;
        if (mode == Mode.PHYSICAL) {
            if (psid >= MAX_VSIDS) {
                throw new BadInputException(where, "stream ID 0x" + Long.toHexString(psid)
                        + " does not fit the emulated SMMUv3's 16-bit stream IDs (--sid-mode=physical)");
            }
            vsid = psid;
        } else {
            vsid = allocate(1, where);
        }
        Entry e = new Entry(vsid, Optional.of(smmu), psid, 1, where);
        if (mode == Mode.PHYSICAL) {
            for (Entry other : entries) {
                // the vPCI range names no SMMU: it is not counted as a collision
                if (other.smmu().isPresent() && other.contains(vsid)) collisions.add(new Collision(other, e, vsid));
            }
        }
        entries.add(e);
        byStream.put(key, e);
        return vsid;
    }

    /**
     * A range of {@code count} vSIDs for pSIDs {@code firstPsid..} on an SMMU the toolstack does not
     * name (the series' vPCI {@code iommu-map}). Virtual mode: the next {@code count} free vSIDs;
     * physical mode: vSID = pSID. Returns the first vSID.
     */
    public long mapRange(long firstPsid, long count, String where) {
        if (count <= 0) throw new IllegalArgumentException("count " + count);
        long vsid = mode == Mode.PHYSICAL ? firstPsid : allocate(count, where);
        entries.add(new Entry(vsid, Optional.empty(), firstPsid, count, where));
        return vsid;
    }

    private long allocate(long count, String where) {
        if (nextFree + count > MAX_VSIDS) {
            throw new BadInputException(where, "out of virtual stream IDs: the emulated SMMUv3 has " + MAX_VSIDS
                    + " and " + nextFree + " are in use");
        }
        long v = nextFree;
        nextFree += count;
        return v;
    }

    /** Every mapping, in allocation order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry whose range holds {@code vsid} (the first one, in physical mode). */
    public Optional<Entry> lookup(long vsid) {
        for (Entry e : entries) if (e.contains(vsid)) return Optional.of(e);
        return Optional.empty();
    }

    /** The pSID that {@code vsid} stands for. */
    public Optional<Long> psidOf(long vsid) {
        return lookup(vsid).map(e -> e.psid() + (vsid - e.vsid()));
    }

    /** The vSID already given to ({@code smmu}, {@code psid}), if any. */
    public Optional<Long> vsidOf(long smmuPhandle, long psid) {
        Entry e = byStream.get(new Key(smmuPhandle, psid));
        return e == null ? Optional.empty() : Optional.of(e.vsid());
    }

    /** Physical mode: vSIDs given to two different physical streams (always empty in virtual mode). */
    public List<Collision> collisions() {
        return Collections.unmodifiableList(collisions);
    }
}
