package org.xldt.xen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.xldt.xlcfg.CNumbers;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.Diagnostics;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.Lookup;
import org.xldt.xlcfg.Setting;
import org.xldt.xlcfg.Severity;
import org.xldt.xlcfg.XlConfig;
import org.xldt.xlcfg.XlList;
import org.xldt.xlcfg.XlString;
import org.xldt.xlcfg.XlValue;
import org.xldt.xen.DomainConfig.CpuAffinity;
import org.xldt.xen.DomainConfig.CpuItem;
import org.xldt.xen.DomainConfig.CpuSet;
import org.xldt.xen.DomainConfig.DomainType;
import org.xldt.xen.DomainConfig.GicVersion;
import org.xldt.xen.DomainConfig.IomemRange;
import org.xldt.xen.DomainConfig.Passthrough;
import org.xldt.xen.DomainConfig.Tee;
import org.xldt.xen.DomainConfig.Viommu;
import org.xldt.xen.DomainConfig.Vuart;

/**
 * Builds a {@link DomainConfig} from a parsed xl.cfg file the way xl ({@code parse_config_data}
 * in tools/xl/xl_parse.c) and libxl's defaulting and Arm checks ({@code libxl_create.c},
 * {@code libxl_arm.c}) read it, and reports every problem at the offending line and column.
 *
 * <p>Two tables drive it, in the manner of dtc's checks.c: {@link #KEYS} reads one key each
 * (with xl's coercions and messages), {@link #CHECKS} then validates across keys. Where xl only
 * warns about a value it cannot use and carries on with a default (a {@code memory} that is not
 * a number, a list for {@code kernel}), xldt reports an error, because the guest would not be
 * the one the file describes. Checks that Xen or libxl make later, at domain creation, are
 * reported here too and say so.
 */
public final class DomainConfigReader {
    /**
     * The outcome: a configuration when there is no error, and every diagnostic.
     *
     * @param config      the configuration, or null when there are errors
     * @param diagnostics errors and warnings, in the order found
     */
    public record Result(DomainConfig config, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean ok() {
            return config != null;
        }

        public Optional<DomainConfig> domainConfig() {
            return Optional.ofNullable(config);
        }

        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }
    }

    private record Step(String key, Consumer<DomainConfigReader> read) {
    }

    private record Check(String name, Consumer<DomainConfigReader> run) {
    }

    /** One reader per key, in xl's order. */
    private static final List<Step> KEYS = List.of(
            new Step("type", DomainConfigReader::readType),
            new Step("name", DomainConfigReader::readName),
            new Step("memory", r -> r.memory = r.readMiB("memory")),
            new Step("maxmem", r -> r.maxmem = r.readMiB("maxmem")),
            new Step("vcpus", r -> r.vcpus = r.readVcpus("vcpus")),
            new Step("maxvcpus", r -> r.maxvcpus = r.readVcpus("maxvcpus")),
            new Step("vuart", r -> r.readEnum("vuart", true, Vuart.values(), Vuart::xlName,
                    v -> "invalid value \"" + v + "\" for \"vuart\"", v -> "", e -> r.vuart = e)),
            new Step("cpus", DomainConfigReader::readCpus),
            new Step("dtdev", DomainConfigReader::readDtdev),
            new Step("passthrough", r -> r.readEnum("passthrough", true, Passthrough.values(), Passthrough::xlName,
                    v -> "unknown passthrough option '" + v + "'", v -> "", e -> r.passthrough = e)),
            new Step("kernel", r -> r.kernel = r.readPath("kernel")),
            new Step("ramdisk", r -> r.ramdisk = r.readPath("ramdisk")),
            new Step("device_tree", r -> r.deviceTree = r.readPath("device_tree")),
            new Step("cmdline", DomainConfigReader::readCmdline),
            new Step("irqs", DomainConfigReader::readIrqs),
            new Step("iomem", DomainConfigReader::readIomem),
            new Step("gic_version", r -> r.readEnum("gic_version", false, GicVersion.values(), GicVersion::xlName,
                    v -> "Unknown gic_version \"" + v + "\" specified",
                    v -> v.equalsIgnoreCase("native") ? "libxl calls the host's version \"default\"; " : "", e -> r.gicVersion = e)),
            new Step("nr_spis", DomainConfigReader::readNrSpis),
            new Step("tee", r -> r.readEnum("tee", false, Tee.values(), Tee::xlName,
                    v -> "Unknown tee \"" + v + "\" specified", v -> "", e -> r.tee = e)),
            new Step("viommu", r -> r.readEnum("viommu", false, Viommu.values(), Viommu::xlName,
                    v -> "Unknown vIOMMU type \"" + v + "\" specified", v -> "matched in any case; ", e -> r.viommu = e)));

    /** Checks across keys, run after every key is read. */
    private static final List<Check> CHECKS = List.of(
            new Check("maxvcpus-at-least-vcpus", DomainConfigReader::checkMaxVcpus),
            new Check("maxmem-at-least-memory", DomainConfigReader::checkMaxMem),
            new Check("kernel-required", DomainConfigReader::checkKernel),
            new Check("passthrough-mode", DomainConfigReader::checkPassthrough),
            new Check("irq-not-vuart-spi", DomainConfigReader::checkVuartIrq),
            new Check("irq-not-vsmmu-spi", DomainConfigReader::checkVsmmuIrq),
            new Check("nr-spis", DomainConfigReader::checkNrSpis),
            new Check("gicv2-vcpus", DomainConfigReader::checkGicv2Vcpus),
            new Check("viommu-needs-iommu", DomainConfigReader::checkViommuIommu),
            new Check("unknown-keys", DomainConfigReader::checkUnknownKeys));

    /** Names of the keys DomainConfig models. */
    public static final Set<String> MODELLED = Set.of("type", "name", "memory", "maxmem", "vcpus", "maxvcpus", "cpus",
            "kernel", "ramdisk", "cmdline", "root", "extra", "device_tree", "dtdev", "iomem", "irqs", "passthrough",
            "gic_version", "vuart", "nr_spis", "tee", "viommu");

    private final XlConfig cfg;
    private final Set<String> extraKeys;
    private final Diagnostics diags = new Diagnostics();

    private String name;
    private DomainType type = DomainType.PVH;
    private OptionalLong memory = OptionalLong.empty();
    private OptionalLong maxmem = OptionalLong.empty();
    private OptionalLong vcpus = OptionalLong.empty();
    private OptionalLong maxvcpus = OptionalLong.empty();
    private CpuAffinity cpus;
    private Optional<String> kernel = Optional.empty();
    private Optional<String> ramdisk = Optional.empty();
    private Optional<String> deviceTree = Optional.empty();
    private Optional<String> cmdline = Optional.empty();
    private final List<String> dtdevs = new ArrayList<>();
    private final List<IomemRange> iomem = new ArrayList<>();
    private final List<Integer> irqs = new ArrayList<>();
    private final List<Location> irqLocations = new ArrayList<>();
    private Passthrough passthrough = Passthrough.DEFAULT;
    private GicVersion gicVersion = GicVersion.NATIVE;
    private Vuart vuart = Vuart.NONE;
    private OptionalLong nrSpis = OptionalLong.empty();
    private int effectiveNrSpis;
    private Tee tee = Tee.NONE;
    private Viommu viommu = Viommu.NONE;

    private DomainConfigReader(XlConfig cfg, Set<String> extraKeys) {
        this.cfg = cfg;
        this.extraKeys = Set.copyOf(extraKeys);
    }

    /** Reads and validates; never throws for bad input. */
    public static Result read(XlConfig cfg) {
        return read(cfg, Set.of());
    }

    /**
     * As {@link #read(XlConfig)}, for a caller that reads more settings itself (the dom0less keys
     * {@code vpl011}, {@code static_mem}...): those names are not reported as unknown.
     */
    public static Result read(XlConfig cfg, Set<String> extraKeys) {
        DomainConfigReader r = new DomainConfigReader(cfg, extraKeys);
        for (Step s : KEYS) s.read().accept(r);
        for (Check c : CHECKS) c.run().accept(r);
        DomainConfig dc = r.diags.hasErrors() ? null : r.build();
        List<Diagnostic> sorted = new ArrayList<>(r.diags.all());
        sorted.sort(java.util.Comparator.comparingInt(d -> cfg.source().offsetOf(d.location())));
        return new Result(dc, sorted);
    }

    private DomainConfig build() {
        long mem = memory.orElse(maxmem.orElse(32));
        long max = maxmem.orElse(memory.orElse(32));
        int v = (int) vcpus.orElse(1);
        int mv = (int) maxvcpus.orElse(v);
        List<Setting> others = cfg.effective().stream().filter(s -> !MODELLED.contains(s.name())).toList();
        return new DomainConfig(name, type, new DomainConfig.Memory(mem, max), new DomainConfig.Vcpus(v, mv),
                Optional.ofNullable(cpus), kernel, ramdisk, cmdline, deviceTree, dtdevs, iomem, irqs, passthrough, gicVersion,
                vuart, effectiveNrSpis, tee, viommu, others, cfg);
    }

    // ---- diagnostics helpers ---------------------------------------------------------

    private void report(Severity sev, Location at, String message, String... hints) {
        diags.add(new Diagnostic(sev, at, message, List.of(hints), cfg.source().lineText(at), 1));
    }

    private void error(Location at, String message, String... hints) {
        report(Severity.ERROR, at, message, hints);
    }

    private void warning(Location at, String message, String... hints) {
        report(Severity.WARNING, at, message, hints);
    }

    /** Where a problem about a missing key is reported: the start of the file. */
    private Location fileStart() {
        return new Location(cfg.source().name(), 1, 1);
    }

    private Location at(String key) {
        return cfg.find(key).map(Setting::valueLocation).orElse(fileStart());
    }

    /** xlu_cfg_get_string for a modelled key: a list is an error (xl warns and ignores it). */
    private Optional<XlString> string(String key, boolean xlWarns) {
        Lookup<String> l = cfg.string(key);
        if (l.ok()) return Optional.of((XlString) l.setting().value());
        if (!l.absent()) {
            if (xlWarns) {
                error(l.setting().valueLocation(), "'" + key + "' must be a single value, not a list",
                        "xl warns \"" + l.warning().message() + "\" and ignores the setting");
            } else {
                warning(l.setting().valueLocation(), "'" + key + "' is a list and is ignored",
                        "xl ignores a list here without a word; write a single value");
            }
        }
        return Optional.empty();
    }

    /** xlu_cfg_get_long for a modelled key: any refusal is an error (xl warns, uses the default). */
    private OptionalLong number(String key) {
        Lookup<Long> l = cfg.longValue(key);
        if (l.ok()) return OptionalLong.of(l.value());
        if (!l.absent()) {
            error(l.setting().valueLocation(), l.warning().message(),
                    "xl only warns about this and goes on as if '" + key + "' were not set");
        }
        return OptionalLong.empty();
    }

    /** xlu_cfg_get_list for a modelled key. */
    private Optional<XlList> list(String key) {
        Lookup<XlList> l = cfg.list(key);
        if (l.ok()) return Optional.of(l.value());
        if (!l.absent()) {
            error(l.setting().valueLocation(), l.warning().message(),
                    "write a list: " + key + " = [ \"...\" ]; xl warns and ignores a single value");
        }
        return Optional.empty();
    }

    /** libxl_*_from_string: a case-insensitive match of the enum's names. */
    private static <E extends Enum<E>> Optional<E> fromXlName(String s, E[] values, java.util.function.Function<E, String> xlName) {
        for (E e : values) {
            if (xlName.apply(e).equalsIgnoreCase(s) && s.length() == xlName.apply(e).length()) return Optional.of(e);
        }
        return Optional.empty();
    }

    private static <E extends Enum<E>> String allowed(E[] values, java.util.function.Function<E, String> xlName) {
        List<String> names = new ArrayList<>();
        for (E e : values) names.add("\"" + xlName.apply(e) + "\"");
        return String.join(", ", names);
    }

    // ---- keys ---------------------------------------------------------------------

    private void readType() {
        string("type", true).ifPresent(s -> {
            String t = s.utf8();
            // xl: !strncmp(buf, "hvm", strlen(buf)), then "pv", then "pvh": a prefix matches
            if ("hvm".startsWith(t)) type = DomainType.HVM;
            else if ("pv".startsWith(t)) type = DomainType.PV;
            else if ("pvh".startsWith(t)) type = DomainType.PVH;
            else {
                error(s.location(), "Invalid domain type " + t + ".", "on Arm write type = \"pvh\"");
                return;
            }
            if (type == DomainType.HVM) {
                error(s.location(), "HVM guests are not supported on Arm" + (t.equals("hvm") ? "" : " (xl reads \"" + t + "\" as \"hvm\")"),
                        "Arm guests are PVH: type = \"pvh\"");
            } else if (type == DomainType.PV) {
                warning(s.location(), "Converting PV guest to PVH: Arm guests are PVH" + (t.equals("pv") ? "" : " (xl reads \"" + t + "\" as \"pv\")"),
                        "libxl converts it; write type = \"pvh\"");
                type = DomainType.PVH;
            }
        });
    }

    private void readName() {
        Lookup<String> l = cfg.string("name");
        if (l.absent()) {
            error(fileStart(), "Domain name must be specified.", "add: name = \"guest\"");
            return;
        }
        Optional<XlString> s = string("name", true);
        if (s.isEmpty()) return;
        name = s.get().utf8();
        if (name.isEmpty()) error(s.get().location(), "the domain name is empty", "give the guest a name");
    }

    private OptionalLong readMiB(String key) {
        OptionalLong v = number(key);
        if (v.isPresent() && (v.getAsLong() <= 0 || v.getAsLong() > (Long.MAX_VALUE >> 20))) {
            error(at(key), "'" + key + "' must be a positive number of MiB, not " + v.getAsLong());
            return OptionalLong.empty();
        }
        return v;
    }

    private OptionalLong readVcpus(String key) {
        OptionalLong v = number(key);
        if (v.isPresent() && (v.getAsLong() < 1 || v.getAsLong() > GuestMemoryMap.MAX_VCPUS)) {
            error(at(key), "'" + key + "' must be between 1 and " + GuestMemoryMap.MAX_VCPUS + ", not " + v.getAsLong(),
                    "an Arm guest has at most " + GuestMemoryMap.MAX_VCPUS + " vCPUs (GUEST_MAX_VCPUS)");
            return OptionalLong.empty();
        }
        return v;
    }

    /**
     * A key read with {@code xlu_cfg_get_string} and a libxl {@code *_from_string} (a
     * case-insensitive match of the enum's names); xl's message when nothing matches.
     */
    private <E extends Enum<E>> void readEnum(String key, boolean xlWarns, E[] values, java.util.function.Function<E, String> xlName,
            java.util.function.Function<String, String> message, java.util.function.Function<String, String> hint, Consumer<E> set) {
        string(key, xlWarns).ifPresent(s -> {
            Optional<E> e = fromXlName(s.utf8(), values, xlName);
            if (e.isPresent()) set.accept(e.get());
            else error(s.location(), message.apply(s.utf8()), hint.apply(s.utf8()) + "allowed: " + allowed(values, xlName));
        });
    }

    private void readCpus() {
        Lookup<XlList> l = cfg.list("cpus");
        if (l.ok()) {
            List<CpuSet> sets = new ArrayList<>();
            for (XlString item : XlConfig.leadingStrings(l.value())) {
                CpuSet set = cpuSet(item);
                if (set == null) return;
                sets.add(set);
            }
            cpus = new CpuAffinity(sets, true);
            return;
        }
        string("cpus", true).ifPresent(s -> {
            CpuSet set = cpuSet(s);
            if (set != null) cpus = new CpuAffinity(List.of(set), false);
        });
    }

    /** xl's parse_cpurange / update_cpumap_range: comma-separated [^][node:|nodes:](all|N|N-M). */
    private CpuSet cpuSet(XlString s) {
        List<CpuItem> items = new ArrayList<>();
        String spec = s.utf8();
        for (String raw : spec.split(",")) {
            if (raw.isEmpty()) continue; // strtok skips empty fields
            String str = raw;
            boolean exclude = str.startsWith("^");
            if (exclude) str = str.substring(1);
            boolean nodes = false;
            if (str.startsWith("node:")) {
                nodes = true;
                str = str.substring(5);
            } else if (str.startsWith("nodes:")) {
                nodes = true;
                str = str.substring(6);
            }
            if (str.equals("all")) {
                if (exclude) {
                    error(s.location(), "Can't combine \"^\" and \"all\".", "in cpus = \"" + spec + "\"");
                    return null;
                }
                items.add(new CpuItem(false, nodes, true, 0, 0));
                continue;
            }
            long[] range = parseRange(str);
            if (range == null) {
                error(s.location(), "Invalid pcpu range: " + raw + ".", "a CPU set is like \"0-3,^2\", \"all\" or \"node:1\"");
                return null;
            }
            items.add(new CpuItem(exclude, nodes, false, range[0], range[1]));
        }
        return new CpuSet(spec, items);
    }

    /** xl's parse_range: N or N-M in decimal (strtoul), M &gt;= N, nothing after. */
    static long[] parseRange(String str) {
        CNumbers.Conversion a = CNumbers.strtoul(str, 10);
        if (!a.digits() || a.value() == -1L) return null;
        long from = a.value();
        long to = from;
        int end = a.end();
        if (end < str.length() && str.charAt(end) == '-') {
            String rest = str.substring(end + 1);
            CNumbers.Conversion b = CNumbers.strtoul(rest, 10);
            if (!b.digits() || b.value() == -1L || Long.compareUnsigned(b.value(), from) < 0) return null;
            to = b.value();
            end = end + 1 + b.end();
        }
        return end == str.length() ? new long[] {from, to} : null;
    }

    private void readDtdev() {
        list("dtdev").ifPresent(l -> {
            List<XlString> items = XlConfig.leadingStrings(l);
            if (items.size() < l.items().size()) {
                XlValue nested = l.items().get(items.size());
                warning(nested.location(), "xl stops reading 'dtdev' at this nested list",
                        "the items from here on are ignored; dtdev is a list of strings");
            }
            for (XlString s : items) {
                String path = s.utf8();
                if (!path.startsWith("/")) {
                    error(s.location(), "dtdev entry \"" + path + "\" is not an absolute device-tree path",
                            "write the host node's full path, e.g. \"/soc/ethernet@ff0e0000\"");
                    continue;
                }
                dtdevs.add(path);
            }
        });
    }

    private Optional<String> readPath(String key) {
        return string(key, true).map(XlString::utf8);
    }

    /** xl's parse_cmdline. */
    private void readCmdline() {
        Optional<XlString> buf = string("cmdline", true);
        Optional<XlString> root = string("root", true);
        Optional<XlString> extra = string("extra", true);
        if (buf.isPresent()) {
            cmdline = Optional.of(buf.get().utf8());
            if (root.isPresent() || extra.isPresent()) {
                warning(root.orElse(extra.orElse(null)).location(), "ignoring root= and extra= in favour of cmdline=",
                        "xl uses cmdline alone when it is set");
            }
        } else if (root.isPresent() && extra.isPresent()) {
            cmdline = Optional.of("root=" + root.get().utf8() + " " + extra.get().utf8());
        } else if (root.isPresent()) {
            cmdline = Optional.of("root=" + root.get().utf8());
        } else if (extra.isPresent()) {
            cmdline = Optional.of(extra.get().utf8());
        }
    }

    private void readIrqs() {
        list("irqs").ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                XlValue v = l.items().get(i);
                if (!(v instanceof XlString s)) {
                    error(v.location(), "xl: Unable to get element " + i + " in irq list", "irqs is a list of numbers");
                    return;
                }
                CNumbers.Conversion c = CNumbers.strtoul(s.text(), 10);
                if (!c.digits() || c.end() != s.text().length()) {
                    error(s.location(), "xl: Invalid argument parsing irq: " + s.utf8(), "write decimal interrupt numbers");
                    continue;
                }
                if (Long.compareUnsigned(c.value(), 0xffffffffL) >= 0) {
                    error(s.location(), "xl: irq " + Long.toHexString(c.value()) + " too big");
                    continue;
                }
                long irq = c.value();
                if (irq < 32) {
                    error(s.location(), "IRQ " + irq + " is not an SPI", "only shared peripheral interrupts (32 and up) can be routed to a guest");
                    continue;
                }
                if (irq > 31 + DomainConfig.MAX_SPIS) {
                    error(s.location(), "IRQ " + irq + " is beyond the " + DomainConfig.MAX_SPIS + " SPIs a guest can have (32.." + (31 + DomainConfig.MAX_SPIS) + ")");
                    continue;
                }
                irqs.add((int) irq);
                irqLocations.add(s.location());
            }
        });
    }

    private void readIomem() {
        list("iomem").ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                XlValue v = l.items().get(i);
                if (!(v instanceof XlString s)) {
                    error(v.location(), "xl: Unable to get element " + i + " in iomem list", "iomem is a list of strings");
                    return;
                }
                Optional<IomemRange> r = parseIomem(s.text());
                if (r.isEmpty()) {
                    error(s.location(), "xl: Invalid argument parsing iomem: " + s.utf8(),
                            "write \"IOMEM_START,NUM_PAGES[@GFN]\" with hexadecimal page numbers, e.g. \"0x9c000,1\"");
                    continue;
                }
                IomemRange io = r.get();
                if (io.pages() == 0) {
                    error(s.location(), "iomem range \"" + s.utf8() + "\" has no pages", "Xen refuses an empty range when the domain is built");
                    continue;
                }
                if (Long.compareUnsigned(io.startPfn() + io.pages() - 1, io.startPfn()) < 0
                        || Long.compareUnsigned(io.gfn() + io.pages() - 1, io.gfn()) < 0) {
                    error(s.location(), "iomem range \"" + s.utf8() + "\" wraps around the address space");
                    continue;
                }
                iomem.add(io);
            }
        });
    }

    /**
     * xl's {@code sscanf(buf, "%lx,%lx%n@%lx%n", &start, &number, &used, &gfn, &used)} with
     * {@code ret >= 2 && buf[used] == 0}; the gfn defaults to the start (libxl).
     */
    public static Optional<IomemRange> parseIomem(String buf) {
        CNumbers.Conversion a = CNumbers.scanHex(buf, 0);
        if (!a.digits()) return Optional.empty();
        int p = a.end();
        if (p >= buf.length() || buf.charAt(p) != ',') return Optional.empty();
        CNumbers.Conversion b = CNumbers.scanHex(buf, p + 1);
        if (!b.digits()) return Optional.empty();
        int used = b.end();
        long gfn = a.value();
        if (used < buf.length() && buf.charAt(used) == '@') {
            CNumbers.Conversion c = CNumbers.scanHex(buf, used + 1);
            if (c.digits()) {
                used = c.end();
                gfn = c.value();
            }
        }
        if (used != buf.length()) return Optional.empty();
        return Optional.of(new IomemRange(a.value(), b.value(), gfn));
    }

    private void readNrSpis() {
        OptionalLong v = number("nr_spis");
        if (v.isPresent() && (v.getAsLong() < 0 || v.getAsLong() > DomainConfig.MAX_SPIS)) {
            error(at("nr_spis"), "'nr_spis' must be between 0 and " + DomainConfig.MAX_SPIS + ", not " + v.getAsLong(),
                    "a guest has at most " + DomainConfig.MAX_SPIS + " SPIs");
            return;
        }
        nrSpis = v;
    }

    // ---- checks -------------------------------------------------------------------

    private void checkMaxVcpus() {
        if (maxvcpus.isPresent() && vcpus.isPresent() && maxvcpus.getAsLong() < vcpus.getAsLong()) {
            error(at("maxvcpus"), "xl: maxvcpus < vcpus", "maxvcpus (" + maxvcpus.getAsLong() + ") must be at least vcpus (" + vcpus.getAsLong() + ")");
        }
    }

    private void checkMaxMem() {
        if (maxmem.isPresent() && memory.isPresent() && maxmem.getAsLong() < memory.getAsLong()) {
            error(at("maxmem"), "maxmem (" + maxmem.getAsLong() + " MiB) is smaller than memory (" + memory.getAsLong() + " MiB)",
                    "maxmem is the most the guest may have; leave it out to use memory");
        }
    }

    private void checkKernel() {
        if (type == DomainType.PVH && kernel.isEmpty() && !cfg.has("bootloader") && !cfg.has("kernel")) {
            error(fileStart(), "Neither kernel nor bootloader specified", "add: kernel = \"/path/to/Image\"");
        }
    }

    /** libxl__domain_config_setdefault and libxl__arch_passthrough_mode_setdefault (Arm). */
    private void checkPassthrough() {
        boolean needPt = !dtdevs.isEmpty() || cfg.list("pci").optional().map(l -> !l.items().isEmpty()).orElse(false);
        Passthrough p = passthrough;
        if (p == Passthrough.DEFAULT) p = needPt ? Passthrough.ENABLED : Passthrough.DISABLED;
        if (p == Passthrough.DISABLED && needPt) {
            error(at("passthrough"), "passthrough disabled but devices are specified",
                    "remove passthrough = \"disabled\" or the dtdev/pci entries");
        }
        if (p == Passthrough.ENABLED) p = Passthrough.SHARE_PT;
        if (p == Passthrough.SYNC_PT) {
            error(at("passthrough"), "passthrough=\"sync_pt\" not supported on ARM", "use \"enabled\" or \"share_pt\"");
        }
        passthrough = p;
    }

    private void checkVuartIrq() {
        if (vuart == Vuart.SBSA_UART) irqConflict(GuestMemoryMap.VPL011_SPI, "pl011", "vuart = \"sbsa_uart\"");
    }

    private void checkVsmmuIrq() {
        if (viommu == Viommu.SMMUV3) irqConflict(GuestMemoryMap.VSMMU_SPI, "vSMMUv3", "viommu = \"smmuv3\"");
    }

    /** libxl's "Physical IRQ %u conflicting with ... SPI" for an emulated device's SPI. */
    private void irqConflict(int spi, String device, String setting) {
        for (int i = 0; i < irqs.size(); i++) {
            if (irqs.get(i) == spi) {
                error(irqLocations.get(i), "Physical IRQ " + spi + " conflicting with " + device + " SPI", setting + " takes guest SPI " + spi);
            }
        }
    }

    /** libxl__arch_domain_prepare_config's SPI count (vuart, vSMMUv3 series, IRQs). */
    private void checkNrSpis() {
        long needed = 0;
        if (vuart == Vuart.SBSA_UART) needed += (GuestMemoryMap.VPL011_SPI - 32) + 1;
        if (viommu == Viommu.SMMUV3) needed += (GuestMemoryMap.VSMMU_SPI - 32) + 1;
        for (int irq : irqs) needed = Math.max(needed, irq - 32 + 1);
        if (nrSpis.isPresent()) {
            if (needed > nrSpis.getAsLong()) {
                error(at("nr_spis"), "Provided nr_spis value is too small (minimum required " + needed + ")",
                        "leave nr_spis out to let libxl compute it");
            }
            effectiveNrSpis = (int) nrSpis.getAsLong();
        } else {
            effectiveNrSpis = (int) Math.min(needed, DomainConfig.MAX_SPIS);
        }
    }

    private void checkGicv2Vcpus() {
        long max = maxvcpus.orElse(vcpus.orElse(1));
        if (gicVersion == GicVersion.V2 && max > DomainConfig.GICV2_MAX_VCPUS) {
            error(at("gic_version"), "a GICv2 guest can have at most " + DomainConfig.GICV2_MAX_VCPUS + " vCPUs, not " + max,
                    "Xen refuses to create the domain; use gic_version = \"v3\" or fewer vCPUs");
        }
    }

    private void checkViommuIommu() {
        if (viommu == Viommu.SMMUV3 && passthrough == Passthrough.DISABLED) {
            warning(at("viommu"), "viommu = \"smmuv3\" but the guest has no passthrough devices",
                    "Xen (series v3) gives a vIOMMU only to a domain with an IOMMU context (XEN_DOMCTL_CDF_iommu): add dtdev entries or passthrough = \"enabled\"");
        }
    }

    private void checkUnknownKeys() {
        Set<String> seen = new HashSet<>();
        Map<String, Setting> firsts = new LinkedHashMap<>();
        for (Setting s : cfg.settings()) {
            if (!XlKeys.isKnown(s.name()) && !extraKeys.contains(s.name()) && seen.add(s.name())) firsts.put(s.name(), s);
        }
        for (Setting s : firsts.values()) {
            Optional<String> near = XlKeys.suggest(s.name());
            String[] hints = near.map(n -> new String[] {"did you mean '" + n + "'?"})
                    .orElse(new String[] {"xl ignores settings it does not know"});
            report(Severity.WARNING, s.location(), "unknown setting '" + s.name() + "' (xl ignores it)", hints);
        }
    }
}
