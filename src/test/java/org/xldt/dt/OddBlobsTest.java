package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xldt.Tools;

/** Valid blobs that dtc never writes itself: xldt reads and rewrites them exactly as dtc does. */
class OddBlobsTest {

    static Map<String, byte[]> oddBlobs() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("nops inside nodes", new BlobBuilder().begin("").nop().prop("a", "1").nop().begin("c").nop().end().nop().end().finish().build());
        m.put("property after a subnode", new BlobBuilder().begin("").prop("a", "1").begin("c").prop("x", "y").end().prop("late", "2")
                .begin("d").end().prop("later", new byte[] {0, 0, 0, 7}).end().finish().build());
        BlobBuilder boot = new BlobBuilder().begin("").prop("model", "m").end().finish().reserve(0x1000, 0x2000).reserve(0, 0x10);
        boot.bootCpuid = 0x80000101;
        m.put("boot cpu and reserves", boot.build());
        BlobBuilder v16 = new BlobBuilder().begin("").prop("compatible", "a").begin("n@1").prop("reg", new byte[] {0, 0, 0, 1}).end().end().finish();
        v16.version = 16;
        m.put("version 16", v16.build());
        BlobBuilder padded = new BlobBuilder().begin("").prop("a", "b").end().finish();
        padded.pad = 1000;
        m.put("padded", padded.build());
        m.put("unused and unshared strings", new BlobBuilder().begin("").prop("bootargs", "x").prop("xen,xen-bootargs", "y")
                .prop("bootargs", "z").end().finish().string("unused").build());
        m.put("duplicate names", new BlobBuilder().begin("").prop("a", "1").prop("a", "1").begin("n").end().begin("n").end().end().finish().build());
        m.put("empty and odd node names", new BlobBuilder().begin("").begin("").end().begin("a@b@c").end().begin("\u00e9\u0001").end().end().finish().build());
        return m;
    }

    @Test
    void dtsAndDtbMatchDtc() {
        String dtc = Tools.dtc();
        for (Map.Entry<String, byte[]> e : oddBlobs().entrySet()) {
            Tools.Result dts = Tools.run(Tools.cmd(dtc, "-q", "-f", "-I", "dtb", "-O", "dts", "-"), e.getValue());
            Tools.Result dtb = Tools.run(Tools.cmd(dtc, "-q", "-f", "-I", "dtb", "-O", "dtb", "-"), e.getValue());
            assertEquals(0, dts.exit(), e.getKey() + ": " + dts.stderr());
            assertEquals(0, dtb.exit(), e.getKey() + ": " + dtb.stderr());
            DeviceTree t = DtbReader.read(e.getValue(), "odd.dtb");
            assertEquals(new String(dts.stdout(), StandardCharsets.ISO_8859_1), DtsWriter.write(t), e.getKey());
            assertArrayEquals(dtb.stdout(), DtbWriter.write(t), e.getKey());
        }
    }
}
