package org.xldt.xen;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.XlConfig;

/**
 * A dom0less system file (xl.cfg syntax) and its domUs, as {@link Dom0lessReader} reads them:
 * the host DTB, Xen's command line, the optional dom0 and the dom0less domains. Paths are
 * resolved against the system file's directory.
 *
 * @param file        the system file
 * @param source      its parsed settings (for locations)
 * @param hostDtb     {@code host_dtb}
 * @param xen         {@code xen}: the Xen image (needed for {@code --uboot-script}; placed after the
 *                    domUs' binaries, so it moves no other module)
 * @param xenCmdline  {@code xen_cmdline} (default ImageBuilder's), with {@code dom0_mem} and
 *                    {@code dom0_vcpus} appended as {@code dom0_mem=NM dom0_max_vcpus=N}
 * @param dom0        the dom0 kernel, ramdisk and command line; empty for a true dom0less system
 * @param memoryStart {@code memory_start}, if given (else the first host memory bank)
 * @param memoryEnd   {@code memory_end}, if given (else the end of the bank holding memory_start)
 * @param loadCmd     {@code load_cmd}: the U-Boot load command of the script (default {@code tftpb})
 * @param domUs       the domUs, in {@code domus} order
 */
public record Dom0lessSystem(
        Path file,
        XlConfig source,
        Path hostDtb,
        Optional<Path> xen,
        String xenCmdline,
        Optional<Dom0> dom0,
        OptionalLong memoryStart,
        OptionalLong memoryEnd,
        String loadCmd,
        List<Dom0lessDomain> domUs) {

    public Dom0lessSystem {
        domUs = List.copyOf(domUs);
    }

    /** The system setting names. */
    public static final List<String> KEYS = List.of("host_dtb", "xen", "xen_cmdline", "dom0_kernel", "dom0_ramdisk",
            "dom0_cmdline", "dom0_mem", "dom0_vcpus", "memory_start", "memory_end", "load_cmd", "domus");

    /**
     * dom0.
     *
     * @param kernel  {@code dom0_kernel}
     * @param ramdisk {@code dom0_ramdisk}
     * @param cmdline {@code dom0_cmdline}: written as {@code /chosen/xen,dom0-bootargs}; when absent
     *                Xen gives dom0 the host's {@code /chosen/bootargs}
     */
    public record Dom0(Path kernel, Optional<Path> ramdisk, Optional<String> cmdline) {
    }

    /** Where a setting is written, or the start of the file. */
    public Location at(String key) {
        return XlLocations.at(source, key);
    }

    /** Where item {@code index} of the list setting {@code key} is written (or the setting). */
    public Location itemAt(String key, int index) {
        return XlLocations.itemAt(source, key, index);
    }
}
