package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, acceptance 2: each broken topology is caught, by exactly the check that should catch
 * it, with a reason a user understands; the checks it keeps from running are skipped, everything
 * else passes, and validate exits 1. Fixtures: {@code src/test/resources/validate/} (a guest tree
 * and its vSID map, broken by a few lines each; a host; a libxl guest; a dom0less system).
 */
class ValidateBrokenTest {
    static final String R = "src/test/resources/validate/";

    /** The checks that did not pass, as "domain device check result: reason". */
    static List<String> notPassed(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("validate", "--json"));
        all.addAll(List.of(args));
        XlCfgCliTest.Run r = XlCfgCliTest.xldt(all.toArray(String[]::new));
        assertEquals(1, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertTrue(!report.get("ok").asBoolean());
        List<String> out = new ArrayList<>();
        for (JsonNode row : report.get("rows")) {
            for (JsonNode c : row.get("checks")) {
                if (c.get("result").asText().equals("ok")) continue;
                out.add(row.get("domain").asText() + " " + row.get("device").asText() + " " + c.get("name").asText() + " "
                        + c.get("result").asText() + ": " + c.get("reason").asText());
            }
        }
        return out;
    }

    static List<String> skipped(String domain, String device, String cause, String... checks) {
        List<String> out = new ArrayList<>();
        for (String c : checks) out.add(domain + " " + device + " " + c + " skip: not run: the " + cause + " check failed");
        return out;
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>(List.of(first));
        out.addAll(rest);
        return out;
    }

    @Test
    void iommusPointingAtANodeThatIsNotAnIommu() throws IOException {
        assertEquals(concat("guest /passthrough/dma@9010000 iommu FAIL: iommus points at /interrupt-controller@3001000, which is not an IOMMU "
                + "(it has no #iommu-cells)", skipped("guest", "/passthrough/dma@9010000", "iommu", "psid", "psid-unique", "dma", "fault", "isolation")),
                notPassed("--guest-dtb", R + "broken-not-iommu.dts", "--sid-map", R + "guest.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void aVsidWithNoPsid() throws IOException {
        assertEquals(concat("guest /passthrough/ethernet@9030000 psid FAIL: vSID 0x77 has no physical stream: the toolstack gave the guest no "
                + "such vSID, so the device behind it cannot do DMA (Xen has no physical stream to program)",
                skipped("guest", "/passthrough/ethernet@9030000", "psid", "psid-unique", "dma", "fault", "isolation")),
                notPassed("--guest-dtb", R + "broken-vsid-without-psid.dts", "--sid-map", R + "guest.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void twoDomainsSharingAPsidGivenByTheirMaps() throws IOException {
        assertEquals(concat("other /passthrough/ethernet@9030000 psid-unique FAIL: pSID 0x20 of /iommu@2b400000 @0x2b400000 is already "
                + "assigned to /passthrough/ethernet@9030000 (vSID 0x1) of domain guest: one physical stream cannot belong to two devices or "
                + "domains (Xen refuses the second)", skipped("other", "/passthrough/ethernet@9030000", "psid-unique", "dma", "fault", "isolation")),
                notPassed("--guest-dtb", R + "guest.dts", "--sid-map", R + "guest.json", "--guest-dtb", R + "guest.dts", "--sid-map",
                        R + "broken-shared-psid.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void twoDomainsSharingAPsidBecauseTheHostGivesTwoDevicesOneStream() throws IOException {
        // dom0less: domU a gets /soc/dma@9010000, b /soc/shared@9040000; the host gives both stream 0x10
        assertEquals(concat("b /passthrough/shared@9040000 psid-unique FAIL: pSID 0x10 of /iommu@2b400000 @0x2b400000 is already assigned "
                + "to /passthrough/dma@9010000 (vSID 0x0) of domain a: one physical stream cannot belong to two devices or domains (Xen refuses "
                + "the second)", skipped("b", "/passthrough/shared@9040000", "psid-unique", "dma", "fault", "isolation")),
                notPassed("--system", R + "shared-sid/system.cfg"));
    }

    @Test
    void theVsmmuInterruptCollidingWithAPassthroughIrq() throws IOException {
        assertEquals(List.of("guest (domain) irq-unique FAIL: interrupt 33 is used by both /iommu@4040000 and /passthrough/dma@9010000 (the "
                + "vSMMU's event interrupt would be taken by the other device)"),
                notPassed("--guest-dtb", R + "broken-irq-vsmmu.dts", "--sid-map", R + "guest.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void thePassthroughIrqOfTheConfigurationCollidingWithTheVsmmu() throws IOException {
        // the tree is right, but the map routes physical SPI 33 to the guest (domain.irqs)
        assertEquals(List.of("guest (domain) irq-unique FAIL: interrupt 33 (src/test/resources/validate/broken-irqs.json: domain.irqs[0], "
                + "routed to a passed-through device) is also the vSMMU /iommu@4040000's: the vSMMU's event interrupt would be taken by the "
                + "passed-through device"),
                notPassed("--guest-dtb", R + "guest.dts", "--sid-map", R + "broken-irqs.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void aPassthroughDeviceWithoutIommus() throws IOException {
        // a libxl guest whose partial tree lacks ethernet's iommus; the host says it does DMA (stream 0x20)
        assertEquals(List.of("no-iommus (domain) passthrough-iommus FAIL: /passthrough/ethernet@9030000 does DMA (the host gives it stream "
                + "IDs) but has no iommus in the guest tree: Linux never attaches it to the vSMMU, so it gets no stage-1 translation"),
                notPassed(R + "no-iommus/guest.cfg", "--host", R + "host.dts"));
    }

    @Test
    void aStage2HoleUnderADmaBuffer() throws IOException {
        // the tree says 256 MiB of RAM, Xen's p2m (layout.ram_banks) maps 128 MiB: each device's last buffer is in the hole
        assertEquals(List.of("guest /passthrough/dma@9010000 dma FAIL: DMA write to IOVA 0x10001010 (buffer at IPA 0x4fffe000): stage-2 "
                + "F_TRANSLATION: the guest tree says there is RAM at IPA 0x4fffe000 but Xen's p2m maps nothing there (a stage-2 hole under the DMA "
                + "buffer)", "guest /passthrough/ethernet@9030000 dma FAIL: DMA write to IOVA 0x10001010 (buffer at IPA 0x4fffd000): stage-2 "
                + "F_TRANSLATION: the guest tree says there is RAM at IPA 0x4fffd000 but Xen's p2m maps nothing there (a stage-2 hole under the DMA "
                + "buffer)"),
                notPassed("--guest-dtb", R + "guest.dts", "--sid-map", R + "broken-stage2-hole.json", "--host-dtb", R + "host.dts"));
    }

    @Test
    void theUnbrokenFixturesPass() throws IOException {
        for (String[] args : List.of(new String[] {"--guest-dtb", R + "guest.dts", "--sid-map", R + "guest.json", "--host-dtb", R + "host.dts"},
                new String[] {"--guest-dtb", R + "guest.dts", "--sid-map", R + "guest.json", "--guest-dtb", R + "guest.dts", "--sid-map",
                    R + "other.json", "--host-dtb", R + "host.dts"})) {
            List<String> all = new ArrayList<>(List.of("validate"));
            all.addAll(List.of(args));
            XlCfgCliTest.Run r = XlCfgCliTest.xldt(all.toArray(String[]::new));
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().endsWith(": all " + (args.length > 6 ? 34 : 17) + " checks passed\n"), r.out());
        }
    }
}
