package org.xldt.xen;

import java.nio.file.Path;
import java.util.Locale;
import org.xldt.xen.Dom0lessBuilder.Kind;
import org.xldt.xen.Dom0lessBuilder.Module;

/**
 * The U-Boot script source of a dom0less boot, as ImageBuilder's {@code uboot-script-gen} writes
 * it but without {@code fdt} edits (the DTB xldt writes is complete): one
 * {@code LOAD_CMD ADDRESS FILE} per binary in load order, {@code setenv fdt_high
 * 0xffffffffffffffff} (no DTB relocation), then {@code booti XEN - DTB}. Addresses are printed as
 * ImageBuilder prints them ({@code 0x%X}); file names are relative to {@code base} (ImageBuilder's
 * {@code -d} directory, the root U-Boot loads from). Turn it into a script image with
 * {@code mkimage -A arm64 -T script -C none -d FILE boot.scr}.
 */
public final class UbootScript {
    private UbootScript() {
    }

    /** The script text; {@code out} must contain the Xen image and the host DTB. */
    public static String write(Dom0lessBuilder.Output out, String loadCmd, Path base, String systemName) {
        Module xen = find(out, Kind.XEN);
        Module dtb = find(out, Kind.HOST_DTB);
        if (xen == null) throw new IllegalArgumentException("no Xen image");
        StringBuilder sb = new StringBuilder();
        sb.append("# U-Boot script made by xldt dom0less from ").append(systemName).append('\n');
        sb.append("# build it: mkimage -A arm64 -T script -C none -d THIS_FILE boot.scr\n");
        sb.append("# run it:   ").append(loadCmd).append(' ').append(hex(out.scriptAddress())).append(" boot.scr; source ")
                .append(hex(out.scriptAddress())).append('\n');
        for (Module m : out.modules()) {
            sb.append(loadCmd).append(' ').append(hex(m.address())).append(' ').append(relative(base, m.file())).append('\n');
        }
        sb.append("setenv fdt_high 0xffffffffffffffff\n");
        sb.append("booti ").append(hex(xen.address())).append(" - ").append(hex(dtb.address())).append('\n');
        return sb.toString();
    }

    private static Module find(Dom0lessBuilder.Output out, Kind kind) {
        for (Module m : out.modules()) if (m.kind() == kind) return m;
        return null;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(Locale.ROOT);
    }

    private static String relative(Path base, Path file) {
        Path b = base.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        try {
            return b.relativize(f).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return f.toString();
        }
    }
}
