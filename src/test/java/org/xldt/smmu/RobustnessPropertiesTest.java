package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile inputs never escape as exceptions: decoders, commands, MMIO and DMA. */
class RobustnessPropertiesTest {

    @Property(tries = 2000)
    void steAndCdDecodingNeverThrows(@ForAll @Size(8) long[] words, @ForAll boolean e2h) {
        SmmuConfig c = SmmuConfig.builder().hyp(true).ssidSize(8).cd2l(true).build();
        words[0] |= 1; // V
        Checked<Ste> s = SteDecoder.decode(words, c, e2h);
        assertTrue(s.isOk() || s.illegal() != null);
        Checked<Cd> d = CdDecoder.decode(words, c, e2h ? StreamWorld.NS_EL2 : StreamWorld.NS_EL1);
        assertTrue(d.isOk() || d.illegal() != null);
    }

    @Property(tries = 300)
    void randomCommandsAndMemoryNeverThrow(@ForAll @Size(min = 1, max = 40) long[] cmdWords,
            @ForAll @Size(16) long[] table, @ForAll @IntRange(max = 0x3ff) int sid,
            @ForAll long iova, @ForAll boolean write) {
        Fixture f = new Fixture(SmmuConfig.builder().hyp(true).ssidSize(4).cd2l(true).build());
        // random STE and whatever its pointers reach
        long ste = f.drv.streamTable().steAddress(sid);
        f.mem.writeLongs(ste, table, 0, 8);
        f.mem.writeLongs(table[0] & 0xffff_ffff_ffc0L, table, 8, 8);
        for (int i = 0; i + 1 < cmdWords.length; i += 2) {
            long op = CmdLayout.OPCODE.get(cmdWords[i]);
            long[] c = {cmdWords[i] & (op < 0x80 ? ~0xff00L : -1L), cmdWords[i + 1]};
            f.drv.submit(c);
            if (f.drv.commandError() != 0) {
                f.mem.writeLongs(f.drv.cmdqBase() + 16 * (f.smmu.read(Reg.CMDQ_CONS) & 0xff),
                        Commands.sync(0), 0, 2);
                f.drv.acknowledgeErrors();
            }
            DmaResult r = f.smmu.translate(sid, (int) (iova & 3) - 1, iova, Access.of(write,
                    (iova & 8) != 0, (iova & 16) != 0));
            assertNotNull(r);
        }
    }

    @Property(tries = 500)
    void randomMmioNeverThrows(@ForAll @Size(min = 1, max = 64) long[] ops) {
        Fixture f = new Fixture();
        for (long op : ops) {
            long offset = (op >>> 8) & 0x1ffff;
            int size = 1 << (op & 3);
            f.smmu.mmioWrite(offset, size, op * 0x9E3779B97F4A7C15L);
            f.smmu.mmioRead(offset, size);
            f.smmu.translate((int) (op >>> 40) & 0xffff, Smmu.NO_SSID, op, Access.READ);
        }
    }
}
