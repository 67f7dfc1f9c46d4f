// One historical search job as Get-HistoricalSearch shows it (Exchange's property names).
package dev.gatehouse.reports;

import java.time.Instant;
import java.util.List;

/**
 * {@code Status}: NotStarted (queued), InProgress, Done ({@code FileUrl} set), Cancelled (by
 * Stop-HistoricalSearch while NotStarted) or Failed ({@code ReportStatusDescription} says why).
 * {@code Rows} counts the rows written so far; {@code Progress} is the share of the period searched (0-100).
 */
public record HistoricalSearch(String JobId, Instant SubmitDate, String ReportTitle, String ReportType, String Status, long Rows,
                               int Progress, String FileUrl, String ReportStatusDescription, Instant StartDate, Instant EndDate,
                               String Direction, String ConnectorType, String DeliveryStatus, String TLSUsed, List<String> SenderAddress,
                               List<String> RecipientAddress, List<String> MessageID, String OriginalClientIP, List<String> TransportRule,
                               List<String> NotifyAddress, boolean CompressFile, Instant CompletionDate, String SubmittedBy) {

    /** The job states; stored by name. */
    public enum State { NotStarted, InProgress, Done, Cancelled, Failed }
}
