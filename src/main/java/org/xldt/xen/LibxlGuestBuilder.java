package org.xldt.xen;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.Node;
import org.xldt.xen.DomainConfig.GicVersion;
import org.xldt.xen.DomainConfig.Tee;
import org.xldt.xen.DomainConfig.Vuart;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.LibxlLayout.Kernel;
import org.xldt.xen.LibxlLayout.Modules;
import org.xldt.xen.LibxlNodes.XenVersion;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.XlConfig;
import org.xldt.xlcfg.XlString;

/**
 * The device tree libxl gives an Arm guest ({@code libxl__prepare_dtb} then
 * {@code libxl__arch_domain_finalise_hw_description}, Xen 4.21) with the vSMMUv3 series'
 * additions: the nodes of {@link LibxlNodes} in libxl's order, with the values finalise fills in
 * (RAM sizes, initrd range, extended regions; a RAM bank without memory is left out, as libxl's
 * NOPs leave it out of a decompiled tree), then the partial device tree's {@code /passthrough}
 * and {@code /aliases}, with {@code iommus} rewritten to the emulated SMMUv3 and vSIDs.
 *
 * <p>What libxl takes from the running host is given in {@link Options}. Bad input is a
 * {@link BadInputException} with a location in the xl.cfg file or the partial device tree.
 */
public final class LibxlGuestBuilder {
    /**
     * What libxl learns from the host at run time, and xldt's output choices.
     *
     * @param hostGic     what {@code gic_version = "default"} resolves to (V2 or V3)
     * @param gpaddrBits  the guest physical address size Xen reports (extended regions)
     * @param xenVersion  the running Xen's major.minor (model and compatibles)
     * @param rngSeed     the {@code /chosen/rng-seed} bytes, or null for no rng-seed
     * @param libxlNames  libxl's exact output where xldt deviates to keep dtc silent: the node
     *                    names {@code hypervisor} and {@code sbsa-pl011} without a unit address,
     *                    and no {@code #address-cells} in a virtio GPIO node (dtc warns on both)
     * @param sidMode     virtual stream IDs (series v2/v3) or physical ones (RFC)
     * @param clockFrequency the timer frequency Xen reports from the host's timer node, 0 for none
     */
    public record Options(GicVersion hostGic, int gpaddrBits, XenVersion xenVersion, byte[] rngSeed, boolean libxlNames,
            VsidMap.Mode sidMode, long clockFrequency) {
        public Options {
            if (hostGic == GicVersion.NATIVE) throw new IllegalArgumentException("the host's GIC is v2 or v3");
            if (gpaddrBits < 32 || gpaddrBits > 64) throw new IllegalArgumentException("gpaddr_bits " + gpaddrBits);
            rngSeed = rngSeed == null ? null : rngSeed.clone();
        }

        /** xldt's defaults: GICv3 host, 40-bit IPA, Xen 4.21, the seed derived from {@code name}. */
        public static Options defaults(String name) {
            return new Options(GicVersion.V3, 40, new XenVersion(4, 21), derivedSeed(name), false, VsidMap.Mode.VIRTUAL, 0);
        }

        public Options withRngSeed(byte[] seed) {
            return new Options(hostGic, gpaddrBits, xenVersion, seed, libxlNames, sidMode, clockFrequency);
        }

        public Options withLibxlNames(boolean on) {
            return new Options(hostGic, gpaddrBits, xenVersion, rngSeed, on, sidMode, clockFrequency);
        }

        public Options withSidMode(VsidMap.Mode mode) {
            return new Options(hostGic, gpaddrBits, xenVersion, rngSeed, libxlNames, mode, clockFrequency);
        }

        public Options withHostGic(GicVersion gic) {
            return new Options(gic, gpaddrBits, xenVersion, rngSeed, libxlNames, sidMode, clockFrequency);
        }

        public Options withGpaddrBits(int bits) {
            return new Options(hostGic, bits, xenVersion, rngSeed, libxlNames, sidMode, clockFrequency);
        }

        public Options withXenVersion(XenVersion v) {
            return new Options(hostGic, gpaddrBits, v, rngSeed, libxlNames, sidMode, clockFrequency);
        }
    }

    /**
     * The files a guest configuration names, as read by the caller.
     *
     * @param kernel      the kernel segment (probed from the image, or assumed)
     * @param ramdiskSize the ramdisk's size in bytes when {@code ramdisk} is set
     * @param partial     the partial device tree when {@code device_tree} is set
     */
    public record Inputs(Kernel kernel, OptionalLong ramdiskSize, Optional<PartialTree> partial) {
    }

    /** A partial device tree and the name to use in locations. */
    public record PartialTree(String name, DeviceTree tree) {
    }

    /** A problem that does not stop the build: {@code LOCATION: warning: MESSAGE}. */
    public record Warning(String location, String message) {
        public String render() {
            return (location.isEmpty() ? "" : location + ": ") + "warning: " + message;
        }
    }

    /**
     * The guest's memory layout.
     *
     * @param banks           populated RAM per bank (size 0 when unused)
     * @param kernel          the kernel segment
     * @param modules         ramdisk and DTB placement (the DTB size is libxl's blob size)
     * @param extendedRegions the hypervisor node's regions after the grant table
     */
    public record Layout(List<Region> banks, Kernel kernel, Modules modules, List<Region> extendedRegions) {
    }

    /**
     * The result.
     *
     * @param tree     the guest device tree
     * @param gic      the GIC version the guest gets
     * @param vsids    the vSIDs given out (empty without a vSMMU)
     * @param layout   memory layout
     * @param pci      the {@code pci} entries (a vPCI host bridge when non-empty)
     * @param virtio   the virtio-mmio devices with their windows and SPIs
     * @param nrSpis   the SPIs libxl asks Xen for (the configuration's, raised for virtio)
     * @param warnings warnings, in the order found
     */
    public record Result(DeviceTree tree, GicVersion gic, VsidMap vsids, Layout layout, List<String> pci, List<Virtio> virtio, int nrSpis,
            List<Warning> warnings) {
        public Result {
            pci = List.copyOf(pci);
            virtio = List.copyOf(virtio);
            warnings = List.copyOf(warnings);
        }
    }

    /** A virtio-mmio device where libxl__arch_domain_prepare_config put it. */
    public record Virtio(VirtioConfig.Device device, long base, int spi) {
    }

    private final DomainConfig config;
    private final Options options;
    private final Inputs inputs;
    private final List<Warning> warnings = new ArrayList<>();

    private LibxlGuestBuilder(DomainConfig config, Options options, Inputs inputs) {
        this.config = config;
        this.options = options;
        this.inputs = inputs;
    }

    /** Builds the guest tree; throws {@link BadInputException} for a guest libxl would refuse. */
    public static Result build(DomainConfig config, Options options, Inputs inputs) {
        return new LibxlGuestBuilder(config, options, inputs).build();
    }

    /**
     * xldt's reproducible rng-seed: 128 bytes, SHA-256 of "xldt rng-seed", the domain name and a
     * block counter, for blocks 0 to 3 (libxl uses 128 random bytes).
     */
    public static byte[] derivedSeed(String domainName) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer out = ByteBuffer.allocate(LibxlNodes.RNG_SEED_BYTES);
            for (int block = 0; out.hasRemaining(); block++) {
                sha.reset();
                sha.update("xldt rng-seed\0".getBytes(StandardCharsets.US_ASCII));
                sha.update(domainName.getBytes(StandardCharsets.UTF_8));
                sha.update(new byte[] {0, (byte) block});
                out.put(sha.digest());
            }
            return out.array();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The {@code pci} entries of a configuration (libxl builds a vPCI host bridge when there are any). */
    public static List<String> pciDevices(XlConfig cfg) {
        return cfg.list("pci").optional().map(l -> XlConfig.leadingStrings(l).stream().map(XlString::utf8).toList()).orElse(List.of());
    }

    private Result build() {
        GicVersion gic = config.gicVersion() == GicVersion.NATIVE ? options.hostGic() : config.gicVersion();
        int vcpus = config.vcpus().max();
        if (gic == GicVersion.V2 && vcpus > DomainConfig.GICV2_MAX_VCPUS) {
            throw new BadInputException(cfgLocation("maxvcpus", "vcpus"), "a GICv2 guest can have at most " + DomainConfig.GICV2_MAX_VCPUS
                    + " vCPUs, not " + vcpus + " (gic_version \"default\" is the host's GIC: --host-gic v2)");
        }
        List<Region> banks;
        try {
            banks = LibxlLayout.banks(config.memory().maxBytes());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(cfgLocation("maxmem", "memory"), e.getMessage());
        }
        List<Region> ext = LibxlLayout.extendedRegions(banks, options.gpaddrBits(), config.iomem());
        if (ext.isEmpty()) warnings.add(new Warning(cfgLocation("maxmem", "memory"), "The extended regions cannot be allocated, not enough space"));

        List<String> pci = pciDevices(config.source());
        List<Virtio> virtio = placeVirtio();
        int nrSpis = nrSpis(virtio);
        VsidMap vsids = new VsidMap(options.sidMode());
        long[] iommuMap = null;
        if (!pci.isEmpty() && config.hasVsmmu()) {
            long len = options.sidMode() == VsidMap.Mode.PHYSICAL ? VsidMap.VPCI_RANGE_PHYSICAL : VsidMap.VPCI_RANGE;
            long first = vsids.mapRange(0, len, "vPCI " + LibxlNodes.unitName("pcie", GuestMemoryMap.VPCI_ECAM.base()) + " iommu-map");
            iommuMap = new long[] {first, len};
        }
        List<Node> partialNodes = inputs.partial().map(p -> partialNodes(p, vsids)).orElse(List.of());
        for (VsidMap.Collision c : vsids.collisions()) {
            warnings.add(new Warning(c.second().source(), "stream ID 0x" + Long.toHexString(c.vsid()) + " is also used by "
                    + c.first().source() + " behind another physical SMMU: the guest cannot tell them apart with --sid-mode=physical"));
        }

        boolean ramdisk = config.ramdisk().isPresent();
        // libxl's blob before finalise: libxl's node names, every placeholder (MAX_NR_EXT_REGIONS + 1 hypervisor regions)
        List<Region> placeholders = Collections.nCopies(LibxlLayout.MAX_EXT_REGIONS + 1, new Region(0, 0));
        List<Region> bothBanks = List.of(new Region(GuestMemoryMap.RAM0.base(), 0), new Region(GuestMemoryMap.RAM1.base(), 0));
        Region initrdPlaceholder = ramdisk ? new Region(0, 0) : null;
        DeviceTree pre = assemble(gic, bothBanks, placeholders, initrdPlaceholder, iommuMap, virtio, partialNodes, true);
        byte[] preBlob = DtbWriter.write(pre);
        long structSize = ByteBuffer.wrap(preBlob).getInt(36) & 0xffffffffL;
        long libxlBlobSize = LibxlLayout.libfdtTotalSize(pre, structSize);
        Modules modules;
        try {
            modules = LibxlLayout.placeModules(banks, inputs.kernel(), libxlBlobSize, inputs.ramdiskSize().orElse(0), ramdisk);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(cfgLocation("maxmem", "memory"), e.getMessage());
        }

        List<Region> reg = new ArrayList<>();
        reg.add(GuestMemoryMap.GNTTAB);
        reg.addAll(ext);
        List<Region> populated = banks.stream().filter(b -> b.size() != 0).toList();
        DeviceTree tree = assemble(gic, populated, reg, modules.ramdisk(), iommuMap, virtio, partialNodes, options.libxlNames());
        return new Result(tree, gic, vsids, new Layout(banks, inputs.kernel(), modules, ext), pci, virtio, nrSpis, warnings);
    }

    /**
     * libxl__arch_domain_prepare_config's virtio-mmio allocation: 0x200-byte windows from
     * 0x02000000 and SPIs from 34 (the series moves them past the vSMMU's 33), in order; an
     * {@code irqs} entry in the allocated SPI range is an error.
     */
    private List<Virtio> placeVirtio() {
        List<org.xldt.xlcfg.Location> disks = VirtioConfig.virtioDisks(config.source());
        if (!disks.isEmpty()) {
            throw new BadInputException(disks.get(0).toString(), "virtio disks (specification=virtio) are not modelled by xldt create");
        }
        List<Virtio> out = new ArrayList<>();
        long base = GuestMemoryMap.VIRTIO_MMIO.base();
        int spi = GuestMemoryMap.SERIES_VIRTIO_MMIO_SPI_FIRST;
        for (VirtioConfig.Device d : VirtioConfig.read(config.source())) {
            String where = d.location().toString();
            if (base + GuestMemoryMap.VIRTIO_MMIO_DEV_SIZE > GuestMemoryMap.VIRTIO_MMIO.end()) {
                throw new BadInputException(where, "Ran out of reserved range for Virtio MMIO BASE 0x" + Long.toHexString(base));
            }
            if (spi > GuestMemoryMap.SERIES_VIRTIO_MMIO_SPI_LAST) throw new BadInputException(where, "Ran out of reserved range for Virtio MMIO IRQ " + spi);
            out.add(new Virtio(d, base, spi));
            base += GuestMemoryMap.VIRTIO_MMIO_DEV_SIZE;
            spi++;
        }
        if (!out.isEmpty()) {
            int last = out.get(out.size() - 1).spi();
            config.source().list("irqs").optional().ifPresent(l -> {
                for (org.xldt.xlcfg.XlValue v : l.items()) {
                    if (!(v instanceof XlString s)) continue;
                    long irq = org.xldt.xlcfg.CNumbers.strtoul(s.text(), 10).value();
                    if (irq >= GuestMemoryMap.SERIES_VIRTIO_MMIO_SPI_FIRST && irq <= last) {
                        throw new BadInputException(s.location().toString(), "Physical IRQ " + irq + " conflicting with Virtio MMIO IRQ range");
                    }
                }
            });
        }
        return out;
    }

    /** The configuration's SPI count, raised to cover the virtio SPIs (an explicit nr_spis must already). */
    private int nrSpis(List<Virtio> virtio) {
        if (virtio.isEmpty()) return config.nrSpis();
        int needed = virtio.get(virtio.size() - 1).spi() - GuestMemoryMap.SPI_BASE + 1;
        if (needed <= config.nrSpis()) return config.nrSpis();
        if (config.source().find("nr_spis").isPresent()) {
            throw new BadInputException(cfgLocation("nr_spis"), "Provided nr_spis value is too small (minimum required " + needed + ")");
        }
        return needed;
    }

    /** libxl__prepare_dtb's order. */
    private DeviceTree assemble(GicVersion gic, List<Region> memory, List<Region> hypervisorReg, Region initrd, long[] iommuMap,
            List<Virtio> virtio, List<Node> partialNodes, boolean libxlNames) {
        Node root = new Node("");
        LibxlNodes.rootProperties(root, options.xenVersion());
        root.add(LibxlNodes.chosen(config.cmdline().orElse(null), initrd, options.rngSeed()));
        root.add(LibxlNodes.cpus(config.vcpus().max(), inputs.kernel().arch()));
        root.add(LibxlNodes.psci());
        for (Region bank : memory) root.add(LibxlNodes.memory(bank));
        root.add(gic == GicVersion.V2 ? LibxlNodes.gicV2() : LibxlNodes.gicV3());
        root.add(LibxlNodes.timer(inputs.kernel().arch(), options.clockFrequency()));
        root.add(LibxlNodes.hypervisor(options.xenVersion(), hypervisorReg, !libxlNames));
        if (config.vuart() == Vuart.SBSA_UART) root.add(LibxlNodes.vpl011(!libxlNames));
        if (config.tee() == Tee.OPTEE) root.add(LibxlNodes.optee());
        if (!pciDevices(config.source()).isEmpty()) {
            root.add(LibxlNodes.vpci(iommuMap == null ? 0 : iommuMap[0], iommuMap == null ? 0 : iommuMap[1]));
        }
        if (config.hasVsmmu()) root.add(LibxlNodes.vsmmuv3());
        for (Virtio v : virtio) {
            VirtioConfig.Device d = v.device();
            root.add(LibxlNodes.virtioMmio(v.base(), v.spi(), d.type(), d.backendId().orElse(0L), d.grantUsage(), !libxlNames));
        }
        if (virtio.stream().anyMatch(v -> v.device().grantUsage())) root.add(LibxlNodes.xenIommu());
        for (Node n : partialNodes) root.add(n.deepCopy());
        return new DeviceTree(root);
    }

    /**
     * copy_partial_fdt: {@code /passthrough} (required, exactly that name) and {@code /aliases}
     * (if present), with the series' iommus rewrite or, without a vSMMU, iommus removed.
     */
    private List<Node> partialNodes(PartialTree partial, VsidMap vsids) {
        DeviceTree t = partial.tree();
        String name = partial.name();
        t.walk(n -> {
            int ph = n.phandle();
            if (ph != 0 && Integer.compareUnsigned(ph, GuestMemoryMap.PHANDLE_RESERVED_FIRST) >= 0) {
                throw new BadInputException(name + ":" + n.path(), "phandle 0x" + Integer.toHexString(ph) + " (" + Integer.toUnsignedString(ph)
                        + ") is reserved: libxl gives the guest phandles 65000 (GIC), 65001 (grant-DMA IOMMU) and 65002 (vSMMUv3); "
                        + "a partial device tree must use phandles below 65000");
            }
        });
        Node passthrough = t.root().childLoose("passthrough");
        if (passthrough == null || !passthrough.name().equals("passthrough")) {
            String found = passthrough == null ? "there is none" : "found \"" + passthrough.name() + "\"";
            throw new BadInputException(name, "Can't copy the node \"/passthrough\" from the partial FDT (" + found
                    + "): libxl needs a root node named exactly \"passthrough\"");
        }
        List<Node> out = new ArrayList<>();
        Node pt = passthrough.deepCopy();
        if (config.hasVsmmu()) {
            PassthroughIommus.virtualise(pt, t, vsids, name);
        } else {
            for (String path : PassthroughIommus.strip(pt)) {
                warnings.add(new Warning(name + ":" + path, "iommus removed: the guest has no vIOMMU (set viommu = \"smmuv3\" to keep it)"));
            }
        }
        out.add(pt);
        Node aliases = t.root().childLoose("aliases");
        if (aliases != null && aliases.name().equals("aliases")) out.add(aliases.deepCopy());
        return out;
    }

    /** Where the first of {@code keys} that is set has its value, else the file. */
    private String cfgLocation(String... keys) {
        return valueLocation(config, keys);
    }

    /** Where the first of {@code keys} that is set has its value ({@code FILE:LINE:COL}), else the file's name. */
    public static String valueLocation(DomainConfig config, String... keys) {
        for (String k : keys) {
            Optional<Location> l = config.source().find(k).map(org.xldt.xlcfg.Setting::valueLocation);
            if (l.isPresent()) return l.get().toString();
        }
        return config.source().source().name();
    }
}
