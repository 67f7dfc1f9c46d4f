// CommandParser: splits an SMTP command line into verb and argument and parses MAIL, RCPT and BDAT arguments.
package dev.gatehouse.smtp;

import java.util.Locale;

/**
 * Pure functions from command text (one char per wire octet) to values or {@link SmtpSyntaxException}.
 * Separate from the session so that it can be fuzzed on its own.
 */
final class CommandParser {
    private CommandParser() {}

    /** A command line split at the first space: the verb in upper case, the rest with trailing blanks removed. */
    record Command(String verb, String argument) {}

    /** A BDAT command: the chunk size in octets and whether it is the last chunk. */
    record Bdat(long size, boolean last) {}

    static Command split(String line) {
        String trimmed = stripTrailing(line);
        int sp = trimmed.indexOf(' ');
        String verb = sp < 0 ? trimmed : trimmed.substring(0, sp);
        String arg = sp < 0 ? "" : trimmed.substring(sp + 1).stripLeading();
        return new Command(verb.toUpperCase(Locale.ROOT), arg);
    }

    /** Parses the argument of MAIL ({@code FROM:<path> [params]}). Size limits are the session's job. */
    static MailFrom mailFrom(String arg) throws SmtpSyntaxException {
        String[] pathAndParams = pathAndParams(arg, "FROM:", "MAIL FROM:<address>");
        long size = -1;
        String body = null;
        boolean utf8 = false;
        for (String p : params(pathAndParams[1])) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1);
            switch (key) {
                case "SIZE" -> size = size(value);
                case "BODY" -> body = body(value, p);
                case "SMTPUTF8" -> {
                    if (value != null) throw unsupported(p);
                    utf8 = true;
                }
                default -> throw unsupported(p);
            }
        }
        String address = AddressParser.parse(pathAndParams[0], true, utf8);
        return new MailFrom(address, size, body, utf8);
    }

    /** Parses the argument of RCPT ({@code TO:<path>}); no RCPT parameters are supported (no DSN). */
    static String rcptTo(String arg, boolean smtpUtf8) throws SmtpSyntaxException {
        String[] pathAndParams = pathAndParams(arg, "TO:", "RCPT TO:<address>");
        for (String p : params(pathAndParams[1])) throw unsupported(p);
        return AddressParser.parse(pathAndParams[0], false, smtpUtf8);
    }

    /** Parses {@code <size> [LAST]}; the size has 1-18 digits so it always fits a long. */
    static Bdat bdat(String arg) throws SmtpSyntaxException {
        String[] parts = arg.split(" +", -1);
        if (parts.length < 1 || parts.length > 2 || !isDigits(parts[0], 18)) throw new SmtpSyntaxException(Replies.syntax("BDAT size [LAST]"));
        boolean last = parts.length == 2;
        if (last && !parts[1].equalsIgnoreCase("LAST")) throw new SmtpSyntaxException(Replies.syntax("BDAT size [LAST]"));
        return new Bdat(Long.parseLong(parts[0]), last);
    }

    /** {@code [0]} the text inside the angle brackets, {@code [1]} the parameter text after them. */
    private static String[] pathAndParams(String arg, String keyword, String usage) throws SmtpSyntaxException {
        if (!arg.regionMatches(true, 0, keyword, 0, keyword.length())) throw new SmtpSyntaxException(Replies.syntax(usage));
        int i = keyword.length();
        while (i < arg.length() && arg.charAt(i) == ' ') i++;
        if (i >= arg.length() || arg.charAt(i) != '<') throw new SmtpSyntaxException(501, "5.5.2", "Syntax: " + usage + " (angle brackets required)");
        int close = closingBracket(arg, i + 1);
        if (close < 0) throw new SmtpSyntaxException(501, "5.5.2", "Syntax: " + usage + " (angle brackets required)");
        String rest = arg.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') throw new SmtpSyntaxException(Replies.syntax(usage));
        return new String[] {arg.substring(i + 1, close), rest};
    }

    /** Index of the {@code >} that closes a path, skipping quoted strings and their escapes; -1 if none. */
    private static int closingBracket(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '>') return i;
        }
        return -1;
    }

    private static String[] params(String text) {
        String t = text.strip();
        return t.isEmpty() ? new String[0] : t.split(" +");
    }

    private static long size(String value) throws SmtpSyntaxException {
        if (value == null || value.isEmpty() || !isDigits(value, Integer.MAX_VALUE)) throw new SmtpSyntaxException(Replies.syntax("SIZE=octets"));
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private static String body(String value, String param) throws SmtpSyntaxException {
        if (value == null) throw new SmtpSyntaxException(Replies.syntax("BODY=7BIT/8BITMIME"));
        String v = value.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "7BIT", "8BITMIME" -> v;
            case "BINARYMIME" -> throw unsupported(param);
            default -> throw new SmtpSyntaxException(Replies.syntax("BODY=7BIT/8BITMIME"));
        };
    }

    /** 555 naming the parameter; control characters become '?' and the echo is capped, so a reply never carries injected text. */
    private static SmtpSyntaxException unsupported(String param) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < param.length() && i < 64; i++) {
            char c = param.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return new SmtpSyntaxException(555, "5.5.4", "Unsupported option: " + shown);
    }

    private static boolean isDigits(String s, int maxLen) {
        if (s.isEmpty() || s.length() > maxLen) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
        return s.substring(0, end);
    }
}
