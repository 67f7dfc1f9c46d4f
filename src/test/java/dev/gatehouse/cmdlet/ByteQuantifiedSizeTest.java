// Unit tests of ByteQuantifiedSize: the sizes admins write (10MB, '1.5 GB', 1024), Exchange's display form
// '25 MB (26,214,400 bytes)' both ways, and the limits of a byte count.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteQuantifiedSizeTest {
    static final long KB = 1024;
    static final long MB = KB * 1024;
    static final long GB = MB * 1024;
    static final long TB = GB * 1024;

    static long bytes(String text) {
        return ByteQuantifiedSize.parse(text).orElseThrow(() -> new AssertionError("not a size: " + text)).bytes();
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource(delimiter = '|', value = {
        "0|0", "1024|1024", "1 B|1", "1b|1", "500KB|512000", "500 kb|512000", "10MB|10485760", "10 MB|10485760",
        "10mb|10485760", "'  10 Mb  '|10485760", "1.5GB|1610612736", "1.5 GB|1610612736", ".5KB|512", "2TB|2199023255552",
        "1PB|1125899906842624", "35 MB|36700160", "150 MB|157286400", "9223372036854775807|9223372036854775807",
    })
    void sizesAsAdminsWriteThem(String text, long expected) {
        assertThat(bytes(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "MB", "-1", "-1MB", "+1MB", "10M", "10 XB", "10MiB", "10 M B", "1,024", "1e3",
        "0x10", "ten MB", "10MB10", "Unlimited", "10 MB (", "(1,024 bytes)", "10 MB (10485760)", "10\u00A0MB",
        "9223372036854775808", "8192PB", "10000000000 TB", "1.0000000000001 KB"})
    void textsThatAreNotSizes(String text) {
        assertThat(ByteQuantifiedSize.parse(text)).isEmpty();
    }

    @Test void fractionsRoundToAWholeByte() {
        assertThat(bytes("1.001KB")).isEqualTo(1025);
        assertThat(bytes("0.0001KB")).isEqualTo(0);
        assertThat(bytes("1.5")).isEqualTo(2);
        assertThat(bytes("0.4")).isEqualTo(0);
    }

    // --- display --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} bytes: {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0 B (0 bytes)",
        "1|1 B (1 bytes)",
        "1023|1023 B (1,023 bytes)",
        "1024|1 KB (1,024 bytes)",
        "1025|1.001 KB (1,025 bytes)",
        "1536|1.5 KB (1,536 bytes)",
        "6567|6.413 KB (6,567 bytes)",
        "1048575|1023.999 KB (1,048,575 bytes)",
        "1048576|1 MB (1,048,576 bytes)",
        "26214400|25 MB (26,214,400 bytes)",
        "36700160|35 MB (36,700,160 bytes)",
        "455285432|434.194 MB (455,285,432 bytes)",
        "1607156329|1.497 GB (1,607,156,329 bytes)",
        "1610612736|1.5 GB (1,610,612,736 bytes)",
        "53150220288|49.5 GB (53,150,220,288 bytes)",
        "106300440576|99 GB (106,300,440,576 bytes)",
        "1099511627776|1 TB (1,099,511,627,776 bytes)",
    })
    void displayedAsExchangeDoes(long bytes, String shown) {
        assertThat(new ByteQuantifiedSize(bytes)).hasToString(shown);
    }

    @Test void displayUsesTheUnitJustBelowTheNextPowerOf1024() {
        assertThat(new ByteQuantifiedSize(GB - 1).toString()).startsWith("1024 MB (");
        assertThat(new ByteQuantifiedSize(GB).toString()).startsWith("1 GB (");
        assertThat(new ByteQuantifiedSize(TB - MB).toString()).startsWith("1023.999 GB (");
    }

    // --- the display form read back -----------------------------------------------------------------------

    @Test void theDisplayFormReadsBackAsTheExactByteCount() {
        // Get-Mailbox shows ProhibitSendQuota as "49.5 GB (53,150,220,288 bytes)"; pasting that back sets the same size.
        assertThat(bytes("25 MB (26,214,400 bytes)")).isEqualTo(26_214_400);
        assertThat(bytes("1.497 GB (1,607,156,329 bytes)")).isEqualTo(1_607_156_329L);
        assertThat(bytes("1.497 gb (1607156329 bytes)")).isEqualTo(1_607_156_329L);
        assertThat(bytes("10MB(10,485,760 bytes)")).isEqualTo(10 * MB);
        assertThat(bytes("1023 B (1,023 bytes)")).isEqualTo(1023);
    }

    @Test void everyDisplayedSizeRoundTrips() {
        List<Long> samples = new ArrayList<>(List.of(0L, 1L, 999L, 1023L, 1024L, 1025L, 6567L, MB - 1, MB, MB + 1,
                455_285_432L, GB - 1, GB + 1, 1_607_156_329L, TB - 1, TB + 12_345, 1L << 50, (1L << 50) - 1,
                Long.MAX_VALUE));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) samples.add((random.nextLong() >>> 1) >>> random.nextInt(63));
        for (long n : samples) {
            ByteQuantifiedSize size = new ByteQuantifiedSize(n);
            assertThat(ByteQuantifiedSize.parse(size.toString())).as("%s", size).contains(size);
        }
    }

    @Test void aDisplayFormWhoseTwoHalvesDisagreeIsNotASize() {
        assertThat(ByteQuantifiedSize.parse("10 MB (1 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("25 MB (26,214,401 bytes)")).contains(new ByteQuantifiedSize(26_214_401));
        assertThat(ByteQuantifiedSize.parse("1 KB (1,025 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("1 B (2 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("1.497 GB (1,606,000,000 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("10 MB (10,485,76 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("10 MB (,10,485,760 bytes)")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("8192 PB (9,223,372,036,854,775,808 bytes)")).isEmpty();
    }

    // --- the value ---------------------------------------------------------------------------------------

    @Test void aSizeIsNeverNegative() {
        assertThatThrownBy(() -> new ByteQuantifiedSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a size cannot be negative");
    }

    @Test void sizesCompareByTheirByteCount() {
        List<ByteQuantifiedSize> sizes = new ArrayList<>(List.of(new ByteQuantifiedSize(GB), new ByteQuantifiedSize(0),
                new ByteQuantifiedSize(MB), new ByteQuantifiedSize(Long.MAX_VALUE)));
        java.util.Collections.sort(sizes);
        assertThat(sizes).extracting(ByteQuantifiedSize::bytes).containsExactly(0L, MB, GB, Long.MAX_VALUE);
        assertThat(ByteQuantifiedSize.parse("1024KB")).contains(new ByteQuantifiedSize(MB));
        assertThat(ByteQuantifiedSize.parse("1MB").orElseThrow().compareTo(ByteQuantifiedSize.parse("1048576").orElseThrow()))
                .isZero();
    }
}
