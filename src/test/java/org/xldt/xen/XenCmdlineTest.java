package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xldt.xen.XenCmdline.ViommuSyntax;

/** The Xen command line, read as xen/common/kernel.c parse_params and its helpers do. */
class XenCmdlineTest {
    @Test
    void splitsOnSpacesOnly() {
        XenCmdline c = XenCmdline.parse("  console=dtuart   dtuart=serial0\tx dom0_mem=1G ");
        assertEquals(List.of("console", "dtuart", "dom0_mem"), c.options().stream().map(XenCmdline.Option::key).toList());
        // a tab is not a separator for Xen
        assertEquals(Optional.of("serial0\tx"), c.string("dtuart"));
    }

    @Test
    void lastOccurrenceWins() {
        XenCmdline c = XenCmdline.parse("console=vga console=dtuart");
        assertEquals(Optional.of("dtuart"), c.string("console"));
        assertEquals(Optional.empty(), c.string("loglvl"));
    }

    @Test
    void parseBoolAcceptsXensWords() {
        for (String t : List.of("1", "yes", "true", "on", "enable")) assertEquals(1, XenCmdline.parseBool(t), t);
        for (String f : List.of("0", "no", "false", "off", "disable")) assertEquals(0, XenCmdline.parseBool(f), f);
        for (String bad : List.of("", "2", "Yes", "TRUE", "enabled", "y", "n", "of")) assertEquals(-1, XenCmdline.parseBool(bad), bad);
    }

    @Test
    void booleanParameters() {
        assertEquals(Optional.of(true), XenCmdline.parse("sync_console").bool("sync_console"));
        assertEquals(Optional.of(false), XenCmdline.parse("no-sync_console").bool("sync_console"));
        assertEquals(Optional.of(false), XenCmdline.parse("sync_console=off").bool("sync_console"));
        assertEquals(Optional.of(true), XenCmdline.parse("no-sync_console=0").bool("sync_console"));
        assertEquals(Optional.of(true), XenCmdline.parse("sync_console=").bool("sync_console"));
        assertEquals(Optional.empty(), XenCmdline.parse("console=dtuart").bool("sync_console"));
    }

    @Test
    void invalidBooleanIsReportedAndIgnored() {
        XenCmdline c = XenCmdline.parse("ext_regions=0 ext_regions=maybe");
        assertEquals(Optional.of(false), c.bool("ext_regions"));
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).isError());
        assertEquals(15, c.problems().get(0).location().column());
        assertTrue(c.problems().get(0).message().contains("has invalid value \"maybe\""));
    }

    @Test
    void sizesAsParseSizeAndUnit() {
        assertEquals(new XenCmdline.Size(1L << 30, 2), XenCmdline.parseSizeAndUnit("1G"));
        assertEquals(new XenCmdline.Size(512L << 20, 4), XenCmdline.parseSizeAndUnit("512m"));
        assertEquals(new XenCmdline.Size(2L << 40, 2), XenCmdline.parseSizeAndUnit("2T"));
        assertEquals(new XenCmdline.Size(4L << 10, 2), XenCmdline.parseSizeAndUnit("4k"));
        assertEquals(new XenCmdline.Size(100, 4), XenCmdline.parseSizeAndUnit("100b"));
        // no unit: kilobytes
        assertEquals(new XenCmdline.Size(512L << 10, 3), XenCmdline.parseSizeAndUnit("512"));
        // base 0 numbers
        assertEquals(new XenCmdline.Size(16L << 20, 5), XenCmdline.parseSizeAndUnit("0x10M"));
        assertEquals(new XenCmdline.Size(8L << 20, 4), XenCmdline.parseSizeAndUnit("010M"));
        // one unit letter only: "1GB" leaves the B
        assertEquals(new XenCmdline.Size(1L << 30, 2), XenCmdline.parseSizeAndUnit("1GB"));
        // '%' is not consumed nor scaled
        assertEquals(new XenCmdline.Size(50, 2), XenCmdline.parseSizeAndUnit("50%"));
        // "0x" without a digit: the 0 then an unknown unit 'x' (kilobytes)
        assertEquals(new XenCmdline.Size(0, 1), XenCmdline.parseSizeAndUnit("0x"));
    }

    @Test
    void sizeParameter() {
        assertEquals(OptionalLong.of(64L << 20), XenCmdline.parse("xenheap_megabytes=1 xenheap=64M").size("xenheap"));
        XenCmdline bad = XenCmdline.parse("xenheap=1GB");
        assertEquals(OptionalLong.empty(), bad.size("xenheap"));
        assertEquals(1, bad.problems().size());
    }

    @Test
    void integerParameter() {
        assertEquals(OptionalInt.of(2), XenCmdline.parse("dom0_max_vcpus=2").dom0MaxVcpus());
        assertEquals(OptionalInt.of(16), XenCmdline.parse("dom0_max_vcpus=0x10").dom0MaxVcpus());
        XenCmdline bad = XenCmdline.parse("dom0_max_vcpus=2x");
        assertEquals(OptionalInt.empty(), bad.dom0MaxVcpus());
        assertTrue(bad.problems().get(0).message().contains("invalid value \"2x\""));
        assertEquals(OptionalLong.of(-3), XenCmdline.parse("loglvl_x=-3").integer("loglvl_x"));
    }

    @Test
    void dom0MemOnArmAndX86Syntax() {
        XenCmdline.Dom0Mem plain = XenCmdline.parse("dom0_mem=1G").dom0Mem().orElseThrow();
        assertEquals(1L << 30, plain.armBytes());
        assertTrue(plain.armValid());

        XenCmdline c = XenCmdline.parse("console=dtuart dtuart=serial0 dom0_mem=1G,max:1G dom0_max_vcpus=2");
        XenCmdline.Dom0Mem m = c.dom0Mem().orElseThrow();
        // Xen on Arm takes the leading size and complains about the rest
        assertEquals(1L << 30, m.armBytes());
        assertFalse(m.armValid());
        assertEquals(1, c.problems().size());
        assertFalse(c.problems().get(0).isError());
        // the x86 reading
        assertEquals(Optional.of(new XenCmdline.Dom0Mem.Amount(false, 1L << 30, 0)), m.amount());
        assertEquals(Optional.of(new XenCmdline.Dom0Mem.Amount(false, 1L << 30, 0)), m.max());
        assertEquals(Optional.empty(), m.min());

        XenCmdline.Dom0Mem x = XenCmdline.Dom0Mem.parse("min:512M,max:-1G+10%,2G");
        assertEquals(Optional.of(new XenCmdline.Dom0Mem.Amount(false, 512L << 20, 0)), x.min());
        assertEquals(Optional.of(new XenCmdline.Dom0Mem.Amount(true, 1L << 30, 10)), x.max());
        assertEquals(Optional.of(new XenCmdline.Dom0Mem.Amount(false, 2L << 30, 0)), x.amount());
    }

    @Test
    void viommuAsRfcBoolean() {
        assertTrue(XenCmdline.parse("viommu").viommuEnabled());
        assertTrue(XenCmdline.parse("viommu=1").viommuEnabled());
        assertTrue(XenCmdline.parse("viommu=on").viommuEnabled(ViommuSyntax.BOOLEAN));
        assertFalse(XenCmdline.parse("viommu=on").viommuEnabled(ViommuSyntax.STRING));
        assertFalse(XenCmdline.parse("viommu=true no-viommu").viommuEnabled());
        assertFalse(XenCmdline.parse("viommu=0").viommuEnabled());
        assertFalse(XenCmdline.parse("console=dtuart").viommuEnabled());
    }

    @Test
    void viommuAsV3String() {
        assertTrue(XenCmdline.parse("viommu=smmuv3").viommuEnabled());
        assertTrue(XenCmdline.parse("viommu=smmuv3").viommuEnabled(ViommuSyntax.STRING));
        assertFalse(XenCmdline.parse("viommu=smmuv3").viommuEnabled(ViommuSyntax.BOOLEAN));
        // case-sensitive strcmp in Xen
        assertFalse(XenCmdline.parse("viommu=SMMUv3").viommuEnabled());
        // char viommu[10]: a longer value is cut and no longer matches anything useful
        assertEquals(Optional.of("smmuv3xyz"), XenCmdline.parse("viommu=smmuv3xyzw").string("viommu", 10));
        assertFalse(XenCmdline.parse("viommu=smmuv3xyzw").viommuEnabled());
        assertFalse(XenCmdline.parse("viommu=smmuv3 viommu=").viommuEnabled(ViommuSyntax.STRING));
    }

    @Test
    void quotedValuesKeepTheirQuotesForXen() {
        XenCmdline c = XenCmdline.parse("viommu=\"smmuv3\" console=dtuart");
        assertEquals(Optional.of("\"smmuv3\""), c.string("viommu"));
        assertFalse(c.viommuEnabled());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).message().contains("Xen keeps the quotes"));
    }

    @Test
    void quotedCommandLinesFromBootLoaderScripts() {
        XenCmdline c = XenCmdline.parseQuoted("console=dtuart viommu=\"smmuv3\" dom0_mem='1G' 'dtuart=serial0'");
        assertTrue(c.viommuEnabled());
        assertEquals(Optional.of("serial0"), c.string("dtuart"));
        assertEquals(1L << 30, c.dom0Mem().orElseThrow().armBytes());
        assertEquals(List.of(), c.problems());
        XenCmdline spaced = XenCmdline.parseQuoted("bootscrub=\"a b\"");
        assertTrue(spaced.problems().get(0).message().contains("contains a space"));
    }

    @Test
    void longOptionsAreCut() {
        String v = "x".repeat(200);
        XenCmdline c = XenCmdline.parse("k=" + v);
        assertEquals(XenCmdline.MAX_OPTION - 2, c.string("k").orElseThrow().length());
        assertEquals(1, c.problems().size());
    }
}
