package org.xldt.xen;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The top-level setting names xl understands (every name {@code parse_config_data} in
 * {@code tools/xl/xl_parse.c} looks up, Xen 4.17 plus later upstream additions for Arm), and
 * the vSMMUv3 series' {@code viommu}. xl silently ignores any other name; {@code xldt check}
 * warns about them and suggests the nearest known name.
 */
public final class XlKeys {
    private static final Set<String> KNOWN = new TreeSet<>(List.of(
            // domain identity and type
            "name", "uuid", "type", "builder", "pool", "seclabel", "init_seclabel", "hap", "oos", "driver_domain",
            // memory and vCPUs
            "memory", "maxmem", "vcpus", "maxvcpus", "cpus", "cpus_soft", "vnuma", "shadow_memory", "videoram",
            "claim_mode", "max_grant_frames", "max_maptrack_frames", "max_grant_version", "transitive_grants",
            "max_event_channels", "cpu_weight", "cap", "period", "slice", "latency", "extratime",
            // boot
            "kernel", "ramdisk", "cmdline", "root", "extra", "device_tree", "bootloader", "bootloader_args", "firmware",
            "pvshim", "pvshim_path", "pvshim_cmdline", "pvshim_extra",
            // actions
            "on_poweroff", "on_reboot", "on_watchdog", "on_crash", "on_soft_reset",
            // devices
            "disk", "vif", "vif2", "vfb", "vkb", "vtpm", "p9", "pvcalls", "vdispl", "vsnd", "channel", "usbctrl", "usbdev",
            "pci", "pci_msitranslate", "pci_power_mgmt", "pci_permissive", "pci_seize", "rdm", "dtdev", "passthrough",
            "iomem", "ioports", "irqs", "virtio", "e820_host",
            // Arm
            "gic_version", "vuart", "nr_spis", "tee", "sve", "arm_sci", "trap_unmapped_accesses", "llc_colors", "vpmu",
            "viommu",
            // misc and x86
            "nomigrate", "tsc_mode", "rtc_timeoffset", "localtime", "vncviewer", "acpi", "timer_mode", "nestedhvm",
            "altp2m", "altp2mhvm", "vmtrace_buf_kb", "cpuid", "msr_relaxed", "xend_suspend_evtchn_compat",
            "dm_restrict", "device_model", "device_model_override", "device_model_version",
            "device_model_stubdomain_override", "device_model_stubdomain_seclabel", "device_model_user",
            "device_model_args", "device_model_args_pv", "device_model_args_hvm", "stubdomain_kernel",
            "stubdomain_ramdisk", "stubdomain_memory", "vnc", "vnclisten", "vncpasswd", "vncdisplay", "vncunused", "sdl",
            "opengl", "display", "xauthority", "keymap", "vga", "stdvga", "hdtype", "spice", "spiceport", "spicetls_port",
            "spicehost", "spicedisable_ticketing", "spicepasswd", "spiceagent_mouse", "spicevdagent",
            "spice_clipboard_sharing", "spiceusbredirection", "spice_image_compression", "spice_streaming_video",
            "nographic", "gfx_passthru", "serial", "boot", "usb", "usbversion", "usbdevice", "vkb_device", "soundhw",
            "xen_platform_pci", "vendor_device", "firmware_override", "bios_path_override", "bios", "pae", "acpi_s3",
            "acpi_s4", "acpi_laptop_slate", "nx", "hpet", "vpt_align", "apic", "viridian", "mmio_hole",
            "smbios_firmware", "acpi_firmware", "ms_vm_genid", "rdm_mem_boundary", "mca_caps"));

    private XlKeys() {
    }

    public static boolean isKnown(String name) {
        return KNOWN.contains(name);
    }

    public static Set<String> all() {
        return java.util.Collections.unmodifiableSet(KNOWN);
    }

    /** The known name closest to {@code name}, when it is a likely typo (edit distance &lt;= 2). */
    public static Optional<String> suggest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (KNOWN.contains(lower) && !lower.equals(name)) return Optional.of(lower);
        int limit = name.length() <= 4 ? 1 : 2;
        return KNOWN.stream()
                .map(k -> new Object[] {k, distance(lower, k)})
                .filter(p -> (int) p[1] <= limit)
                .min(Comparator.comparingInt((Object[] p) -> (int) p[1]).thenComparing(p -> (String) p[0]))
                .map(p -> (String) p[0]);
    }

    /** Damerau-Levenshtein distance (adjacent transpositions count one). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
