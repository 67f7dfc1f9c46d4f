// The PowerShell lines of the seed article (../shared/seed/direct-send-article.md), verbatim with their
// typographic dash and quotes, for the tests that paste them into the shell. Kept here rather than read
// from ../shared so the tests don't depend on where the shared folder lies; SeedArticleTest checks the
// copy against the article whenever the article is reachable.
package dev.gatehouse.admin;

import java.util.List;

public final class SeedArticle {

    private SeedArticle() {}

    /** "PowerShell Example" of the article: an en dash before ExceptIfSenderIpRanges, curly quotes around its value. */
    public static final String TRANSPORT_RULE = "New-TransportRule -Name \"Redirect to quarantine if not coming from known IPs\" -Quarantine $true -ExceptIfHeaderContainsMessageHeader 'X-MS-Exchange-Organization-AuthAs' -ExceptIfHeaderContainsWords 'Internal' \u2013ExceptIfSenderIpRanges \u2018MX records + on-premises IPs + other authorized IPs ' -StopRuleProcessing $true -Priority 0";

    /** "Option 1: Historical Message Trace", verbatim: {@code <start>} and {@code <end>} are the article's placeholders. */
    static final String HISTORICAL_SEARCH_VERBATIM = "Start-HistoricalSearch -ReportTitle DirectSendMessages -StartDate <start> -EndDate <end> -ReportType ConnectorReport -ConnectorType NoConnector -Direction Received -NotifyAddress admin@contoso.com";

    /** The line with the placeholders filled in as an admin runs it (month/day/year, as the article's own dates). */
    static String historicalSearch(java.time.LocalDate start, java.time.LocalDate end) {
        var us = java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy");
        return HISTORICAL_SEARCH_VERBATIM.replace("<start>", us.format(start)).replace("<end>", us.format(end));
    }

    /** Filled in for the last week, up to tomorrow (the end date is excluded), in UTC. */
    static final String HISTORICAL_SEARCH = historicalSearch(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(7),
            java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1));

    /** The lines that must parse (only the cmdlet lookup fails until the cmdlets exist). */
    static final List<String> LINES = List.of(TRANSPORT_RULE, HISTORICAL_SEARCH_VERBATIM, HISTORICAL_SEARCH);
}
