package org.xldt.dt;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target for {@link DtbReader}: any byte string either parses (and then writes back
 * as DTB and DTS) or gives one {@link org.xldt.BadInputException} naming an offset inside the
 * input. {@code mvn verify} runs the seeds in {@code DtbReaderFuzzTestInputs/} (regression mode);
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=DtbReaderFuzzTest} fuzzes.
 */
class DtbReaderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void readAnyBlob(byte[] data) {
        DtbPropertiesTest.checkReadOrLocatedError(data);
    }
}
