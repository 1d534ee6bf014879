package org.xldt.smmu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Xen domain as the SMMUs see it: its stage-2 p2m (and the memory view through it), its
 * VMID, its assigned streams (vSID → physical SMMU, pSID) and its vSMMUs. Made by
 * {@link XenSystem#addDomain}.
 */
public final class Domain {
    private final String name;
    private final int domid;
    private final int vmid;
    private final boolean hardware;
    private final P2m p2m;
    private final List<XenSystem.StreamSpec> streams;
    private final Set<HostSmmu> hosts = new LinkedHashSet<>();
    private final List<VSmmu> vsmmus = new ArrayList<>();

    Domain(String name, int domid, int vmid, boolean hardware, P2m p2m,
            List<XenSystem.StreamSpec> streams, List<HostSmmu> hostsUsed) {
        this.name = name;
        this.domid = domid;
        this.vmid = vmid;
        this.hardware = hardware;
        this.p2m = p2m;
        this.streams = List.copyOf(streams);
        this.hosts.addAll(hostsUsed);
    }

    void addVsmmu(VSmmu v) {
        vsmmus.add(v);
    }

    public String name() {
        return name;
    }

    public int domid() {
        return domid;
    }

    public int vmid() {
        return vmid;
    }

    /** True for dom0 (identity p2m, vSID = pSID, one vSMMU per physical SMMU). */
    public boolean hardware() {
        return hardware;
    }

    public P2m p2m() {
        return p2m;
    }

    /** The domain's memory by guest physical address (IPA), through its p2m. */
    public Memory memory() {
        return p2m.memory();
    }

    public List<XenSystem.StreamSpec> streams() {
        return streams;
    }

    /** The stream with this vSID, or null. */
    public XenSystem.StreamSpec stream(int vsid) {
        for (XenSystem.StreamSpec s : streams) {
            if (s.vsid() == vsid) {
                return s;
            }
        }
        return null;
    }

    public List<VSmmu> vsmmus() {
        return Collections.unmodifiableList(vsmmus);
    }

    /** The first vSMMU (a domU has one), or null. */
    public VSmmu vsmmu() {
        return vsmmus.isEmpty() ? null : vsmmus.get(0);
    }

    /** The vSMMU whose register window holds guest physical address {@code gpa}, or null. */
    public VSmmu vsmmuAt(long gpa) {
        for (VSmmu v : vsmmus) {
            if (gpa >= v.base() && gpa - v.base() < v.size()) {
                return v;
            }
        }
        return null;
    }

    /** True if physical address {@code pa} is this domain's memory. */
    public boolean owns(long pa) {
        return p2m.ownsPa(pa);
    }

    /** Physical SMMUs with a stream of this domain. */
    public Set<HostSmmu> hosts() {
        return Collections.unmodifiableSet(hosts);
    }

    /** Xen maps [ipa, ipa+size) to [pa, ...) (new mappings need no TLB invalidation). */
    public void map(long ipa, long pa, long size, boolean writable) {
        p2m.map(ipa, pa, size, writable);
    }

    /**
     * Xen removes [ipa, ipa+size) from the p2m (ballooning, unmapping a grant) and invalidates
     * the domain's VMID on every physical SMMU it uses.
     */
    public void unmap(long ipa, long size) {
        p2m.unmap(ipa, size);
        for (HostSmmu h : hosts) {
            h.queue(Commands.tlbiS12Vmall(vmid));
            h.flush();
        }
    }

    @Override
    public String toString() {
        return "d" + domid + " (" + name + ")";
    }
}
