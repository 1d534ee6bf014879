package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.xldt.BadInputException;

/** Property-based tests: random values against dtc's DTS text; flipped bytes against the reader. */
class DtbPropertiesTest {
    private static final byte[] MORELLO = load("morello-sdp.dtb");

    private static byte[] load(String name) {
        try {
            return Files.readAllBytes(DtbReaderTest.HOSTS.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<Byte> printable = Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e);
        Arbitrary<Byte> special = Arbitraries.of((byte) 0, (byte) 7, (byte) 8, (byte) 9, (byte) 10, (byte) 11, (byte) 12, (byte) 13,
                (byte) 1, (byte) 0x1f, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) '"', (byte) '\\');
        Arbitrary<Byte> mix = Arbitraries.frequencyOf(
                Tuple.of(8, printable), Tuple.of(4, Arbitraries.just((byte) 0)), Tuple.of(2, special), Tuple.of(1, Arbitraries.bytes()));
        return mix.array(byte[].class).ofMaxSize(20);
    }

    /** One dtc run per try checks 30 random values (strings, lists, cells, bytes, escapes). */
    @Property(tries = 25)
    void randomValuesPrintAsDtcPrintsThem(@ForAll @Size(min = 30, max = 30) List<@net.jqwik.api.From("values") byte[]> values) {
        DeviceTree t = new DeviceTree();
        for (int i = 0; i < values.size(); i++) t.root().append(new org.xldt.dt.Property("p" + i, values.get(i)));
        byte[] dtb = DtbWriter.write(t);
        assertEquals(DtsWriterTest.dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, "r.dtb")));
    }

    @Provide
    Arbitrary<List<int[]>> flips() {
        Arbitrary<Integer> index = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 0x3f)),
                Tuple.of(7, Arbitraries.integers().between(0, MORELLO.length - 1)));
        Arbitrary<Integer> mask = Arbitraries.integers().between(1, 255);
        return Combinators.combine(index, mask).as((i, m) -> new int[] {i, m}).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Flipped bytes in a real blob: the reader either accepts the blob or names an offset. */
    @Property(tries = 400)
    void flippedBytesNeverEscape(@ForAll("flips") List<int[]> flips) {
        byte[] blob = MORELLO.clone();
        for (int[] f : flips) blob[f[0]] ^= (byte) f[1];
        checkReadOrLocatedError(blob);
    }

    /** Reads {@code blob}: success must serialize both ways; failure is one located BadInputException. */
    static void checkReadOrLocatedError(byte[] blob) {
        DeviceTree t;
        try {
            t = DtbReader.read(blob, "t.dtb");
        } catch (BadInputException e) {
            long off = DtbReaderTest.offsetOf(e);
            assertTrue(off <= blob.length, e.render());
            assertTrue(!e.render().contains("\n"), e.render());
            return;
        }
        DtbWriter.write(t);
        DtsWriter.write(t);
    }
}
