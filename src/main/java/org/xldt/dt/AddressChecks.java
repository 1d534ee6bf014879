package org.xldt.dt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks on addressing: {@code #address-cells}/{@code #size-cells}, {@code reg}, {@code ranges},
 * unit addresses, and the bus bridges (PCI, simple-bus, I2C, SPI) that give unit addresses a form.
 */
final class AddressChecks {
    private AddressChecks() {
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }

    /** True if the node's parent is a bus of that kind (dtc's {@code node->parent->bus}). */
    private static boolean onBus(CheckContext ctx, Node node, CheckContext.Bus bus) {
        return !node.isRoot() && ctx.bus(node.parent()) == bus;
    }

    static void addrSizeCells(CheckContext ctx, Node node) {
        Property a = ctx.prop(node, "#address-cells");
        Property s = ctx.prop(node, "#size-cells");
        // dtc keeps these in an int: 0xffffffff reads as -1, "absent"
        ctx.setCells(node, a == null ? -1 : (int) CheckContext.cellOr0(a, 0), s == null ? -1 : (int) CheckContext.cellOr0(s, 0));
    }

    static void regFormat(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "reg");
        if (p == null) return;
        if (node.isRoot()) {
            ctx.fail(node, "Root node has a \"reg\" property");
            return;
        }
        if (p.length() == 0) ctx.failProp(node, p, "property is empty");
        int ac = ctx.addrCells(node.parent());
        int sc = ctx.sizeCells(node.parent());
        int entry = (ac + sc) * 4;
        if (!CheckContext.isMultipleOf(p.length(), entry)) {
            ctx.failProp(node, p, "property has invalid length (" + p.length() + " bytes) (#address-cells == " + ac
                    + ", #size-cells == " + sc + ")");
        }
    }

    static Check.Fn rangesFormat(String ranges) {
        return (ctx, node) -> {
            Property p = ctx.prop(node, ranges);
            if (p == null) return;
            if (node.isRoot()) {
                ctx.failProp(node, p, "Root node has a \"" + ranges + "\" property");
                return;
            }
            Node parent = node.parent();
            int pa = ctx.addrCells(parent);
            int ps = ctx.sizeCells(parent);
            int ca = ctx.addrCells(node);
            int cs = ctx.sizeCells(node);
            int entry = (pa + ca + cs) * 4;
            if (p.length() == 0) {
                if (pa != ca) {
                    ctx.failProp(node, p, "empty \"" + ranges + "\" property but its #address-cells (" + ca + ") differs from "
                            + parent.path() + " (" + pa + ")");
                }
                if (ps != cs) {
                    ctx.failProp(node, p, "empty \"" + ranges + "\" property but its #size-cells (" + cs + ") differs from "
                            + parent.path() + " (" + ps + ")");
                }
            } else if (!CheckContext.isMultipleOf(p.length(), entry)) {
                ctx.failProp(node, p, "\"" + ranges + "\" property has invalid length (" + p.length()
                        + " bytes) (parent #address-cells == " + pa + ", child #address-cells == " + ca + ", #size-cells == " + cs + ")");
            }
        };
    }

    static void unitAddressVsReg(CheckContext ctx, Node node) {
        if (node.child("__overlay__") != null) return; // overlay fragments are special
        Property p = ctx.prop(node, "reg");
        if (p == null) {
            p = ctx.prop(node, "ranges");
            if (p != null && p.length() == 0) p = null;
        }
        boolean unit = !node.unitAddress().isEmpty();
        if (p != null && !unit) ctx.fail(node, "node has a reg or ranges property, but no unit name");
        if (p == null && unit) ctx.fail(node, "node has a unit name, but no reg or ranges property");
    }

    static void unitAddressFormat(CheckContext ctx, Node node) {
        if (!node.isRoot() && ctx.bus(node.parent()) != null) return; // the bus checks know better
        String unit = node.unitAddress();
        if (unit.isEmpty()) return;
        if (unit.startsWith("0x")) {
            ctx.fail(node, "unit name should not have leading \"0x\"");
            unit = unit.substring(2);
        }
        if (unit.length() >= 2 && unit.charAt(0) == '0' && Character.digit(unit.charAt(1), 16) >= 0 && unit.charAt(1) < 0x80) {
            ctx.fail(node, "unit name should not have leading 0s");
        }
    }

    // ---- PCI -----------------------------------------------------------------------------------------

    static void pciBridge(CheckContext ctx, Node node) {
        Property dt = ctx.prop(node, "device_type");
        if (dt == null || !CheckContext.cString(dt).equals("pci")) return;
        ctx.setBus(node, CheckContext.Bus.PCI);
        String base = node.baseName();
        if (!base.equals("pci") && !base.equals("pcie")) ctx.fail(node, "node name is not \"pci\" or \"pcie\"");
        if (ctx.prop(node, "ranges") == null) ctx.fail(node, "missing ranges for PCI bridge (or not a bridge)");
        if (ctx.addrCells(node) != 3) ctx.fail(node, "incorrect #address-cells for PCI bridge");
        if (ctx.sizeCells(node) != 2) ctx.fail(node, "incorrect #size-cells for PCI bridge");
        Property br = ctx.prop(node, "bus-range");
        if (br == null) return;
        if (br.length() != 8) {
            ctx.failProp(node, br, "value must be 2 cells");
            return;
        }
        if (br.cell(0) > br.cell(1)) ctx.failProp(node, br, "1st cell must be less than or equal to 2nd cell");
        if (br.cell(1) > 0xff) ctx.failProp(node, br, "maximum bus number must be less than 256");
    }

    static void pciDeviceBusNum(CheckContext ctx, Node node) {
        if (!onBus(ctx, node, CheckContext.Bus.PCI)) return;
        Property reg = ctx.prop(node, "reg");
        if (reg == null) return;
        long busNum = (CheckContext.cellOr0(reg, 0) & 0x00ff0000L) >> 16;
        Property br = ctx.prop(node.parent(), "bus-range");
        long min = br == null ? 0 : CheckContext.cellOr0(br, 0);
        long max = min; // dtc 1.6.1 reads the maximum from the first cell too
        if (busNum < min || busNum > max) {
            // dtc names the parent's bus-range property on this node's path
            ctx.failProp(node, br, "PCI bus number " + busNum + " out of range, expected (" + (int) min + " - " + (int) max + ")");
        }
    }

    static void pciDeviceReg(CheckContext ctx, Node node) {
        if (!onBus(ctx, node, CheckContext.Bus.PCI)) return;
        Property p = ctx.prop(node, "reg");
        if (p == null) return;
        if (CheckContext.cellOr0(p, 1) != 0 || CheckContext.cellOr0(p, 2) != 0) {
            ctx.failProp(node, p, "PCI reg config space address cells 2 and 3 must be 0");
        }
        long reg = CheckContext.cellOr0(p, 0);
        long dev = (reg & 0xf800) >> 11;
        long func = (reg & 0x700) >> 8;
        if ((reg & 0xff000000L) != 0) ctx.failProp(node, p, "PCI reg address is not configuration space");
        if ((reg & 0xff) != 0) ctx.failProp(node, p, "PCI reg config space address register number must be 0");
        String unit = node.unitAddress();
        if (func == 0 && unit.equals(hex(dev))) return;
        String expected = hex(dev) + "," + hex(func);
        if (!unit.equals(expected)) ctx.fail(node, "PCI unit address format error, expected \"" + expected + "\"");
    }

    // ---- simple-bus ------------------------------------------------------------------------------------

    /** dtc's {@code node_is_compatible}: one of the NUL-separated strings equals {@code compat}. */
    static boolean isCompatible(CheckContext ctx, Node node, String compat) {
        Property p = ctx.prop(node, "compatible");
        if (p == null) return false;
        int start = 0;
        for (int i = 0; i <= p.length(); i++) {
            if (i == p.length() || p.byteAt(i) == 0) {
                if (i - start == compat.length()) {
                    boolean eq = true;
                    for (int k = 0; eq && k < compat.length(); k++) eq = (p.byteAt(start + k) & 0xff) == compat.charAt(k);
                    if (eq) return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    static void simpleBusBridge(CheckContext ctx, Node node) {
        if (isCompatible(ctx, node, "simple-bus")) ctx.setBus(node, CheckContext.Bus.SIMPLE);
    }

    static void simpleBusReg(CheckContext ctx, Node node) {
        if (!onBus(ctx, node, CheckContext.Bus.SIMPLE)) return;
        Property src = null;
        int start = 0;
        Property reg = ctx.prop(node, "reg");
        if (reg != null) {
            if (reg.length() > 0) src = reg;
        } else {
            Property ranges = ctx.prop(node, "ranges");
            if (ranges != null && ranges.length() > 0) {
                src = ranges;
                start = ctx.addrCells(node); // skip the child address
            }
        }
        if (src == null) {
            if (!node.parent().isRoot() && ctx.bus(node) != CheckContext.Bus.SIMPLE) {
                ctx.fail(node, "missing or empty reg/ranges property");
            }
            return;
        }
        long addr = 0;
        int n = ctx.addrCells(node.parent());
        for (int i = 0; i < n; i++) addr = (addr << 32) | CheckContext.cellOr0(src, start + i);
        String expected = hex(addr);
        if (!node.unitAddress().equals(expected)) {
            ctx.fail(node, "simple-bus unit address format error, expected \"" + expected + "\"");
        }
    }

    // ---- I2C and SPI ---------------------------------------------------------------------------------

    private static final long I2C_OWN_SLAVE_ADDRESS = 1L << 30;
    private static final long I2C_TEN_BIT_ADDRESS = 1L << 31;

    static void i2cBusBridge(CheckContext ctx, Node node) {
        String base = node.baseName();
        // dtc also looks for an "i2c-bus" child of an "i2c" node, but compares with the wrong
        // length and never finds one: every "i2c" node is a bus
        if (!base.equals("i2c-bus") && !base.equals("i2c-arb") && !base.equals("i2c")) return;
        ctx.setBus(node, CheckContext.Bus.I2C);
        if (node.childList().isEmpty()) return;
        if (ctx.addrCells(node) != 1) ctx.fail(node, "incorrect #address-cells for I2C bus");
        if (ctx.sizeCells(node) != 0) ctx.fail(node, "incorrect #size-cells for I2C bus");
    }

    static void i2cBusReg(CheckContext ctx, Node node) {
        if (!onBus(ctx, node, CheckContext.Bus.I2C)) return;
        Property p = ctx.prop(node, "reg");
        if (p == null || p.length() == 0) {
            ctx.fail(node, "missing or empty reg property");
            return;
        }
        long reg = CheckContext.cellOr0(p, 0) & ~I2C_OWN_SLAVE_ADDRESS;
        String expected = hex(reg);
        if (!node.unitAddress().equals(expected)) {
            ctx.fail(node, "I2C bus unit address format error, expected \"" + expected + "\"");
        }
        for (int i = 0; i * 4 < p.length(); i++) {
            reg = CheckContext.cellOr0(p, i) & ~I2C_OWN_SLAVE_ADDRESS;
            // dtc 1.6.1: a 10-bit address within range still falls through to the 7-bit test
            if ((reg & I2C_TEN_BIT_ADDRESS) != 0 && (reg & ~I2C_TEN_BIT_ADDRESS) > 0x3ff) {
                ctx.failProp(node, p, "I2C address must be less than 10-bits, got \"0x" + hex(reg) + "\"");
            } else if (reg > 0x7f) {
                ctx.failProp(node, p, "I2C address must be less than 7-bits, got \"0x" + hex(reg)
                        + "\". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property");
            }
        }
    }

    static void spiBusBridge(CheckContext ctx, Node node) {
        if (node.baseName().equals("spi")) {
            ctx.setBus(node, CheckContext.Bus.SPI);
        } else {
            // an SPI bus without the proper name: children with spi- properties
            if (ctx.addrCells(node) != 1 || ctx.sizeCells(node) != 0) return;
            outer:
            for (Node child : node.childList()) {
                for (Property p : ctx.props(child)) {
                    if (p.name().startsWith("spi-")) {
                        ctx.setBus(node, CheckContext.Bus.SPI);
                        break outer;
                    }
                }
            }
            if (ctx.bus(node) == CheckContext.Bus.SPI && ctx.prop(node, "reg") != null) {
                ctx.fail(node, "node name for SPI buses should be 'spi'");
            }
        }
        if (ctx.bus(node) != CheckContext.Bus.SPI || node.childList().isEmpty()) return;
        int spiAddrCells = ctx.prop(node, "spi-slave") != null ? 0 : 1;
        if (ctx.addrCells(node) != spiAddrCells) ctx.fail(node, "incorrect #address-cells for SPI bus");
        if (ctx.sizeCells(node) != 0) ctx.fail(node, "incorrect #size-cells for SPI bus");
    }

    static void spiBusReg(CheckContext ctx, Node node) {
        if (!onBus(ctx, node, CheckContext.Bus.SPI)) return;
        if (ctx.prop(node.parent(), "spi-slave") != null) return;
        Property p = ctx.prop(node, "reg");
        if (p == null || p.length() == 0) {
            ctx.fail(node, "missing or empty reg property");
            return;
        }
        String expected = hex(CheckContext.cellOr0(p, 0));
        if (!node.unitAddress().equals(expected)) {
            ctx.fail(node, "SPI bus unit address format error, expected \"" + expected + "\"");
        }
    }

    // ---- style ---------------------------------------------------------------------------------------

    static void avoidDefaultAddrSize(CheckContext ctx, Node node) {
        if (node.isRoot()) return;
        if (ctx.prop(node, "reg") == null && ctx.prop(node, "ranges") == null) return;
        if (ctx.addrCellsRaw(node.parent()) == -1) ctx.fail(node, "Relying on default #address-cells value");
        if (ctx.sizeCellsRaw(node.parent()) == -1) ctx.fail(node, "Relying on default #size-cells value");
    }

    static void avoidUnnecessaryAddrSize(CheckContext ctx, Node node) {
        if (node.isRoot() || ctx.addrCellsRaw(node) < 0 || ctx.sizeCellsRaw(node) < 0) return;
        if (ctx.prop(node, "ranges") != null || node.childList().isEmpty()) return;
        for (Node child : node.childList()) if (ctx.prop(child, "reg") != null) return;
        ctx.fail(node, "unnecessary #address-cells/#size-cells without \"ranges\" or child \"reg\" property");
    }

    static boolean isDisabled(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "status");
        return p != null && p.length() > 0 && CheckContext.cString(p).equals("disabled");
    }

    static Check.Fn uniqueUnitAddress(boolean onlyEnabled) {
        return (ctx, node) -> {
            if (ctx.addrCellsRaw(node) < 0 || ctx.sizeCellsRaw(node) < 0) return;
            List<Node> children = node.childList();
            if (children.size() < 2) return;
            Map<String, List<Node>> earlier = new HashMap<>();
            for (Node a : children) {
                String addr = a.unitAddress();
                if (addr.isEmpty() || (onlyEnabled && isDisabled(ctx, a))) continue;
                List<Node> same = earlier.computeIfAbsent(addr, k -> new ArrayList<>(1));
                for (Node b : same) ctx.fail(b, "duplicate unit-address (also used in node " + a.path() + ")");
                same.add(a);
            }
        };
    }
}
