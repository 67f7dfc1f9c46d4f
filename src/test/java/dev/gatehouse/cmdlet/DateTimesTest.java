// Unit tests of DateTimes: the date forms admins type (month first, as in Exchange's documentation, and ISO 8601),
// strict calendar checks, the zone of a date without an offset, and PowerShell's en-US display form.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimesTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static OffsetDateTime utc(int y, int mo, int d, int h, int mi, int s) {
        return OffsetDateTime.of(y, mo, d, h, mi, s, 0, ZoneOffset.UTC);
    }

    static OffsetDateTime parse(String text) {
        return DateTimes.parse(text, ZoneOffset.UTC).orElseThrow(() -> new AssertionError("not a date: " + text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "07/01/2025|2025-07-01T00:00:00Z",
        "7/1/2025|2025-07-01T00:00:00Z",
        "07/24/2025|2025-07-24T00:00:00Z",
        "07/01/2025 10:00|2025-07-01T10:00:00Z",
        "7/1/2025 9:05|2025-07-01T09:05:00Z",
        "07/01/2025 23:59:59|2025-07-01T23:59:59Z",
        "7/1/2025 1:30 PM|2025-07-01T13:30:00Z",
        "7/1/2025 1:30 pm|2025-07-01T13:30:00Z",
        "7/1/2025 1:30:15 PM|2025-07-01T13:30:15Z",
        "07/01/2025 12:00 AM|2025-07-01T00:00:00Z",
        "07/01/2025 12:00 PM|2025-07-01T12:00:00Z",
        "2025-07-01|2025-07-01T00:00:00Z",
        "2025-07-01 10:00|2025-07-01T10:00:00Z",
        "2025-07-01 10:00:30|2025-07-01T10:00:30Z",
        "2025-07-01T10:00|2025-07-01T10:00:00Z",
        "2025-07-01T10:00:00|2025-07-01T10:00:00Z",
        "2025-07-01T10:00:00Z|2025-07-01T10:00:00Z",
        "2025-07-01T10:00:00+02:00|2025-07-01T08:00:00Z",
        "2025-07-01T10:00:00.250-05:00|2025-07-01T15:00:00.250Z",
        "02/29/2024|2024-02-29T00:00:00Z",
        "12/31/9999 23:59:59|9999-12-31T23:59:59Z",
    })
    void formsAdminsType(String text, String instant) {
        assertThat(parse(text).toInstant()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "tomorrow", "<start>", "13/01/2025", "00/10/2025", "07/32/2025", "02/29/2025",
        "02/30/2024", "04/31/2025", "07/01/2025 24:00", "07/01/2025 10:60", "07/01/2025 13:00 PM",
        "07/01/2025 00:00 AM", "2025-13-01", "2025-7-1", "07-01-2025", "07.01.2025", "2025-07-01T25:00:00Z",
        "07/01/2025 10:00 XM", "07/01/2025T10:00", "2025-07-01T10:00:00+25:00"})
    void textsThatAreNotDates(String text) {
        assertThat(DateTimes.parse(text, ZoneOffset.UTC)).isEmpty();
    }

    @Test void surroundingBlanksAreIgnoredButVeryLongTextIsNotADate() {
        assertThat(parse("  07/01/2025\t")).isEqualTo(utc(2025, 7, 1, 0, 0, 0));
        assertThat(DateTimes.parse("07/01/2025" + " ".repeat(60) + "x", ZoneOffset.UTC)).isEmpty();
        assertThat(DateTimes.parse("2025-07-01T10:00:00.123456789+00:00" + "0".repeat(40), ZoneOffset.UTC)).isEmpty();
    }

    @Test void aDateWithoutAnOffsetIsInTheGivenZoneWithItsSummerTime() {
        assertThat(DateTimes.parse("07/01/2025 10:00", PARIS)).contains(
                OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(DateTimes.parse("01/15/2025 10:00", PARIS)).contains(
                OffsetDateTime.of(2025, 1, 15, 10, 0, 0, 0, ZoneOffset.ofHours(1)));
        // 02:30 on the last Sunday of March does not exist in Paris: the clock jumps to 03:30 summer time.
        assertThat(DateTimes.parse("03/30/2025 02:30", PARIS)).contains(
                OffsetDateTime.of(2025, 3, 30, 3, 30, 0, 0, ZoneOffset.ofHours(2)));
    }

    @Test void anExplicitOffsetWinsOverTheZone() {
        assertThat(DateTimes.parse("2025-07-01T10:00:00Z", PARIS)).contains(utc(2025, 7, 1, 10, 0, 0));
        assertThat(DateTimes.parse("2025-07-01T10:00:00-07:00", PARIS)).contains(
                OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-7)));
    }

    @Test void monthComesFirstAsInExchangeDocumentation() {
        // Start-HistoricalSearch -StartDate 07/01/2025 -EndDate 07/24/2025 is July 1st to July 24th.
        assertThat(parse("07/01/2025").getMonthValue()).isEqualTo(7);
        assertThat(parse("07/01/2025").getDayOfMonth()).isEqualTo(1);
        assertThat(parse("01/07/2025").getMonthValue()).isEqualTo(1);
    }

    // --- display ---------------------------------------------------------------------------------------

    @Test void displayIsPowerShellsEnUsForm() {
        assertThat(DateTimes.display(utc(2025, 7, 1, 0, 0, 0))).isEqualTo("7/1/2025 12:00:00 AM");
        assertThat(DateTimes.display(utc(2025, 7, 1, 12, 0, 0))).isEqualTo("7/1/2025 12:00:00 PM");
        assertThat(DateTimes.display(utc(2025, 12, 31, 23, 59, 59))).isEqualTo("12/31/2025 11:59:59 PM");
        assertThat(DateTimes.display(utc(2025, 1, 2, 3, 4, 5))).isEqualTo("1/2/2025 3:04:05 AM");
    }

    @Test void displayShowsTheTimeInTheValuesOwnOffset() {
        assertThat(DateTimes.display(OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("7/1/2025 10:00:00 AM");
        assertThat(DateTimes.display(ZonedDateTime.of(2025, 7, 1, 22, 15, 0, 0, PARIS))).isEqualTo("7/1/2025 10:15:00 PM");
        assertThat(DateTimes.display(LocalDateTime.of(2025, 7, 1, 8, 0))).isEqualTo("7/1/2025 8:00:00 AM");
        assertThat(DateTimes.display(LocalDate.of(2025, 7, 1))).isEqualTo("7/1/2025 12:00:00 AM");
        assertThat(DateTimes.display(Instant.parse("2025-07-01T13:00:00Z"))).isEqualTo("7/1/2025 1:00:00 PM");
    }

    @Test void displayIsNullForOtherValues() {
        for (Object o : List.of("07/01/2025", 5, java.time.Duration.ofHours(1), java.time.LocalTime.NOON)) {
            assertThat(DateTimes.display(o)).as("%s", o).isNull();
            assertThat(DateTimes.iso(o)).as("%s", o).isNull();
        }
    }

    @Test void theDisplayFormReadsBackAsTheSameInstant() {
        for (OffsetDateTime d : List.of(utc(2025, 7, 1, 0, 0, 0), utc(2025, 7, 1, 12, 0, 0), utc(2024, 2, 29, 23, 59, 59),
                utc(2025, 11, 9, 13, 30, 15))) {
            assertThat(parse(DateTimes.display(d))).as("%s", d).isEqualTo(d);
        }
    }

    @Test void isoForJson() {
        assertThat(DateTimes.iso(utc(2025, 7, 1, 10, 0, 0))).isEqualTo("2025-07-01T10:00Z");
        assertThat(DateTimes.iso(OffsetDateTime.of(2025, 7, 1, 10, 0, 30, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("2025-07-01T10:00:30+02:00");
        assertThat(DateTimes.iso(ZonedDateTime.of(2025, 7, 1, 10, 0, 0, 0, PARIS))).isEqualTo("2025-07-01T10:00+02:00");
        assertThat(DateTimes.iso(LocalDateTime.of(2025, 7, 1, 10, 0))).isEqualTo("2025-07-01T10:00");
        assertThat(DateTimes.iso(LocalDate.of(2025, 7, 1))).isEqualTo("2025-07-01");
        assertThat(DateTimes.iso(Instant.parse("2025-07-01T13:00:00Z"))).isEqualTo("2025-07-01T13:00:00Z");
        assertThat(DateTimes.parse(DateTimes.iso(utc(2025, 7, 1, 10, 0, 0)), PARIS)).contains(utc(2025, 7, 1, 10, 0, 0));
    }
}
