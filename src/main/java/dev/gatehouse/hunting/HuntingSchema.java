// The four email tables of Defender's advanced hunting: their names, columns, column order and types.
package dev.gatehouse.hunting;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.ColumnarTable.Column;
import dev.gatehouse.kql.KqlType;

/**
 * As Microsoft's schema reference lists them (MicrosoftDocs/defender-docs, {@code advanced-hunting-email*-table.md};
 * spec §9), so {@code getschema} and {@code project-away} read as they do in Defender. Every JSON column
 * ({@code AuthenticationDetails}, {@code AdditionalFields}, ...) is a string, as in Defender; {@code EmailClusterId}
 * is a long, the counts and {@code BulkComplaintLevel} ints, {@code FileSize} a long. Each table is pruned and
 * retained by {@code Timestamp}.
 */
public final class HuntingSchema {
    private HuntingSchema() {}

    public static final String EMAIL_EVENTS = "EmailEvents";
    public static final String EMAIL_ATTACHMENT_INFO = "EmailAttachmentInfo";
    public static final String EMAIL_URL_INFO = "EmailUrlInfo";
    public static final String EMAIL_POST_DELIVERY_EVENTS = "EmailPostDeliveryEvents";

    /** The column every table is pruned and retained by. */
    public static final String TIME = "Timestamp";

    /**
     * Rows per chunk: a million, so a string column's dictionary is shared by many rows and a predicate on it is tested
     * once per distinct value; {@link ColumnarTable} also seals a chunk that spans more than a week, so retention still
     * frees a quiet tenant's memory.
     */
    static final int CHUNK_ROWS = ColumnarTable.DEFAULT_CHUNK_ROWS;

    public static final List<Column> EMAIL_EVENTS_COLUMNS = columns(
            "Timestamp:datetime", "NetworkMessageId", "InternetMessageId", "SenderMailFromAddress", "SenderFromAddress",
            "SenderDisplayName", "SenderObjectId", "SenderMailFromDomain", "SenderFromDomain", "SenderIPv4", "SenderIPv6",
            "RecipientEmailAddress", "RecipientObjectId", "Subject", "EmailClusterId:long", "EmailDirection", "DeliveryAction",
            "DeliveryLocation", "ThreatTypes", "ThreatNames", "DetectionMethods", "ConfidenceLevel", "BulkComplaintLevel:int",
            "EmailAction", "EmailActionPolicy", "EmailActionPolicyGuid", "AuthenticationDetails", "AttachmentCount:int",
            "UrlCount:int", "EmailLanguage", "Connectors", "OrgLevelAction", "OrgLevelPolicy", "UserLevelAction", "UserLevelPolicy",
            "ReportId", "AdditionalFields", "LatestDeliveryLocation", "LatestDeliveryAction");

    public static final List<Column> EMAIL_ATTACHMENT_INFO_COLUMNS = columns(
            "Timestamp:datetime", "NetworkMessageId", "SenderFromAddress", "SenderDisplayName", "SenderObjectId",
            "RecipientEmailAddress", "RecipientObjectId", "FileName", "FileType", "SHA256", "FileSize:long", "ThreatTypes",
            "ThreatNames", "DetectionMethods", "ReportId");

    public static final List<Column> EMAIL_URL_INFO_COLUMNS = columns(
            "Timestamp:datetime", "NetworkMessageId", "Url", "UrlDomain", "UrlLocation", "ReportId");

    public static final List<Column> EMAIL_POST_DELIVERY_EVENTS_COLUMNS = columns(
            "Timestamp:datetime", "NetworkMessageId", "InternetMessageId", "Action", "ActionType", "ActionTrigger", "ActionResult",
            "RecipientEmailAddress", "DeliveryLocation", "ThreatTypes", "DetectionMethods", "ReportId");

    static ColumnarTable emailEvents() { return table(EMAIL_EVENTS, EMAIL_EVENTS_COLUMNS); }

    static ColumnarTable emailAttachmentInfo() { return table(EMAIL_ATTACHMENT_INFO, EMAIL_ATTACHMENT_INFO_COLUMNS); }

    static ColumnarTable emailUrlInfo() { return table(EMAIL_URL_INFO, EMAIL_URL_INFO_COLUMNS); }

    static ColumnarTable emailPostDeliveryEvents() { return table(EMAIL_POST_DELIVERY_EVENTS, EMAIL_POST_DELIVERY_EVENTS_COLUMNS); }

    private static ColumnarTable table(String name, List<Column> columns) {
        return new ColumnarTable(name, columns, TIME, CHUNK_ROWS);
    }

    /** {@code "Name"} is a string column, {@code "Name:type"} one of the named KQL type. */
    private static List<Column> columns(String... specs) {
        List<Column> out = new ArrayList<>(specs.length);
        for (String s : specs) {
            int colon = s.indexOf(':');
            if (colon < 0) {
                out.add(new Column(s, KqlType.STRING));
                continue;
            }
            String type = s.substring(colon + 1);
            KqlType t = null;
            for (KqlType k : KqlType.values()) if (k.kqlName().equals(type)) t = k;
            if (t == null) throw new IllegalArgumentException(s);
            out.add(new Column(s.substring(0, colon), t));
        }
        return List.copyOf(out);
    }
}
