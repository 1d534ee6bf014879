package org.xldt.xen;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.xldt.xen.Dom0lessDomain.Enhanced;
import org.xldt.xen.Dom0lessDomain.StaticBank;
import org.xldt.xlcfg.CNumbers;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.Diagnostics;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.Lookup;
import org.xldt.xlcfg.ParseResult;
import org.xldt.xlcfg.Setting;
import org.xldt.xlcfg.Severity;
import org.xldt.xlcfg.XlConfig;
import org.xldt.xlcfg.XlList;
import org.xldt.xlcfg.XlCfgReader;
import org.xldt.xlcfg.XlSource;
import org.xldt.xlcfg.XlString;
import org.xldt.xlcfg.XlValue;

/**
 * Reads a dom0less system file and the domU files it lists (all xl.cfg syntax, read by the same
 * {@link XlCfgReader}; each domU by the same {@link DomainConfigReader} as {@code xl create})
 * into a {@link Dom0lessSystem}, reporting every problem at its file, line and column. It only
 * reads configuration files: the host DTB and the binaries are read by {@link Dom0lessBuilder}.
 *
 * <p>Rules checked here: the keys of the system file, dom0 settings without {@code dom0_kernel}
 * (ImageBuilder refuses them too), the dom0less keys of each domU ({@code vpl011},
 * {@code xen_enhanced}, {@code direct_map}, {@code static_mem}), a kernel for every domU, two domUs
 * with the same name, and static memory banks that overlap (within a domU or across domUs).
 */
public final class Dom0lessReader {
    /** ImageBuilder's default Xen command line (its {@code dom0_*} options dropped without dom0). */
    public static final String DEFAULT_XEN_CMDLINE_DOM0 =
            "console=dtuart dtuart=serial0 dom0_mem=1024M dom0_max_vcpus=1 bootscrub=0 vwfi=native sched=null";
    public static final String DEFAULT_XEN_CMDLINE_DOM0LESS = "console=dtuart dtuart=serial0 bootscrub=0 vwfi=native sched=null";
    /** ImageBuilder's default load command. */
    public static final String DEFAULT_LOAD_CMD = "tftpb";
    /** ImageBuilder's {@code -t} aliases. */
    static final Map<String, String> LOAD_ALIASES = Map.of(
            "tftp", "tftpb", "sd", "load mmc 0:1", "scsi", "load scsi 0:1", "usb", "fatload usb 0:1", "virtio", "load virtio 0:1");

    /** How the reader gets file contents (tests may substitute it). */
    @FunctionalInterface
    public interface FileSource {
        byte[] read(Path path) throws IOException;

        /** Where {@code path} (a name as given) is, for what is relative to it (a DTS host's includes). */
        default Path locate(Path path) {
            return path;
        }
    }

    /**
     * The outcome.
     *
     * @param system      the system, or null when there are errors
     * @param diagnostics every error and warning, system file first, then each domU file
     */
    public record Result(Dom0lessSystem system, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean ok() {
            return system != null;
        }
    }

    private final FileSource files;
    private final Diagnostics diags = new Diagnostics();

    private Dom0lessReader(FileSource files) {
        this.files = files;
    }

    /** Reads {@code systemFile} (named in locations as given) and its domUs from the file system. */
    public static Result read(Path systemFile) {
        return read(systemFile, java.nio.file.Files::readAllBytes);
    }

    public static Result read(Path systemFile, FileSource files) {
        return new Dom0lessReader(files).readSystem(systemFile);
    }

    // ---- diagnostics -------------------------------------------------------------------------

    private void error(XlConfig cfg, Location at, String message, String... hints) {
        diags.add(new Diagnostic(Severity.ERROR, at, message, List.of(hints), cfg == null ? null : cfg.source().lineText(at), 1));
    }

    private void warning(XlConfig cfg, Location at, String message, String... hints) {
        diags.add(new Diagnostic(Severity.WARNING, at, message, List.of(hints), cfg == null ? null : cfg.source().lineText(at), 1));
    }

    /** Reads an xl.cfg file; null (with diagnostics) when it cannot be read or parsed. */
    private XlConfig parse(Path file, Location referencedAt, XlConfig referencedFrom) {
        byte[] bytes;
        try {
            bytes = files.read(file);
        } catch (NoSuchFileException e) {
            if (referencedAt == null) throw new org.xldt.BadInputException(file.toString(), "cannot read: no such file");
            error(referencedFrom, referencedAt, "cannot read " + file + ": no such file");
            return null;
        } catch (AccessDeniedException e) {
            if (referencedAt == null) throw new org.xldt.BadInputException(file.toString(), "cannot read: permission denied");
            error(referencedFrom, referencedAt, "cannot read " + file + ": permission denied");
            return null;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (referencedAt == null) throw new org.xldt.BadInputException(file.toString(), "cannot read: " + why);
            error(referencedFrom, referencedAt, "cannot read " + file + ": " + why);
            return null;
        }
        ParseResult r = XlCfgReader.read(XlSource.of(file.toString(), bytes));
        diags.addAll(r.diagnostics());
        return r.ok() ? r.config() : null;
    }

    // ---- the system file ---------------------------------------------------------------------------

    private Result readSystem(Path systemFile) {
        Result r = readSystemUnsorted(systemFile);
        // files in the order read, each file's diagnostics in text order
        List<String> order = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) if (!order.contains(d.location().source())) order.add(d.location().source());
        List<Diagnostic> sorted = new ArrayList<>(r.diagnostics());
        sorted.sort(java.util.Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.location().source()))
                .thenComparingInt(d -> d.location().line()).thenComparingInt(d -> d.location().column()));
        return new Result(r.system(), sorted);
    }

    private Result readSystemUnsorted(Path systemFile) {
        XlConfig cfg = parse(systemFile, null, null);
        if (cfg == null) return new Result(null, diags.all());
        Path dir = parentOf(systemFile);

        for (Setting s : firstOfEachName(cfg)) {
            if (!Dom0lessSystem.KEYS.contains(s.name())) {
                String near = nearest(s.name(), Dom0lessSystem.KEYS);
                warning(cfg, s.location(), "unknown setting '" + s.name() + "' in a dom0less system file (ignored)",
                        near != null ? "did you mean '" + near + "'?" : "system settings: " + String.join(", ", Dom0lessSystem.KEYS));
            }
        }

        Optional<String> hostDtb = string(cfg, "host_dtb");
        if (hostDtb.isEmpty() && !cfg.has("host_dtb")) {
            error(cfg, XlLocations.at(cfg, "host_dtb"), "no host_dtb: the system file must name the host device tree",
                    "add: host_dtb = \"board.dtb\" (relative to this file)");
        }
        Optional<String> xen = string(cfg, "xen");
        Optional<String> dom0Kernel = string(cfg, "dom0_kernel");
        Optional<String> dom0Ramdisk = string(cfg, "dom0_ramdisk");
        Optional<String> dom0Cmdline = string(cfg, "dom0_cmdline");
        OptionalLong dom0Mem = number(cfg, "dom0_mem", 1, Long.MAX_VALUE >> 20, "a positive number of MiB");
        OptionalLong dom0Vcpus = number(cfg, "dom0_vcpus", 1, GuestMemoryMap.MAX_VCPUS, "between 1 and " + GuestMemoryMap.MAX_VCPUS);
        if (dom0Kernel.isEmpty()) {
            for (String k : List.of("dom0_ramdisk", "dom0_cmdline", "dom0_mem", "dom0_vcpus")) {
                if (cfg.has(k)) {
                    error(cfg, XlLocations.at(cfg, k), "'" + k + "' without dom0_kernel: a system without dom0 takes no dom0 settings",
                            "add dom0_kernel = \"...\", or remove '" + k + "' for a true dom0less system");
                }
            }
        }
        String xenCmdline = xenCmdline(cfg, dom0Kernel.isPresent(), dom0Mem, dom0Vcpus);
        OptionalLong memStart = number(cfg, "memory_start", 0, Long.MAX_VALUE, "a non-negative address");
        OptionalLong memEnd = number(cfg, "memory_end", 1, Long.MAX_VALUE, "a positive address");
        if (memStart.isPresent() && memEnd.isPresent() && memEnd.getAsLong() <= memStart.getAsLong()) {
            error(cfg, XlLocations.at(cfg, "memory_end"), "memory_end (0x" + Long.toHexString(memEnd.getAsLong())
                    + ") is not above memory_start (0x" + Long.toHexString(memStart.getAsLong()) + ")");
        }
        String loadCmd = string(cfg, "load_cmd").map(c -> LOAD_ALIASES.getOrDefault(c, c)).orElse(DEFAULT_LOAD_CMD);

        List<Dom0lessDomain> domUs = new ArrayList<>();
        List<XlString> domuItems = List.of();
        Lookup<XlList> l = cfg.list("domus");
        if (l.ok()) {
            domuItems = XlConfig.leadingStrings(l.value());
            if (domuItems.size() < l.value().items().size()) {
                error(cfg, l.value().items().get(domuItems.size()).location(), "domus is a list of file names, not of lists");
            }
        } else if (!l.absent()) {
            error(cfg, l.setting().valueLocation(), "domus must be a list: domus = [ \"domu1.cfg\", ... ]");
        }
        if (domuItems.isEmpty() && dom0Kernel.isEmpty() && !diags.hasErrors()) {
            error(cfg, XlLocations.at(cfg, cfg.has("domus") ? "domus" : "dom0_kernel"),
                    "neither dom0_kernel nor any domU: there is nothing to boot",
                    "add domus = [ \"domu1.cfg\" ] and/or dom0_kernel = \"Image\"");
        }
        boolean hasDom0 = dom0Kernel.isPresent();
        Map<String, Dom0lessDomain> byName = new HashMap<>();
        for (XlString item : domuItems) {
            Path file = resolve(dir, item.utf8());
            XlConfig dcfg = parse(file, item.location(), cfg);
            if (dcfg == null) continue;
            Dom0lessDomain d = readDomain(file, dcfg, hasDom0);
            if (d == null) continue;
            Dom0lessDomain first = byName.putIfAbsent(d.name(), d);
            if (first != null) {
                error(dcfg, d.at("name"), "two domUs are named \"" + d.name() + "\": " + first.file() + " and " + file,
                        "Xen names each /chosen domain node after its domain; give each domU its own name");
                continue;
            }
            domUs.add(d);
        }
        checkStaticMemAcrossDomains(domUs);

        if (diags.hasErrors()) return new Result(null, diags.all());
        Dom0lessSystem.Dom0 dom0 = hasDom0
                ? new Dom0lessSystem.Dom0(resolve(dir, dom0Kernel.get()), dom0Ramdisk.map(r -> resolve(dir, r)), dom0Cmdline)
                : null;
        return new Result(new Dom0lessSystem(systemFile, cfg, resolve(dir, hostDtb.orElseThrow()), xen.map(x -> resolve(dir, x)), xenCmdline,
                Optional.ofNullable(dom0), memStart, memEnd, loadCmd, domUs), diags.all());
    }

    /** xen_cmdline (default ImageBuilder's) plus dom0_mem/dom0_vcpus, which must not be given twice. */
    private String xenCmdline(XlConfig cfg, boolean hasDom0, OptionalLong dom0Mem, OptionalLong dom0Vcpus) {
        Optional<String> given = string(cfg, "xen_cmdline");
        String cmd = given.orElse(hasDom0 ? DEFAULT_XEN_CMDLINE_DOM0 : DEFAULT_XEN_CMDLINE_DOM0LESS);
        XenCmdline parsed = XenCmdline.parse(cmd);
        if (dom0Mem.isPresent()) {
            if (given.isPresent() && parsed.has("dom0_mem")) {
                error(cfg, XlLocations.at(cfg, "dom0_mem"), "dom0_mem is given twice: here and in xen_cmdline",
                        "keep one of them");
            } else if (given.isPresent()) {
                cmd = cmd + " dom0_mem=" + dom0Mem.getAsLong() + "M";
            } else {
                cmd = cmd.replace("dom0_mem=1024M", "dom0_mem=" + dom0Mem.getAsLong() + "M");
            }
        }
        if (dom0Vcpus.isPresent()) {
            if (given.isPresent() && parsed.has("dom0_max_vcpus")) {
                error(cfg, XlLocations.at(cfg, "dom0_vcpus"), "dom0_vcpus is given twice: here and as dom0_max_vcpus in xen_cmdline",
                        "keep one of them");
            } else if (given.isPresent()) {
                cmd = cmd + " dom0_max_vcpus=" + dom0Vcpus.getAsLong();
            } else {
                cmd = cmd.replace("dom0_max_vcpus=1", "dom0_max_vcpus=" + dom0Vcpus.getAsLong());
            }
        }
        if (!hasDom0 && given.isPresent()) {
            for (String k : List.of("dom0_mem", "dom0_max_vcpus")) {
                if (parsed.has(k)) {
                    warning(cfg, XlLocations.at(cfg, "xen_cmdline"), "xen_cmdline sets " + k + " but the system has no dom0",
                            "Xen ignores it here; remove it");
                }
            }
        }
        return cmd;
    }

    private void checkStaticMemAcrossDomains(List<Dom0lessDomain> domUs) {
        for (int i = 0; i < domUs.size(); i++) {
            for (int j = 0; j < i; j++) {
                for (StaticBank b : domUs.get(i).staticMem()) {
                    for (StaticBank a : domUs.get(j).staticMem()) {
                        if (b.overlaps(a)) {
                            error(domUs.get(i).config().source(), b.location(), "static memory " + range(b.address(), b.size())
                                    + " of " + domUs.get(i).name() + " overlaps " + range(a.address(), a.size()) + " of "
                                    + domUs.get(j).name() + " (" + a.location() + ")",
                                    "each static memory bank belongs to one domain");
                        }
                    }
                }
            }
        }
    }

    // ---- a domU file -----------------------------------------------------------------------------

    private Dom0lessDomain readDomain(Path file, XlConfig cfg, boolean hasDom0) {
        int errorsBefore = diags.errors().size();
        DomainConfigReader.Result r = DomainConfigReader.read(cfg, Dom0lessDomain.KEYS);
        diags.addAll(r.diagnostics());
        Path dir = parentOf(file);

        // vpl011 / vuart
        Optional<Boolean> vpl011Key = bool(cfg, "vpl011");
        boolean sbsa = r.ok() && r.config().vuart() == DomainConfig.Vuart.SBSA_UART;
        if (vpl011Key.isPresent() && !vpl011Key.get() && sbsa) {
            error(cfg, XlLocations.at(cfg, "vpl011"), "vpl011 = 0 but vuart = \"sbsa_uart\" asks for the emulated PL011",
                    "remove one of them");
        }
        boolean vpl011 = vpl011Key.orElse(true);

        Enhanced enhanced = hasDom0 ? Enhanced.ENABLED : Enhanced.DISABLED;
        Lookup<String> en = cfg.string("xen_enhanced");
        if (en.ok()) {
            String v = en.value().toLowerCase(Locale.ROOT);
            Enhanced e = switch (v) {
                case "enabled", "1", "" -> Enhanced.ENABLED;
                case "no-xenstore" -> Enhanced.NO_XENSTORE;
                case "legacy" -> Enhanced.LEGACY;
                case "disabled", "0" -> Enhanced.DISABLED;
                default -> null;
            };
            if (e == null) {
                error(cfg, en.setting().valueLocation(), "unknown xen_enhanced value \"" + en.value() + "\"",
                        "allowed: \"enabled\" (or 1), \"no-xenstore\", \"legacy\", \"disabled\" (or 0)");
            } else {
                enhanced = e;
            }
        } else if (!en.absent()) {
            error(cfg, en.setting().valueLocation(), "xen_enhanced must be a single value");
        }

        if (!hasDom0 && (enhanced == Enhanced.ENABLED || enhanced == Enhanced.LEGACY)) {
            error(cfg, XlLocations.at(cfg, "xen_enhanced"), "xen_enhanced = \"" + enhanced.value() + "\" needs a xenstore domain, and this system has no dom0",
                    "Xen panics (\"xenstore requested, but xenstore domain not present\"); use \"no-xenstore\" or \"disabled\"");
        }
        List<StaticBank> banks = staticMem(cfg);
        Optional<Boolean> dm = bool(cfg, "direct_map");
        boolean directMap = dm.orElse(!banks.isEmpty());
        if (directMap && banks.isEmpty() && dm.isPresent()) {
            error(cfg, XlLocations.at(cfg, "direct_map"), "direct_map needs static_mem: a direct-mapped domain lives in the host memory given by static_mem",
                    "add static_mem = [ \"0x50000000,0x10000000\" ]");
        }

        if (!r.ok()) return null;
        DomainConfig dc = r.config();
        if (dc.kernel().isEmpty()) {
            error(cfg, XlLocations.at(cfg, "kernel"), "no kernel: a dom0less domU boots the kernel Xen loads for it",
                    "add: kernel = \"Image\" (relative to this file)");
        }
        if (!dc.name().matches("[A-Za-z][A-Za-z0-9,._+-]*")) {
            error(cfg, XlLocations.at(cfg, "name"), "domain name \"" + dc.name() + "\" cannot be a device-tree node name",
                    "the name becomes the /chosen/" + "NAME node: a letter, then letters, digits or , . _ + -");
        }
        if (dc.deviceTree().isPresent() && !dc.dtdevs().isEmpty()) {
            error(cfg, XlLocations.at(cfg, "device_tree"), "device_tree and dtdev together: xldt generates the partial device tree from dtdev",
                    "give either a ready partial device tree (device_tree) or the host devices (dtdev)");
        }
        long memKiB;
        if (!banks.isEmpty()) {
            long sum = banks.stream().mapToLong(StaticBank::size).sum();
            boolean memGiven = cfg.has("memory") || cfg.has("maxmem");
            if (memGiven && dc.memory().maxBytes() != sum) {
                error(cfg, XlLocations.at(cfg, cfg.has("maxmem") ? "maxmem" : "memory"),
                        "memory (" + dc.memory().maxMiB() + " MiB) differs from the static memory (" + (sum >> 20) + " MiB"
                                + ((sum & 0xfffff) != 0 ? " and " + ((sum & 0xfffff) >> 10) + " KiB" : "") + ")",
                        "Xen requires the domain's memory to equal the total of its static memory; leave memory out");
            }
            memKiB = sum >> 10;
        } else {
            memKiB = dc.memory().maxMiB() << 10;
        }
        for (String k : List.of("irqs", "cpus", "bootloader", "tee", "pci", "disk", "vif", "vfb", "vkb", "channel", "virtio", "p9")) {
            if (cfg.has(k)) {
                warning(cfg, XlLocations.at(cfg, k), "'" + k + "' has no dom0less equivalent and is ignored",
                        k.equals("irqs") ? "dom0less routes the interrupts of the dtdev devices (xen,path)" : "Xen builds dom0less domains from /chosen alone");
            }
        }
        if (diags.errors().size() > errorsBefore) return null;
        return new Dom0lessDomain(file, dc, resolve(dir, dc.kernel().get()), dc.ramdisk().map(f -> resolve(dir, f)), dc.deviceTree().map(f -> resolve(dir, f)),
                vpl011 || sbsa, enhanced, directMap, banks, memKiB);
    }

    /** static_mem = [ "ADDR,SIZE", ... ]: page-aligned, non-empty, not overlapping one another. */
    private List<StaticBank> staticMem(XlConfig cfg) {
        List<StaticBank> out = new ArrayList<>();
        Lookup<XlList> l = cfg.list("static_mem");
        if (l.absent()) return out;
        if (!l.ok()) {
            error(cfg, l.setting().valueLocation(), "static_mem must be a list: static_mem = [ \"0x50000000,0x10000000\" ]");
            return out;
        }
        for (XlValue v : l.value().items()) {
            if (!(v instanceof XlString s)) {
                error(cfg, v.location(), "static_mem is a list of \"ADDRESS,SIZE\" strings");
                continue;
            }
            String text = s.utf8();
            int comma = text.indexOf(',');
            CNumbers.Conversion a = comma < 0 ? null : CNumbers.strtoul(text.substring(0, comma), 0);
            CNumbers.Conversion b = comma < 0 ? null : CNumbers.strtoul(text.substring(comma + 1), 0);
            if (a == null || !a.complete(text.substring(0, comma)) || !b.complete(text.substring(comma + 1))) {
                error(cfg, s.location(), "bad static memory bank \"" + text + "\"", "write \"ADDRESS,SIZE\", e.g. \"0x50000000,0x10000000\"");
                continue;
            }
            long addr = a.value();
            long size = b.value();
            if (size <= 0 || addr < 0 || addr + size < addr) {
                error(cfg, s.location(), "static memory bank \"" + text + "\" is empty or wraps around");
                continue;
            }
            if ((addr & 0xfff) != 0 || (size & 0xfff) != 0) {
                error(cfg, s.location(), "static memory bank \"" + text + "\" is not page-aligned", "Xen maps whole 4 KiB pages");
                continue;
            }
            StaticBank bank = new StaticBank(addr, size, s.location());
            for (StaticBank o : out) {
                if (o.overlaps(bank)) {
                    error(cfg, s.location(), "static memory " + range(addr, size) + " overlaps " + range(o.address(), o.size()) + " (" + o.location() + ")");
                }
            }
            out.add(bank);
        }
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static String range(long addr, long size) {
        return "0x" + Long.toHexString(addr) + "-0x" + Long.toHexString(addr + size - 1);
    }

    /** The directory paths in {@code file} are relative to (kept relative when {@code file} is). */
    private static Path parentOf(Path file) {
        Path p = file.getParent();
        return p == null ? Path.of("") : p;
    }

    private static Path resolve(Path dir, String name) {
        return dir.resolve(name).normalize();
    }

    private Optional<String> string(XlConfig cfg, String key) {
        Lookup<String> l = cfg.string(key);
        if (l.ok()) return Optional.of(((XlString) l.setting().value()).utf8());
        if (!l.absent()) error(cfg, l.setting().valueLocation(), "'" + key + "' must be a single value, not a list");
        return Optional.empty();
    }

    private OptionalLong number(XlConfig cfg, String key, long min, long max, String what) {
        Lookup<Long> l = cfg.longValue(key);
        if (l.absent()) return OptionalLong.empty();
        if (!l.ok()) {
            error(cfg, l.setting().valueLocation(), l.warning().message(), "'" + key + "' must be " + what);
            return OptionalLong.empty();
        }
        if (l.value() < min || l.value() > max) {
            error(cfg, l.setting().valueLocation(), "'" + key + "' must be " + what + ", not " + l.value());
            return OptionalLong.empty();
        }
        return OptionalLong.of(l.value());
    }

    /** A 0/1 setting (libxlutil's defbool: any non-zero number is true). */
    private Optional<Boolean> bool(XlConfig cfg, String key) {
        Lookup<Boolean> l = cfg.defbool(key);
        if (l.ok()) return Optional.of(l.value());
        if (!l.absent()) error(cfg, l.setting().valueLocation(), l.warning().message(), "'" + key + "' is 0 or 1");
        return Optional.empty();
    }

    private static List<Setting> firstOfEachName(XlConfig cfg) {
        Set<String> seen = new LinkedHashSet<>();
        List<Setting> out = new ArrayList<>();
        for (Setting s : cfg.settings()) if (seen.add(s.name())) out.add(s);
        return out;
    }

    private static String nearest(String name, List<String> known) {
        String best = null;
        int bestD = 3;
        for (String k : known) {
            int d = XlKeys.distance(name.toLowerCase(Locale.ROOT), k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }
}
