// A mailbox with its primary and proxy SMTP addresses.
package dev.gatehouse.directory;

import java.time.Instant;
import java.util.List;

/**
 * @param EmailAddresses every address in Exchange's form: {@code SMTP:} for the primary, {@code smtp:} for proxies
 */
public record Mailbox(long id, long tenantId, String Name, String Guid, String PrimarySmtpAddress,
                      List<String> EmailAddresses, Instant WhenCreated) {
    public Mailbox { EmailAddresses = List.copyOf(EmailAddresses); }

    public String Identity() { return Name; }
}
