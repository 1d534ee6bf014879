package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;

/**
 * dom0's boot modules as Xen finds them in the host's {@code /chosen} (bootfdt's
 * {@code process_multiboot_node}): direct children compatible {@code multiboot,module} or
 * {@code xen,multiboot-module}, of kind kernel ({@code multiboot,kernel},
 * {@code xen,linux-zimage}), ramdisk ({@code multiboot,ramdisk}, {@code xen,linux-initrd}) or,
 * for the first two of unknown kind, kernel then ramdisk. A boot loader's
 * {@code linux,initrd-start}/{@code -end} in {@code /chosen} is a ramdisk too.
 *
 * @param kernel  the dom0 kernel module node, or null
 * @param hasInitrd whether dom0 has a ramdisk (Xen then writes initrd placeholders)
 */
public record Dom0Modules(Node kernel, boolean hasInitrd) {

    public static Dom0Modules of(DeviceTree tree) {
        Node chosen = tree.find("/chosen");
        if (chosen == null) return new Dom0Modules(null, false);
        Node kernel = null;
        boolean ramdisk = chosen.has("linux,initrd-start") && chosen.has("linux,initrd-end");
        List<Node> unknown = new ArrayList<>();
        for (Node c : chosen.children()) {
            if (!c.isCompatible("multiboot,module") && !c.isCompatible("xen,multiboot-module")) continue;
            if (c.isCompatible("multiboot,kernel") || c.isCompatible("xen,linux-zimage")) {
                if (kernel == null) kernel = c;
            } else if (c.isCompatible("multiboot,ramdisk") || c.isCompatible("xen,linux-initrd")) {
                ramdisk = true;
            } else if (!c.isCompatible("multiboot,device-tree") && !c.isCompatible("xen,xsm-policy")) {
                unknown.add(c);
            }
        }
        if (kernel == null && !unknown.isEmpty()) kernel = unknown.remove(0);
        if (!unknown.isEmpty()) ramdisk = true;
        return new Dom0Modules(kernel, ramdisk);
    }

    /** The kernel module's {@code bootargs}, or null. */
    public String kernelBootargs() {
        return kernel == null ? null : kernel.string("bootargs");
    }
}
