package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xldt.BadInputException;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.XlConfig;
import org.xldt.xlcfg.XlList;
import org.xldt.xlcfg.XlString;
import org.xldt.xlcfg.XlValue;

/**
 * The {@code virtio = [...]} devices of an xl.cfg file as xl's {@code parse_virtio_list} reads
 * them ({@code "type=virtio,device22,transport=mmio,backend=1,grant_usage=1"}): comma-separated
 * {@code KEY=VALUE} options, where a {@code type} starting with "virtio" swallows the next
 * comma-separated piece. Only reads; {@link LibxlGuestBuilder} places the devices. Also refuses
 * what xldt does not model: disks with {@code specification=virtio}.
 */
public final class VirtioConfig {
    private VirtioConfig() {
    }

    /** libxl's generic virtio type prefix, and the two types that get a subnode. */
    public static final String TYPE_GENERIC = "virtio,device";
    public static final String TYPE_I2C = "virtio,device22";
    public static final String TYPE_GPIO = "virtio,device29";

    /**
     * One virtio-mmio device.
     *
     * @param type       e.g. {@code virtio,device22}
     * @param backend    the backend domain as written ({@code backend=}), empty for dom0
     * @param backendId  its domain ID: 0 for dom0, the number when the backend is written as one,
     *                   empty when it is a name xldt cannot resolve offline
     * @param grantUsage {@code grant_usage}, by default true when the backend is not dom0 (libxl)
     * @param location   where the entry is written
     */
    public record Device(String type, Optional<String> backend, Optional<Long> backendId, boolean grantUsage, Location location) {
    }

    /** The devices of {@code virtio}, in order; a {@link BadInputException} at the entry for a bad one. */
    public static List<Device> read(XlConfig cfg) {
        List<Device> out = new ArrayList<>();
        Optional<XlList> list = cfg.list("virtio").optional();
        if (list.isEmpty()) return out;
        for (XlValue v : list.get().items()) {
            if (!(v instanceof XlString s)) throw new BadInputException(v.location().toString(), "virtio entries are strings");
            out.add(device(s));
        }
        return out;
    }

    private static Device device(XlString s) {
        String where = s.location().toString();
        List<String> tokens = new ArrayList<>();
        for (String t : s.utf8().split(",")) if (!t.isEmpty()) tokens.add(t); // strtok skips empty fields
        String type = null;
        String backend = null;
        String transport = null;
        Boolean grant = null;
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i).replaceFirst("^ +", "");
            int eq = tok.indexOf('=');
            String key = eq < 0 ? tok : tok.substring(0, eq);
            String arg = eq < 0 ? null : tok.substring(eq + 1);
            if (arg == null) throw new BadInputException(where, "Unknown string \"" + tok + "\" in virtio spec");
            switch (key) {
                case "type" -> {
                    if (arg.startsWith("virtio") && i + 1 < tokens.size()) arg = arg + "," + tokens.get(++i);
                    type = arg;
                }
                case "backend" -> backend = arg;
                case "transport" -> transport = arg;
                case "grant_usage" -> grant = parseUnsigned(arg) != 0;
                default -> throw new BadInputException(where, "Unknown string \"" + tok + "\" in virtio spec");
            }
        }
        if (type == null) throw new BadInputException(where, "virtio device without a type (type=virtio,deviceNN)");
        if (!type.startsWith(TYPE_GENERIC)) throw new BadInputException(where, "Invalid type for virtio device: " + type);
        if (transport == null) throw new BadInputException(where, "Unspecified transport for virtio (write transport=mmio)");
        if (!transport.toLowerCase(Locale.ROOT).equals("mmio")) {
            throw new BadInputException(where, "virtio transport \"" + transport + "\" is not supported: libxl gives Arm guests virtio-mmio (transport=mmio)");
        }
        Optional<Long> id;
        if (backend == null || backend.equals("Domain-0") || backend.equals("0")) {
            id = Optional.of(0L);
        } else if (backend.matches("\\d{1,5}")) {
            id = Optional.of(Long.parseLong(backend));
        } else {
            id = Optional.empty();
        }
        boolean grantUsage = grant != null ? grant : !id.equals(Optional.of(0L));
        if (grantUsage && id.isEmpty()) {
            throw new BadInputException(where, "backend \"" + backend + "\": xldt cannot look up a running domain's ID; write backend=DOMID");
        }
        return new Device(type, Optional.ofNullable(backend), id, grantUsage, s.location());
    }

    /** strtoul(s, NULL, 0): the number its leading digits make, 0 when there are none. */
    private static long parseUnsigned(String s) {
        return org.xldt.xlcfg.CNumbers.strtoul(s, 0).value();
    }

    /** Disks with {@code specification=virtio}, which xldt does not model: their locations. */
    public static List<Location> virtioDisks(XlConfig cfg) {
        List<Location> out = new ArrayList<>();
        cfg.list("disk").optional().ifPresent(l -> {
            for (XlString s : XlConfig.leadingStrings(l)) {
                if (s.utf8().replace(" ", "").contains("specification=virtio")) out.add(s.location());
            }
        });
        return out;
    }
}
