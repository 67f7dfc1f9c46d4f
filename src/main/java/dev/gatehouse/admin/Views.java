package dev.gatehouse.admin;

import java.time.Instant;
import java.util.List;

import dev.gatehouse.directory.AcceptedDomain;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.Tenant;

/**
 * What admin cmdlets return: Exchange's property names, in the order an admin expects to read them, and
 * never the store's internal ids. {@code Identity} comes last; it is what a piped object binds to in
 * {@code Get-X | Set-X}.
 */
public final class Views {

    private Views() {}

    public record Organization(String Name, String Guid, Instant WhenCreated, String Identity) {
        static Organization of(Tenant t) { return new Organization(t.Name(), t.Guid(), t.WhenCreated(), t.Name()); }
    }

    public record AcceptedDomainView(String Name, String DomainName, DomainType DomainType, boolean MatchSubDomains,
                                     Instant WhenCreated, String Identity) {
        static AcceptedDomainView of(AcceptedDomain d) {
            return new AcceptedDomainView(d.Name(), d.DomainName(), d.DomainType(), d.MatchSubDomains(), d.WhenCreated(), d.Name());
        }
    }

    public record MailboxView(String Name, String PrimarySmtpAddress, List<String> EmailAddresses, String Guid,
                              Instant WhenCreated, String Identity) {
        static MailboxView of(Mailbox m) {
            return new MailboxView(m.Name(), m.PrimarySmtpAddress(), m.EmailAddresses(), m.Guid(), m.WhenCreated(), m.Name());
        }
    }
}
