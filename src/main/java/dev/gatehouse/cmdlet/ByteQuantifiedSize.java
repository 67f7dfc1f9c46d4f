// Exchange's ByteQuantifiedSize: a byte count written as 10MB, 1.5GB, 500KB, "10 MB" or plain bytes.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes; {@link #toString()} prints it the way Exchange does: {@code 10 MB (10,485,760 bytes)}, and
 * {@link #parse} reads that form back: the exact count in parentheses is the value (the unit form before it is
 * rounded to three decimals), as long as the two agree.
 */
public record ByteQuantifiedSize(long bytes) implements Comparable<ByteQuantifiedSize> {
    private static final Pattern SIZE = Pattern.compile(
            "\\s*(\\d{1,19}(?:\\.\\d{1,12})?|\\.\\d{1,12})\\s*(b|kb|mb|gb|tb|pb)?\\s*(?:\\((\\d{1,3}(?:,\\d{3}){0,6}|\\d{1,19}) bytes\\))?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    public ByteQuantifiedSize {
        if (bytes < 0) throw new IllegalArgumentException("a size cannot be negative");
    }

    /**
     * Parses {@code 10MB}, {@code 1.5GB}, {@code 500 KB}, {@code 1024} and Exchange's display form
     * {@code 1.497 GB (1,607,156,329 bytes)}; units are powers of 1024. A display form whose byte count does not
     * round to the unit form before it ({@code 10 MB (1 bytes)}) is not a size.
     */
    public static Optional<ByteQuantifiedSize> parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) return Optional.empty();
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int power = switch (unit) {
            case "kb" -> 1;
            case "mb" -> 2;
            case "gb" -> 3;
            case "tb" -> 4;
            case "pb" -> 5;
            default -> 0;
        };
        BigDecimal unitSize = BigDecimal.valueOf(1024).pow(power);
        BigDecimal value = new BigDecimal(m.group(1)).multiply(unitSize);
        try {
            if (m.group(3) == null) {
                return Optional.of(new ByteQuantifiedSize(value.setScale(0, RoundingMode.HALF_UP).longValueExact()));
            }
            BigDecimal exact = new BigDecimal(m.group(3).replace(",", ""));
            // Exchange rounds the unit form to three decimals: the exact count is within half a thousandth of a unit.
            BigDecimal tolerance = unitSize.movePointLeft(3).divide(BigDecimal.TWO);
            if (exact.subtract(value).abs().compareTo(tolerance) > 0) return Optional.empty();
            return Optional.of(new ByteQuantifiedSize(exact.longValueExact()));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    @Override public int compareTo(ByteQuantifiedSize o) { return Long.compare(bytes, o.bytes); }

    @Override public String toString() {
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes >= 1L << (10 * (unit + 1))) unit++;
        BigDecimal scaled = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << (10 * unit)), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return scaled.toPlainString() + " " + UNITS[unit] + " (" + String.format(Locale.US, "%,d", bytes) + " bytes)";
    }
}
