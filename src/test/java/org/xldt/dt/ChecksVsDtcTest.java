package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our findings equal dtc 1.6.1's, message for message, for every check dtc also has. */
class ChecksVsDtcTest {

    static Stream<Path> hostDtbs() throws IOException {
        return Files.list(Path.of("examples/hosts")).filter(p -> p.toString().endsWith(".dtb")).sorted();
    }

    @ParameterizedTest
    @MethodSource("hostDtbs")
    void hostDtbFindingsEqualDtcs(Path dtb) throws IOException {
        byte[] blob = Files.readAllBytes(dtb);
        DtcChecks.DtcRun dtc = DtcChecks.dtc(blob);
        assertFalse(dtc.crashed(), dtc.stderr());
        List<String> ours = DtcChecks.ours(Checks.run(DtbReader.read(blob, dtb.toString())));
        assertEquals(String.join("\n", dtc.findings()), String.join("\n", ours));
        // every check dtc reported is one of ours (none skipped)
        for (String name : DtcChecks.names(dtc.findings())) assertTrue(Checks.check(name) != null, name);
    }
}
